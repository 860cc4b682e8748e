/* test_private.c — the private release's ingestion and pipeline (DP-SPEC (c)5, 6, 7a, 9, 12):
 *  - sensitivity: on random datasets full of adversarial rows (values at and beyond the bounds,
 *    1e308, -0, NaN, empty, text, undeclared and empty arms, 0/1/2/0.5 in the binary column),
 *    removing any one row (or, with --unit, any one id's rows) moves each integer aggregate by at
 *    most its declared sensitivity, and only in one arm;
 *  - order invariance: shuffled rows give bit-identical aggregates;
 *  - lattice: every released value in the JSON is an exact multiple of the resolution (of half of
 *    it for sums), checked on the decimal text;
 *  - pipeline: declarations are required and checked, options that the release does not support
 *    are refused, a seed gives the same release and another seed another one, and the JSON holds
 *    no true count. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "rng.h"
#include "sha256.h"
#include "test.h"
#include "util.h"

#define NROWS 48
#define NF 4 /* arm, conv, rev, id */

typedef struct {
    const char *f[NF];
} trow;

static const char *const ARMS[] = {"A", "B", "C", "D", "", " A ", "b", "C"};
static const char *const CONV[] = {"0", "1", "2", "0.5", "1.0", " 1", "", "NaN", "abc", "1e0", "-0", "01", "1e-400", "0"};
static const char *const REV[] = {"50", "0", "-0", "49.95", "49.96", "1e308", "-1e308", "NaN", "", "x", "1e-400",
                                  "5e1", "12.345", "-3.25", "0.05", "0.15", "0,5", "+7.5", "1e16", "60", "-1"};
