/* qgamma.c — the gamma quantile function, cw_qgamma (R's qgamma).
 *
 * Method: D. J. Best and D. E. Roberts (1975), "Algorithm AS 91: The percentage points of the
 * chi-squared distribution", Applied Statistics 24, 385-388: a starting value (the
 * small-chi-square power form, Wilson-Hilferty, or an iteration for small df), then the
 * seven-term Taylor series steps of AS 91 on pgamma to relative precision 5e-7, then Newton
 * steps on the log scale until |log P(x) - log p| < 1e-15 |log p| or no further progress
 * (one step normally; up to 20 where AS 91 is skipped: p outside [1e-100, 1 - 1e-14] or a
 * start below 5e-7). This is R's qgamma step for step, so results agree with R to about the
 * accuracy of pgamma.
 * Accuracy: limited by that final step: typically 1e-15 relative, at worst about 1e-13.
 */
#include "dist.h"
#include "dpq.h"

/* AS 91's starting approximation for the chi-square quantile with nu df; g = lgamma(nu/2). */
static double qchisq_appr(double p, double nu, double g, int lower_tail, int log_p, double tol) {
    const double C7 = 4.67, C8 = 6.66, C9 = 6.73, C10 = 13.32;
    double alpha, a, c, ch, p1, p2, q, t, x;
    if (isnan(p) || isnan(nu)) return p + nu;
    if ((log_p && p > 0) || (!log_p && (p < 0 || p > 1))) return NAN;
    if (nu <= 0) return NAN;

    alpha = 0.5 * nu;
    c = alpha - 1;
    p1 = lower_tail ? (log_p ? p : log(p)) : (log_p ? cwd_log1mexp(p) : log1p(-p)); /* log P */
    if (nu < (-1.24) * p1) { /* small chi-square */
        /* log(alpha Gamma(alpha)) = lgamma(alpha + 1), cancellation-free for small alpha */
        double lgam1pa = (alpha < 0.5) ? cwd_lgamma1p(alpha) : (log(alpha) + g);
        ch = exp((lgam1pa + p1) / alpha + CWD_LN2);
    } else if (nu > 0.32) { /* Wilson and Hilferty */
        x = cw_qnorm(p, 0, 1, lower_tail, log_p);
        p1 = 2. / (9 * nu);
        ch = nu * pow(x * sqrt(p1) + 1 - p1, 3);
        if (ch > 2.2 * nu + 6) { /* p tending to 1 */
            double lq = lower_tail ? (log_p ? cwd_log1mexp(p) : log1p(-p))
                                   : (log_p ? p : log(p)); /* log(1 - P) */
            ch = -2 * (lq - c * log(0.5 * ch) + g);
        }
    } else { /* small nu: 1.24 (-log p) <= nu <= 0.32 */
        ch = 0.4;
        double lq = lower_tail ? (log_p ? cwd_log1mexp(p) : log1p(-p)) : (log_p ? p : log(p));
        a = lq + g + c * CWD_LN2;
        do {
            q = ch;
            p1 = 1. / (1 + ch * (C7 + ch));
            p2 = ch * (C9 + ch * (C8 + ch));
            t = -0.5 + (C7 + 2 * ch) * p1 - (C9 + ch * (C10 + 3 * ch)) / p2;
            ch -= (1 - exp(a + 0.5 * ch) * p2 * p1) / t;
        } while (fabs(q - ch) > tol * fabs(ch));
    }
    return ch;
}

