/* chisq.h — Pearson chi-square tests from counts, as R's chisq.test: independence in a 2x2 table
 * (with or without Yates' continuity correction) or an r x c table (arms x outcome categories),
 * and goodness of fit of counts to planned proportions (sample-ratio mismatch).
 *
 * The functions fill a caller-owned cw_chisq and allocate nothing. `unavailable` is NULL, or
 * says why the test cannot be computed (then every field but the table's shape is NaN). */
#ifndef CW_CHISQ_H
#define CW_CHISQ_H

#include <stdint.h>

typedef struct {
    double statistic;     /* Pearson's X^2 (Yates-corrected when correction > 0) */
    double df;            /* (r - 1)(c - 1), or k - 1 for goodness of fit */
    double p_value;       /* upper tail of chi-square(df) at the statistic */
    double min_expected;  /* the smallest expected count */
    double correction;    /* the continuity correction subtracted from |O - E|: 0, or
                           * min(0.5, |O - E|) for a corrected 2x2 table, as R */
    int small_expected;   /* some expected count < 5: the approximation may be poor (R warns) */
    const char *unavailable;
} cw_chisq;

/* The table [[n11, n12], [n21, n22]]; correct != 0 applies Yates' correction
 * (R's chisq.test(matrix, correct = TRUE), its default). */
void cw_chisq_2x2(int64_t n11, int64_t n12, int64_t n21, int64_t n22, int correct, cw_chisq *out);

/* An nrow x ncol table of counts, row-major (table[i * ncol + j]); nrow, ncol >= 2. Yates'
 * correction is applied only when correct != 0 and the table is 2x2, as R does. Unavailable
 * when a row or a column is all zeros (an expected count of 0; R returns NaN). */
void cw_chisq_table(const int64_t *table, int nrow, int ncol, int correct, cw_chisq *out);

/* Goodness of fit of k >= 2 observed counts to the proportions p (R's chisq.test(x, p = p)).
 * p is used as given when it sums to 1 within sqrt(DBL_EPSILON), as R does, and is rescaled to
 * sum to 1 otherwise (R's rescale.p = TRUE), so planned weights such as {50, 25, 25} or
 * {1, 1} can be passed directly. Unavailable for a negative or non-finite p, for a p of 0
 * (an expected count of 0) or when every count is 0. */
void cw_chisq_gof(const int64_t *observed, const double *p, int k, cw_chisq *out);

#endif