static const char *const IDS[] = {"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "", "u1 "};

static cw_private *make(cw_test *t, int unit) {
    cw_private *p = cw_private_new();
    int ok = cw_private_set(p, "arms", "A,B,C") == CW_OK && cw_private_set(p, "dp-epsilon", "1") == CW_OK &&
             cw_private_set(p, "bounds", "rev=0:50,delta=-5:5") == CW_OK &&
             cw_private_set(p, "resolution", "0.1") == CW_OK;
    const char *names[3] = {"conv", "rev", "delta"};
    int binary[3] = {1, 0, 0};
    ok = ok && cw_private_plan(p, names, binary, 3, "A", 0.05, unit) == CW_OK;
    CW_CHECK(t, ok, "plan: %s", p->msg);
    return p;
}

/* Ids equal after trimming spaces, as the core compares them. */
static int same_id(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    while (na && a[na - 1] == ' ') na--;
    while (nb && b[nb - 1] == ' ') nb--;
    return na == nb && memcmp(a, b, na) == 0;
}

/* Feed rows (skipping row `skip`, or every row of id `skip_id`) and return the cells. */
static void ingest(cw_private *p, const trow *rows, int n, int skip, const char *skip_id, int unit) {
    static const int metric_col[3] = {1, 2, 2}; /* delta reads the rev column: a second bounds */
    for (int r = 0; r < n; r++) {
        if (r == skip || (skip_id && same_id(rows[r].f[3], skip_id))) continue;
        char text[256];
        size_t start[NF], len[NF], off = 0;
        for (int k = 0; k < NF; k++) {
            size_t l = strlen(rows[r].f[k]);
            memcpy(text + off, rows[r].f[k], l);
            start[k] = off, len[k] = l, off += l;
        }
        cw_row row = {r + 2, NF, text, start, len};
        cw_private_row(p, &row, 0, unit ? 3 : -1, metric_col);
    }
    cw_private_close(p);
}

static void random_rows(cw_rng *g, trow *rows, int n) {
    for (int r = 0; r < n; r++) {
        rows[r].f[0] = ARMS[cw_rng_below(g, sizeof ARMS / sizeof *ARMS)];
        rows[r].f[1] = CONV[cw_rng_below(g, sizeof CONV / sizeof *CONV)];
        rows[r].f[2] = REV[cw_rng_below(g, sizeof REV / sizeof *REV)];
        rows[r].f[3] = IDS[cw_rng_below(g, sizeof IDS / sizeof *IDS)];
    }
}

static cw_dp_i128 absi(cw_dp_i128 x) { return x < 0 ? -x : x; }

/* Neighbouring cells: at most one arm differs, and within the declared sensitivities. */
static void compare_cells(cw_test *t, const cw_private *p, const cw_priv_cell *a, const cw_priv_cell *b,
                          const char *what, int *max_seen) {
    int arms_changed = 0;
    for (int g = 0; g < p->narms; g++) {
        int changed = 0;
        for (int i = 0; i < p->nmetrics; i++) {
            const cw_priv_metric *m = &p->metric[i];
            const cw_priv_cell *x = &a[g * p->nmetrics + i], *y = &b[g * p->nmetrics + i];
            changed |= memcmp(x, y, sizeof *x) != 0;
            if (m->binary) {
                cw_dp_i128 dc = absi(x->c - y->c), df = absi((x->n - x->c) - (y->n - y->c));
                CW_CHECK(t, dc + df <= 1, "%s: binary table moved by %d", what, (int)(dc + df));
                continue;
            }
            cw_dp_i128 dn = absi(x->n - y->n), dt = absi(x->t - y->t), dw = absi(x->w - y->w);
            CW_CHECK(t, dn <= 1 && dt <= (cw_dp_i128)m->t.sens && dw <= (cw_dp_i128)m->w.sens,
                     "%s: metric %s moved n %d, T %lld (sens %llu), W %lld (sens %llu)", what, m->name, (int)dn,
                     (long long)dt, (unsigned long long)m->t.sens, (long long)dw, (unsigned long long)m->w.sens);
            if (dt == (cw_dp_i128)m->t.sens) max_seen[0] = 1;
            if (dw == (cw_dp_i128)m->w.sens) max_seen[1] = 1;
        }
        arms_changed += changed;
    }
    CW_CHECK(t, arms_changed <= 1, "%s: %d arms changed", what, arms_changed);
}

static size_t cells_size(const cw_private *p) { return (size_t)p->narms * (size_t)p->nmetrics * sizeof(cw_priv_cell); }

static void sensitivity(cw_test *t) {
    cw_rng g;
    cw_rng_seed(&g, 20261123);
    int max_seen[2] = {0, 0};
    long neighbours = 0;
    for (int unit = 0; unit <= 1; unit++)
        for (int trial = 0; trial < 60; trial++) {
            trow rows[NROWS];
            random_rows(&g, rows, NROWS);
            cw_private *full = make(t, unit);
            ingest(full, rows, NROWS, -1, NULL, unit);
            /* the declared sensitivities are what the plan says */
            CW_CHECK(t, full->metric[0].tab.sens == 1 && full->metric[1].n.sens == 1 &&
                            full->metric[1].t.sens == 500 && full->metric[1].range_w == 500 &&
                            full->metric[1].w.sens == 125000 && full->metric[2].t.sens == 100,
                     "plan sensitivities %llu %llu %llu", (unsigned long long)full->metric[0].tab.sens,
                     (unsigned long long)full->metric[1].t.sens, (unsigned long long)full->metric[1].w.sens);
            for (int k = 0; k < (unit ? (int)(sizeof IDS / sizeof *IDS) : NROWS); k++) {
                cw_private *less = make(t, unit);
                if (unit) ingest(less, rows, NROWS, -1, IDS[k], unit);
                else ingest(less, rows, NROWS, k, NULL, unit);
                char what[64];
                snprintf(what, sizeof what, "%s %d, trial %d", unit ? "id" : "row", k, trial);
                compare_cells(t, full, full->cell, less->cell, what, max_seen);
                neighbours++;
                cw_private_free(less);
            }
            /* order invariance: the same rows shuffled */
            trow shuffled[NROWS];
            memcpy(shuffled, rows, sizeof rows);
            for (int r = NROWS - 1; r > 0; r--) {
                int s = (int)cw_rng_below(&g, (uint32_t)r + 1);
                trow tmp = shuffled[r];
                shuffled[r] = shuffled[s], shuffled[s] = tmp;
            }
            cw_private *sh = make(t, unit);
            ingest(sh, shuffled, NROWS, -1, NULL, unit);
            CW_CHECK(t, memcmp(sh->cell, full->cell, cells_size(full)) == 0, "trial %d: shuffled rows differ", trial);
            cw_private_free(sh);
            cw_private_free(full);
        }
    /* the bounds are reached (the test is not vacuous) */
    CW_CHECK(t, max_seen[0] && max_seen[1], "T or W never moved by its full sensitivity");
    CW_CHECK(t, neighbours > 3000, "only %ld neighbours", neighbours);
}

/* A hand-computed case: values are read at the resolution, clamped and centred. */
static void ingestion_values(cw_test *t) {
    cw_private *p = make(t, 0);
    trow rows[] = {{{"A", "1", "50", "u"}},   {{"A", "0", "1e308", "u"}}, {{"A", "2", "-3.25", "u"}},
                   {{"A", "1", "0.05", "u"}}, {{"A", "1", "0.15", "u"}},  {{"Z", "1", "1", "u"}},
                   {{"A", "x", "", "u"}}};
    ingest(p, rows, 7, -1, NULL, 0);
    const cw_priv_cell *conv = &p->cell[0], *rev = &p->cell[1], *delta = &p->cell[2];
    /* conv: 1, 0, (2 dropped), 1, 1 -> n 4, c 3 */
    CW_CHECK(t, conv->n == 4 && conv->c == 3, "conv n %lld c %lld", (long long)conv->n, (long long)conv->c);
    /* rev at 0.1: 50 -> 500; 1e308 dropped (beyond 1e15 units); -3.25 -> -32 (half even of -32.5)
     * clamped to 0; 0.05 -> 0 (half even); 0.15 -> 2. y = 2x - 500: 500, -500, -500, -496 */
    CW_CHECK(t, rev->n == 4 && rev->t == 500 - 500 - 500 - 496, "rev n %lld t %lld", (long long)rev->n,
             (long long)rev->t);
    /* W = sum y^2 - floor(500^2/2) = 3 * 250000 + 246016 - 4 * 125000 */
    CW_CHECK(t, rev->w == 3 * 250000 + 246016 - 4 * 125000, "rev w %lld", (long long)rev->w);
    /* delta, bounds -5:5 at 0.1 = [-50, 50], R = 100: 500 -> 50, -32 -> -32, 0, 2: y = 2x */
    CW_CHECK(t, delta->n == 4 && delta->t == 100 - 64 + 0 + 4, "delta t %lld", (long long)delta->t);
    cw_private_free(p);
}

/* ---- whole analyses ----------------------------------------------------------------------- */

static char *csv_text(cw_rng *g, int n) {
    char *s = malloc((size_t)n * 40 + 64);
    size_t off = (size_t)sprintf(s, "user,arm,conv,rev\n");
    static const char *const arm[] = {"A", "B", "C"};
    for (int i = 0; i < n; i++) {
        int a = (int)cw_rng_below(g, 3);
        int c = cw_rng_uniform(g) < 0.1 + 0.05 * a;
        double rev = c ? 20.0 + 30.0 * cw_rng_uniform(g) : 0.0;
        off += (size_t)sprintf(s + off, "u%d,%s,%d,%.3f\n", i, arm[a], c, rev);
    }
    return s;
}

static cw_status run_private(const char *csv, const char *const *extra, const char *seed, char **json, char *err,
                             size_t errsize) {
    const char *opts[40] = {"variant", "arm", "control", "A", "metric", "conv:binary,rev", "arms", "A,B,C",
                            "bounds", "rev=0:50", "dp-epsilon", "1"};
    int k = 12;
    for (int i = 0; extra && extra[i]; i++) opts[k++] = extra[i];
    if (seed) opts[k++] = "dp-test-seed", opts[k++] = seed;
    opts[k] = NULL;
    cw_analysis *a;
    cw_status st = run_csv(csv, strlen(csv), 777, opts, &a);
    *json = NULL;
    if (st == CW_OK) {
        const char *r = cw_analysis_result(a);
        if ((*json = malloc(strlen(r) + 1))) memcpy(*json, r, strlen(r) + 1);
    }
    snprintf(err, errsize, "%s", cw_analysis_error(a));
    cw_analysis_free(a);
    return st;
}

/* Every "key":"text" value of the JSON for key. */
static int each_string(const char *json, const char *key, char out[][64], int max) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    int n = 0;
    for (const char *s = strstr(json, pat); s && n < max; s = strstr(s + 1, pat)) {
        const char *v = s + strlen(pat), *e = strchr(v, '"');
        snprintf(out[n++], 64, "%.*s", (int)(e - v), v);
    }
    return n;
}

