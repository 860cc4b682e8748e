/* test_dist.c — the distribution functions of wasm/src/dist against R.
 *
 * The oracle is tests/fixtures/dist_grid.tsv, written by tests/oracle/make_dist_grid.R with R
 * 4.2.2 (never edited by hand). Each row is one call and one check: func, a1, a2, a3,
 * lower_tail, log_p, expected. The fixture folder is $CW_FIXTURES if set, else tests/fixtures.
 * Set CW_DIST_REPORT=1 to print the largest relative error per function.
 *
 * Tolerance: relative error <= 1e-13 (both the same non-finite value, or |got| <= 1e-13 where R
 * gives 0). Why 1e-13: R computes in IEEE double like us, with the same published algorithms
 * (Cody, AS 241, TOMS 708, Welinder's pgamma, AS 91, Hill 396), so agreement is limited by
 * rounding, not by method: a few hundred ulps (2.2e-16 each) of headroom for the sums, series and
 * Newton steps whose last bits legitimately differ — and far below any difference of method
 * (a wrong branch or a truncated expansion shows up at 1e-8 or worse).
 *
 * Two narrow regions are checked more loosely, each with its reason:
 *  - Far tails: a probability q below 1e-49 (q = the value on the probability scale, or
 *    q = |log p| when log p ~ -q is within 1e-2 of 0, i.e. the complement is the far tail).
 *    Both R and we form q as exp(L), L ~ log q down to -690, with L a sum of a few large terms
 *    (e.g. a phi(lambda/a) + b phi(lambda/b) - bcorr in TOMS 708's BRCOMP, or the terms of
 *    log Beta(a, b)); each rounds to half an ulp of itself, and one ulp of L is |L| 2^-52
 *    relative in q (1.5e-13 at q = 1e-300). So two correct implementations that round one
 *    term differently differ by a few ulps of L: the check is 8 ulps of L,
 *    rel <= 8 DBL_EPSILON |log q| (above 1e-13 only for q < 1e-49).
 *  - qf where the beta quantile B = qbeta(p, n/2, m/2, !lower_tail) behind it is close to 1
 *    (small F quantiles): R returns 1/B - 1, which carries R's last-bit error in B amplified by
 *    1/(1 - B); we take 1 - B from qbeta without cancellation. The check there is
 *    rel <= max(1e-13, 8 DBL_EPSILON / (1 - B)), with 1 - B = m F / (n + m F) from R's F.
 *    (qf rows where R's answer does not even invert R's own pf are left out of the fixture.)
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dist/dist.h"
#include "test.h"

enum { NFUNC = 14 };
static const char *const func_names[NFUNC] = {"pnorm",  "qnorm",  "pt",     "qt",    "pchisq",
                                              "qchisq", "pf",     "qf",     "pbeta", "qbeta",
                                              "pgamma", "qgamma", "lgamma", "lbeta"};

static int func_index(const char *name) {
    for (int i = 0; i < NFUNC; i++)
        if (strcmp(name, func_names[i]) == 0) return i;
    return -1;
}

static double eval_case(int f, double a1, double a2, double a3, int lt, int lg) {
    switch (f) {
    case 0: return cw_pnorm(a1, a2, a3, lt, lg);
    case 1: return cw_qnorm(a1, a2, a3, lt, lg);
    case 2: return cw_pt(a1, a2, lt, lg);
    case 3: return cw_qt(a1, a2, lt, lg);
    case 4: return cw_pchisq(a1, a2, lt, lg);
    case 5: return cw_qchisq(a1, a2, lt, lg);
    case 6: return cw_pf(a1, a2, a3, lt, lg);
    case 7: return cw_qf(a1, a2, a3, lt, lg);
    case 8: return cw_pbeta(a1, a2, a3, lt, lg);
    case 9: return cw_qbeta(a1, a2, a3, lt, lg);
    case 10: return cw_pgamma(a1, a2, a3, lt, lg);
    case 11: return cw_qgamma(a1, a2, a3, lt, lg);
    case 12: return cw_lgamma(a1);
    default: return cw_lbeta(a1, a2);
    }
}

/* p-functions return probabilities; the far-tail rule above applies to them only */
static int is_probability(int f) {
    return f == 0 || f == 2 || f == 4 || f == 6 || f == 8 || f == 10;
}

