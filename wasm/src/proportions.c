/* proportions.c — two proportions from counts: Wilson, Wald, Newcombe, the pooled z test and the
 * delta-method relative lift. z = qnorm(1 - alpha/2) throughout, taken as the upper tail
 * cw_qnorm(alpha/2, lower_tail = 0) directly.
 *
 * Wilson score interval for one rate (Wilson 1927, JASA 22:209-212; Newcombe 1998, Stat Med
 * 17:857-872, method 3, no continuity correction):
 *     (x + z^2/2 -+ z sqrt(x (n - x)/n + z^2/4)) / (n + z^2).
 * The upper end is computed as written (a sum of positive terms); the lower end as
 *     x^2 / (n (n + z^2)) / upper,
 * the same number (center^2 - half^2 = x^2 / (n (n + z^2))) without the cancellation of
 * center - half, so a small rate keeps full relative accuracy and x = 0 gives exactly 0; x = n
 * gives an upper end of exactly 1. This is the interval of R's prop.test(x, n, correct = FALSE).
 *
 * Newcombe's hybrid score interval for p1 - p2 (Newcombe 1998, Stat Med 17:873-890, method 10,
 * the Wilson intervals (l1, u1), (l2, u2) of each arm at the same z, no continuity correction):
 *     L = (p1 - p2) - sqrt((p1 - l1)^2 + (u2 - p2)^2),
 *     U = (p1 - p2) + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 * The distances p - l and u - p are formed directly as half -+ z^2 (p - 1/2)/(n + z^2) (half the
 * Wilson width, and the offset of its center from p) rather than by subtracting the ends: at
 * n = 10^6 the subtraction would lose 3 digits (the same formula evaluated by subtraction in R is
 * off by 1.3e-13 there, against 50-digit mpmath; this form by 3e-15).
 *
 * Wald (unpooled) interval: (p1 - p2) -+ z sqrt(p1 q1/n1 + p2 q2/n2), clipped to [-1, 1] as in
 * R's prop.test, whose interval for two groups with correct = FALSE it is.
 *
 * Pooled z test: with p = (x1 + x2)/(n1 + n2), Pearson's X^2 over the 2x2 table
 * (x1, x2, n1 - x1, n2 - x2) against the expected counts (n1 p, n2 p, n1 (1-p), n2 (1-p)),
 * exactly R's prop.test(correct = FALSE) statistic; X^2 = z^2 with z = (p1 - p2) /
 * sqrt(p (1 - p) (1/n1 + 1/n2)), and z is reported as sign(p1 - p2) sqrt(X^2) as R does. The
 * p-value is the chi-square(1) upper tail cw_pchisq(X^2, 1, lower_tail = 0), computed directly.
 * The four terms are summed with Neumaier's compensated summation (R accumulates in long double;
 * a compensated double sum comes closest without depending on the width of long double, which
 * differs between the native and the WASM builds).
 *
 * Relative lift R - 1, R = mt/mc, for independent arms by the (multivariate) delta method
 * (Casella & Berger 2002, Statistical Inference, 2nd ed., sec. 5.5.4; for A/B metrics Deng,
 * Knoblich & Lu 2018, "Applying the Delta Method in Metric Analytics", KDD '18, arXiv:1803.06336,
 * the percent change of two independent means): on the ratio scale,
 *     Var(R) ~ var_t / mc^2 + mt^2 var_c / mc^4,
 * computed as (var_t + R^2 var_c) / mc^2, and the interval (R - 1) -+ z sqrt(Var(R)). The ratio
 * scale rather than log(R) because the lead applies the same function to means, which can be
 * zero or negative (log R needs mt/mc > 0); the price is an interval that can reach below -1
 * for a rate. For rates, var = p (1 - p)/n, the same variance of the mean the Wald interval uses.
 *
 * Accuracy, against R 4.2.2 (tests/fixtures/counts_r.tsv, tests/c/test_counts.c): differences,
 * SEs, X^2 and z are bit-identical to R's; p-values within 5e-14 relative (cw_pchisq's error near
 * 1e-220); Wilson, Wald and lift ends within 1.1e-14 (an end near 0 loses relative digits to its
 * own subtraction, in R as here); Newcombe ends within 1.3e-13, R's rounding (see above).
 */
#include "proportions.h"

#include <math.h>

#include "dist/dist.h"

/* Why (x, n) cannot be a rate, or NULL. */
static const char *bad_counts(int64_t x, int64_t n) {
    if (n < 1) return "an arm has no observations";
    if (x < 0 || x > n) return "a count of successes is negative or larger than its arm";
    return 0;
}

