/* pnorm.c — the normal distribution function, cw_pnorm (R's pnorm), and the scaled
 * complementary error function used by the incomplete beta's large-parameter expansion.
 *
 * Method: Cody's near-minimax rational approximations for the normal integral,
 *   W. J. Cody (1969), "Rational Chebyshev approximations for the error function",
 *   Math. Comp. 23, 631-637, in the form of ANORM from
 *   W. J. Cody (1993), "Algorithm 715: SPECFUN", ACM TOMS 19, 22-32,
 * with three ranges |x| <= 0.674 (qnorm(3/4)), <= sqrt(32), and beyond (an asymptotic rational
 * in 1/x^2). In the two outer ranges the Gaussian factor exp(-x^2/2) is split as
 * exp(-xs^2/2) exp(-(x - xs)(x + xs)/2) with xs = trunc(16 x)/16, so that xs^2 is exact and the
 * factor keeps full relative accuracy (Cody's trick). The log scale is computed directly,
 * never as log(pnorm), so log_p stays accurate far past the underflow of the probability;
 * the tail farther from x is computed directly, never as 1 - p.
 * Accuracy: Cody quotes at least 18 significant digits for the rational functions; in double
 * the result is within a few ulp (relative), both tails, |x| up to 37.5 (38.4 upper) where
 * the probability underflows, and on the log scale up to |x| = 1e170.
 */
#include "dist.h"
#include "dpq.h"

/* Cody's coefficients (ANORM, Cody 1993). */
static const double cody_a[5] = {2.2352520354606839287, 161.02823106855587881,
                                 1067.6894854603709582, 18154.981253343561249,
                                 0.065682337918207449113};
static const double cody_b[4] = {47.20258190468824187, 976.09855173777669322,
                                 10260.932208618978205, 45507.789335026729956};
static const double cody_c[9] = {0.39894151208813466764, 8.8831497943883759412,
                                 93.506656132177855979,  597.27027639480026226,
                                 2494.5375852903726711,  6848.1904505362823326,
                                 11602.651437647350124,  9842.7148383839780218,
                                 1.0765576773720192317e-8};
static const double cody_d[8] = {22.266688044328115691, 235.38790178262499861,
                                 1519.377599407554805,  6485.558298266760755,
                                 18615.571640885098091, 34900.952721145977266,
                                 38912.003286093271411, 19685.429676859990727};
static const double cody_p[6] = {0.21589853405795699,     0.1274011611602473639,
                                 0.022235277870649807,    0.001421619193227893466,
                                 2.9112874951168792e-5,   0.02307344176494017303};
static const double cody_q[5] = {1.28426009614491121, 0.468238212480865118,
                                 0.0659881378689285515, 0.00378239633202758244,
                                 7.29751555083966205e-5};

/* For y = |x| > 0.674: the factor R(y) with Phi(-y) = exp(-y^2/2) R(y). */
static double cody_tail_factor(double y) {
    double num, den;
    if (y <= CWD_SQRT_32) {
        num = cody_c[8] * y;
        den = y;
        for (int i = 0; i < 7; i++) {
            num = (num + cody_c[i]) * y;
            den = (den + cody_d[i]) * y;
        }
        return (num + cody_c[7]) / (den + cody_d[7]);
    }
    double xsq = 1.0 / (y * y);
    num = cody_p[5] * xsq;
    den = xsq;
    for (int i = 0; i < 4; i++) {
        num = (num + cody_p[i]) * xsq;
        den = (den + cody_q[i]) * xsq;
    }
    double t = xsq * (num + cody_p[4]) / (den + cody_q[4]);
    return (CWD_1_SQRT_2PI - t) / y;
}

