/* bootstrap.h — percentile bootstrap intervals for a difference in means without touching the
 * rows again. Continuous metrics: each row falls in one of CW_BOOT_BUCKETS buckets by a hash of
 * its row number and the seed; a replicate resamples the buckets of each arm with replacement
 * (a bucket or "random-group" bootstrap; when an arm has far fewer rows than buckets it becomes
 * the Poisson bootstrap). Binary metrics: a replicate draws each arm's successes from
 * Binomial(n, p-hat), which is exactly the distribution of the resampled count. */
#ifndef CW_BOOTSTRAP_H
#define CW_BOOTSTRAP_H

#include <stdint.h>

#include "rng.h"

#define CW_BOOT_BUCKETS 1024

typedef struct {
    int64_t n[CW_BOOT_BUCKETS];
    double sum[CW_BOOT_BUCKETS]; /* of x - shift */
} cw_buckets;

/* The bucket of data row `row` (1-based) for this seed. */
static inline unsigned cw_boot_bucket(uint64_t seed, int64_t row) {
    return (unsigned)(cw_splitmix64(seed ^ ((uint64_t)row * 0x9e3779b97f4a7c15ull)) & (CW_BOOT_BUCKETS - 1));
}

/* One arm of one metric, as the replicate engine sees it. */
typedef struct {
    int binary;
    int64_t n, successes;     /* binary */
    double shift;             /* continuous: the buckets hold sums of x - shift */
    const cw_buckets *buckets;
} cw_boot_arm;

/* A resampled mean of one arm. */
double cw_boot_mean(const cw_boot_arm *arm, cw_rng *r);

/* Type-7 sample quantile (Hyndman & Fan 1996) of sorted x[0..n). */
double cw_quantile_sorted(const double *x, int n, double p);

#endif
