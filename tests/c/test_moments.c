/* test_moments.c — Welford updates and Chan merges against exact small cases and a hard case
 * for the textbook formula (large offset, tiny spread). */
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
}
