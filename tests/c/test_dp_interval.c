/* test_dp_interval.c — the noise-aware error quantiles of wasm/src/dp_interval.c (DP-SPEC B5)
 * against an independent oracle, plus their limits and contracts.
 *
 * Oracle: tests/fixtures/dp_interval.tsv, written by tests/oracle/make_dp_interval_fixtures.py
 * (numpy/scipy/mpmath; never edited by hand): exact quantiles of E = N(0, v) + sum c_j Z_j by
 * enumeration of the joint lattice, closed-form tails, or Gil-Pelaez inversion in 22-digit
 * mpmath — no grid, no rounding — with several cases computed two ways and cross-checked there.
 * For every quantile row (1-8 noises, Laplace and Gaussian, v from 0 to dominant, tails 0.05,
 * 0.025, 0.005):
 *  - conservative: q >= q_exact - 1e-12 sd(E). The method only ever widens; the 1e-12 is the
 *    oracle's own precision (brentq/Newton to ~1e-15, float64 sums), not a licence to be narrow.
 *  - tight: q <= q_exact + 2 widen + 1e-9 sd(E). Rounding moves E' = E + R with |R| <= widen, so
 *    q' (the grid quantile) lies within widen of q_exact and q = q' + widen; the 1e-9 covers the
 *    1e-12 of probability added for cut tails (divided by the density, <= ~1e-10 sd(E)).
 *  - p-values: two_sided(q_exact (1 - 1e-12)) >= P(|E| >= q_exact) - 1e-13 (never below the truth),
 *    and two_sided(q (1 + 1e-12)) <= 2 tail (1 + 1e-9): the interval and the test agree.
 * Variance rows: relative 1e-13 (sums of a few terms, each a few ulps). Bound rows: exact.
 * A wrong reference is caught: the Wald value z sd(E) (normal approximation with the exact
 * variance) fails these checks for the noise-dominated Laplace rows — too narrow at tail 0.005,
 * too wide at 0.05 — and the test requires that it does.
 * Set CW_DPI_REPORT=1 to print the largest (q - q_exact)/widen and the largest widen/sd(E). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dist/dist.h"
#include "dp_interval.h"
#include "test.h"
#include "util.h"

static cw_dp_noise lap(uint64_t t, uint64_t s) {
    cw_dp_noise n;
    memset(&n, 0, sizeof n);
    n.mech = CW_MECH_LAPLACE;
    n.sens = 1;
    n.units = s;
    n.t = t;
    n.s = s;
    return n;
}

static cw_dp_noise gau(uint64_t s2) {
    cw_dp_noise n;
    memset(&n, 0, sizeof n);
    n.mech = CW_MECH_GAUSSIAN;
    n.sens = 1;
    n.units = 1;
    n.sigma2 = s2;
    return n;
}

/* "L:t:s:coef;G:s2:coef;..." into e (var_sampling set by the caller); 0 on success */
static int parse_terms(const char *s, cw_dp_error *e) {
    e->nterms = 0;
    while (*s) {
        if (e->nterms == CW_DP_MAX_TERMS) return -1;
        cw_dp_term *tm = &e->term[e->nterms++];
        char *end;
        if (s[0] == 'L' && s[1] == ':') {
            uint64_t t = strtoull(s + 2, &end, 10);
            if (*end != ':') return -1;
            uint64_t sv = strtoull(end + 1, &end, 10);
            if (*end != ':') return -1;
            tm->noise = lap(t, sv);
        } else if (s[0] == 'G' && s[1] == ':') {
            uint64_t s2 = strtoull(s + 2, &end, 10);
            if (*end != ':') return -1;
            tm->noise = gau(s2);
        } else {
            return -1;
        }
        tm->coef = strtod(end + 1, &end);
        if (*end == ';')
            end++;
        else if (*end != '\0')
            return -1;
        s = end;
    }
    return 0;
}

/* split a line on tabs in place (empty fields kept); returns the field count */
static int split_tabs(char *line, char **f, int max) {
    int n = 0;
    f[n++] = line;
    for (char *c = line; *c && n < max; c++)
        if (*c == '\t') {
            *c = '\0';
            f[n++] = c + 1;
        }
    char *nl = strchr(f[n - 1], '\n');
    if (nl) *nl = '\0';
    return n;
}

