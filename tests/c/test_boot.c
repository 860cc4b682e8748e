/* test_boot.c — the bootstrap's building blocks: binomial variates against the exact pmf
 * (Pearson chi-square, tails merged to expected counts >= 5, false-alarm rate 1e-6 per case with
 * a fixed seed), unbiased bounded integers, the type-7 quantile against R, and the bucket
 * resampler's mean and spread on data with a known answer. */
#include <stdlib.h>

#include "bootstrap.h"
#include "dist/dist.h"
#include "rng.h"
#include "test.h"

/* exact Binomial(n, p) pmf at k through lgamma (ample for these n) */
static double dbinom(int64_t k, int64_t n, double p) {
    return exp(cw_lgamma((double)n + 1) - cw_lgamma((double)k + 1) - cw_lgamma((double)(n - k) + 1) +
               (double)k * log(p) + (double)(n - k) * log1p(-p));
}

static void binomial_fit(cw_test *t, int64_t n, double p, uint64_t seed) {
    enum { DRAWS = 200000 };
    cw_rng r;
    cw_rng_seed(&r, seed);
    int64_t *count = calloc((size_t)n + 1, sizeof *count), outside = 0;
    for (int i = 0; i < DRAWS; i++) {
        int64_t k = cw_rbinom(&r, n, p);
        if (k >= 0 && k <= n) count[k]++;
        else outside++;
    }
    CW_CHECK(t, outside == 0, "rbinom(%lld, %g): %lld draws outside 0..n", (long long)n, p, (long long)outside);
    /* bins over the support; neighbours merged until each expected count is >= 5 */
    double x2 = 0.0, obs = 0.0, exp_ = 0.0;
    int bins = 0;
    for (int64_t k = 0; k <= n; k++) {
        obs += (double)count[k];
        exp_ += DRAWS * dbinom(k, n, p);
        if (exp_ >= 5.0 && (k == n || DRAWS * (1.0 - cw_pbeta(p, (double)k + 1, (double)(n - k), 1, 0)) >= 5.0)) {
            x2 += (obs - exp_) * (obs - exp_) / exp_;
            bins++;
            obs = exp_ = 0.0;
        }
    }
    if (exp_ > 0.0) { /* what is left joins the statistic as a last bin */
        x2 += (obs - exp_) * (obs - exp_) / exp_;
        bins++;
    }
    double pv = cw_pchisq(x2, bins - 1, 0, 0);
    CW_CHECK(t, pv > 1e-6, "Binomial(%lld, %g): chi-square %.3f on %d df, p = %.3g", (long long)n, p, x2,
             bins - 1, pv);
    free(count);
}

void test_boot(cw_test *t) {
    /* BINV (n p < 10), BTRS (n p >= 10), p > 1/2 by symmetry, large n */
    binomial_fit(t, 5, 0.3, 1);
    binomial_fit(t, 40, 0.1, 2);
    binomial_fit(t, 100, 0.5, 3);
    binomial_fit(t, 1000, 0.97, 4);
    binomial_fit(t, 21306, 0.0057, 5);
    binomial_fit(t, 200000, 0.1, 6);
    cw_rng r;
    cw_rng_seed(&r, 9);
    CW_CHECK(t, cw_rbinom(&r, 10, 0.0) == 0 && cw_rbinom(&r, 10, 1.0) == 10 && cw_rbinom(&r, 0, 0.5) == 0,
             "degenerate binomials");

    /* bounded integers stay in range and hit every value */
    int seen[7] = {0};
    int out_of_range = 0;
    for (int i = 0; i < 7000; i++) {
        uint32_t v = cw_rng_below(&r, 7);
        if (v < 7) seen[v]++;
        else out_of_range++;
    }
    CW_CHECK(t, out_of_range == 0, "below(7) out of range %d times", out_of_range);
    for (int v = 0; v < 7; v++) CW_CHECK(t, seen[v] > 800 && seen[v] < 1200, "value %d seen %d times", v, seen[v]);

    /* type-7 quantiles: R quantile(c(3.1,1,4,1.5,9,2.6,5,3.5,8,9.7), c(.025,.5,.975,0,1)) */
    double x[] = {1, 1.5, 2.6, 3.1, 3.5, 4, 5, 8, 9, 9.7};
    double p[] = {0.025, 0.5, 0.975, 0, 1};
    double want[] = {1.1125, 3.75, 9.5425, 1, 9.7};
    for (int i = 0; i < 5; i++) CW_CHECK_CLOSE(t, cw_quantile_sorted(x, 10, p[i]), want[i], 1e-15);

    /* buckets: 100,000 values 0..9 spread over the buckets; resampled means centre on the mean
     * with the spread of a mean (sd / sqrt(n)), within 5 standard errors of each over 400 draws */
    cw_buckets *b = calloc(1, sizeof *b);
    for (int64_t row = 1; row <= 100000; row++) {
        unsigned k = cw_boot_bucket(1, row);
        b->n[k]++;
        b->sum[k] += (double)(row % 10);
    }
    cw_boot_arm arm = {0, 100000, 0, 0.0, b};
    double s = 0, ss = 0;
    enum { REPS = 400 };
    for (int i = 0; i < REPS; i++) {
        double m = cw_boot_mean(&arm, &r);
        s += m;
        ss += (m - 4.5) * (m - 4.5);
    }
    double se = sqrt(8.25 / 100000.0), mean = s / REPS, sd = sqrt(ss / REPS);
    CW_CHECK(t, fabs(mean - 4.5) < 5 * se / sqrt((double)REPS), "bucket bootstrap mean %.6f", mean);
    CW_CHECK(t, fabs(sd / se - 1.0) < 5 * sqrt(1.0 / (2 * REPS)), "bucket bootstrap sd %.6g vs %.6g", sd, se);
    free(b);
}
