/* pgamma.c — the regularised incomplete gamma function P(a, x/scale): cw_pgamma (R's pgamma),
 * with the gamma density and the Poisson term it is built on (internal).
 *
 * Method: M. Welinder's algorithm (Gnumeric 2005, R's pgamma since 2.2), which writes both tails
 * as a Poisson probability d = x^a e^-x / Gamma(a+1) (Loader's saddle-point form: C. Loader
 * (2000), "Fast and accurate computation of binomial probabilities", with stirlerr and bd0)
 * times a ratio computed by whichever expansion converges without cancellation:
 *   x < 1:                      the series of A&S 6.5.29 (lower tail), with the upper tail as
 *                               -(f1m1 + f2m1 + f1m1 f2m1) from expm1/log1p pieces;
 *   x <= a - 1 (a large):       the series sum x^n / ((a+1)...(a+n)) for the lower tail;
 *   x > a - 1 (x large):        the asymptotic series / continued fraction of A&S 6.5.31-32
 *                               for the upper tail;
 *   x near a (both large):      Temme's uniform asymptotic expansion in the normal
 *                               distribution (the Poisson-tail form of I. Smith), A&S 26.2.12
 *                               for the Mills ratio on the log scale.
 * The far tail is computed directly on the requested scale; on the probability scale results
 * below 1e-292 are recomputed through the log to avoid gradual underflow.
 * Accuracy: about 1e-15 relative in the body; far tails as R (see tests/c/test_dist.c).
 */
#include "dist.h"
#include "dpq.h"

/* (2^32)^8 = 2^256: rescaling step for the continued fractions */
static const double scalefactor = 1.157920892373161954235709850086879078533e+77;
/* If |x| > |k| M_cutoff, then log(exp(-x) k^x) ~= -x */
static const double M_cutoff = CWD_LN2 * DBL_MAX_EXP / DBL_EPSILON;

double cwd_dpois_raw(double x, double lambda, int give_log) {
    if (lambda == 0) return (x == 0) ? cwd_d1(give_log) : cwd_d0(give_log);
    if (!isfinite(lambda)) return cwd_d0(give_log);
    if (x < 0) return cwd_d0(give_log);
    if (x <= lambda * DBL_MIN) return give_log ? -lambda : exp(-lambda);
    if (lambda < x * DBL_MIN) {
        if (!isfinite(x)) return cwd_d0(give_log);
        double l = -lambda + x * log(lambda) - cw_lgamma(x + 1);
        return give_log ? l : exp(l);
    }
    /* Loader: exp(-stirlerr(x) - bd0(x, lambda)) / sqrt(2 pi x) */
    double f = 2 * CWD_PI * x, e = -cwd_stirlerr(x) - cwd_bd0(x, lambda);
    return give_log ? -0.5 * log(f) + e : exp(e) / sqrt(f);
}

/* dpois(x_plus_1 - 1, lambda) for real x_plus_1 > 0 */
static double dpois_wrap(double x_plus_1, double lambda, int give_log) {
    if (!isfinite(lambda)) return cwd_d0(give_log);
    if (x_plus_1 > 1) return cwd_dpois_raw(x_plus_1 - 1, lambda, give_log);
    if (lambda > fabs(x_plus_1 - 1) * M_cutoff) {
        double l = -lambda - cw_lgamma(x_plus_1);
        return give_log ? l : exp(l);
    }
    double d = cwd_dpois_raw(x_plus_1, lambda, give_log);
    return give_log ? d + log(x_plus_1 / lambda) : d * (x_plus_1 / lambda);
}

/* A&S 6.5.29, each term multiplied by alph and the leading 1 left out */
static double pgamma_smallx(double x, double alph, int lower_tail, int log_p) {
    double sum = 0, c = alph, n = 0, term;
    do {
        n++;
        c *= -x / n;
        term = c / (alph + n);
        sum += term;
    } while (fabs(term) > DBL_EPSILON * fabs(sum));

    if (lower_tail) {
        double f1 = log_p ? log1p(sum) : 1 + sum, f2;
        if (alph > 1) {
            f2 = cwd_dpois_raw(alph, x, log_p);
            f2 = log_p ? f2 + x : f2 * exp(x);
        } else if (log_p) {
            f2 = alph * log(x) - cwd_lgamma1p(alph);
        } else {
            f2 = pow(x, alph) / exp(cwd_lgamma1p(alph));
        }
        return log_p ? f1 + f2 : f1 * f2;
    }
    double lf2 = alph * log(x) - cwd_lgamma1p(alph);
    if (log_p) return cwd_log1mexp(log1p(sum) + lf2);
    double f1m1 = sum, f2m1 = expm1(lf2);
    return -(f1m1 + f2m1 + f1m1 * f2m1);
}

