/* number.c — field text to double (see number.h). The grammar check comes first so that no
 * hex float, "inf" or trailing garbage is accepted. Values with at most 19 significant digits
 * whose mantissa fits in 53 bits and whose decimal exponent is within ±22 are converted exactly
 * by one correctly rounded multiplication or division (Clinger 1990, "How to read floating
 * point numbers accurately", PLDI, the fast path); all others go to strtod, which rounds
 * correctly (C11 7.22.1.3). Both give the correctly rounded double. */
#include "number.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ASCII case-insensitive equality of s[0..n) with the NUL-terminated token. */
static int same_token(const char *s, size_t n, const char *token) {
    for (size_t i = 0; i < n; i++) {
        char a = s[i], b = token[i];
        if (b == '\0') return 0;
        if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z') b = (char)(b - 'A' + 'a');
        if (a != b) return 0;
    }
    return token[n] == '\0';
}

int cw_is_missing(const char *s, size_t n) {
    static const char *const tokens[] = {"NA", "N/A", "NaN", "null", "None", "-", "#N/A"};
    if (n == 0) return 1;
    for (size_t k = 0; k < sizeof tokens / sizeof *tokens; k++)
        if (same_token(s, n, tokens[k])) return 1;
    return 0;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static const double POW10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Parse [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)? over exactly n bytes. Returns 0 when the
 * text is not of that form; otherwise 1, and *exact = 1 with *out set when the fast path
 * applies. */
static int scan_decimal(const char *s, size_t n, char point, int *exact, double *out) {
    size_t i = 0, digits = 0;
    int neg = 0, sig = 0, dropped = 0;
    uint64_t m = 0;
    long e10 = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    for (; i < n && is_digit(s[i]); i++, digits++) {
        if (m == 0 && s[i] == '0') continue;
        if (sig < 19) m = m * 10 + (uint64_t)(s[i] - '0'), sig++;
        else e10++, dropped |= s[i] != '0';
    }
    if (i < n && s[i] == point) {
        for (i++; i < n && is_digit(s[i]); i++, digits++) {
            if (m == 0 && s[i] == '0') {
                e10--;
                continue;
            }
            if (sig < 19) m = m * 10 + (uint64_t)(s[i] - '0'), sig++, e10--;
            else dropped |= s[i] != '0';
        }
    }
    if (digits == 0) return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0;
        long e = 0;
        size_t ed = 0;
        if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
        for (; i < n && is_digit(s[i]); i++, ed++)
            if (e < 100000) e = e * 10 + (s[i] - '0');
        if (ed == 0) return 0;
        e10 += eneg ? -e : e;
    }
    if (i != n) return 0;
    *exact = 0;
    if (!dropped && m <= (UINT64_C(1) << 53) && e10 >= -22 && e10 <= 22) {
        double x = (double)m;
        x = e10 >= 0 ? x * POW10[e10] : x / POW10[-e10];
        *out = neg ? -x : x;
        *exact = 1;
    }
    return 1;
}

cw_num_kind cw_parse_number_slow(const char *s, size_t len, char point, double *out) {
    size_t n = len;
    const char *t = cw_trim(s, &n);
    int exact;
    double x;
    if (n == 0 || !scan_decimal(t, n, point, &exact, &x)) return cw_is_missing(t, n) ? CW_NUM_MISSING : CW_NUM_INVALID;
    if (!exact) {
        char buf[400];
        if (n >= sizeof buf) return CW_NUM_INVALID;
        memcpy(buf, t, n);
        buf[n] = '\0';
        if (point != '.') { /* strtod reads '.' in the C locale */
            char *c = memchr(buf, point, n);
            if (c) *c = '.';
        }
        x = strtod(buf, NULL);
        if (!isfinite(x)) return CW_NUM_INVALID;
    }
    *out = x;
    return CW_NUM_OK;
}

int cw_fields_all_numeric(const char *text, const size_t *start, const size_t *len, int n, char point) {
    for (int i = 0; i < n; i++) {
        double x;
        if (cw_parse_number(text + start[i], len[i], point, &x) != CW_NUM_OK) return 0;
    }
    return 1;
}
