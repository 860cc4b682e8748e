/* chisq.c — Pearson's chi-square tests (Pearson 1900, Phil Mag 50:157-175), as R's chisq.test.
 *
 * Independence in an r x c table with row sums R_i, column sums C_j and total N:
 *     E_ij = R_i C_j / N,   X^2 = sum_ij (|O_ij - E_ij| - Y)^2 / E_ij,   df = (r - 1)(c - 1),
 * with Y = 0, or for a 2x2 table with Yates' continuity correction (Yates 1934, JRSS Suppl
 * 1:217-235) Y = min(0.5, min_ij |O_ij - E_ij|): R caps the correction at |O - E| so that it
 * never overshoots past 0 (a table at independence gets X^2 = 0, not a positive value).
 * Goodness of fit of k counts with total N to proportions p: E_i = N p_i, X^2 = sum (O_i - E_i)^2
 * / E_i, df = k - 1 (the sample-ratio-mismatch check of an experiment's arm sizes).
 *
 * The p-value is the upper tail cw_pchisq(X^2, df, lower_tail = 0), computed directly, so a
 * p-value of 1e-300 keeps its digits. Cells are visited column by column, R's order, and summed
 * with Neumaier's compensated summation (R accumulates in long double; a compensated double sum
 * comes closest to that without depending on the width of long double, which differs between
 * the native and the WASM builds). Expected counts are formed as R forms them ((R_i C_j) / N,
 * N p_i).
 * Accuracy, against R 4.2.2 (tests/fixtures/counts_r.tsv, tests/c/test_counts.c): statistics,
 * expected counts and corrections bit-identical on every case; p-values within 5e-14 relative
 * (the error of cw_pchisq near 1e-220; 3e-16 elsewhere).
 */
#include "chisq.h"

#include <float.h>
#include <math.h>

#include "dist/dist.h"
#include "ksum.h"


static void unavailable(cw_chisq *out, const char *why) {
    out->statistic = out->p_value = out->min_expected = out->correction = NAN;
    out->small_expected = 0;
    out->unavailable = why;
}

static void finish(cw_chisq *out, double statistic, double min_expected) {
    out->statistic = statistic;
    out->p_value = cw_pchisq(statistic, out->df, 0, 0);
    out->min_expected = min_expected;
    out->small_expected = min_expected < 5.0;
    out->unavailable = 0;
}

static double row_sum(const int64_t *t, int ncol, int i) {
    int64_t s = 0;
    for (int j = 0; j < ncol; j++) s += t[i * ncol + j];
    return (double)s;
}

static double col_sum(const int64_t *t, int nrow, int ncol, int j) {
    int64_t s = 0;
    for (int i = 0; i < nrow; i++) s += t[i * ncol + j];
    return (double)s;
}

/* E_ij = (R_i C_j) / N as R's outer(sr, sc) / n. Margins are recomputed rather than stored so
 * that nothing is allocated; tables are small (arms x categories). */
static double expected(const int64_t *t, int nrow, int ncol, int i, int j, double n) {
    return row_sum(t, ncol, i) * col_sum(t, nrow, ncol, j) / n;
}

void cw_chisq_table(const int64_t *table, int nrow, int ncol, int correct, cw_chisq *out) {
    out->df = NAN;
    if (nrow < 2 || ncol < 2) {
        unavailable(out, "a contingency table needs at least 2 rows and 2 columns");
        return;
    }
    out->df = (double)(nrow - 1) * (double)(ncol - 1);
    int64_t total = 0;
    for (int i = 0; i < nrow * ncol; i++) {
        if (table[i] < 0) {
            unavailable(out, "a count is negative");
            return;
        }
        total += table[i];
    }
    for (int i = 0; i < nrow; i++)
        if (row_sum(table, ncol, i) == 0.0) {
            unavailable(out, "a row of the table is all zeros, so its expected counts are 0");
            return;
        }
    for (int j = 0; j < ncol; j++)
        if (col_sum(table, nrow, ncol, j) == 0.0) {
            unavailable(out, "a column of the table is all zeros, so its expected counts are 0");
            return;
        }
    double n = (double)total, yates = 0.0;
    if (correct && nrow == 2 && ncol == 2) { /* R: YATES <- min(0.5, abs(x - E)) */
        yates = 0.5;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                yates = fmin(yates, fabs((double)table[i * 2 + j] - expected(table, 2, 2, i, j, n)));
    }
    ksum sum = {0.0, 0.0};
    double emin = INFINITY;
    for (int j = 0; j < ncol; j++) /* column by column, R's order */
        for (int i = 0; i < nrow; i++) {
            double e = expected(table, nrow, ncol, i, j, n);
            double d = fabs((double)table[i * ncol + j] - e) - yates;
            ksum_add(&sum, d * d / e);
            emin = fmin(emin, e);
        }
    out->correction = yates;
    finish(out, sum.s + sum.c, emin);
}

void cw_chisq_2x2(int64_t n11, int64_t n12, int64_t n21, int64_t n22, int correct, cw_chisq *out) {
    const int64_t table[4] = {n11, n12, n21, n22};
    cw_chisq_table(table, 2, 2, correct, out);
}

void cw_chisq_gof(const int64_t *observed, const double *p, int k, cw_chisq *out) {
    out->df = NAN;
    if (k < 2) {
        unavailable(out, "a goodness-of-fit test needs at least 2 categories");
        return;
    }
    out->df = (double)(k - 1);
    int64_t total = 0;
    ksum psum = {0.0, 0.0};
    for (int i = 0; i < k; i++) {
        if (observed[i] < 0) {
            unavailable(out, "a count is negative");
            return;
        }
        if (!(p[i] >= 0.0) || !isfinite(p[i])) {
            unavailable(out, "an expected proportion is negative or not a number");
            return;
        }
        if (p[i] == 0.0) {
            unavailable(out, "an expected proportion is 0, so its expected count is 0");
            return;
        }
        total += observed[i];
        ksum_add(&psum, p[i]);
    }
    if (total == 0) {
        unavailable(out, "every count is 0");
        return;
    }
    double ps = psum.s + psum.c;
    int rescale = fabs(ps - 1.0) > sqrt(DBL_EPSILON); /* R: abs(sum(p) - 1) > sqrt(.Machine$double.eps) */
    double n = (double)total, emin = INFINITY;
    ksum sum = {0.0, 0.0};
    for (int i = 0; i < k; i++) {
        double e = n * (rescale ? p[i] / ps : p[i]);
        double d = (double)observed[i] - e;
        ksum_add(&sum, d * d / e);
        if (e < emin) emin = e;
    }
    out->correction = 0.0;
    finish(out, sum.s + sum.c, emin);
}