/* sum_{n>=1} x^n / (y (y+1) ... (y+n-1)) */
static double pd_upper_series(double x, double y, int log_p) {
    double term = x / y, sum = term;
    do {
        y++;
        term *= x / y;
        sum += term;
    } while (term > sum * DBL_EPSILON);
    return log_p ? log(sum) : sum;
}

/* continued fraction for the scaled upper tail, ~ (y/d) (1 + (1-y)/d + ...) */
static double pd_lower_cf(double y, double d) {
    double f = 0.0, of, f0, i, c2, c3, c4, a1, b1, a2, b2;
    const double max_it = 200000;
    if (y == 0) return 0;
    f0 = y / d;
    if (fabs(y - 1) < fabs(d) * DBL_EPSILON) return f0;
    if (f0 > 1.) f0 = 1.;
    c2 = y;
    c4 = d;
    a1 = 0;
    b1 = 1;
    a2 = y;
    b2 = d;
    while (b2 > scalefactor) {
        a1 /= scalefactor;
        b1 /= scalefactor;
        a2 /= scalefactor;
        b2 /= scalefactor;
    }
    i = 0;
    of = -1.;
    while (i < max_it) {
        i++;
        c2--;
        c3 = i * c2;
        c4 += 2;
        a1 = c4 * a2 + c3 * a1;
        b1 = c4 * b2 + c3 * b1;
        i++;
        c2--;
        c3 = i * c2;
        c4 += 2;
        a2 = c4 * a1 + c3 * a2;
        b2 = c4 * b1 + c3 * b2;
        if (b2 > scalefactor) {
            a1 /= scalefactor;
            b1 /= scalefactor;
            a2 /= scalefactor;
            b2 /= scalefactor;
        }
        if (b2 != 0) {
            f = a2 / b2;
            if (fabs(f - of) <= DBL_EPSILON * fmax(f0, fabs(f))) return f;
            of = f;
        }
    }
    return f; /* not reached in practice */
}

/* sum_{n>=0} y (y-1) ... (y-n) / lambda^(n+1) */
static double pd_lower_series(double lambda, double y) {
    double term = 1, sum = 0;
    while (y >= 1 && term > sum * DBL_EPSILON) {
        term *= y / lambda;
        sum += term;
        y--;
    }
    if (y != floor(y)) {
        /* the terms would start growing: finish with the continued fraction */
        double f = pd_lower_cf(y, lambda + 1 - y);
        sum += term * f;
    }
    return sum;
}

/* dnorm(x) / pnorm(x, lower_tail), with lp = pnorm(x, lower_tail, log) (A&S 26.2.12) */
static double dpnorm(double x, int lower_tail, double lp) {
    if (x < 0) {
        x = -x;
        lower_tail = !lower_tail;
    }
    if (x > 10 && !lower_tail) {
        double term = 1 / x, sum = term, x2 = x * x, i = 1;
        do {
            term *= -i / x2;
            sum += term;
            i += 2;
        } while (fabs(term) > DBL_EPSILON * sum);
        return 1 / sum;
    }
    return cwd_dnorm(x, 0) / exp(lp);
}

