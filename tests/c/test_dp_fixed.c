/* test_dp_fixed.c — decimal text to resolution units and back (dp_fixed.h) against three
 * oracles: the rows of tests/fixtures/dp_fixed.tsv (Python's decimal module, written by
 * tests/oracle/make_dp_fixed_fixtures.py: ties, exponents, decimal comma, range edges, 400-digit
 * texts); an independent 128-bit integer-division reference for random texts of up to 18
 * digits; and number.c's own classification of thousands of random and garbage strings. Then
 * huge exponents by hand, resolution texts, and the formatter's exact strings and round trips. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp_fixed.h"
#include "number.h"
#include "rng.h"
#include "test.h"
#include "util.h"

static const char *kind_name(cw_fix_kind k) {
    static const char *names[] = {"OK", "MISSING", "INVALID", "RANGE"};
    return (unsigned)k < 4 ? names[k] : "?";
}

static cw_round mode_of(char c) { return c == 'F' ? CW_ROUND_FLOOR : c == 'C' ? CW_ROUND_CEIL : CW_ROUND_HALF_EVEN; }

/* One fixture field with \t and \\ unescaped, in place; returns its length. */
static size_t unescape(char *s) {
    size_t r = 0, w = 0;
    for (; s[r]; r++, w++) {
        if (s[r] == '\\' && s[r + 1] == 't') s[w] = '\t', r++;
        else if (s[r] == '\\' && s[r + 1] == '\\') s[w] = '\\', r++;
        else s[w] = s[r];
    }
    s[w] = '\0';
    return w;
}

/* Split a line into at most max tab-separated fields (in place). */
static int split_tabs(char *line, char **f, int max) {
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') *p = '\0', f[n++] = p + 1;
    return n;
}

static void fixture_rows(cw_test *t) {
    char path[512];
    size_t len;
    char *text = read_file(fixture_path("dp_fixed.tsv", path, sizeof path), &len);
    CW_CHECK(t, text != NULL, "cannot read %s", path);
    if (!text) return;
    int rows = 0, wrong = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (line[0] == '#') continue;
        char *f[6];
        if (split_tabs(line, f, 6) != 6) continue;
        size_t n = unescape(f[0]);
        int d = atoi(f[2]);
        int64_t got = -12345, want = strtoll(f[5], NULL, 10);
        cw_fix_kind k = cw_fix_parse(f[0], n, f[1][0], d, mode_of(f[3][0]), &got);
        int ok = strcmp(kind_name(k), f[4]) == 0 && (k != CW_FIX_OK || got == want) && (k == CW_FIX_OK || got == 0);
        rows++;
        if (!ok && wrong++ < 10)
            fprintf(stderr, "dp_fixed.tsv: '%s' point '%c' d=%d %s: got %s %lld, want %s %s\n", f[0], f[1][0], d, f[3],
                    kind_name(k), (long long)got, f[4], f[5]);
    }
    free(text);
    CW_CHECK(t, rows > 7000, "only %d fixture rows", rows);
    CW_CHECK(t, wrong == 0, "%d of %d fixture rows differ from Python's decimal module", wrong, rows);
}

/* round(m * 10^p) under mode for m >= 0, |p| <= 60, by 128-bit division: 0 and *out, or 1 when
 * the magnitude exceeds 10^15 units. A different method from dp_fixed.c's digit scan. */
static int reference(uint64_t m, int neg, int p, cw_round mode, int64_t *out) {
    __extension__ typedef unsigned __int128 u128;
    u128 q, r = 0, div = 1;
    *out = 0;
    if (m == 0) return 0;
    if (p >= 0) {
        if (p > 19) return 1;
        q = m;
        for (int i = 0; i < p; i++) q *= 10;
    } else if (p < -36) {
        q = 0, r = 1, div = 4; /* some non-zero fraction below a half */
    } else {
        for (int i = 0; i < -p; i++) div *= 10;
        q = m / div;
        r = m % div;
    }
    int up;
    if (mode == CW_ROUND_HALF_EVEN) up = 2 * r > div || (2 * r == div && (q & 1));
    else if (mode == CW_ROUND_FLOOR) up = neg && r != 0;
    else up = !neg && r != 0;
    q += (u128)up;
    if (q > (u128)CW_FIX_MAX_UNITS) return 1;
    *out = neg ? -(int64_t)q : (int64_t)q;
    return 0;
}

