/* bootstrap.c — resampled arm means for the percentile bootstrap (see bootstrap.h), and the
 * type-7 quantile used to read the interval off the replicates (Hyndman & Fan 1996, Am. Stat.
 * 50(4), definition 7: R's default). */
#include "bootstrap.h"

#include <math.h>

double cw_boot_mean(const cw_boot_arm *arm, cw_rng *r) {
    if (arm->binary)
        return (double)cw_rbinom(r, arm->n, (double)arm->successes / (double)arm->n) / (double)arm->n;
    for (;;) {
        int64_t n = 0;
        double s = 0.0;
        for (int b = 0; b < CW_BOOT_BUCKETS; b++) {
            uint32_t k = cw_rng_below(r, CW_BOOT_BUCKETS);
            n += arm->buckets->n[k];
            s += arm->buckets->sum[k];
        }
        if (n > 0) return arm->shift + s / (double)n; /* an all-empty draw is possible only for tiny arms */
    }
}

double cw_quantile_sorted(const double *x, int n, double p) {
    if (n <= 0) return NAN;
    double index = 1.0 + (double)(n - 1) * p; /* as R's quantile(type = 7) computes it */
    int lo = (int)floor(index);
    double g = index - lo;
    if (lo >= n) return x[n - 1];
    return g > 0.0 && x[lo] != x[lo - 1] ? (1.0 - g) * x[lo - 1] + g * x[lo] : x[lo - 1];
}