static const char *bad_alpha(double alpha) {
    return alpha > 0.0 && alpha < 1.0 ? 0 : "alpha must be between 0 and 1";
}

/* The two-sided normal quantile qnorm(1 - alpha/2), as an upper tail. */
static double z_of(double alpha) { return cw_qnorm(alpha / 2.0, 0.0, 1.0, 0, 0); }

/* Wilson interval of x/n at quantile z (inputs already checked); also, when below and above are
 * not NULL, the distances p - lower and upper - p, formed as half -+ shift with
 * shift = z^2 (p - 1/2) / (n + z^2) = p - center, so that a narrow interval (large n) does not
 * lose digits to p - lower. */
static void wilson(int64_t xi, int64_t ni, double z, double *lo, double *hi, double *below, double *above) {
    double x = (double)xi, n = (double)ni, z2 = z * z, den = n + z2;
    double center = (x + z2 / 2.0) / den;
    double half = z * sqrt(x * (n - x) / n + z2 / 4.0) / den;
    double upper = center + half;
    *lo = xi == 0 ? 0.0 : (x / n) * (x / den) / upper;
    *hi = xi == ni ? 1.0 : upper;
    if (below) {
        double shift = z2 * (x / n - 0.5) / den;
        *below = xi == 0 ? 0.0 : half + shift;
        *above = xi == ni ? 0.0 : half - shift;
    }
}

void cw_wilson(int64_t x, int64_t n, double alpha, cw_rate_ci *out) {
    out->rate = out->ci_low = out->ci_high = NAN;
    const char *why = bad_counts(x, n);
    if (why) {
        out->unavailable = why;
        return;
    }
    out->rate = (double)x / (double)n;
    if ((why = bad_alpha(alpha))) {
        out->unavailable = why;
        return;
    }
    wilson(x, n, z_of(alpha), &out->ci_low, &out->ci_high, 0, 0);
    out->unavailable = 0;
}

/* Checks both arms; sets *difference (NaN when an arm is unusable). Returns the reason or NULL. */
static const char *two_arms(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double *difference) {
    const char *why = bad_counts(x1, n1);
    if (!why) why = bad_counts(x2, n2);
    *difference = why ? NAN : (double)x1 / (double)n1 - (double)x2 / (double)n2;
    return why;
}

void cw_prop_wald_ci(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double alpha, cw_prop_wald *out) {
    out->se = out->ci_low = out->ci_high = NAN;
    const char *why = two_arms(x1, n1, x2, n2, &out->difference);
    if (!why) why = bad_alpha(alpha);
    if (why) {
        out->unavailable = why;
        return;
    }
    double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
    double se = sqrt(p1 * (1.0 - p1) / (double)n1 + p2 * (1.0 - p2) / (double)n2);
    if (!(se > 0.0)) {
        out->unavailable = "both rates are 0 or 1, so the Wald standard error is 0";
        return;
    }
    double width = z_of(alpha) * se;
    out->se = se;
    out->ci_low = fmax(out->difference - width, -1.0);
    out->ci_high = fmin(out->difference + width, 1.0);
    out->unavailable = 0;
}

void cw_prop_newcombe_ci(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double alpha,
                         cw_prop_newcombe *out) {
    out->ci_low = out->ci_high = NAN;
    const char *why = two_arms(x1, n1, x2, n2, &out->difference);
    if (!why) why = bad_alpha(alpha);
    if (why) {
        out->unavailable = why;
        return;
    }
    /* a = p1 - l1, b = u2 - p2, c = u1 - p1, d = p2 - l2 */
    double z = z_of(alpha), l1, u1, l2, u2, a, b, c, d;
    wilson(x1, n1, z, &l1, &u1, &a, &c);
    wilson(x2, n2, z, &l2, &u2, &d, &b);
    out->ci_low = out->difference - sqrt(a * a + b * b);
    out->ci_high = out->difference + sqrt(c * c + d * d);
    out->unavailable = 0;
}

/* Neumaier's compensated sum of n terms. */
static double sum_compensated(const double *v, int n) {
    double s = 0.0, c = 0.0;
    for (int i = 0; i < n; i++) {
        double t = s + v[i];
        c += fabs(s) >= fabs(v[i]) ? (s - t) + v[i] : (v[i] - t) + s;
        s = t;
    }
    return s + c;
}

