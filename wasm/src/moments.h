/* moments.h — running count, mean, sum of squared deviations, min and max of one metric in one
 * arm: the sufficient statistics every mean-based estimator starts from. Values are gathered in
 * small batches; call cw_moments_flush() before reading n, dmean or m2. */
#ifndef CW_MOMENTS_H
#define CW_MOMENTS_H

#include <stdint.h>

#define CW_MOMENTS_BATCH 64

typedef struct {
    int64_t n;
    double shift; /* the first value: moments are kept of x - shift (see moments.c) */
    double dmean; /* mean of x - shift */
    double m2;    /* sum of squared deviations from the mean */
    double min, max;
    int nbatch;   /* values waiting in batch (as x - shift) */
    double batch[CW_MOMENTS_BATCH];
} cw_moments;

void cw_moments_init(cw_moments *m);
void cw_moments_add_batch(cw_moments *m);
/* Add one value (the common case is two stores; every 64 values the batch is merged). */
static inline void cw_moments_add(cw_moments *m, double x) {
    if (m->n == 0 && m->nbatch == 0) m->shift = x;
    if (x < m->min) m->min = x;
    if (x > m->max) m->max = x;
    m->batch[m->nbatch++] = x - m->shift;
    if (m->nbatch == CW_MOMENTS_BATCH) cw_moments_add_batch(m);
}
/* Merge the waiting batch so that n, dmean and m2 describe every value added. */
static inline void cw_moments_flush(cw_moments *m) {
    if (m->nbatch) cw_moments_add_batch(m);
}
void cw_moments_merge(cw_moments *into, const cw_moments *from);
/* Mean (NaN when n = 0). */
double cw_moments_mean(const cw_moments *m);
/* Sample variance m2 / (n - 1); NaN when n < 2 (callers report why). */
double cw_moments_var(const cw_moments *m);

#endif
