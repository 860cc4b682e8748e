/* qt.c — Student's t quantile function, cw_qt (R's qt).
 *
 * Method (df >= 1): G. W. Hill (1970), "Algorithm 396: Student's t-quantiles", CACM 13(10),
 * 619-620: a normal-based asymptotic expansion for larger P and a power expansion in
 * (d P)^(2/df) for small P, with expm1 as in Lozy (1979); on the log scale, when 2 exp(log p)
 * underflows, the small-P branch is taken from log p directly. Then up to ten 2-term Taylor
 * (Halley-like) steps on pt, as in Hill (1981), "Remark on Algorithm 396", ACM TOMS 7, 250-251,
 * until the step is below 1e-14 |q|. df = 2 and df = 1 (Cauchy) are closed forms.
 * These steps follow R's qt exactly (same start, same stopping rule), so the results agree with
 * R to about the accuracy of pt.
 * Method (df < 1): as R, the root of pt(q) = p by bracketing and interval halving to relative
 * width 1e-13, with p first taken to the lower tail on the probability scale (so an upper-tail
 * p below 2.2e-16 gives +Inf, and upper-tail p near 1e-10 keeps only the digits of 1 - p, as in
 * R). Accuracy is therefore about 5e-14 relative, R's, not full precision; the steps are R's so
 * that the answers coincide where that limit shows.
 */
#include "dist.h"
#include "dpq.h"

/* tan(pi x) with the exact values at multiples of 1/4 (as R's tanpi). */
static double tanpi(double x) {
    if (isnan(x)) return x;
    if (!isfinite(x)) return NAN;
    x = fmod(x, 1.0);
    if (x <= -0.5) x++;
    else if (x > 0.5) x--;
    if (x == 0.0) return 0.0;
    if (x == 0.5) return NAN;
    if (x == 0.25) return 1.0;
    if (x == -0.25) return -1.0;
    return tan(CWD_PI * x);
}

/* df < 1: R's inversion of pt for a lower-tail, non-log p, reproduced step for step: a bracket
 * by doubling (with the bracket probabilities widened by 1e-11), then interval halving down to
 * relative width 1e-13, returning the midpoint. Reproducing the steps, rather than solving to
 * full precision, keeps the answers where R's are limited by the rounding of p (upper-tail p
 * near 1e-10 taken as 1 - p, or p = 1/2, where R returns rounding noise instead of 0). */
static double qt_small_df(double p, double ndf) {
    const double accu = 1e-13, Eps = 1e-11; /* Eps must exceed accu */
    double ux, lx, nx, pp;
    int iter = 0;
    if (p > 1 - DBL_EPSILON) return INFINITY;
    pp = fmin(1 - DBL_EPSILON, p * (1 + Eps));
    for (ux = 1.; ux < DBL_MAX && cw_pt(ux, ndf, 1, 0) < pp; ux *= 2)
        ;
    pp = p * (1 - Eps);
    for (lx = -1.; lx > -DBL_MAX && cw_pt(lx, ndf, 1, 0) > pp; lx *= 2)
        ;
    do {
        nx = 0.5 * (lx + ux);
        if (cw_pt(nx, ndf, 1, 0) > p)
            ux = nx;
        else
            lx = nx;
    } while ((ux - lx) / fabs(nx) > accu && ++iter < 1000);
    return 0.5 * (lx + ux);
}