static void random_vs_reference(cw_test *t) {
    cw_rng r;
    cw_rng_seed(&r, 7);
    int wrong = 0;
    for (int it = 0; it < 100000; it++) {
        int nd = 1 + (int)cw_rng_below(&r, 18), pt = (int)cw_rng_below(&r, (uint32_t)nd + 1);
        int neg = (int)cw_rng_below(&r, 2), e = cw_rng_below(&r, 3) ? 0 : (int)cw_rng_below(&r, 41) - 20;
        int d = (int)cw_rng_below(&r, 16) + CW_FIX_MIN_D;
        cw_round mode = (cw_round)cw_rng_below(&r, 3);
        char b[64];
        int n = 0;
        uint64_t m = 0;
        if (neg) b[n++] = '-';
        for (int i = 0; i < nd; i++) {
            if (i == pt && pt > 0) b[n++] = '.';
            int dig = cw_rng_below(&r, 4) ? (int)cw_rng_below(&r, 10) : (cw_rng_below(&r, 2) ? 0 : 5);
            b[n++] = (char)('0' + dig);
            m = m * 10 + (uint64_t)dig;
        }
        int frac = pt > 0 ? nd - pt : 0;
        if (e) n += snprintf(b + n, sizeof b - (size_t)n, "e%d", e);
        b[n] = '\0';
        int64_t want, got;
        int range = reference(m, neg, e - frac + d, mode, &want);
        cw_fix_kind k = cw_fix_parse(b, (size_t)n, '.', d, mode, &got);
        int ok = range ? k == CW_FIX_RANGE : k == CW_FIX_OK && got == want;
        if (!ok && wrong++ < 5)
            fprintf(stderr, "'%s' d=%d mode %d: %s %lld, want %s %lld\n", b, d, (int)mode, kind_name(k), (long long)got,
                    range ? "RANGE" : "OK", (long long)want);
    }
    CW_CHECK(t, wrong == 0, "%d of 100000 random texts differ from the 128-bit reference", wrong);
}

/* cw_fix_parse must say MISSING / INVALID exactly when number.c does. number.c also calls a
 * grammatical text INVALID when strtod overflows or the text is 400+ bytes; there cw_fix_parse
 * gives RANGE (or the exact value), which is the only allowed difference. When both read a
 * number, the units agree with the double to within rounding. */
static void same_classification(cw_test *t) {
    static const char alphabet[] = "0123456789..,,eE+--  \tnaNA/ulLoxif#1";
    cw_rng r;
    cw_rng_seed(&r, 11);
    int wrong = 0, numbers = 0, missing = 0, invalid = 0;
    for (int it = 0; it < 30000; it++) {
        char b[32];
        int n = (int)cw_rng_below(&r, 9);
        for (int i = 0; i < n; i++) b[i] = alphabet[cw_rng_below(&r, sizeof alphabet - 1)];
        if (cw_rng_below(&r, 8) == 0) { /* a missing token with random case and padding */
            static const char *tok[] = {"na", "n/a", "nan", "null", "none", "-", "#n/a"};
            const char *s = tok[cw_rng_below(&r, 7)];
            n = 0;
            if (cw_rng_below(&r, 2)) b[n++] = ' ';
            for (; *s; s++) b[n++] = cw_rng_below(&r, 2) && *s >= 'a' && *s <= 'z' ? (char)(*s - 32) : *s;
            if (cw_rng_below(&r, 2)) b[n++] = '\t';
        }
        char point = cw_rng_below(&r, 2) ? '.' : ',';
        int d = (int)cw_rng_below(&r, 16) + CW_FIX_MIN_D;
        double x = 0;
        int64_t u = 0;
        cw_num_kind nk = cw_parse_number_slow(b, (size_t)n, point, &x);
        cw_fix_kind fk = cw_fix_parse(b, (size_t)n, point, d, CW_ROUND_HALF_EVEN, &u);
        int ok;
        if (nk == CW_NUM_MISSING) ok = fk == CW_FIX_MISSING, missing++;
        else if (nk == CW_NUM_INVALID) /* RANGE only where strtod overflowed: an exponent */
            ok = fk == CW_FIX_INVALID || (fk == CW_FIX_RANGE && (memchr(b, 'e', (size_t)n) || memchr(b, 'E', (size_t)n))),
            invalid++;
        else {
            numbers++;
            double want = x * pow(10, d);
            ok = fk == CW_FIX_RANGE ? fabs(want) > 0.999999e15
                                    : fk == CW_FIX_OK && fabs((double)u - want) <= 0.5 + 1e-9 * fabs(want);
        }
        if (!ok && wrong++ < 5) fprintf(stderr, "'%.*s' point '%c': number.c %d, dp_fixed %s %lld\n", n, b, point, nk, kind_name(fk), (long long)u);
    }
    CW_CHECK(t, wrong == 0, "%d of 30000 strings classified differently from number.c", wrong);
    CW_CHECK(t, numbers > 1000 && missing > 1000 && invalid > 10000, "coverage: %d numbers, %d missing, %d invalid", numbers, missing, invalid);
}