static double tolerance(int f, int log_p, double want, double a2, double a3) {
    const double rel = 1e-13;
    double tol = rel;
    if (is_probability(f)) {
        double q = log_p ? (fabs(want) < 1e-2 ? fabs(want) : 0.0) : want;
        if (q > 0 && q < 1) {
            double far = 8 * DBL_EPSILON * fabs(log(q));
            if (far > tol) tol = far;
        }
    }
    if (f == 7 && want > 0 && isfinite(want)) { /* qf: a2 = df1 = m, a3 = df2 = n */
        int chisq_branch = (a2 <= a3 && a3 > 4e5) || a2 > 4e5;
        double one_minus_b = a2 * want / (a3 + a2 * want);
        if (!chisq_branch && one_minus_b > 0) {
            double amp = 8 * DBL_EPSILON / one_minus_b;
            if (amp > tol) tol = amp;
        }
    }
    return tol;
}

/* the relative error in cw_close's terms (0 for matching non-finite values) */
static double rel_error(double got, double want) {
    if (isnan(want)) return isnan(got) ? 0.0 : INFINITY;
    if (isinf(want)) return got == want ? 0.0 : INFINITY;
    if (want == 0.0) return fabs(got);
    return fabs(got - want) / fabs(want);
}

void test_dist(cw_test *t) {
    const char *dir = getenv("CW_FIXTURES");
    char path[1024], line[512];
    snprintf(path, sizeof path, "%s/dist_grid.tsv", dir && *dir ? dir : "tests/fixtures");
    FILE *fp = fopen(path, "r");
    CW_CHECK(t, fp != NULL, "cannot open %s", path);
    if (!fp) return;

    double worst[NFUNC] = {0}, worst_strict[NFUNC] = {0}; /* all rows / rows held to 1e-13 */
    int count[NFUNC] = {0}, rows = 0, lineno = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n' || strncmp(line, "func\t", 5) == 0) continue;
        char name[16];
        char s1[64], s2[64], s3[64], s4[64];
        int lt, lg;
        if (sscanf(line, "%15s %63s %63s %63s %d %d %63s", name, s1, s2, s3, &lt, &lg, s4) != 7) {
            CW_CHECK(t, 0, "%s:%d: malformed row", path, lineno);
            continue;
        }
        int f = func_index(name);
        if (f < 0) {
            CW_CHECK(t, 0, "%s:%d: unknown function %s", path, lineno, name);
            continue;
        }
        double a1 = strtod(s1, NULL), a2 = strtod(s2, NULL), a3 = strtod(s3, NULL);
        double want = strtod(s4, NULL);
        double got = eval_case(f, a1, a2, a3, lt, lg);
        double tol = tolerance(f, lg, want, a2, a3), err = rel_error(got, want);
        rows++;
        count[f]++;
        if (err > worst[f]) worst[f] = err;
        if (tol <= 1e-13 && err > worst_strict[f]) worst_strict[f] = err;
        CW_CHECK(t, cw_close(got, want, tol),
                 "%s:%d: %s(%s, %s, %s, lower_tail=%d, log_p=%d) = %.17g, R %.17g (rel err %.3g, tol %.3g)",
                 path, lineno, name, s1, s2, s3, lt, lg, got, want, err, tol);
    }
    fclose(fp);
    CW_CHECK(t, rows > 1000, "%s: only %d rows read", path, rows);

    const char *report = getenv("CW_DIST_REPORT");
    if (report && *report && strcmp(report, "0") != 0) {
        printf("dist_grid: %d rows\n", rows);
        for (int i = 0; i < NFUNC; i++)
            printf("  %-7s %5d rows  max rel err vs R %.3g (%.3g on the rows held to 1e-13)\n",
                   func_names[i], count[i], worst[i], worst_strict[i]);
    }
}
