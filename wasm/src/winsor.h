/* winsor.h — exact quantiles for winsorizing, in bounded memory per tail: a heap keeps the k
 * most extreme values seen, where k follows from the count n (known after the first read) so
 * that the two order statistics of R's type-7 quantile are inside it. */
#ifndef CW_WINSOR_H
#define CW_WINSOR_H

#include <stdint.h>

typedef struct {
    double *v;
    int64_t k, size;
    int lower; /* 1: keep the k smallest values; 0: the k largest */
} cw_wheap;

/* Ready to find the type-7 quantile at probability p of n values; 0, or -1 out of memory. */
int cw_wheap_init(cw_wheap *h, int64_t n, double p, int lower);
void cw_wheap_free(cw_wheap *h);
void cw_wheap_push(cw_wheap *h, double x);
/* The type-7 quantile (Hyndman & Fan 1996, definition 7; R's default) at p of the n values
 * pushed. Reorders the heap. */
double cw_wheap_quantile(cw_wheap *h, int64_t n, double p);

#endif
