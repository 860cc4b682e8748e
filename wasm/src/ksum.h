/* ksum.h — Neumaier's compensated running sum (Neumaier 1974, ZAMM 54:39-51): the error of a
 * long sum stays at a few ulps of the result whatever the order of the terms. */
#ifndef CW_KSUM_H
#define CW_KSUM_H

#include <math.h>

typedef struct {
    double s, c; /* the sum and its running compensation: the value is s + c */
} ksum;

static inline void ksum_add(ksum *k, double v) {
    double t = k->s + v;
    k->c += fabs(k->s) >= fabs(v) ? (k->s - t) + v : (v - t) + k->s;
    k->s = t;
}

#endif
