/* pnt.c — the non-central t distribution function, cw_pnt (R's pt(t, df, ncp)).
 *
 * Method: algorithm AS 243, R. V. Lenth (1989), "Cumulative distribution function of the
 * non-central t distribution", Applied Statistics 38, 185-189, with the twin series of
 * J. Guenther (1978), J. Statist. Comput. Simul. 6, 199: for t >= 0, x = t^2 / (t^2 + df),
 *   P[T <= t] = Phi(-ncp) + sum_{j>=0} ( p_j I_x(j + 1/2, df/2) + q_j I_x(j + 1, df/2) ),
 *   p_j = e^{-ncp^2/2} (ncp^2/2)^j / (2 j!),
 *   q_j = ncp e^{-ncp^2/2} (ncp^2/2)^j / (2 sqrt 2 Gamma(j + 3/2)),
 * the incomplete betas stepped by I_x(a + 1, b) = I_x(a, b) - x^a (1-x)^b / (a B(a, b)), and the
 * sum stopped when Lenth's bound 2 s_j I_x(j + 3/2, b) on the remainder (s_j = 1/2 - sum p) is
 * below 1e-12, or after 1000 terms. t < 0 uses P[T <= t; ncp] = P[T > -t; -ncp].
 * As R (nmath/pnt.c, R >= 3.2): ncp = 0 is the central t; for t < 0 with ncp > 40 the lower tail
 * is 0; for df > 4e5, or |ncp| > 37.62 (ncp^2 > 2 log(2) 1021, where exp(-ncp^2/2) underflows),
 * the normal approximation of Abramowitz & Stegun 26.7.10 is used,
 *   P[T <= t] ~ Phi((t (1 - 1/(4 df)) - ncp) / sqrt(1 + t^2 / (2 df))).
 * The result is formed on the lower tail and complemented (R_DT_val), so an upper tail far below
 * 1e-16 carries only absolute accuracy — as in R, which is the reference here.
 *
 * Differences from R: R keeps the series variables in long double (80-bit on x86); here they are
 * double-double numbers (Dekker 1971), built from double operations only, so the result does not
 * depend on the platform's long double (64-bit mantissa on x86, 113 on wasm32, 53 on arm64).
 * With plain double sums the result drifted from R's by up to 6e-13 relative (df ~ 1, t ~ 40,
 * 500 terms); with double-double it matches R to a few ulp. Gamma(b) / Gamma(b + 1/2), b = df/2,
 * is formed as exp(lgamma(b) - lgamma(b + 1/2)), as R does, although for df ~ 1e5-4e5 the
 * difference of two values ~1e6 loses ~5e-10 relative: matching R means making R's error, and
 * for b > 1e4 cw_lgamma returns exactly R's lgammafn (same Stirling form; 0 of 9,386 random b
 * differed; below, 1 ulp now and then, ~1e-15 on the result). The truncation rule (errmax
 * 1e-12, absolute) is R's, so the result is within ~1e-12 absolute of the exact value, as R's.
 *
 * ACCURACY, against R 4.2.2's pt(t, df, ncp) (tests/fixtures/power_r.tsv 'pnt' rows: df 1..1e6,
 * t = +-qt(1 - a, df), a 0.005..0.1, ncp 0.05..38, 2,200 points; and 40,000 random points with
 * df log-uniform in [1, 4e5], ncp uniform in [0, 40]):
 *    upper tail at t > 0 (the power)            peak relative error 6e-15
 *    lower tail at t < 0 (strict's far tail)    peak absolute error 9e-16 (R's own value is
 *                                               1 - P in double: only absolute accuracy)
 * Native and WebAssembly builds can differ in the last 1-2 ulp: they call different libm exp/log
 * (emscripten's exp is not always correctly rounded), not a difference in this file.
 */
#include "pnt.h"

#include "dist.h"
#include "dpq.h"

#define CWD_SQRT_2dPI 0.797884560802865355879892119869 /* sqrt(2 / pi) */
#define CWD_LN_SQRT_PI 0.572364942924700087071713675677 /* log(sqrt(pi)) */

/* Double-double numbers (Dekker 1971, "A floating-point technique for extending the available
 * precision", Numer. Math. 18, 224-242): the value is hi + lo, |lo| <= ulp(hi)/2. They stand in
 * for R's long double series variables with 106 bits instead of 64, and use only double
 * additions and multiplications, so every build rounds them identically (no FMA is needed:
 * products are split with Veltkamp's constant 2^27 + 1; the magnitudes here stay far from
 * overflow). */
typedef struct {
    double hi, lo;
} dd;

static dd two_sum(double a, double b) {
    double s = a + b, bb = s - a;
    return (dd){s, (a - (s - bb)) + (b - bb)};
}

static dd fast_two_sum(double a, double b) { /* |a| >= |b| */
    double s = a + b;
    return (dd){s, b - (s - a)};
}

static dd two_prod(double a, double b) {
    const double split = 134217729.0; /* 2^27 + 1 */
    double p = a * b;
    double ca = split * a, ahi = ca - (ca - a), alo = a - ahi;
    double cb = split * b, bhi = cb - (cb - b), blo = b - bhi;
    return (dd){p, ((ahi * bhi - p) + ahi * blo + alo * bhi) + alo * blo};
}

