/* test_dp_tester.c — a black-box DP-violation tester (DP-SPEC (c)8, after the idea of Google's
 * VerifyApproximateDp) and the float-leak test (c)7b/c, each with negative controls that must
 * fail.
 *
 * Tester. For worst-case neighbours D, D' (a row added at the upper bound, at the lower bound, a
 * converted and a non-converted row) N releases of each are drawn through the release code
 * (cw_private_noise_cell, seeded ChaCha20) and projected: each released statistic alone, and
 * mixtures of them (n R + T, c - f, c + f). For every event "projection >= k" and "<= k" it tests
 *     P_D(S) <= e^eps P_D'(S) + delta
 * in both directions, where eps is the loss the plan claims for what the projection uses (a
 * statistic's own epsilon, or the metric's total for a mixture): a violation is declared when the
 * excess is above Z standard errors (binomial SEs of both estimates), Z = 6 (Bonferroni over the
 * ~1,000 events of a check at a false-alarm rate near 1e-6). The real mechanisms must pass; the
 * controls — noise scale x 0.7, the count left without noise, and the budget spent twice (count
 * and sum each given the metric's whole share) — must be caught.
 *
 * Float leak. A textbook floating-point Laplace (x - b sign ln U, U = k / 2^53) leaks through the
 * set of doubles it can output (Mironov 2012): outputs of 1 + noise in [1, 2) are often doubles
 * that 0 + noise can never produce. The test finds such outputs for the control and proves that
 * none exist for ours: every integer has positive probability under both neighbours.
 *
 * CW_DP_LONG=1 in the environment draws N = 10^7 (npm run test:dp-long) instead of 3 * 10^4. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp_sample.h"
#include "private.h"
#include "test.h"

#ifdef DP_TEST_RNG

#define Z_LIMIT 6.0

typedef enum { P_C, P_F, P_C_MINUS_F, P_C_PLUS_F, P_N, P_T, P_W, P_NR_PLUS_T } projection;

static int64_t project(const cw_priv_released *r, projection p, int64_t range) {
    switch (p) {
    case P_C: return (int64_t)r->c;
    case P_F: return (int64_t)r->f;
    case P_C_MINUS_F: return (int64_t)(r->c - r->f);
    case P_C_PLUS_F: return (int64_t)(r->c + r->f);
    case P_N: return (int64_t)r->n;
    case P_T: return (int64_t)r->t;
    case P_W: return (int64_t)r->w;
    case P_NR_PLUS_T: return (int64_t)(r->n * range + r->t);
    }
    return 0;
}

static int cmp64(const void *x, const void *y) {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Number of entries of sorted v[0..n) that are <= k. */
static long count_le(const int64_t *v, long n, int64_t k) {
    long lo = 0, hi = n;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (v[mid] <= k) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The largest z-score of P_a(S) - e^eps P_b(S) - delta over the half-line events, both ways. */
static double worst_z(int64_t *a, int64_t *b, long n, double eps, double delta) {
    qsort(a, (size_t)n, sizeof *a, cmp64);
    qsort(b, (size_t)n, sizeof *b, cmp64);
    double worst = -INFINITY, e = exp(eps);
    for (int pass = 0; pass < 2; pass++) {
        int64_t *v = pass ? b : a;
        for (long i = 0; i < n; i++) {
            if (i > 0 && v[i] == v[i - 1]) continue;
            int64_t k = v[i];
            for (int side = 0; side < 2; side++) { /* S = {<= k} or {>= k} */
                double pa = side ? 1.0 - (double)count_le(a, n, k - 1) / (double)n : (double)count_le(a, n, k) / (double)n;
                double pb = side ? 1.0 - (double)count_le(b, n, k - 1) / (double)n : (double)count_le(b, n, k) / (double)n;
                for (int dir = 0; dir < 2; dir++) {
                    double x = dir ? pb : pa, y = dir ? pa : pb;
                    double se = sqrt((x * (1.0 - x) + e * e * y * (1.0 - y)) / (double)n + 1.0 / ((double)n * n));
                    double z = (x - e * y - delta) / se;
                    if (z > worst) worst = z;
                }
            }
        }
    }
    return worst;
}

typedef cw_dp_status (*release_fn)(const cw_priv_metric *m, const cw_priv_cell *cell, cw_dp_source *src,
                                   cw_priv_released *out);

/* The count released without noise (a control). */
static cw_dp_status forgot_count_noise(const cw_priv_metric *m, const cw_priv_cell *cell, cw_dp_source *src,
                                       cw_priv_released *out) {
    cw_dp_status st = cw_private_noise_cell(m, cell, src, out);
    out->n = cell->n;
    return st;
}

/* The worst z over the projections, drawing n releases for each of the neighbours. */
static double run_tester(const cw_priv_metric *m, release_fn fn, const cw_priv_cell *d, const cw_priv_cell *d2,
                         projection p, double eps, long n, uint64_t seed) {
    int64_t *a = malloc((size_t)n * sizeof *a), *b = malloc((size_t)n * sizeof *b);
    cw_dp_chacha ra, rb;
    cw_dp_chacha_init(&ra, seed);
    cw_dp_chacha_init(&rb, seed + 1000);
    for (long i = 0; i < n; i++) {
        cw_priv_released x, y;
        fn(m, d, &ra.base, &x);
        fn(m, d2, &rb.base, &y);
        a[i] = project(&x, p, m->range);
        b[i] = project(&y, p, m->range);
    }
    double z = worst_z(a, b, n, eps, 0.0);
    free(a);
    free(b);
    return z;
}

static double eps_of(const cw_dp_noise *nz) { return ldexp((double)nz->s, -CW_DP_EPS_BITS); }

static void tester(cw_test *t, long n) {
    cw_private *p = cw_private_new();
    cw_private_set(p, "arms", "A,B");
    cw_private_set(p, "dp-epsilon", "1");
    cw_private_set(p, "bounds", "rev=0:2");
    cw_private_set(p, "resolution", "1");
    const char *names[2] = {"conv", "rev"};
    int binary[2] = {1, 0};
    int ok = cw_private_plan(p, names, binary, 2, "A", 0.05, 0) == CW_OK;
    CW_CHECK(t, ok, "plan: %s", p->msg);
    if (!ok) {
        cw_private_free(p);
        return;
    }
    const cw_priv_metric *conv = &p->metric[0], *rev = &p->metric[1];
    /* the table: D has 5 ones and 5 zeros; D' one more 1 (or one more 0) */
    cw_priv_cell t0 = {10, 5, 0, 0}, t1 = {11, 6, 0, 0}, t2 = {11, 5, 0, 0};
    /* the numeric metric (R = 2): D' adds a row at U (y = 2) or at L (y = -2); W adds 2 - floor(4/2) = 2 */
    cw_priv_cell r0 = {10, 0, 4, -8}, rU = {11, 0, 6, -6}, rL = {11, 0, 2, -6};
    double e_tab = eps_of(&conv->tab), e_metric = ldexp((double)rev->units, -CW_DP_EPS_BITS);
    struct {
        const char *name;
        const cw_priv_metric *m;
        const cw_priv_cell *d, *d2;
        projection proj;
        double eps;
    } cases[] = {
        {"table c, +1", conv, &t0, &t1, P_C, e_tab},
        {"table f, +0", conv, &t0, &t2, P_F, e_tab},
        {"table c-f, +1", conv, &t0, &t1, P_C_MINUS_F, e_tab},
        {"table c+f, +0", conv, &t0, &t2, P_C_PLUS_F, e_tab},
        {"count, +U", rev, &r0, &rU, P_N, eps_of(&rev->n)},
        {"sum, +U", rev, &r0, &rU, P_T, eps_of(&rev->t)},
        {"sum, +L", rev, &r0, &rL, P_T, eps_of(&rev->t)},
        {"sum of squares, +U", rev, &r0, &rU, P_W, eps_of(&rev->w)},
        {"n R + T, +U", rev, &r0, &rU, P_NR_PLUS_T, e_metric},
        {"n R + T, +L", rev, &r0, &rL, P_NR_PLUS_T, e_metric},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        double z = run_tester(cases[k].m, cw_private_noise_cell, cases[k].d, cases[k].d2, cases[k].proj, cases[k].eps,
                              n, 100 + k);
        CW_CHECK(t, z < Z_LIMIT, "real mechanism, %s: violation z = %.2f at eps %.4f", cases[k].name, z, cases[k].eps);
    }
    /* negative controls */
    cw_priv_metric under = *conv;
    under.tab.t = under.tab.t * 7 / 10;
    double z = run_tester(&under, cw_private_noise_cell, &t0, &t1, P_C, e_tab, n, 7);
    CW_CHECK(t, z > Z_LIMIT, "control: table noise x 0.7 not caught (z = %.2f)", z);
    cw_priv_metric under_t = *rev;
    under_t.t.t = under_t.t.t * 7 / 10;
    z = run_tester(&under_t, cw_private_noise_cell, &r0, &rU, P_T, eps_of(&rev->t), n, 8);
    CW_CHECK(t, z > Z_LIMIT, "control: sum noise x 0.7 not caught (z = %.2f)", z);
    z = run_tester(rev, forgot_count_noise, &r0, &rU, P_N, eps_of(&rev->n), n, 9);
    CW_CHECK(t, z > Z_LIMIT, "control: count without noise not caught (z = %.2f)", z);
    cw_priv_metric twice = *rev; /* count and sum each charged the metric's whole share */
    cw_dp_noise_plan(CW_MECH_LAPLACE, 1, rev->units, &twice.n);
    cw_dp_noise_plan(CW_MECH_LAPLACE, (uint64_t)rev->range, rev->units, &twice.t);
    z = run_tester(&twice, cw_private_noise_cell, &r0, &rU, P_NR_PLUS_T, e_metric, n, 10);
    CW_CHECK(t, z > Z_LIMIT, "control: budget spent twice not caught (z = %.2f)", z);
    cw_private_free(p);
}

/* ---- float leak (Mironov 2012) ------------------------------------------------------------- */

/* The textbook mechanism's noise for a 53-bit uniform k / 2^53 (k >= 1) and a sign. */
static double float_noise(uint64_t k, int sign, double b) {
    double u = ldexp((double)k, -53);
    return sign ? b * log(u) : -b * log(u);
}

/* Can 0 + noise (that is, noise itself) equal y? Only k near 2^53 exp(-|y|/b) can give it. */
static int reachable_from_zero(double y, double b) {
    double u = exp(-fabs(y) / b);
    double k0 = floor(ldexp(u, 53));
    for (double k = k0 - 4; k <= k0 + 4; k++) {
        if (k < 1 || k >= 9007199254740992.0) continue;
        if (float_noise((uint64_t)k, y < 0, b) == y) return 1;
    }
    return 0;
}

static void float_leak(cw_test *t) {
    cw_dp_chacha rng;
    cw_dp_chacha_init(&rng, 42);
    long leaks = 0, in_range = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t w;
        cw_dp_read(&rng.base, &w, sizeof w);
        uint64_t k = (w >> 11) | 1; /* 53 bits, nonzero */
        double y = 1.0 + float_noise(k, 0, 1.0); /* D' = 1, positive noise: y in [1, inf) */
        if (y >= 1.0 && y < 2.0) {
            in_range++;
            leaks += !reachable_from_zero(y, 1.0);
        }
    }
    CW_CHECK(t, in_range > 1000 && leaks > in_range / 4,
             "control: the float Laplace's outputs in [1, 2) should often be impossible from 0 (%ld of %ld)", leaks,
             in_range);
    /* ours: integer outputs; the pmf of the discrete Laplace is positive on all of Z, so every
     * output of D' = x + 1 has positive probability under D (checked on actual draws) */
    cw_dp_chacha_init(&rng, 43);
    long impossible = 0;
    for (int i = 0; i < 20000; i++) {
        int64_t z;
        cw_dp_laplace(&rng.base, 1u << 20, 1u << 20, &z);
        int64_t y = 1 + z;                                  /* a release under D' */
        double p_under_d = cw_dp_laplace_tail(1u << 20, 1u << 20, (uint64_t)(y < 0 ? -y : y)); /* P(|Z| >= |y|) */
        impossible += !(p_under_d > 0.0);
    }
    CW_CHECK(t, impossible == 0, "%ld integer outputs impossible under the neighbour", impossible);
}

#endif

void test_dp_tester(cw_test *t) {
#ifdef DP_TEST_RNG
    const char *longrun = getenv("CW_DP_LONG");
    tester(t, longrun && *longrun == '1' ? 10000000L : 30000L);
    float_leak(t);
#else
    (void)t;
#endif
}