typedef struct {
    double cons, tight; /* the two limits for a candidate q */
} qlimits;

static int q_ok(double q, qlimits l) { return q >= l.cons && q <= l.tight; }

typedef struct {
    int rows, wald_rows, wald_caught;
    double worst_ratio, worst_widen, worst_cons;
} row_stats;

/* One quantile row at one work budget: the checks described at the top. */
static void check_row(cw_test *t, const cw_dp_error *e, double tail, double want, double p2,
                      double work, int pvalue, const char *where, row_stats *st) {
    double var = cw_dp_error_variance(e), sd = sqrt(var), q, w, p;
    int rc = cw_dp_error_quantile_work(e, tail, work, &q, &w);
    CW_CHECK(t, rc == 0, "%s tail %g work %g: rc %d", where, tail, work, rc);
    if (rc != 0) return;
    st->rows++;
    qlimits lim = {want - 1e-12 * sd, want + 2.0 * w + 1e-9 * sd};
    CW_CHECK(t, q >= lim.cons, "%s tail %g work %g: q %.17g below the exact %.17g (widen %.3g)",
             where, tail, work, q, want, w);
    CW_CHECK(t, q <= lim.tight, "%s tail %g work %g: q %.17g above exact %.17g + 2 widen %.3g",
             where, tail, work, q, want, w);
    if (q - want > 1e-9 * sd && (q - want) / w > st->worst_ratio) st->worst_ratio = (q - want) / w;
    if (w / sd > st->worst_widen) st->worst_widen = w / sd;
    if ((want - q) / sd > st->worst_cons) st->worst_cons = (want - q) / sd;
    /* at q_exact (1 - 1e-12): an atom of E at q_exact (v = 0) is included whatever the last bits
     * of the oracle's value, and P(|E| >= that) >= p2 still */
    rc = pvalue ? cw_dp_error_two_sided_work(e, want * (1.0 - 1e-12), work, &p) : 0;
    CW_CHECK(t, rc == 0 && (!pvalue || p >= p2 - 1e-13),
             "%s work %g: P(|E| >= %.17g) = %.17g below exact %.17g", where, work, want, p, p2);
    rc = cw_dp_error_two_sided_work(e, q * (1.0 + 1e-12), work, &p);
    CW_CHECK(t, rc == 0 && p <= 2.0 * tail * (1.0 + 1e-9),
             "%s tail %g work %g: two_sided(q) = %.17g", where, tail, work, p);
    /* the Wald value as a deliberately wrong reference, where Laplace noise dominates */
    if (e->var_sampling < 0.1 * var && tail != 0.025) {
        int gauss = 0;
        for (int j = 0; j < e->nterms; j++) gauss |= e->term[j].noise.mech == CW_MECH_GAUSSIAN;
        if (!gauss) {
            st->wald_rows++;
            if (!q_ok(sd * cw_qnorm(tail, 0.0, 1.0, 0, 0), lim)) st->wald_caught++;
        }
    }
}

/* Every row at a small budget (fast under sanitizers; a coarser grid is the harder test of the
 * widening), and a few rows at the default budget (quantile and its p-value; ~10 ms each). */
#define WORK_TEST 2e6
static const char *const default_rows[] = {"gau1_s2_2p62", "lap2_big_v0", "ab_binary", "big8_r1"};

