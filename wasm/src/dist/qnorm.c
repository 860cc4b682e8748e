/* qnorm.c — the normal quantile function, cw_qnorm (R's qnorm).
 *
 * Method: M. J. Wichura (1988), "Algorithm AS 241: The percentage points of the normal
 * distribution", Applied Statistics 37, 477-484 (PPND16): rational approximations of degree 7
 * in three regions, |p - 1/2| <= 0.425, and beyond in r = sqrt(-log(min(p, 1-p))) for r <= 5
 * and r > 5. On the log scale r is formed from log p directly (never from exp(log p)), so tails
 * far past the double range (log p down to -1e300) still give finite quantiles.
 * Accuracy: Wichura quotes about 1 part in 10^16 for min(p, 1-p) >= 1e-300 (r <= 26.3); beyond
 * that (log_p only) the r > 5 rational is extrapolated up to r = 816 and the leading asymptotic
 * term sqrt(2) r is used past it, exactly as in R 4.1-4.2 (about 5 digits in between; R 4.3
 * added Newton steps there).
 */
#include "dist.h"
#include "dpq.h"

double cw_qnorm(double p, double mu, double sigma, int lower_tail, int log_p) {
    if (isnan(p) || isnan(mu) || isnan(sigma)) return p + mu + sigma;
    /* the boundaries p = 0, 1 (on either scale), and p outside [0, 1] */
    double edge;
    if (cwd_q_boundaries(p, lower_tail, log_p, -INFINITY, INFINITY, &edge)) return edge;
    if (sigma < 0) return NAN;
    if (sigma == 0) return mu;

    double p_ = cwd_dt_qiv(p, lower_tail, log_p); /* lower-tail probability */
    double q = p_ - 0.5, r, val;

    if (fabs(q) <= 0.425) { /* 0.075 <= p <= 0.925 */
        r = 0.180625 - q * q;
        val = q *
              (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r +
                    67265.770927008700853) * r + 45921.953931549871457) * r +
                  13731.693765509461125) * r + 1971.5909503065514427) * r +
                133.14166789178437745) * r + 3.387132872796366608) /
              (((((((r * 5226.495278852854561 + 28729.085735721942674) * r +
                    39307.89580009271061) * r + 21213.794301586595867) * r +
                  5394.1960214247511077) * r + 687.1870074920579083) * r +
                42.313330701600911252) * r + 1.0);
        return mu + sigma * val;
    }

    /* r = min(p, 1 - p) < 0.075, taken from the log directly when that is what we were given */
    double lr; /* log(min(p, 1 - p)) */
    if (log_p && ((lower_tail && q <= 0) || (!lower_tail && q > 0)))
        lr = p;
    else
        lr = log(q > 0 ? cwd_dt_civ(p, lower_tail, log_p) : p_);
    r = sqrt(-lr);

    if (r <= 5.0) { /* min(p, 1-p) >= exp(-25) ~= 1.4e-11 */
        r += -1.6;
        val = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r +
                    0.24178072517745061177) * r + 1.27045825245236838258) * r +
                  3.64784832476320460504) * r + 5.7694972214606914055) * r +
                4.6303378461565452959) * r + 1.42343711074968357734) /
              (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r +
                    0.0151986665636164571966) * r + 0.14810397642748007459) * r +
                  0.68976733498510000455) * r + 1.6763848301838038494) * r +
                2.05319162663775882187) * r + 1.0);
    } else if (log_p && r >= 816) {
        /* log(min(p, 1-p)) <= -816^2: the asymptotic value sqrt(2) r (as R 4.1-4.2) */
        val = r * CWD_SQRT2;
    } else {
        r += -5.0;
        val = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r +
                    0.0012426609473880784386) * r + 0.026532189526576123093) * r +
                  0.29656057182850489123) * r + 1.7848265399172913358) * r +
                5.4637849111641143699) * r + 6.6579046435011037772) /
              (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r +
                    1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
                  0.0148753612908506148525) * r + 0.13692988092273580531) * r +
                0.59983220655588793769) * r + 1.0);
    }
    if (q < 0.0) val = -val;
    return mu + sigma * val;
}