double cw_qgamma(double p, double alpha, double scale, int lower_tail, int log_p) {
    const double EPS1 = 1e-2, EPS2 = 5e-7, EPS_N = 1e-15;
    const double pMIN = 1e-100, pMAX = (1 - 1e-14);
    const double i420 = 1. / 420., i2520 = 1. / 2520., i5040 = 1. / 5040;
    const int MAXIT = 1000;
    double p_, a, b, c, g, ch, ch0, p1, p2, q, s1, s2, s3, s4, s5, s6, t, x;
    int i, max_it_Newton = 1;

    if (isnan(p) || isnan(alpha) || isnan(scale)) return p + alpha + scale;
    if (log_p) {
        if (p > 0) return NAN;
        if (p == 0) return lower_tail ? INFINITY : 0.;
        if (p == -INFINITY) return lower_tail ? 0. : INFINITY;
    } else {
        if (p < 0 || p > 1) return NAN;
        if (p == 0) return lower_tail ? 0. : INFINITY;
        if (p == 1) return lower_tail ? INFINITY : 0.;
    }
    if (alpha < 0 || scale <= 0) return NAN;
    if (alpha == 0) return 0.; /* all mass at 0 */
    if (alpha < 1e-10) max_it_Newton = 7;

    p_ = cwd_dt_qiv(p, lower_tail, log_p); /* lower-tail probability */
    g = cw_lgamma(alpha);

    /* Phase I: starting approximation */
    ch = qchisq_appr(p, 2 * alpha, g, lower_tail, log_p, EPS1);
    if (!isfinite(ch)) {
        max_it_Newton = 0;
        goto end;
    }
    if (ch < EPS2) {
        max_it_Newton = 20;
        goto end;
    }
    if (p_ > pMAX || p_ < pMIN) {
        max_it_Newton = 20;
        goto end;
    }

    /* Phase II: AS 91's seven-term Taylor steps */
    c = alpha - 1;
    s6 = (120 + c * (346 + 127 * c)) * i5040;
    ch0 = ch;
    for (i = 1; i <= MAXIT; i++) {
        q = ch;
        p1 = 0.5 * ch;
        p2 = p_ - cwd_pgamma_raw(p1, alpha, 1, 0);
        if (!isfinite(p2) || ch <= 0) {
            ch = ch0;
            max_it_Newton = 27;
            goto end;
        }
        t = p2 * exp(alpha * CWD_LN2 + g + p1 - c * log(ch));
        b = t / ch;
        a = 0.5 * t - b * c;
        s1 = (210 + a * (140 + a * (105 + a * (84 + a * (70 + 60 * a))))) * i420;
        s2 = (420 + a * (735 + a * (966 + a * (1141 + 1278 * a)))) * i2520;
        s3 = (210 + a * (462 + a * (707 + 932 * a))) * i2520;
        s4 = (252 + a * (672 + 1182 * a) + c * (294 + a * (889 + 1740 * a))) * i5040;
        s5 = (84 + 2264 * a + c * (1175 + 606 * a)) * i2520;
        ch += t * (1 + 0.5 * t * s1 - b * c * (s1 - b * (s2 - b * (s3 - b * (s4 - b * (s5 - b * s6))))));
        if (fabs(q - ch) < EPS2 * ch) goto end;
        if (fabs(q - ch) > 0.1 * ch) { /* diverging? (also keeps ch > 0) */
            if (ch < q)
                ch = 0.9 * q;
            else
                ch = 1.1 * q;
        }
    }

end:
    /* Newton steps on the log scale */
    x = 0.5 * scale * ch;
    if (max_it_Newton) {
        if (!log_p) {
            p = log(p);
            log_p = 1;
        }
        if (x == 0) {
            const double _1_p = 1. + 1e-7, _1_m = 1. - 1e-7;
            x = DBL_MIN;
            p_ = cw_pgamma(x, alpha, scale, lower_tail, log_p);
            if ((lower_tail && p_ > p * _1_p) || (!lower_tail && p_ < p * _1_m)) return 0.;
        } else {
            p_ = cw_pgamma(x, alpha, scale, lower_tail, log_p);
        }
        if (p_ == -INFINITY) return 0;
        for (i = 1; i <= max_it_Newton; i++) {
            p1 = p_ - p;
            if (fabs(p1) < fabs(EPS_N * p)) break;
            if ((g = cwd_dgamma(x, alpha, scale, log_p)) == cwd_d0(log_p)) break;
            t = log_p ? p1 * exp(p_ - g) : p1 / g; /* delta x */
            t = lower_tail ? x - t : x + t;
            p_ = cw_pgamma(t, alpha, scale, lower_tail, log_p);
            if (fabs(p_ - p) > fabs(p1) || (i > 1 && fabs(p_ - p) == fabs(p1))) break;
            x = t;
        }
    }
    return x;
}
