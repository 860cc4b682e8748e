/* moments.h — running count, mean, sum of squared deviations, min and max of one metric in one
 * arm: the sufficient statistics every mean-based estimator starts from. Values are gathered in
 * small batches, and values exactly 0 or 1 (conversions, and most revenue cells) only counted;
 * call cw_moments_flush() once, after the last value, before reading n, dmean, m2, min or max. */
#ifndef CW_MOMENTS_H
#define CW_MOMENTS_H

#include <stdint.h>

#define CW_MOMENTS_BATCH 64

typedef struct {
    int64_t n;
    int64_t n01[2]; /* values exactly 0 and exactly 1 not yet in n (folded in by the flush) */
    int started;    /* shift is set */
    double shift;   /* the first value: moments are kept of x - shift (see moments.c) */
    double dmean; /* mean of x - shift */
    double m2;    /* sum of squared deviations from the mean */
    double min, max;
    int nbatch;   /* values waiting in batch (as x - shift) */
    double batch[CW_MOMENTS_BATCH];
} cw_moments;

void cw_moments_init(cw_moments *m);
void cw_moments_add_batch(cw_moments *m);
void cw_moments_add_counts(cw_moments *m);
/* Add a value known to be 0 (one = 0) or 1 (one = 1): a count. */
static inline void cw_moments_add01(cw_moments *m, int one) {
    if (!m->started) {
        m->shift = one;
        m->started = 1;
    }
    m->n01[one]++;
}
/* Add zeros values 0 and ones values 1 at once, counted elsewhere (the fast row path): only for an
 * accumulator that already has a value (started), whose shift their order cannot change. */
static inline void cw_moments_add01_counts(cw_moments *m, int64_t zeros, int64_t ones) {
    m->n01[0] += zeros;
    m->n01[1] += ones;
}
/* Add one value (0 and 1 are counted; others are two stores, and every 64 the batch is merged). */
static inline void cw_moments_add(cw_moments *m, double x) {
    if (x == 0.0 || x == 1.0) {
        cw_moments_add01(m, x == 1.0);
        return;
    }
    if (!m->started) {
        m->shift = x;
        m->started = 1;
    }
    if (x < m->min) m->min = x;
    if (x > m->max) m->max = x;
    m->batch[m->nbatch++] = x - m->shift;
    if (m->nbatch == CW_MOMENTS_BATCH) cw_moments_add_batch(m);
}
/* Merge the waiting batch, then the 0/1 counts, so that n, dmean, m2, min and max describe every
 * value added. Call it once, after the last value: the result then depends only on the values'
 * order, never on how the input was chunked. */
static inline void cw_moments_flush(cw_moments *m) {
    if (m->nbatch) cw_moments_add_batch(m);
    if (m->n01[0] | m->n01[1]) cw_moments_add_counts(m);
}
void cw_moments_merge(cw_moments *into, const cw_moments *from);
/* Mean (NaN when n = 0). */
double cw_moments_mean(const cw_moments *m);
/* Sample variance m2 / (n - 1); NaN when n < 2 (callers report why). */
double cw_moments_var(const cw_moments *m);

#endif
