/* proportions.h — comparing two proportions from counts, treatment x1 successes of n1 against
 * control x2 of n2: the Wilson interval of one rate, the difference of rates with the Wald and
 * Newcombe intervals, the pooled two-proportion z test, and the relative lift by the delta
 * method (the general form, for any two independent means, is cw_relative_lift).
 *
 * Every function fills a caller-owned result struct and allocates nothing. When an estimate
 * cannot be computed (an empty arm, a count outside 0..n, a formula that divides by zero),
 * `unavailable` names why and the dependent fields are NaN; otherwise `unavailable` is NULL and
 * every field is finite. Intervals are two-sided at level 1 - alpha, 0 < alpha < 1. */
#ifndef CW_PROPORTIONS_H
#define CW_PROPORTIONS_H

#include <stdint.h>

/* One rate x/n with its Wilson score interval, as R's prop.test(x, n, correct = FALSE). */
typedef struct {
    double rate, ci_low, ci_high;
    const char *unavailable;
} cw_rate_ci;
void cw_wilson(int64_t x, int64_t n, double alpha, cw_rate_ci *out);

/* x1/n1 - x2/n2 with the unpooled Wald interval difference -+ z se, clipped to [-1, 1] as R's
 * prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$conf.int is. Unavailable when se = 0 (both
 * rates are 0 or 1): the interval would be the single point. */
typedef struct {
    double difference, se, ci_low, ci_high;
    const char *unavailable;
} cw_prop_wald;
void cw_prop_wald_ci(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double alpha, cw_prop_wald *out);

/* x1/n1 - x2/n2 with Newcombe's hybrid score interval (method 10). Defined for every rate,
 * 0 and 1 included. */
typedef struct {
    double difference, ci_low, ci_high;
    const char *unavailable;
} cw_prop_newcombe;
void cw_prop_newcombe_ci(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double alpha,
                         cw_prop_newcombe *out);

/* The pooled two-proportion z test, two-sided: z = sign(difference) sqrt(chisq), chisq being
 * R's prop.test(correct = FALSE) statistic, p_value its upper chi-square(1) tail (= 2 Phi(-|z|)).
 * se is the pooled standard error sqrt(p (1 - p) (1/n1 + 1/n2)). small_expected: some expected
 * count of the 2x2 table is below 5 (R warns "Chi-squared approximation may be incorrect").
 * Unavailable when the pooled rate is 0 or 1. */
typedef struct {
    double difference, pooled_rate, se, z, chisq, p_value, min_expected;
    int small_expected;
    const char *unavailable;
} cw_prop_ztest;
void cw_prop_z_test(int64_t x1, int64_t n1, int64_t x2, int64_t n2, cw_prop_ztest *out);

/* Relative lift mean_t / mean_c - 1 with a delta-method interval on the ratio scale:
 * se^2 = var_t / mc^2 + mt^2 var_c / mc^4 (independent arms), interval lift -+ z se.
 * var_t and var_c are the variances of the two *means* (s^2 / n for a sample mean).
 * Unavailable when mean_c = 0, when se = 0, or for a NaN, infinite or negative input. */
typedef struct {
    double lift, se, ci_low, ci_high;
    const char *unavailable;
} cw_lift;
void cw_relative_lift(double mean_t, double var_of_mean_t, double mean_c, double var_of_mean_c,
                      double alpha, cw_lift *out);
/* The lift of rates, x1/n1 over x2/n2, with the log risk-ratio interval of Katz, Baptista,
 * Azen & Pike (1978, Biometrics 34:469-474): exp(log R -+ z sqrt((1-p1)/x1 + (1-p2)/x2)) - 1,
 * which cannot fall below -100% as the ratio-scale interval can for rare events; se is the
 * delta-method se of R. Unavailable when x2 = 0, x1 = 0, or both rates are 1. */
void cw_prop_lift(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double alpha, cw_lift *out);

#endif