void cwd_pnorm_both(double x, double *cum, double *ccum, int i_tail, int log_p) {
    const double eps = DBL_EPSILON * 0.5;
    int lower = i_tail != 1, upper = i_tail != 0;
    double y = fabs(x);

    if (isnan(x)) {
        *cum = *ccum = x;
        return;
    }
    if (y <= 0.67448975) {
        double num = 0.0, den = 0.0;
        if (y > eps) {
            double xsq = x * x;
            num = cody_a[4] * xsq;
            den = xsq;
            for (int i = 0; i < 3; i++) {
                num = (num + cody_a[i]) * xsq;
                den = (den + cody_b[i]) * xsq;
            }
        }
        double t = x * (num + cody_a[3]) / (den + cody_b[3]);
        if (lower) *cum = log_p ? log(0.5 + t) : 0.5 + t;
        if (upper) *ccum = log_p ? log(0.5 - t) : 0.5 - t;
        return;
    }
    /* Past these the smaller tail underflows (Cody's cut-offs): only log_p goes on. */
    if ((log_p && y < 1e170) || (lower && -37.5193 < x && x < 8.2924) ||
        (upper && -8.2924 < x && x < 37.5193)) {
        double r = cody_tail_factor(y);
        double xs = trunc(y * 16) / 16; /* xs^2 exact */
        double del = (y - xs) * (y + xs);
        double small, big; /* small = Phi(-y), big = Phi(y), on the requested scale */
        if (log_p) {
            small = (-xs * xs * 0.5) + (-del * 0.5) + log(r);
            big = log1p(-exp(-xs * xs * 0.5) * exp(-del * 0.5) * r);
        } else {
            small = exp(-xs * xs * 0.5) * exp(-del * 0.5) * r;
            big = 1.0 - small;
        }
        if (x > 0) {
            *cum = big;
            *ccum = small;
        } else {
            *cum = small;
            *ccum = big;
        }
        return;
    }
    if (x > 0) {
        *cum = cwd_d1(log_p);
        *ccum = cwd_d0(log_p);
    } else {
        *cum = cwd_d0(log_p);
        *ccum = cwd_d1(log_p);
    }
}

double cw_pnorm(double x, double mu, double sigma, int lower_tail, int log_p) {
    if (isnan(x) || isnan(mu) || isnan(sigma)) return x + mu + sigma;
    if (!isfinite(x) && mu == x) return NAN; /* x - mu is NaN */
    if (sigma <= 0) {
        if (sigma < 0) return NAN;
        return (x < mu) ? cwd_dt0(lower_tail, log_p) : cwd_dt1(lower_tail, log_p);
    }
    double z = (x - mu) / sigma;
    if (!isfinite(z)) return (x < mu) ? cwd_dt0(lower_tail, log_p) : cwd_dt1(lower_tail, log_p);
    double p, cp;
    cwd_pnorm_both(z, &p, &cp, lower_tail ? 0 : 1, log_p);
    return lower_tail ? p : cp;
}

double cwd_erfcx(double x) {
    /* erfc(x) = 2 Phi(-sqrt(2) x), so exp(x^2) erfc(x) = 2 R(sqrt(2) x) with R as above;
     * the rounding of sqrt(2) x only perturbs R, not a Gaussian factor. */
    double y = CWD_SQRT2 * x;
    if (y <= 0.67448975) {
        double p, cp;
        cwd_pnorm_both(-y, &p, &cp, 0, 0);
        return 2.0 * exp(x * x) * p;
    }
    return 2.0 * cody_tail_factor(y);
}

double cwd_dnorm(double x, int give_log) {
    if (isnan(x)) return x;
    x = fabs(x);
    if (give_log) return -(CWD_LN_SQRT_2PI + 0.5 * x * x);
    if (x >= 2 * sqrt(DBL_MAX)) return 0.0;
    if (x < 5) return CWD_1_SQRT_2PI * exp(-0.5 * x * x);
    /* split x = x1 + x2 with x1 a multiple of 2^-16, so that x1^2 is exact (Welinder, as R) */
    double x1 = ldexp(nearbyint(ldexp(x, 16)), -16), x2 = x - x1;
    return CWD_1_SQRT_2PI * (exp(-0.5 * x1 * x1) * exp((-0.5 * x2 - x1) * x2));
}