static void expect(cw_test *t, const char *s, char point, int d, cw_round mode, cw_fix_kind kind, int64_t units) {
    int64_t got = -999;
    cw_fix_kind k = cw_fix_parse(s, strlen(s), point, d, mode, &got);
    CW_CHECK(t, k == kind && (kind != CW_FIX_OK || got == units), "'%.60s' d=%d mode %d: %s %lld, want %s %lld", s, d,
             (int)mode, kind_name(k), (long long)got, kind_name(kind), (long long)units);
}

static void hand_cases(cw_test *t) {
    const cw_round H = CW_ROUND_HALF_EVEN, F = CW_ROUND_FLOOR, C = CW_ROUND_CEIL;
    /* DP-SPEC B1's ties at d = 2 */
    expect(t, "0.005", '.', 2, H, CW_FIX_OK, 0);
    expect(t, "0.015", '.', 2, H, CW_FIX_OK, 2);
    expect(t, "0.025", '.', 2, H, CW_FIX_OK, 2);
    expect(t, "-0.015", '.', 2, H, CW_FIX_OK, -2);
    expect(t, "0.0150000000000000000000000000001", '.', 2, H, CW_FIX_OK, 2);
    expect(t, "0.0249999999999999999999999999999", '.', 2, H, CW_FIX_OK, 2);
    expect(t, "0.000000000000000000000000015", '.', 9, C, CW_FIX_OK, 1);
    expect(t, "-0.000000000000000000000000015", '.', 9, F, CW_FIX_OK, -1);
    expect(t, "-0.000000000000000000000000015", '.', 9, C, CW_FIX_OK, 0);
    /* exponents of any size: no overflow, RANGE or 0 / +-1 by the mode */
    const char *huge[] = {"1e999999999999", "1E+999999999999999999", "-1e99999999999999999999999999999999999999",
                          "0.0000000001e999999999999999999999"};
    for (size_t i = 0; i < sizeof huge / sizeof *huge; i++) {
        expect(t, huge[i], '.', 2, H, CW_FIX_RANGE, 0);
        expect(t, huge[i], '.', -6, F, CW_FIX_RANGE, 0);
    }
    expect(t, "1e-99999", '.', 9, H, CW_FIX_OK, 0);
    expect(t, "1e-99999", '.', 9, F, CW_FIX_OK, 0);
    expect(t, "1e-99999", '.', 9, C, CW_FIX_OK, 1);
    expect(t, "-1e-99999", '.', 9, F, CW_FIX_OK, -1);
    expect(t, "-1e-99999", '.', 9, C, CW_FIX_OK, 0);
    expect(t, "9e-99999999999999999999999999999", '.', 0, C, CW_FIX_OK, 1);
    expect(t, "0e99999999999999999999999", '.', 0, H, CW_FIX_OK, 0);
    expect(t, "-0", '.', 2, F, CW_FIX_OK, 0);
    expect(t, "-0.001", '.', 2, C, CW_FIX_OK, 0);
    expect(t, "-0.001", '.', 2, F, CW_FIX_OK, -1);
    /* 400 digits in, and a long zero run cancelled by the exponent */
    char big[520];
    memset(big, '0', sizeof big);
    big[0] = '0', big[1] = '.', big[301] = '1';
    snprintf(big + 302, sizeof big - 302, "e301");
    expect(t, big, '.', 0, H, CW_FIX_OK, 10);
    memset(big, '9', 400);
    snprintf(big + 400, sizeof big - 400, "e-385");
    expect(t, big, '.', 0, H, CW_FIX_OK, 1000000000000000); /* 9.99...e14 rounds up to 10^15 */
    expect(t, big, '.', 0, F, CW_FIX_OK, 999999999999999);
    /* range edges: exactly 10^15 units, and past it */
    expect(t, "1000000000000000", '.', 0, H, CW_FIX_OK, 1000000000000000);
    expect(t, "-1000000000000000", '.', 0, H, CW_FIX_OK, -1000000000000000);
    expect(t, "1000000000000001", '.', 0, H, CW_FIX_RANGE, 0);
    expect(t, "1000000000000000.5", '.', 0, H, CW_FIX_OK, 1000000000000000); /* tie to even */
    expect(t, "1000000000000000.5", '.', 0, C, CW_FIX_RANGE, 0);
    expect(t, "1000000000000000.0000000000000001", '.', 0, F, CW_FIX_OK, 1000000000000000);
    expect(t, "-1000000000000000.0000000000000001", '.', 0, F, CW_FIX_RANGE, 0);
    expect(t, "1000000", '.', 9, H, CW_FIX_OK, 1000000000000000);
    expect(t, "1000000.000000001", '.', 9, H, CW_FIX_RANGE, 0);
    expect(t, "1e21", '.', -6, H, CW_FIX_OK, 1000000000000000);
    expect(t, "1.0000000000000005e21", '.', -6, H, CW_FIX_OK, 1000000000000000);
    expect(t, "1.0000000000000015e21", '.', -6, H, CW_FIX_RANGE, 0);
    /* decimal comma, missing and invalid */
    expect(t, "1,5", ',', 0, H, CW_FIX_OK, 2);
    expect(t, " -2,5 ", ',', 0, H, CW_FIX_OK, -2);
    expect(t, "1.5", ',', 0, H, CW_FIX_INVALID, 0);
    expect(t, "1,5", '.', 0, H, CW_FIX_INVALID, 0);
    expect(t, "", '.', 2, H, CW_FIX_MISSING, 0);
    expect(t, " n/A\t", '.', 2, H, CW_FIX_MISSING, 0);
    expect(t, "NaN", '.', 2, H, CW_FIX_MISSING, 0);
    expect(t, "inf", '.', 2, H, CW_FIX_INVALID, 0);
    expect(t, "0x1p3", '.', 2, H, CW_FIX_INVALID, 0);
    expect(t, "1e", '.', 2, H, CW_FIX_INVALID, 0);
    expect(t, ".", '.', 2, H, CW_FIX_INVALID, 0);
    expect(t, "5", '.', 10, H, CW_FIX_INVALID, 0); /* d outside [-6, 9] */
    /* the length is respected: no terminator needed, bytes beyond len ignored */
    int64_t u = 0;
    CW_CHECK(t, cw_fix_parse("12.345xyz", 6, '.', 2, CW_ROUND_HALF_EVEN, &u) == CW_FIX_OK && u == 1234, "len: %lld", (long long)u);
}