/* text is an exact multiple of 10^-d / 2^half: digits after the point <= d (+1 ending in 5). */
static int on_lattice(const char *text, int d, int half) {
    const char *s = text;
    if (*s == '-') s++;
    if (!*s) return 0;
    const char *dot = strchr(s, '.');
    for (const char *c = s; *c; c++)
        if (c != dot && (*c < '0' || *c > '9')) return 0;
    if (!dot) return 1;
    int places = (int)strlen(dot + 1);
    if (places <= d) return 1;
    return half && places == d + 1 && dot[1 + d] == '5';
}

static void pipeline(cw_test *t) {
    cw_rng g;
    cw_rng_seed(&g, 7);
    char *csv = csv_text(&g, 3000);
    char *j1, *j2, *j3, err[512];
    cw_status st = run_private(csv, NULL, "11", &j1, err, sizeof err);
    CW_CHECK(t, st == CW_OK && j1 && strstr(j1, "\"schema\":\"causeway.private/1\""), "release: %s", err);
    run_private(csv, NULL, "11", &j2, err, sizeof err);
    run_private(csv, NULL, "12", &j3, err, sizeof err);
    CW_CHECK(t, j1 && j2 && strcmp(j1, j2) == 0, "the same seed gives the same release");
    CW_CHECK(t, j1 && j3 && strcmp(j1, j3) != 0, "another seed gives another release");
    if (j1) {
        char vals[64][64];
        int n = each_string(j1, "sum", vals, 64), bad = 0;
        for (int i = 0; i < n; i++) bad += !on_lattice(vals[i], 2, 1);
        CW_CHECK(t, n == 3 && bad == 0, "%d sums, %d off the lattice (first %s)", n, bad, n ? vals[0] : "");
        const char *keys[] = {"count", "ones", "zeros", "sum_y", "sum_w"};
        for (int k = 0; k < 5; k++) {
            n = each_string(j1, keys[k], vals, 64);
            bad = 0;
            for (int i = 0; i < n; i++) bad += !on_lattice(vals[i], 0, 0);
            CW_CHECK(t, n == 3 && bad == 0, "%s: %d values, %d not integers", keys[k], n, bad);
        }
        /* no true size or row count is written */
        CW_CHECK(t, !strstr(j1, "rows_read") && !strstr(j1, "\"3000\"") && !strstr(j1, ":3000,"),
                 "a true count is in the release");
        CW_CHECK(t, strstr(j1, "\"epsilon\":1,") && strstr(j1, "\"accounting\":\"pure\""), "epsilon echoed");
    }
    /* zCDP with delta */
    const char *zc[] = {"dp-delta", "1e-6", NULL};
    char *jz;
    st = run_private(csv, zc, "5", &jz, err, sizeof err);
    CW_CHECK(t, st == CW_OK && jz && strstr(jz, "\"accounting\":\"zCDP\"") && strstr(jz, "discrete_gaussian"),
             "zCDP release: %s", err);
    free(jz);
    /* conservative: no sum of squares released */
    const char *cons[] = {"dp-interval", "conservative", NULL};
    st = run_private(csv, cons, "5", &jz, err, sizeof err);
    CW_CHECK(t, st == CW_OK && jz && !strstr(jz, "sum_w") && !strstr(jz, "sum_of_squares"), "conservative: %s", err);
    free(jz);
    /* refusals with reasons */
    struct {
        const char *opt[7];
        const char *fragment;
    } refuse[] = {
        {{"winsorize", "0.99", NULL}, "--winsorize cannot be combined with a private release"},
        {{"bootstrap", "1000", NULL}, "--bootstrap cannot"},
        {{"bounds", "rev=5:5", NULL}, "LOW must be below HIGH"},
        {{"bounds", "nope=0:1", NULL}, "not a --metric"},
        {{"dp-epsilon", "0", NULL}, "--dp-epsilon must be"},
        {{"dp-delta", "0.2", NULL}, "--dp-delta must be"},
        {{"resolution", "0.03", NULL}, "--resolution must be a power of ten"},
        {{"arms", "A", NULL}, "at least two arms"},
        {{"control", "Q", NULL}, "not one of the declared --arms"},
        {{"dp-interval", "exact", NULL}, "--dp-interval must be"},
    };
    for (size_t r = 0; r < sizeof refuse / sizeof *refuse; r++) {
        char *jr;
        st = run_private(csv, refuse[r].opt, "1", &jr, err, sizeof err);
        CW_CHECK(t, st == CW_ERR_OPTION && strstr(err, refuse[r].fragment), "refusal %zu: %d %s", r, st, err);
        free(jr);
    }
    /* a metric without bounds or a binary declaration is refused */
    {
        const char *opts[] = {"variant", "arm", "control", "A", "metric", "rev", "arms", "A,B,C", "dp-epsilon", "1", NULL};
        cw_analysis *a;
        st = run_csv(csv, strlen(csv), 0, opts, &a);
        CW_CHECK(t, st == CW_ERR_OPTION && strstr(cw_analysis_error(a), "every metric is declared"), "undeclared: %s",
                 cw_analysis_error(a));
        cw_analysis_free(a);
    }
    free(j1), free(j2), free(j3);
    free(csv);
}

