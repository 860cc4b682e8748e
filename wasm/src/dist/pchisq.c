/* pchisq.c — the chi-square distribution and quantile functions, cw_pchisq and cw_qchisq
 * (R's pchisq and qchisq): chi-square(df) is gamma(shape = df/2, scale = 2), A&S 26.4.19, so
 * both delegate to pgamma.c (Welinder's incomplete gamma) and qgamma.c (AS 91 + Newton).
 * As in R, df = 0 is the point mass at 0 and df < 0 gives NaN.
 * Accuracy: that of pgamma and qgamma.
 */
#include "dist.h"

double cw_pchisq(double x, double df, int lower_tail, int log_p) {
    return cw_pgamma(x, df / 2., 2., lower_tail, log_p);
}

double cw_qchisq(double p, double df, int lower_tail, int log_p) {
    return cw_qgamma(p, 0.5 * df, 2.0, lower_tail, log_p);
}