static void resolutions(cw_test *t) {
    struct {
        const char *s;
        int d; /* 99: refused */
    } c[] = {{"0.01", 2},      {"1e-2", 2},   {"1", 0},        {"100", -2},    {".001", 3},         {"1000000", -6},
             {"1e6", -6},      {"1e7", 99},   {"0.000000001", 9}, {"1e-10", 99}, {"0.02", 99},       {"10.0", 1 - 2},
             {"0.010", 2},     {"-0.01", 99}, {"", 99},        {"abc", 99},    {"0", 99},           {" 0.1 ", 1},
             {"100e-4", 2},    {"0.1000000001", 99}, {"NA", 99}, {"1,0", 99},    {"+1E+3", -3},      {"0.0100", 2}};
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        int d = 99;
        int rc = cw_fix_resolution(c[i].s, strlen(c[i].s), &d);
        CW_CHECK(t, c[i].d == 99 ? rc == -1 : rc == 0 && d == c[i].d, "resolution '%s': rc %d d %d, want %d", c[i].s, rc, d, c[i].d);
    }
}

static void expect_format(cw_test *t, cw_dp_i128 units, int d, int half, const char *want) {
    char buf[64];
    size_t n = cw_fix_format(units, d, half, buf, sizeof buf);
    CW_CHECK(t, n == strlen(want) && strcmp(buf, want) == 0, "format(%lld, %d, %d) = '%s' want '%s'", (long long)units, d, half, buf, want);
}