void cw_prop_z_test(int64_t x1, int64_t n1, int64_t x2, int64_t n2, cw_prop_ztest *out) {
    out->pooled_rate = out->se = out->z = out->chisq = out->p_value = out->min_expected = NAN;
    out->small_expected = 0;
    const char *why = two_arms(x1, n1, x2, n2, &out->difference);
    if (why) {
        out->unavailable = why;
        return;
    }
    double a = (double)n1, b = (double)n2;
    double p = (double)(x1 + x2) / (a + b);
    out->pooled_rate = p;
    if (x1 + x2 == 0 || x1 + x2 == n1 + n2) {
        out->unavailable = x1 + x2 == 0 ? "neither arm has a success, so the test is 0/0"
                                        : "every observation is a success, so the test is 0/0";
        return;
    }
    /* R's prop.test: x <- cbind(x, n - x); E <- cbind(n * p, n * (1 - p)), column by column. */
    double obs[4] = {(double)x1, (double)x2, (double)(n1 - x1), (double)(n2 - x2)};
    double exp_[4] = {a * p, b * p, a * (1.0 - p), b * (1.0 - p)};
    double term[4], emin = exp_[0];
    for (int i = 0; i < 4; i++) {
        double dev = fabs(obs[i] - exp_[i]);
        term[i] = dev * dev / exp_[i];
        if (exp_[i] < emin) emin = exp_[i];
    }
    double x2stat = sum_compensated(term, 4);
    out->chisq = x2stat;
    out->z = out->difference == 0.0 ? 0.0 : copysign(sqrt(x2stat), out->difference);
    out->se = sqrt(p * (1.0 - p) * (1.0 / a + 1.0 / b));
    out->p_value = cw_pchisq(x2stat, 1.0, 0, 0);
    out->min_expected = emin;
    out->small_expected = emin < 5.0;
    out->unavailable = 0;
}

void cw_relative_lift(double mean_t, double var_of_mean_t, double mean_c, double var_of_mean_c,
                      double alpha, cw_lift *out) {
    out->lift = out->se = out->ci_low = out->ci_high = NAN;
    if (!isfinite(mean_t) || !isfinite(mean_c) || !isfinite(var_of_mean_t) || !isfinite(var_of_mean_c)) {
        out->unavailable = "a mean or a variance is not a finite number";
        return;
    }
    if (var_of_mean_t < 0.0 || var_of_mean_c < 0.0) {
        out->unavailable = "a variance is negative";
        return;
    }
    if (mean_c == 0.0) {
        out->unavailable = "the control mean is 0, so a relative change cannot be computed";
        return;
    }
    double r = mean_t / mean_c;
    if (!isfinite(r)) {
        out->unavailable = "the control mean is too close to 0 for a relative change";
        return;
    }
    out->lift = r - 1.0;
    const char *why = bad_alpha(alpha);
    if (why) {
        out->unavailable = why;
        return;
    }
    double se = sqrt(var_of_mean_t + r * r * var_of_mean_c) / fabs(mean_c);
    if (!(se > 0.0) || !isfinite(se)) {
        out->unavailable = se > 0.0 ? "the standard error of the lift overflows"
                                    : "both means have zero variance, so the lift has no standard error";
        return;
    }
    double width = z_of(alpha) * se;
    out->se = se;
    out->ci_low = out->lift - width;
    out->ci_high = out->lift + width;
    out->unavailable = 0;
}

void cw_prop_lift(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double alpha, cw_lift *out) {
    double difference;
    const char *why = two_arms(x1, n1, x2, n2, &difference);
    if (!why && x2 == 0) why = "the control rate is 0, so a relative change cannot be computed";
    if (!why && x1 == 0) why = "the treatment arm has no successes, so the log-ratio interval cannot be computed";
    if (!why && x1 == n1 && x2 == n2) why = "both rates are 1, so the lift has no standard error";
    out->lift = out->se = out->ci_low = out->ci_high = NAN;
    if (bad_counts(x1, n1) == 0 && bad_counts(x2, n2) == 0 && x2 > 0)
        out->lift = ((double)x1 / (double)n1) / ((double)x2 / (double)n2) - 1.0;
    if (why) {
        out->unavailable = why;
        return;
    }
    /* Katz et al. (1978): log(p1/p2) is close to normal with variance (1-p1)/x1 + (1-p2)/x2 */
    double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2, ratio = p1 / p2;
    double se_log = sqrt((1.0 - p1) / (double)x1 + (1.0 - p2) / (double)x2);
    double z = cw_qnorm(alpha / 2.0, 0.0, 1.0, 0, 0);
    out->se = ratio * se_log; /* the delta-method se of the ratio */
    out->ci_low = exp(log(ratio) - z * se_log) - 1.0;
    out->ci_high = exp(log(ratio) + z * se_log) - 1.0;
    out->unavailable = 0;
    if (!isfinite(out->ci_high)) { /* a tiny alpha with few successes: beyond the doubles */
        out->ci_low = out->ci_high = NAN;
        out->unavailable = "the interval is too wide to represent at this confidence level";
    }
}