static void fixture_rows(cw_test *t) {
    char path[1024], line[4096], where[1200];
    fixture_path("dp_interval.tsv", path, sizeof path);
    FILE *fp = fopen(path, "r");
    CW_CHECK(t, fp != NULL, "cannot open %s", path);
    if (!fp) return;
    int nv = 0, nb = 0, lineno = 0, ndef = 0;
    row_stats st, sd_st;
    memset(&st, 0, sizeof st);
    memset(&sd_st, 0, sizeof sd_st);
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (line[0] == '#' || strncmp(line, "kind\t", 5) == 0) continue;
        char *f[8];
        if (split_tabs(line, f, 8) != 8) {
            CW_CHECK(t, 0, "%s:%d: malformed row", path, lineno);
            continue;
        }
        cw_dp_error e;
        memset(&e, 0, sizeof e);
        e.var_sampling = strtod(f[3], NULL);
        if (parse_terms(f[4], &e) != 0) {
            CW_CHECK(t, 0, "%s:%d: bad terms %s", path, lineno, f[4]);
            continue;
        }
        if (strcmp(f[0], "bound") == 0) {
            uint64_t a = 0, want = strtoull(f[5], NULL, 10);
            int rc =
                e.nterms == 1 ? cw_dp_noise_bound(&e.term[0].noise, strtod(f[2], NULL), &a) : -2;
            CW_CHECK(t, rc == 0 && a == want,
                     "%s:%d: bound %s alpha %s: got %llu (rc %d) want %llu", path, lineno, f[4],
                     f[2], (unsigned long long)a, rc, (unsigned long long)want);
            nb++;
            continue;
        }
        double want = strtod(f[5], NULL);
        if (strcmp(f[0], "variance") == 0) {
            double var = cw_dp_error_variance(&e);
            CW_CHECK(t, cw_close(var, want, 1e-13), "%s:%d: %s variance %.17g want %.17g", path,
                     lineno, f[1], var, want);
            nv++;
            continue;
        }
        double tail = strtod(f[2], NULL), p2 = strtod(f[6], NULL);
        snprintf(where, sizeof where, "%s:%d: %s", path, lineno, f[1]);
        check_row(t, &e, tail, want, p2, WORK_TEST, 1, where, &st);
        for (size_t i = 0; i < sizeof default_rows / sizeof *default_rows; i++)
            if (strcmp(f[1], default_rows[i]) == 0 && tail == 0.025) {
                check_row(t, &e, tail, want, p2, CW_DP_WORK_DEFAULT, 0, where, &sd_st);
                ndef++;
            }
    }
    fclose(fp);
    CW_CHECK(t, st.rows >= 150 && nv >= 8 && nb >= 60 && ndef == 4,
             "%s: only %d quantile, %d variance, %d bound, %d default-budget rows", path, st.rows,
             nv, nb, ndef);
    CW_CHECK(t, st.wald_rows >= 10 && st.wald_caught >= st.wald_rows / 2,
             "the checks catch the Wald reference in only %d of %d noise-dominated rows",
             st.wald_caught, st.wald_rows);
    const char *rep = getenv("CW_DPI_REPORT");
    if (rep && *rep && strcmp(rep, "0") != 0) {
        const row_stats *s2[2] = {&st, &sd_st};
        const char *name[2] = {"work 2e6", "default work"};
        for (int i = 0; i < 2; i++)
            printf("dp_interval (%s): %d quantile rows; max (q - q_exact)/widen %.3f; max "
                   "widen/sd %.3g; max (q_exact - q)/sd %.3g; Wald caught in %d of %d\n",
                   name[i], s2[i]->rows, s2[i]->worst_ratio, s2[i]->worst_widen, s2[i]->worst_cons,
                   s2[i]->wald_caught, s2[i]->wald_rows);
    }
}

/* The smallest a >= 0 with P(Z > a) <= tail for the discrete Laplace: q^{a+1}/(1+q) <= tail. */
static double laplace_lattice_quantile(double r, double tail) {
    double q = exp(-r), a = ceil(log(tail * (1.0 + q)) / -r) - 1.0;
    if (a < 0.0) a = 0.0;
    while (a > 0.0 && exp(-r * a) / (1.0 + q) <= tail) a -= 1.0;
    while (exp(-r * (a + 1.0)) / (1.0 + q) > tail) a += 1.0;
    return a;
}