static void formatting(cw_test *t) {
    expect_format(t, 0, 2, 0, "0");
    expect_format(t, 0, -6, 1, "0");
    expect_format(t, 5, 2, 0, "0.05");
    expect_format(t, -5, 2, 0, "-0.05");
    expect_format(t, 150, 2, 0, "1.5");
    expect_format(t, 100, 2, 0, "1");
    expect_format(t, -7, 0, 0, "-7");
    expect_format(t, 12345, 3, 0, "12.345");
    expect_format(t, 1000, -6, 0, "1000000000");
    expect_format(t, -1, 0, 1, "-0.5");
    expect_format(t, 1, -1, 1, "5");
    expect_format(t, 3, -6, 1, "1500000");
    expect_format(t, 1, 9, 1, "0.0000000005");
    expect_format(t, -2, 2, 1, "-0.01");
    expect_format(t, 2, 0, 1, "1");
    expect_format(t, 1000000000000000, 9, 0, "1000000");
    expect_format(t, 999999999999999, 9, 1, "499999.9999999995");
    __extension__ typedef unsigned __int128 u128;
    cw_dp_i128 max = (cw_dp_i128)(((u128)1 << 127) - 1), min = -max - 1;
    expect_format(t, max, 9, 0, "170141183460469231731687303715.884105727");
    expect_format(t, min, 9, 0, "-170141183460469231731687303715.884105728");
    expect_format(t, min, 9, 1, "-85070591730234615865843651857.942052864");
    expect_format(t, max, 9, 1, "85070591730234615865843651857.9420528635");
    expect_format(t, min, -6, 0, "-170141183460469231731687303715884105728000000");
    char small[8];
    CW_CHECK(t, cw_fix_format(12345, 3, 0, small, 7) == 6 && strcmp(small, "12.345") == 0, "exact fit: '%s'", small);
    CW_CHECK(t, cw_fix_format(12345, 3, 0, small, 6) == 0, "too small must give 0");
    CW_CHECK(t, cw_fix_format(1, 10, 0, small, sizeof small) == 0, "d = 10 is refused");

    /* round trips: format then parse (at d, or d + 1 for half units) gives the units back;
     * and scaling invariances format(10u, d+1) = format(u, d), format(2u, d, half) = format(u, d) */
    cw_rng r;
    cw_rng_seed(&r, 3);
    int wrong = 0;
    for (int it = 0; it < 20000; it++) {
        int64_t u = (int64_t)(cw_rng_next(&r) % 2000000000000001ULL) - 1000000000000000LL;
        if (it % 3 == 0) u /= (int64_t)1 << cw_rng_below(&r, 50);
        int d = (int)cw_rng_below(&r, 15) + CW_FIX_MIN_D, half = (int)cw_rng_below(&r, 2);
        if (half) u /= 5; /* 5u units at d + 1 must stay within 10^15 */
        char a[64], b[64];
        int64_t back = 0;
        size_t n = cw_fix_format(u, d, half, a, sizeof a);
        int ok = n > 0 && n == strlen(a);
        if (half) {
            ok = ok && cw_fix_parse(a, n, '.', d + 1, CW_ROUND_FLOOR, &back) == CW_FIX_OK && back == 5 * u;
            ok = ok && cw_fix_format(2 * (cw_dp_i128)u, d, 1, b, sizeof b) && cw_fix_format(u, d, 0, a, sizeof a) && !strcmp(a, b);
        } else {
            ok = ok && cw_fix_parse(a, n, '.', d, (cw_round)cw_rng_below(&r, 3), &back) == CW_FIX_OK && back == u;
            ok = ok && cw_fix_format(10 * (cw_dp_i128)u, d + 1, 0, b, sizeof b) && !strcmp(a, b);
        }
        ok = ok && strcmp(a, "-0") != 0 && (strchr(a, '.') == NULL || a[strlen(a) - 1] != '0');
        if (!ok && wrong++ < 5) fprintf(stderr, "round trip %lld d=%d half=%d: '%s' '%s' back %lld\n", (long long)u, d, half, a, b, (long long)back);
    }
    CW_CHECK(t, wrong == 0, "%d of 20000 format round trips failed", wrong);
}

void test_dp_fixed(cw_test *t) {
    fixture_rows(t);
    random_vs_reference(t);
    same_classification(t);
    hand_cases(t);
    resolutions(t);
    formatting(t);
}