static dd dd_add(dd x, dd y) {
    dd s = two_sum(x.hi, y.hi), t = two_sum(x.lo, y.lo);
    s.lo += t.hi;
    s = fast_two_sum(s.hi, s.lo);
    s.lo += t.lo;
    return fast_two_sum(s.hi, s.lo);
}

static dd dd_neg(dd x) { return (dd){-x.hi, -x.lo}; }

static dd dd_mul_d(dd x, double d) {
    dd p = two_prod(x.hi, d);
    p.lo += x.lo * d;
    return fast_two_sum(p.hi, p.lo);
}

static dd dd_mul(dd x, dd y) {
    dd p = two_prod(x.hi, y.hi);
    p.lo += x.hi * y.lo + x.lo * y.hi;
    return fast_two_sum(p.hi, p.lo);
}

static dd dd_d(double x) { return (dd){x, 0.0}; }

double cw_pnt(double t, double df, double ncp, int lower_tail, int log_p) {
    if (isnan(t) || isnan(df) || isnan(ncp)) return t + df + ncp;
    if (df <= 0.0) return NAN;
    if (ncp == 0.0) return cw_pt(t, df, lower_tail, log_p);
    if (!isfinite(t)) return (t < 0) ? cwd_dt0(lower_tail, log_p) : cwd_dt1(lower_tail, log_p);

    int negdel;
    double tt, del;
    if (t >= 0.0) {
        negdel = 0;
        tt = t;
        del = ncp;
    } else {
        /* P[T <= t] <= P[T <= 0] = Phi(-ncp): 0 to double precision */
        if (ncp > 40 && (!log_p || !lower_tail)) return cwd_dt0(lower_tail, log_p);
        negdel = 1;
        tt = -t;
        del = -ncp;
    }

    if (df > 4e5 || del * del > 2 * CWD_LN2 * -(DBL_MIN_EXP)) {
        double s = 1.0 / (4.0 * df);
        return cw_pnorm(tt * (1.0 - s), del, sqrt(1.0 + tt * tt * 2.0 * s), lower_tail != negdel,
                        log_p);
    }

    /* The series variables are double-double where R's are long double; the step factors are
     * plain doubles computed as R computes them. */
    double x = t * t, tnc;
    double rxb = df / (x + df); /* 1 - x, without the cancellation */
    x = x / (x + df);           /* in [0, 1) */
    if (x > 0.0) {
        double lambda = del * del;
        double p0 = 0.5 * exp(-0.5 * lambda);
        if (p0 == 0.0) return cwd_dt0(lower_tail, log_p); /* |ncp| too large (not reached) */
        dd p = dd_d(p0);
        dd q = dd_mul_d(dd_mul_d(p, CWD_SQRT_2dPI), del);
        dd s = dd_add(dd_d(0.5), dd_neg(p));
        if (s.hi < 1e-7) s = dd_d(-0.5 * expm1(-0.5 * lambda));
        double a = 0.5, b = 0.5 * df;
        rxb = pow(rxb, b); /* (1 - x)^b */
        double albeta = CWD_LN_SQRT_PI + cw_lgamma(b) - cw_lgamma(0.5 + b);
        dd xodd = dd_d(cw_pbeta(x, a, b, 1, 0));
        dd godd = dd_d(2.0 * rxb * exp(a * log(x) - albeta));
        double bx = b * x;
        dd xeven = dd_d((bx < DBL_EPSILON) ? bx : 1.0 - rxb);
        dd geven = two_prod(bx, rxb);
        dd sum = dd_add(dd_mul(p, xodd), dd_mul(q, xeven));

        for (int it = 1; it <= 1000; it++) {
            a += 1.0;
            xodd = dd_add(xodd, dd_neg(godd));
            xeven = dd_add(xeven, dd_neg(geven));
            godd = dd_mul_d(godd, x * (a + b - 1.0) / a);
            geven = dd_mul_d(geven, x * (a + b - 0.5) / (a + 0.5));
            p = dd_mul_d(p, lambda / (2 * it));
            q = dd_mul_d(q, lambda / (2 * it + 1));
            sum = dd_add(sum, dd_add(dd_mul(p, xodd), dd_mul(q, xeven)));
            s = dd_add(s, dd_neg(p));
            if (s.hi < -1e-10) break; /* rounding has taken over (R warns of lost precision) */
            if (s.hi <= 0 && it > 1) break;
            dd e = dd_add(xodd, dd_neg(godd));
            double errbd = 2.0 * dd_mul(s, e).hi;
            if (fabs(errbd) < 1e-12) break; /* converged: Lenth's bound on the remainder */
        }
        tnc = dd_add(sum, dd_d(cw_pnorm(-del, 0.0, 1.0, 1, 0))).hi;
    } else { /* t = 0 */
        tnc = cw_pnorm(-del, 0.0, 1.0, 1, 0);
    }
    if (tnc > 1.0) tnc = 1.0;
    return cwd_dt_val(tnc, lower_tail != negdel, log_p);
}