double cw_qt(double p, double ndf, int lower_tail, int log_p) {
    const double eps = 1.e-12;
    double P, q;

    if (isnan(p) || isnan(ndf)) return p + ndf;
    double edge;
    if (cwd_q_boundaries(p, lower_tail, log_p, -INFINITY, INFINITY, &edge)) return edge;
    if (ndf <= 0) return NAN;

    if (ndf < 1) return qt_small_df(cwd_dt_qiv(p, lower_tail, log_p), ndf);

    if (ndf > 1e20) return cw_qnorm(p, 0., 1., lower_tail, log_p);

    P = log_p ? exp(p) : p; /* if exp(p) underflows, fixed below */

    int neg = (!lower_tail || P < 0.5) && (lower_tail || P > 0.5);
    int is_neg_lower = (lower_tail == neg);
    if (neg)
        P = 2 * (log_p ? (lower_tail ? P : -expm1(p)) : (lower_tail ? p : 0.5 - p + 0.5));
    else
        P = 2 * (log_p ? (lower_tail ? -expm1(p) : P) : (lower_tail ? 0.5 - p + 0.5 : p));
    /* 0 <= P <= 1: twice the smaller tail */

    if (fabs(ndf - 2) < eps) { /* df ~= 2 */
        if (P > DBL_MIN) {
            if (3 * P < DBL_EPSILON)
                q = 1 / sqrt(P);
            else if (P > 0.9)
                q = (1 - P) * sqrt(2 / (P * (2 - P)));
            else
                q = sqrt(2 / (P * (2 - P)) - 2);
        } else {
            if (log_p)
                q = is_neg_lower ? exp(-p / 2) / CWD_SQRT2 : 1 / sqrt(-expm1(p));
            else
                q = INFINITY;
        }
    } else if (ndf < 1 + eps) { /* df ~= 1: Cauchy */
        if (P == 1.)
            q = 0;
        else if (P > 0)
            q = 1 / tanpi(P / 2.);
        else {
            if (log_p) /* 1/tan(e) ~ 1/e */
                q = is_neg_lower ? (1 / CWD_PI) * exp(-p) : -1. / (CWD_PI * expm1(p));
            else
                q = INFINITY;
        }
    } else { /* the usual case, e.g. df = 1.1 */
        double x = 0., y = 0., log_P2 = 0., a = 1 / (ndf - 0.5), b = 48 / (a * a),
               c = ((20700 * a / b - 98) * a - 16) * a + 96.36,
               d = ((94.5 / (b + c) - 3) / b + 1) * sqrt(a * CWD_PI / 2) * ndf;
        int P_ok1 = P > DBL_MIN || !log_p, P_ok = P_ok1;
        if (P_ok1) {
            y = pow(d * P, 2.0 / ndf);
            P_ok = (y >= DBL_EPSILON);
        }
        if (!P_ok) { /* log_p and P tiny, or y < eps: work from log(P/2) */
            log_P2 = is_neg_lower ? (log_p ? p : log(p))
                                  : (log_p ? cwd_log1mexp(p) : log1p(-p));
            x = (log(d) + CWD_LN2 + log_P2) / ndf;
            y = exp(2 * x);
        }
        if ((ndf < 2.1 && P > 0.5) || y > 0.05 + a) { /* asymptotic inverse expansion */
            if (P_ok)
                x = cw_qnorm(0.5 * P, 0., 1., 1, 0);
            else /* log_p and P underflowed */
                x = cw_qnorm(log_P2, 0., 1., lower_tail, 1);
            y = x * x;
            if (ndf < 5) c += 0.3 * (ndf - 4.5) * (x + 0.6);
            c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
            y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
            y = expm1(a * y * y);
            q = sqrt(ndf * y);
        } else if (!P_ok && x < -CWD_LN2 * DBL_MANT_DIG) { /* y above may have underflowed */
            q = sqrt(ndf) * exp(-x);
        } else {
            y = ((1 / (((ndf + 6) / (ndf * y) - 0.089 * d - 0.822) * (ndf + 2) * 3) +
                  0.5 / (ndf + 4)) * y - 1) * (ndf + 1) / (ndf + 2) + 1 / y;
            q = sqrt(ndf * y);
        }

        /* 2-term Taylor steps (Hill 1981) */
        if (P_ok1) {
            double M = fabs(sqrt(DBL_MAX / 2.) - ndf);
            int it = 0;
            while (it++ < 10 && (y = cwd_dt(q, ndf, 0)) > 0 &&
                   isfinite(x = (cw_pt(q, ndf, 0, 0) - P / 2) / y) && fabs(x) > 1e-14 * fabs(q)) {
                double F = (fabs(q) < M) ? q * (ndf + 1) / (2 * (q * q + ndf))
                                         : (ndf + 1) / (2 * (q + ndf / q)),
                       del_q = x * (1. + x * F);
                if (isfinite(del_q) && isfinite(q + del_q))
                    q += del_q;
                else if (isfinite(x) && isfinite(q + x))
                    q += x;
                else
                    break;
            }
        }
    }
    return neg ? -q : q;
}
