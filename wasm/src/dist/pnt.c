/* pnt.c — the non-central t distribution function, cw_pnt (R's pt(t, df, ncp)).
 *
 * Method: algorithm AS 243, R. V. Lenth (1989), "Cumulative distribution function of the
 * non-central t distribution", Applied Statistics 38, 185-189, with the twin series of
 * J. Guenther (1978), J. Statist. Comput. Simul. 6, 199: for t >= 0, x = t^2 / (t^2 + df),
 *   P[T <= t] = Phi(-ncp) + sum_{j>=0} ( p_j I_x(j + 1/2, df/2) + q_j I_x(j + 1, df/2) ),
 *   p_j = e^{-ncp^2/2} (ncp^2/2)^j / (2 j!),   q_j = ncp e^{-ncp^2/2} (ncp^2/2)^j / (2 sqrt 2 Gamma(j + 3/2)),
 * the incomplete betas stepped by I_x(a + 1, b) = I_x(a, b) - x^a (1-x)^b / (a B(a, b)), and the
 * sum stopped when Lenth's bound 2 s_j I_x(j + 3/2, b) on the remainder (s_j = 1/2 - sum p) is
 * below 1e-12, or after 1000 terms. t < 0 uses P[T <= t; ncp] = P[T > -t; -ncp].
 * As R (nmath/pnt.c, R >= 3.2): ncp = 0 is the central t; for t < 0 with ncp > 40 the lower tail
 * is 0; for df > 4e5 or ncp^2 > 2 log(2) (1021) (where exp(-ncp^2/2) underflows) the normal
 * approximation of Abramowitz & Stegun 26.7.10 is used,
 *   P[T <= t] ~ Phi((t (1 - 1/(4 df)) - ncp) / sqrt(1 + t^2 / (2 df))).
 * The result is formed on the lower tail and complemented (R_DT_val), so an upper tail far below
 * 1e-16 carries only absolute accuracy — as in R, which is the reference here.
 *
 * Differences from R: R keeps the series sums in long double (80-bit on x86); here they are in
 * double, with the running sums compensated (Neumaier 1974 / Kahan summation), so native and
 * WebAssembly builds agree bit for bit and the sums keep about the accuracy of R's.
 * The ratio Gamma(b) / Gamma(b + 1/2) is formed as log Gamma(b) - log Gamma(b + 1/2), as R does,
 * because R's result inherits its rounding (about 1e-16 log Gamma(b) absolute, so ~1e-10
 * relative at df = 4e5): matching R means making the same error (see ACCURACY).
 *
 * ACCURACY (against R 4.2.2 pt(t, df, ncp), tests/fixtures/power_r.tsv 'pnt' rows): over the
 * arguments power.t.test evaluates — t = qt(1 - alpha/k, df), df in [1, 4e5], ncp in [0, 40] —
 * relative error below 1e-12 for probabilities above 1e-4 (see tests/c/test_power.c).
 */
#include "pnt.h"

#include "dist.h"
#include "dpq.h"

#define CWD_SQRT_2dPI 0.797884560802865355879892119869 /* sqrt(2 / pi) */
#define CWD_LN_SQRT_PI 0.572364942924700087071713675677 /* log(sqrt(pi)) */

/* A running sum with Neumaier's compensation: the value is hi + lo. */
typedef struct {
    double hi, lo;
} ksum;

static void kadd(ksum *s, double x) {
    double t = s->hi + x;
    if (fabs(s->hi) >= fabs(x)) s->lo += (s->hi - t) + x;
    else s->lo += (x - t) + s->hi;
    s->hi = t;
}

static double kval(const ksum *s) { return s->hi + s->lo; }

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

    double x = t * t, tnc;
    double rxb = df / (x + df); /* 1 - x, without the cancellation */
    x = x / (x + df);           /* in [0, 1) */
    if (x > 0.0) {
        double lambda = del * del;
        double p = 0.5 * exp(-0.5 * lambda);
        if (p == 0.0) return cwd_dt0(lower_tail, log_p); /* |ncp| too large (not reached) */
        double q = CWD_SQRT_2dPI * p * del;
        ksum s = {0.5, -p};
        if (0.5 - p < 1e-7) s = (ksum){-0.5 * expm1(-0.5 * lambda), 0.0};
        double a = 0.5, b = 0.5 * df;
        rxb = pow(rxb, b); /* (1 - x)^b */
        double albeta = CWD_LN_SQRT_PI + cw_lgamma(b) - cw_lgamma(0.5 + b);
        ksum xodd = {cw_pbeta(x, a, b, 1, 0), 0.0};
        double godd = 2.0 * rxb * exp(a * log(x) - albeta);
        double bx = b * x;
        ksum xeven = {(bx < DBL_EPSILON) ? bx : 1.0 - rxb, 0.0};
        double geven = bx * rxb;
        ksum sum = {p * kval(&xodd), 0.0};
        kadd(&sum, q * kval(&xeven));

        for (int it = 1; it <= 1000; it++) {
            a += 1.0;
            kadd(&xodd, -godd);
            kadd(&xeven, -geven);
            godd *= x * (a + b - 1.0) / a;
            geven *= x * (a + b - 0.5) / (a + 0.5);
            p *= lambda / (2 * it);
            q *= lambda / (2 * it + 1);
            kadd(&sum, p * kval(&xodd));
            kadd(&sum, q * kval(&xeven));
            kadd(&s, -p);
            double sv = kval(&s);
            if (sv < -1e-10) break; /* rounding has taken over (R warns "full precision ...") */
            if (sv <= 0 && it > 1) break;
            double errbd = 2.0 * sv * (kval(&xodd) - godd);
            if (fabs(errbd) < 1e-12) break; /* converged */
        }
        kadd(&sum, cw_pnorm(-del, 0.0, 1.0, 1, 0));
        tnc = kval(&sum);
    } else { /* t = 0 */
        tnc = cw_pnorm(-del, 0.0, 1.0, 1, 0);
    }
    if (tnc > 1.0) tnc = 1.0;
    return cwd_dt_val(tnc, lower_tail != negdel, log_p);
}
