/* pf.c — the F distribution and quantile functions, cw_pf and cw_qf (R's pf and qf).
 *
 * Method: for F ~ F(m, n), P[F <= x] = I_{m x/(n + m x)}(m/2, n/2) (A&S 26.6.2), evaluated by
 * TOMS 708 (pbeta.c) on whichever of the two beta arguments is below 1/2 in effect (the
 * complementary form I_{n/(n + m x)}(n/2, m/2) when m x > n), so the beta argument is never
 * squeezed against 1. Infinite df go to the chi-square limits (A&S 26.6.10-11), as in R.
 * qf inverts the same relation through qbeta (qbeta.c), x = (1/B - 1) n/m with
 * B = qbeta(p, n/2, m/2, !lower_tail); like R it uses the chi-square limits when the df beyond
 * 4e5 exceeds the other (qchisq(p, m)/m, or n / qchisq(1-p, n)).
 * Accuracy: pf as pbeta. qf: as qbeta, except where B is close to 1 (the F quantile is then
 * small): R forms 1/B - 1 there and loses log10(1/(1 - B)) digits; we take 1 - B from qbeta
 * without cancellation (see tests/c/test_dist.c for how that region is checked).
 */
#include "dist.h"
#include "dpq.h"

double cw_pf(double x, double df1, double df2, int lower_tail, int log_p) {
    if (isnan(x) || isnan(df1) || isnan(df2)) return x + df2 + df1;
    if (df1 <= 0. || df2 <= 0.) return NAN;
    if (x <= 0.) return cwd_dt0(lower_tail, log_p);
    if (x >= INFINITY) return cwd_dt1(lower_tail, log_p);

    if (df2 == INFINITY) {
        if (df1 == INFINITY) {
            if (x < 1.) return cwd_dt0(lower_tail, log_p);
            if (x == 1.) return (log_p ? -CWD_LN2 : .5);
            return cwd_dt1(lower_tail, log_p);
        }
        return cw_pchisq(x * df1, df1, lower_tail, log_p);
    }
    if (df1 == INFINITY) return cw_pchisq(df2 / x, df2, !lower_tail, log_p);

    double r;
    if (df1 * x > df2)
        r = cw_pbeta(df2 / (df2 + df1 * x), df2 / 2., df1 / 2., !lower_tail, log_p);
    else
        r = cw_pbeta(df1 * x / (df2 + df1 * x), df1 / 2., df2 / 2., lower_tail, log_p);
    return isnan(r) ? NAN : r;
}

double cw_qf(double p, double df1, double df2, int lower_tail, int log_p) {
    if (isnan(p) || isnan(df1) || isnan(df2)) return p + df1 + df2;
    if (df1 <= 0. || df2 <= 0.) return NAN;
    if (log_p) {
        if (p > 0) return NAN;
        if (p == 0) return lower_tail ? INFINITY : 0;
        if (p == -INFINITY) return lower_tail ? 0 : INFINITY;
    } else {
        if (p < 0 || p > 1) return NAN;
        if (p == 0) return lower_tail ? 0 : INFINITY;
        if (p == 1) return lower_tail ? INFINITY : 0;
    }
    /* the large-df limits, as R (qbeta cannot resolve them) */
    if (df1 <= df2 && df2 > 4e5) {
        if (!isfinite(df1)) return 1.; /* df1 = df2 = Inf */
        return cw_qchisq(p, df1, lower_tail, log_p) / df1;
    }
    if (df1 > 4e5) return df2 / cw_qchisq(p, df2, !lower_tail, log_p);

    double qb[2];
    cwd_qbeta_both(p, df2 / 2, df1 / 2, !lower_tail, log_p, qb);
    /* 1/B - 1 = (1 - B)/B, with 1 - B from qbeta directly */
    double r = (qb[1] / qb[0]) * (df2 / df1);
    return isnan(r) ? NAN : r; /* Inf is a valid answer (B underflowed), as in R */
}
