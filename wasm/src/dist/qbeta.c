/* qbeta.c — the beta quantile function, cw_qbeta (R's qbeta), and cwd_qbeta_both, which also
 * returns 1 - x without cancellation (for qf).
 *
 * Method: the root of I_x(a, b) = p, solved for the smaller tail: if the lower-tail probability
 * exceeds 1/2 the problem is mirrored to I_y(b, a) = 1 - p with y = 1 - x, so the unknown is
 * always the coordinate near its own end point and both x and 1 - x come out to full relative
 * accuracy. The target is held as log p (computed from the given scale without cancellation).
 * Start: the leading term of the series, I_x(a,b) ~ x^a / (a B(a,b)) (A&S 26.5.4 / 6.5.29),
 * i.e. log x0 = (log p + log a + log B(a,b)) / a, clamped below the mean. Then safeguarded
 * Newton steps in u = log x on g(u) = log I_{e^u}(a,b) - log p, which is increasing and concave
 * enough that Newton converges monotonically from the left; a bracket [u_lo, u_hi] and
 * bisection catch the rest. Two closing Newton steps are taken in x itself, so that x keeps full
 * relative accuracy (exp(u) alone would lose |u| ulps). pbeta is TOMS 708 (pbeta.c), the density
 * comes from the same prefactor.
 * This is not R's AS 109 code (Cran, Martin & Thomas 1977, with R's log-scale additions): R's
 * qbeta iterates AS 109 to an accuracy 'acu' of about 1e-13 to 1e-15, so the two agree to
 * about that; see tests/c/test_dist.c.
 * Boundary and point-mass conventions (a or b zero or infinite) are R's.
 */
#include "dist.h"
#include "dpq.h"

/* log of the beta density at x (0 < x < 1), from y = 1 - x given separately */
static double log_dbeta(double x, double y, double a, double b, double lbeta_ab) {
    return (a - 1) * log(x) + (b - 1) * log(y) - lbeta_ab;
}

/* Solve for x in (0, 1/2] with log I_x(a, b) = lp (upper = 0) or log(1 - I_x(a, b)) = lp
 * (upper = 1); h(u) below is increasing in u = log x either way. */
static double solve_half(double a, double b, double lp, int upper, double llo) {
    double lbeta_ab = cw_lbeta(a, b);
    const double u_top = -CWD_LN2; /* log(1/2) */
    /* start from the small-x asymptote of the lower tail, log x0 = (log P + log a + lbeta)/a */
    double u = (llo + log(a) + lbeta_ab) / a;
    if (!(u < u_top)) u = u_top - 0.1;
    double u_lo = -INFINITY, u_hi = u_top, x;
    for (int it = 0; it < 2000; it++) {
        x = exp(u);
        if (x <= 0.0) { /* below the smallest double: the answer underflows or lies right */
            u_lo = u;
            if (u < -800.0 && isfinite(u_hi) && u_hi < -745.0) return 0.0;
            u = 0.5 * (u + u_hi);
            continue;
        }
        double y = -expm1(u);
        double lP = cwd_pbeta_raw(x, a, b, !upper, 1);
        double h = upper ? lp - lP : lP - lp;
        if (h == 0.0) break;
        if (h < 0)
            u_lo = u;
        else
            u_hi = u;
        /* dh/du = x f(x) / P(x), P the tail in use */
        double ld = log_dbeta(x, y, a, b, lbeta_ab) + u - lP;
        double un = u - h / exp(ld);
        if (!(un > u_lo && un < u_hi) || !isfinite(un)) {
            if (isfinite(u_lo))
                un = 0.5 * (u_lo + u_hi);
            else
                un = u - fmax(1.0, 2 * fabs(u)); /* no left bracket yet: step out */
        }
        if (fabs(un - u) <= 4 * DBL_EPSILON * fabs(u) || u_hi - u_lo <= 4 * DBL_EPSILON * fabs(u)) {
            u = un;
            break;
        }
        u = un;
    }
    x = exp(u);
    /* closing Newton steps in x itself: dx = h P / f */
    for (int k = 0; k < 4 && x > 0 && x < 1; k++) {
        double y = 0.5 - x + 0.5;
        double lP = cwd_pbeta_raw(x, a, b, !upper, 1);
        double h = upper ? lp - lP : lP - lp;
        double d = h * exp(lP - log_dbeta(x, y, a, b, lbeta_ab));
        if (!isfinite(d)) break;
        double xn = x - d;
        if (xn <= 0 || xn >= 1) break;
        if (fabs(xn - x) <= DBL_EPSILON * x) {
            x = xn;
            break;
        }
        x = xn;
    }
    return x;
}

/* qb[0] = qbeta(alpha, p, q, ...), qb[1] = 1 - qb[0]. */
void cwd_qbeta_both(double alpha, double p, double q, int lower_tail, int log_p, double *qb) {
    if (isnan(p) || isnan(q) || isnan(alpha)) {
        qb[0] = qb[1] = p + q + alpha;
        return;
    }
    if (p < 0. || q < 0.) {
        qb[0] = qb[1] = NAN;
        return;
    }
    if (alpha == cwd_dt0(lower_tail, log_p)) {
        qb[0] = 0;
        qb[1] = 1;
        return;
    }
    if (alpha == cwd_dt1(lower_tail, log_p)) {
        qb[0] = 1;
        qb[1] = 0;
        return;
    }
    if ((log_p && alpha > 0) || (!log_p && (alpha < 0 || alpha > 1))) {
        qb[0] = qb[1] = NAN;
        return;
    }
    if (p == 0 || q == 0 || !isfinite(p) || !isfinite(q)) {
        /* point masses: pbeta is constant in {0, 1/2, 1} */
        double half = log_p ? -CWD_LN2 : 0.5;
        if (p == 0 && q == 0) {
            if (alpha < half) { qb[0] = 0; qb[1] = 1; return; }
            if (alpha > half) { qb[0] = 1; qb[1] = 0; return; }
            qb[0] = qb[1] = 0.5;
            return;
        }
        if (p == 0 || p / q == 0) { qb[0] = 0; qb[1] = 1; return; }
        if (q == 0 || q / p == 0) { qb[0] = 1; qb[1] = 0; return; }
        qb[0] = qb[1] = 0.5;
        return;
    }
    /* log of the lower- and upper-tail probabilities */
    double llo = lower_tail ? (log_p ? alpha : log(alpha))
                            : (log_p ? cwd_log1mexp(alpha) : log1p(-alpha));
    double lup = lower_tail ? (log_p ? cwd_log1mexp(alpha) : log1p(-alpha))
                            : (log_p ? alpha : log(alpha));
    /* Solve for the coordinate that is near its own end point: x if the quantile is below 1/2,
     * else y = 1 - x (Y ~ Beta(q, p), P[Y <= y] = P[X >= x]); target the smaller tail. */
    double lmid = cwd_pbeta_raw(0.5, p, q, 1, 1); /* log P[X <= 1/2] */
    if (llo <= lmid) {
        double x = solve_half(p, q, llo <= lup ? llo : lup, llo > lup, llo);
        qb[0] = x;
        qb[1] = 0.5 - x + 0.5;
    } else {
        double y = solve_half(q, p, lup <= llo ? lup : llo, lup > llo, lup);
        qb[1] = y;
        qb[0] = 0.5 - y + 0.5;
    }
}

double cw_qbeta(double alpha, double p, double q, int lower_tail, int log_p) {
    double qb[2];
    cwd_qbeta_both(alpha, p, q, lower_tail, log_p, qb);
    return qb[0];
}