static void limits(cw_test *t) {
    cw_dp_error e;
    double q, w, p;
    memset(&e, 0, sizeof e);

    /* no noise: the normal quantile (R: qnorm(0.975) = 1.959963984540054) */
    e.var_sampling = 1.0;
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.025, &q, &w) == 0, "normal");
    CW_CHECK_CLOSE(t, q, 1.959963984540054, 1e-14);
    CW_CHECK(t, w == 0.0, "no widening without noise: %g", w);
    e.var_sampling = 7.3e-11;
    for (double tail = 1e-6; tail < 0.5; tail *= 3.7) {
        cw_dp_error_quantile(&e, tail, &q, &w);
        CW_CHECK_CLOSE(t, q, sqrt(7.3e-11) * cw_qnorm(tail, 0.0, 1.0, 0, 0), 1e-14);
    }
    e.nterms = 3; /* zero coefficients are ignored (their noise is not even read) */
    e.term[0].coef = 0.0;
    e.term[1].coef = 0.0;
    e.term[2].coef = 0.0;
    cw_dp_error_quantile(&e, 0.05, &q, &w);
    CW_CHECK_CLOSE(t, q, sqrt(7.3e-11) * cw_qnorm(0.05, 0.0, 1.0, 0, 0), 1e-14);
    CW_CHECK(t, cw_dp_error_two_sided(&e, sqrt(7.3e-11) * 1.959963984540054, &p) == 0, "p");
    CW_CHECK_CLOSE(t, p, 0.05, 1e-13);
    e.var_sampling = 0.0; /* E = 0 */
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.05, &q, &w) == 0 && q == 0.0, "E = 0: q = %g", q);
    CW_CHECK(t, cw_dp_error_two_sided(&e, 0.0, &p) == 0 && p == 1.0, "P(|0| >= 0) = %g", p);
    CW_CHECK(t, cw_dp_error_two_sided(&e, 1e-300, &p) == 0 && p == 0.0, "P(|0| >= x) = %g", p);

    /* sampling dominant: the noise term changes the normal quantile by at most its reach */
    memset(&e, 0, sizeof e);
    e.var_sampling = 4.0;
    e.nterms = 1;
    e.term[0].coef = 1e-7;
    e.term[0].noise = lap(10, 3);
    cw_dp_error_quantile(&e, 0.025, &q, &w);
    double z = 2.0 * 1.959963984540054;
    CW_CHECK(t, q >= z - 1e-12 && q <= z + 1e-7 * 400.0, "sd dominant: q %.17g vs %.17g", q, z);

    /* noise dominant, v = 0: the lattice quantile itself, c a, with no widening */
    for (int k = 0; k < 3; k++) {
        uint64_t tt[3] = {1, 3, 1000}, ss[3] = {3, 1, 7};
        double tails[3] = {0.05, 0.025, 0.005};
        e.var_sampling = 0.0;
        e.term[0].coef = -0.7;
        e.term[0].noise = lap(tt[k], ss[k]);
        for (int i = 0; i < 3; i++) {
            double a = laplace_lattice_quantile((double)ss[k] / (double)tt[k], tails[i]);
            CW_CHECK(t, cw_dp_error_quantile(&e, tails[i], &q, &w) == 0, "lattice");
            CW_CHECK(t, fabs(q - 0.7 * a) <= 1e-12 * 0.7 * (a + 1.0) && w <= 1e-12 * (a + 1.0),
                     "lattice t/s %llu/%llu tail %g: q %.17g want %.17g (widen %g)",
                     (unsigned long long)tt[k], (unsigned long long)ss[k], tails[i], q, 0.7 * a, w);
        }
    }

    /* symmetry and scaling: signs do not matter; scaling by 2^k is exact */
    cw_dp_error a, b;
    memset(&a, 0, sizeof a);
    a.var_sampling = 0.3;
    a.nterms = 4;
    a.term[0].coef = 1.0;
    a.term[0].noise = lap(100, 1);
    a.term[1].coef = -0.8;
    a.term[1].noise = lap(1, 3);
    a.term[2].coef = 0.05;
    a.term[2].noise = gau(2500);
    a.term[3].coef = -1e-3;
    a.term[3].noise = gau(1);
    b = a;
    for (int j = 0; j < 4; j++) b.term[j].coef = -b.term[j].coef;
    double qa, qb, wa, wb;
    cw_dp_error_quantile_work(&a, 0.025, WORK_TEST, &qa, &wa);
    cw_dp_error_quantile_work(&b, 0.025, WORK_TEST, &qb, &wb);
    CW_CHECK(t, qa == qb && wa == wb, "sign flip: %.17g vs %.17g", qa, qb);
    b = a;
    b.var_sampling = ldexp(a.var_sampling, -80);
    for (int j = 0; j < 4; j++) b.term[j].coef = ldexp(a.term[j].coef, -40);
    cw_dp_error_quantile_work(&b, 0.025, WORK_TEST, &qb, &wb);
    CW_CHECK(t, ldexp(qb, 40) == qa && ldexp(wb, 40) == wa, "scaling by 2^-40: %.17g vs %.17g",
             ldexp(qb, 40), qa);
    b = a;
    b.var_sampling = ldexp(a.var_sampling, 600);
    for (int j = 0; j < 4; j++) b.term[j].coef = ldexp(a.term[j].coef, 300);
    cw_dp_error_quantile_work(&b, 0.025, WORK_TEST, &qb, &wb);
    CW_CHECK(t, ldexp(qb, -300) == qa, "scaling by 2^300: %.17g vs %.17g", ldexp(qb, -300), qa);

    /* monotone in the tail; the p-value decreases in x and inverts the quantile */
    double prev = 0.0,
           tails[] = {0.45, 0.3, 0.1, 0.05, 0.025, 0.01, 0.005, 1e-4, 1e-7, 1e-9, 1e-12};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        CW_CHECK(t, cw_dp_error_quantile_work(&a, tails[i], WORK_TEST, &q, &w) == 0, "tail %g",
                 tails[i]);
        CW_CHECK(t, q >= prev, "q(%g) = %.17g < q of a larger tail %.17g", tails[i], q, prev);
        /* p-values carry the 1e-12 cut from the tails, so below 1e-8 they are 2 tail + 2e-12 */
        cw_dp_error_two_sided_work(&a, q * (1.0 + 1e-12), WORK_TEST, &p);
        CW_CHECK(t, p <= 2.0 * tails[i] * (1.0 + 1e-9) + (tails[i] < 1e-8 ? 2e-12 : 0.0),
                 "two_sided(q(%g)) = %.17g", tails[i], p);
        prev = q;
    }
    double pprev = 1.0;
    for (double x = 0.0; x < 60.0; x += 2.3) {
        cw_dp_error_two_sided_work(&a, x, WORK_TEST, &p);
        CW_CHECK(t, p <= pprev && p >= 0.0, "two_sided(%g) = %.17g after %.17g", x, p, pprev);
        pprev = p;
    }
    cw_dp_error_two_sided_work(&a, 0.0, WORK_TEST, &p);
    CW_CHECK(t, p == 1.0, "two_sided(0) = %g", p);
    /* the default entry points are the _work ones at CW_DP_WORK_DEFAULT */
    cw_dp_error_quantile(&a, 0.005, &qa, &wa);
    cw_dp_error_quantile_work(&a, 0.005, CW_DP_WORK_DEFAULT, &qb, &wb);
    CW_CHECK(t, qa == qb && wa == wb, "default work: %.17g vs %.17g", qa, qb);
    double wprev = wa; /* less work, a coarser grid: a wider allowance */
    for (double work = CW_DP_WORK_DEFAULT / 10.0; work > 1e4; work /= 10.0) {
        cw_dp_error_quantile_work(&a, 0.005, work, &q, &w);
        CW_CHECK(t, w >= wprev && q >= qa - 1e-12 * q, "work %g: q %.17g widen %g", work, q, w);
        wprev = w;
    }

    /* a noise as large as the samplers allow, and one that is mostly 0 */
    memset(&e, 0, sizeof e);
    e.nterms = 2;
    e.term[0].coef = 1.0;
    e.term[0].noise = gau((uint64_t)1 << 62);
    e.term[1].coef = 3.0;
    e.term[1].noise = lap(1, 3);
    CW_CHECK(t, cw_dp_error_quantile_work(&e, 0.025, WORK_TEST, &q, &w) == 0, "sigma2 = 2^62");
    CW_CHECK(t, q >= 0.99 * 1.96 * 2147483648.0 && q <= 1.01 * 1.96 * 2147483648.0, "q %.17g", q);
    e.term[1].noise = lap((uint64_t)1 << 60, 1); /* scale 2^60 */
    CW_CHECK(t, cw_dp_error_quantile_work(&e, 0.025, WORK_TEST, &q, &w) == 0 && isfinite(q),
             "scale 2^60: %g", q);

    /* tiny tails: the cut mass shrinks with the tail */
    memset(&e, 0, sizeof e);
    e.nterms = 1;
    e.term[0].coef = 1.0;
    e.term[0].noise = lap(1, 1);
    CW_CHECK(t, cw_dp_error_quantile(&e, 1e-200, &q, &w) == 0, "tail 1e-200");
    CW_CHECK(t, fabs(q - laplace_lattice_quantile(1.0, 1e-200)) <= 1e-9, "tail 1e-200: q %.17g", q);
}