/* Temme's uniform expansion of the Poisson tail P[X <= x], X ~ Poisson(lambda) */
static double ppois_asymp(double x, double lambda, int lower_tail, int log_p) {
    static const double coefs_a[8] = {
        -1e99, 2 / 3., -4 / 135., 8 / 2835., 16 / 8505., -8992 / 12629925.,
        -334144 / 492567075., 698752 / 1477701225.};
    static const double coefs_b[8] = {
        -1e99, 1 / 12., 1 / 288., -139 / 51840., -571 / 2488320., 163879 / 209018880.,
        5246819 / 75246796800., -534703531 / 902961561600.};
    double dfm = lambda - x;
    double pt_ = -cwd_log1pmx(dfm / x);
    double s2pt = sqrt(2 * x * pt_);
    if (dfm < 0) s2pt = -s2pt;

    double res12 = 0, res1_term = sqrt(x), res1_ig = res1_term, res2_term = s2pt,
           res2_ig = res2_term;
    for (int i = 1; i < 8; i++) {
        res12 += res1_ig * coefs_a[i];
        res12 += res2_ig * coefs_b[i];
        res1_term *= pt_ / i;
        res2_term *= 2 * pt_ / (2 * i + 1);
        res1_ig = res1_ig / x + res1_term;
        res2_ig = res2_ig / x + res2_term;
    }
    double elfb = x, elfb_term = 1;
    for (int i = 1; i < 8; i++) {
        elfb += elfb_term * coefs_b[i];
        elfb_term /= x;
    }
    if (!lower_tail) elfb = -elfb;
    double f = res12 / elfb;
    double np = cw_pnorm(s2pt, 0.0, 1.0, !lower_tail, log_p);
    if (log_p) {
        double n_d_over_p = dpnorm(s2pt, !lower_tail, np);
        return np + log1p(f * n_d_over_p);
    }
    double nd = cwd_dnorm(s2pt, 0);
    return np + f * nd;
}

double cwd_pgamma_raw(double x, double alph, int lower_tail, int log_p) {
    double res;
    if (x <= 0) return cwd_dt0(lower_tail, log_p);
    if (x >= INFINITY) return cwd_dt1(lower_tail, log_p);

    if (x < 1) {
        res = pgamma_smallx(x, alph, lower_tail, log_p);
    } else if (x <= alph - 1 && x < 0.8 * (alph + 50)) {
        /* alph large against x */
        double sum = pd_upper_series(x, alph, log_p);
        double d = dpois_wrap(alph, x, log_p);
        if (!lower_tail)
            res = log_p ? cwd_log1mexp(d + sum) : 1 - d * sum;
        else
            res = log_p ? sum + d : sum * d;
    } else if (alph - 1 < x && alph < 0.8 * (x + 50)) {
        /* x large against alph */
        double sum, d = dpois_wrap(alph, x, log_p);
        if (alph < 1) {
            if (x * DBL_EPSILON > 1 - alph) {
                sum = cwd_d1(log_p);
            } else {
                double f = pd_lower_cf(alph, x - (alph - 1)) * x / alph;
                sum = log_p ? log(f) : f;
            }
        } else {
            sum = pd_lower_series(x, alph - 1);
            sum = log_p ? log1p(sum) : 1 + sum;
        }
        if (!lower_tail)
            res = log_p ? sum + d : sum * d;
        else
            res = log_p ? cwd_log1mexp(d + sum) : 1 - d * sum;
    } else { /* x >= 1 and x near alph */
        res = ppois_asymp(alph - 1, x, !lower_tail, log_p);
    }
    /* near DBL_MIN the probability scale loses digits to underflow: redo through the log */
    if (!log_p && res < DBL_MIN / DBL_EPSILON) return exp(cwd_pgamma_raw(x, alph, lower_tail, 1));
    return res;
}

double cw_pgamma(double x, double shape, double scale, int lower_tail, int log_p) {
    if (isnan(x) || isnan(shape) || isnan(scale)) return x + shape + scale;
    if (shape < 0. || scale <= 0.) return NAN;
    x /= scale;
    if (isnan(x)) return x; /* e.g. x = scale = Inf */
    if (shape == 0.) /* point mass at 0 */
        return (x <= 0) ? cwd_dt0(lower_tail, log_p) : cwd_dt1(lower_tail, log_p);
    return cwd_pgamma_raw(x, shape, lower_tail, log_p);
}

double cwd_dgamma(double x, double shape, double scale, int give_log) {
    double pr;
    if (isnan(x) || isnan(shape) || isnan(scale)) return x + shape + scale;
    if (shape < 0 || scale <= 0) return NAN;
    if (x < 0) return cwd_d0(give_log);
    if (shape == 0) return (x == 0) ? INFINITY : cwd_d0(give_log);
    if (x == 0) {
        if (shape < 1) return INFINITY;
        if (shape > 1) return cwd_d0(give_log);
        return give_log ? -log(scale) : 1 / scale;
    }
    if (shape < 1) {
        pr = cwd_dpois_raw(shape, x / scale, give_log);
        return give_log ? pr + (isfinite(shape / x) ? log(shape / x) : log(shape) - log(x))
                        : pr * shape / x;
    }
    pr = cwd_dpois_raw(shape - 1, x / scale, give_log);
    return give_log ? pr - log(scale) : pr / scale;
}
