/* test_moments.c — batched updates and Chan merges against exact small cases, a hard case for
 * the textbook formula (large offset, tiny spread), and the counted 0/1 values against exact
 * rational results and a long-double two-pass reference. */
#include "moments.h"
#include "test.h"

void test_moments(cw_test *t) {
    cw_moments m;
    cw_moments_init(&m);
    CW_CHECK(t, isnan(cw_moments_var(&m)), "empty variance must be NaN");
    double xs[] = {2, 4, 4, 4, 5, 5, 7, 9};
    for (int i = 0; i < 8; i++) cw_moments_add(&m, xs[i]);
    cw_moments_flush(&m);
    CW_CHECK(t, m.n == 8, "n");
    CW_CHECK_CLOSE(t, cw_moments_mean(&m), 5.0, 0);
    CW_CHECK_CLOSE(t, cw_moments_var(&m), 32.0 / 7.0, 1e-15);
    CW_CHECK(t, m.min == 2 && m.max == 9, "min/max");

    /* 1e9 + {1,2,3}: sum of squares minus square of sum loses everything; Welford does not. */
    cw_moments big;
    cw_moments_init(&big);
    for (int k = 0; k < 3000; k++) cw_moments_add(&big, 1e9 + (double)(k % 3 + 1));
    cw_moments_flush(&big);
    CW_CHECK_CLOSE(t, cw_moments_var(&big), 2000.0 / 2999.0, 1e-14);

    /* Merging two halves equals adding everything to one accumulator. */
    cw_moments a, b, all;
    cw_moments_init(&a);
    cw_moments_init(&b);
    cw_moments_init(&all);
    for (int k = 0; k < 1000; k++) {
        double x = (double)((k * 7919) % 1000) / 7.0;
        cw_moments_add(k < 300 ? &a : &b, x);
        cw_moments_add(&all, x);
    }
    cw_moments_merge(&a, &b);
    cw_moments_flush(&all);
    CW_CHECK(t, a.n == all.n, "merged n");
    CW_CHECK_CLOSE(t, cw_moments_mean(&a), cw_moments_mean(&all), 1e-14);
    CW_CHECK_CLOSE(t, cw_moments_var(&a), cw_moments_var(&all), 1e-13);

    /* 0/1 values are counted: a binary metric's mean is n1/n correctly rounded and its variance
     * n0 n1 / (n (n - 1)) with at most three roundings (exact rationals; relative 4 ulps). */
    cw_moments bin;
    cw_moments_init(&bin);
    const int64_t n1 = 123457, n0 = 876543 - 1;
    for (int64_t k = 0; k < n0 + n1; k++) cw_moments_add(&bin, (k * 1000003) % (n0 + n1) < n1 ? 1.0 : 0.0); /* a permutation */
    cw_moments_flush(&bin);
    double nn = (double)(n0 + n1);
    CW_CHECK(t, bin.n == n0 + n1 && bin.n01[0] == 0 && bin.n01[1] == 0, "binary n %lld", (long long)bin.n);
    CW_CHECK(t, cw_moments_mean(&bin) == (double)n1 / nn, "binary mean %.17g", cw_moments_mean(&bin));
    CW_CHECK_CLOSE(t, cw_moments_var(&bin), (double)n0 * (double)n1 / (nn * (nn - 1.0)), 4 * 2.3e-16);
    CW_CHECK(t, bin.min == 0.0 && bin.max == 1.0, "binary min/max %g %g", bin.min, bin.max);

    /* Starting with 1 (shift 1): mean 1 - n0/n. Only ones: variance 0, min = max = 1. */
    cw_moments ones;
    cw_moments_init(&ones);
    for (int k = 0; k < 10; k++) cw_moments_add01(&ones, k != 3);
    cw_moments_flush(&ones);
    CW_CHECK(t, ones.shift == 1.0 && cw_moments_mean(&ones) == 0.9, "shift-1 mean %.17g", cw_moments_mean(&ones));
    CW_CHECK_CLOSE(t, cw_moments_var(&ones), 0.1, 1e-15);
    cw_moments_init(&ones);
    for (int k = 0; k < 5; k++) cw_moments_add(&ones, 1.0);
    cw_moments_flush(&ones);
    CW_CHECK(t, cw_moments_var(&ones) == 0.0 && ones.min == 1.0 && ones.max == 1.0, "all ones");

    /* Revenue-like: mostly 0, some amounts far from 0/1, a few 1s, starting with an amount (the
     * shift is that amount and must not move afterwards: the bootstrap sums use it). Against a
     * long-double two-pass reference: relative 1e-12, as the first value sits ~300 sd from the
     * bulk, so the shifted values lose up to ~log2(300^2) bits to cancellation (1e-11 at worst). */
    cw_moments mix;
    cw_moments_init(&mix);
    long double sum = 0.0L, ss = 0.0L;
    const int N = 200000;
    double lo = INFINITY, hi = -INFINITY;
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < N; k++) {
            unsigned h = (unsigned)k * 2654435761u;
            double x = k == 0 ? 4321.25 : h % 20 == 0 ? 10.0 + (double)(h >> 20) / 64.0 : h % 97 == 0 ? 1.0 : 0.0;
            if (pass == 0) {
                cw_moments_add(&mix, x);
                sum += x;
                lo = x < lo ? x : lo;
                hi = x > hi ? x : hi;
            } else {
                long double d = x - sum / N;
                ss += d * d;
            }
        }
    CW_CHECK(t, mix.shift == 4321.25, "shift is the first value");
    cw_moments_flush(&mix);
    CW_CHECK(t, mix.n == N, "mixed n");
    CW_CHECK_CLOSE(t, cw_moments_mean(&mix), (double)(sum / N), 1e-13);
    CW_CHECK_CLOSE(t, cw_moments_var(&mix), (double)(ss / (N - 1)), 1e-12);
    CW_CHECK(t, mix.min == lo && mix.max == hi && lo == 0.0, "mixed min/max %g %g", mix.min, mix.max);
}
