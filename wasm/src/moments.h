/* moments.h — running count, mean, sum of squared deviations, min and max of one metric in one
 * arm: the sufficient statistics every mean-based estimator starts from. */
#ifndef CW_MOMENTS_H
#define CW_MOMENTS_H

#include <stdint.h>

typedef struct {
    int64_t n;
    double shift; /* the first value: moments are kept of x - shift (see moments.c) */
    double dmean; /* mean of x - shift */
    double m2;    /* sum of squared deviations from the mean */
    double min, max;
} cw_moments;

void cw_moments_init(cw_moments *m);
void cw_moments_add(cw_moments *m, double x);
void cw_moments_merge(cw_moments *into, const cw_moments *from);
/* Mean (NaN when n = 0). */
double cw_moments_mean(const cw_moments *m);
/* Sample variance m2 / (n - 1); NaN when n < 2 (callers report why). */
double cw_moments_var(const cw_moments *m);

#endif