/* FIPS 180-2 appendix B vectors, and a message fed in uneven pieces. */
static void sha256_vectors(cw_test *t) {
    struct {
        const char *msg;
        const char *hex;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    for (size_t k = 0; k < sizeof v / sizeof *v; k++) {
        for (size_t piece = 1; piece <= 7; piece += 3) {
            cw_sha256 h;
            uint8_t out[32];
            char hex[65];
            cw_sha256_init(&h);
            for (size_t i = 0; i < strlen(v[k].msg); i += piece)
                cw_sha256_update(&h, v[k].msg + i, strlen(v[k].msg) - i < piece ? strlen(v[k].msg) - i : piece);
            cw_sha256_final(&h, out);
            for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", out[i]);
            CW_CHECK(t, strcmp(hex, v[k].hex) == 0, "sha256(\"%s\") = %s", v[k].msg, hex);
        }
    }
    /* a million 'a' (FIPS 180-2 B.3) */
    cw_sha256 h;
    uint8_t out[32], a[1000];
    char hex[65];
    memset(a, 'a', sizeof a);
    cw_sha256_init(&h);
    for (int i = 0; i < 1000; i++) cw_sha256_update(&h, a, sizeof a);
    cw_sha256_final(&h, out);
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", out[i]);
    CW_CHECK(t, strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0, "1M a: %s", hex);
}

/* The session fingerprint: the same data and declarations give the same one; another key, or
 * another aggregate, another one. */
static void fingerprints(cw_test *t) {
    const char *csv1 = "arm,conv\nA,1\nB,0\nA,0\n", *csv2 = "arm,conv\nA,0\nB,0\nA,1\n", *csv3 = "arm,conv\nA,1\nB,1\nA,0\n";
    const char *key[2] = {"00ff", "0100"};
    char fp[4][65];
    const char *texts[4] = {csv1, csv2, csv3, csv1};
    for (int k = 0; k < 4; k++) {
        const char *opts[] = {"variant", "arm", "control", "A", "metric", "conv:binary", "arms", "A,B", "dp-epsilon", "1",
                              "dp-session-key", key[k == 3], "dp-test-seed", k == 1 ? "9" : "1", NULL};
        cw_analysis *a;
        cw_status st = run_csv(texts[k], strlen(texts[k]), 0, opts, &a);
        snprintf(fp[k], sizeof fp[k], "%s", cw_analysis_fingerprint(a));
        CW_CHECK(t, st == CW_OK && strlen(fp[k]) == 64, "fingerprint %d: %s", k, cw_analysis_error(a));
        CW_CHECK(t, !strstr(cw_analysis_result(a) ? cw_analysis_result(a) : "", fp[k]), "fingerprint in the JSON");
        cw_analysis_free(a);
    }
    CW_CHECK(t, strcmp(fp[0], fp[1]) == 0, "row order or seed changed the fingerprint");
    CW_CHECK(t, strcmp(fp[0], fp[2]) != 0, "other aggregates, same fingerprint");
    CW_CHECK(t, strcmp(fp[0], fp[3]) != 0, "another session key, same fingerprint");
}

void test_private(cw_test *t) {
    sha256_vectors(t);
    fingerprints(t);
    ingestion_values(t);
    sensitivity(t);
    pipeline(t);
}