static void contracts(cw_test *t) {
    cw_dp_error e;
    double q = 0.0, w = 0.0, p = 0.0;
    uint64_t a = 7;
    memset(&e, 0, sizeof e);
    e.var_sampling = 1.0;
    double bad_tails[] = {0.0, 0.5, -0.1, 1.0, NAN, 1e-300};
    for (size_t i = 0; i < sizeof bad_tails / sizeof *bad_tails; i++) {
        CW_CHECK(t, cw_dp_error_quantile(&e, bad_tails[i], &q, &w) == -1 && isnan(q) && isnan(w),
                 "tail %g accepted", bad_tails[i]);
    }
    CW_CHECK(t, cw_dp_error_quantile(NULL, 0.05, &q, &w) == -1, "NULL e");
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.05, NULL, &w) == -1, "NULL q");
    CW_CHECK(t, cw_dp_error_quantile_work(&e, 0.05, 0.0, &q, &w) == -1, "no work");
    CW_CHECK(t, cw_dp_error_two_sided_work(&e, 1.0, NAN, &p) == -1, "NaN work");
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.05, &q, NULL) == 0, "NULL widen is allowed");
    CW_CHECK(t, cw_dp_error_two_sided(&e, -1.0, &p) == -1 && isnan(p), "x < 0");
    CW_CHECK(t, cw_dp_error_two_sided(&e, NAN, &p) == -1, "x NaN");
    e.var_sampling = NAN;
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.05, &q, &w) == -1 && isnan(cw_dp_error_variance(&e)),
             "NaN v");
    e.var_sampling = -1.0;
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.05, &q, &w) == -1, "v < 0");
    e.var_sampling = 1.0;
    e.nterms = CW_DP_MAX_TERMS + 1;
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.05, &q, &w) == -1 && isnan(cw_dp_error_variance(&e)),
             "9 terms");
    e.nterms = -1;
    CW_CHECK(t, cw_dp_error_two_sided(&e, 1.0, &p) == -1, "-1 terms");
    e.nterms = 1;
    e.term[0].coef = INFINITY;
    e.term[0].noise = lap(1, 1);
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.05, &q, &w) == -1, "infinite coef");
    e.term[0].coef = 1.0;
    e.term[0].noise = lap(0, 1);
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.05, &q, &w) == -1, "t = 0");
    e.term[0].noise = gau(0);
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.05, &q, &w) == -1, "sigma2 = 0");
    e.term[0].noise.mech = (cw_dp_mech)7;
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.05, &q, &w) == -1, "unknown mechanism");
    e.term[0].coef = 1e300;
    e.term[0].noise = lap(1000000000, 1);
    CW_CHECK(t, cw_dp_error_quantile(&e, 0.05, &q, &w) == -1, "overflow");
    cw_dp_noise nz = lap(1, 1);
    CW_CHECK(t, cw_dp_noise_bound(&nz, 0.0, &a) == -1 && a == 0, "alpha 0");
    CW_CHECK(t, cw_dp_noise_bound(&nz, NAN, &a) == -1, "alpha NaN");
    CW_CHECK(t, cw_dp_noise_bound(&nz, 1.0, &a) == 0 && a == 0, "alpha 1: a = %llu",
             (unsigned long long)a);
    nz = lap((uint64_t)1 << 63, 1);
    CW_CHECK(t, cw_dp_noise_bound(&nz, 1e-300, &a) == -1, "bound past 2^64");
    CW_CHECK(t, cw_dp_noise_bound(NULL, 0.1, &a) == -1, "NULL noise");
}

void test_dp_interval(cw_test *t) {
    fixture_rows(t);
    limits(t);
    contracts(t);
}
