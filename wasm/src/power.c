/* power.c — power and sample size for two means and two proportions (R's power.t.test and
 * power.prop.test, package stats, R 4.2.2), solved to machine precision.
 *
 * The equations are R's, operation for operation:
 *  means (Student t, Cohen 1988 ch. 2; the non-central t of pnt.c):
 *    nu = max(1e-7, n - 1) k,  ncp = sqrt(n / k) delta / sd  (k = 2 two-sample, 1 one-sample or
 *    paired),  q = qt(alpha / s, nu, upper)  (s = 2 two-sided, 1 one-sided),
 *    power = P[T'(nu, ncp) > q]  (+ P[T'(nu, ncp) < -q] when strict and two-sided);
 *  proportions (normal approximation, Fleiss, Levin & Paik 2003, eq. 4.14, without continuity
 *  correction), d = |p1 - p2|, z = qnorm(alpha / s, upper):
 *    power = Phi((sqrt(n) d - z sqrt((p1 + p2)(1 - (p1 + p2)/2))) / sqrt(p1 q1 + p2 q2)),
 *    and, strict and two-sided, Phi((sqrt(n) d - z sqrt(2 vbar)) / sqrt(v1 + v2))
 *    + Phi-upper((sqrt(n) d + z sqrt(2 vbar)) / sqrt(v1 + v2)), vbar = pbar (1 - pbar).
 * Solving: R calls uniroot (Brent's zeroin) on power(x) - target over R's own search interval —
 * n in [2, 1e7] (proportions [1, 1e7]), delta in sd [1e-7, 1e7], p2 in [p1, 1] — widened while the
 * far end has not reached the target. Here the same function is solved by Brent's method
 * (R. P. Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4, procedure zero)
 * on the same interval, widened by doubling, with the tolerance 2 eps |x| (machine precision)
 * instead of R's default tol = eps^(1/4) ~ 1.2e-4 absolute, which is loose enough to move n or
 * delta in the 4th-9th digit. Where R would have to widen the interval *below* its start
 * (n < 2 for means, n < 1 for proportions: the power is reached with fewer), or where R warns
 * that no p2 in [p1, 1] exists, the result is unavailable, with the reason.
 * Accuracy, against R 4.2.2 called with tol = 1e-14 (tests/fixtures/power_r.tsv, 2,845 cases):
 * power 2e-15 (t), 0 (proportions); n 1.4e-15 (proportions), 1.5e-10 (t); delta 6e-13; p2 1.2e-13
 * above p1 and 2.9e-12 below (relative; for delta and p2 near 0, R's absolute tol 1e-14 is the
 * limit). The t sample size is limited by the power curve itself, not the solver: for df ~ 1e5 -
 * 4e5 the non-central t (as R's, see dist/pnt.c) is smooth only to ~2e-10, so R and this file
 * stop at different points of that band. Each solve takes at most ~45 power evaluations.
 */
#include "power.h"

#include <float.h>
#include <math.h>

#include "dist/dist.h"
#include "dist/pnt.h"

/* ---- the power equations ---- */

static double t_power(double n, double delta, double sd, double alpha, const cw_power_opts *o) {
    double tsample = o->sample == CW_TWO_SAMPLE ? 2.0 : 1.0;
    double tside = o->one_sided ? 1.0 : 2.0;
    double nu = fmax(1e-7, n - 1) * tsample;
    double qu = cw_qt(alpha / tside, nu, 0, 0);
    double ncp = sqrt(n / tsample) * delta / sd;
    double p = cw_pnt(qu, nu, ncp, 0, 0);
    if (o->strict && !o->one_sided) p += cw_pnt(-qu, nu, ncp, 1, 0);
    return p;
}

static double prop_power(double n, double p1, double p2, double alpha, const cw_power_opts *o) {
    double tside = o->one_sided ? 1.0 : 2.0;
    double qu = cw_qnorm(alpha / tside, 0.0, 1.0, 0, 0);
    if (o->strict && !o->one_sided) {
        double d = fabs(p1 - p2), q1 = 1 - p1, q2 = 1 - p2;
        double pbar = (p1 + p2) / 2, qbar = 1 - pbar;
        double v1 = p1 * q1, v2 = p2 * q2, vbar = pbar * qbar;
        return cw_pnorm((sqrt(n) * d - qu * sqrt(2 * vbar)) / sqrt(v1 + v2), 0.0, 1.0, 1, 0) +
               cw_pnorm((sqrt(n) * d + qu * sqrt(2 * vbar)) / sqrt(v1 + v2), 0.0, 1.0, 0, 0);
    }
    return cw_pnorm((sqrt(n) * fabs(p1 - p2) - (qu * sqrt((p1 + p2) * (1 - (p1 + p2) / 2)))) /
                        sqrt(p1 * (1 - p1) + p2 * (1 - p2)),
                    0.0, 1.0, 1, 0);
}

double cw_power_t_power(double n, double delta, double sd, double sig_level,
                        const cw_power_opts *opts) {
    if (isnan(n) || isnan(delta) || isnan(sd) || isnan(sig_level))
        return n + delta + sd + sig_level;
    if (!(n > 0) || !(sd > 0) || !(sig_level > 0 && sig_level < 1)) return NAN;
    if (!opts->one_sided) delta = fabs(delta);
    return t_power(n, delta, sd, sig_level, opts);
}

double cw_power_prop_power(double n, double p1, double p2, double sig_level,
                           const cw_power_opts *opts) {
    if (isnan(n) || isnan(p1) || isnan(p2) || isnan(sig_level)) return n + p1 + p2 + sig_level;
    if (!(n > 0) || !(p1 >= 0 && p1 <= 1) || !(p2 >= 0 && p2 <= 1) ||
        !(sig_level > 0 && sig_level < 1) || p1 * (1 - p1) + p2 * (1 - p2) == 0)
        return NAN;
    return prop_power(n, p1, p2, sig_level, opts);
}

/* ---- the root finder ---- */

/* power(x) - target for one unknown x: which field x stands for, and everything else fixed. */
typedef struct {
    const cw_power_opts *opts;
    int means;          /* 1: t test, 0: proportions */
    cw_power_solve var; /* CW_SOLVE_N or CW_SOLVE_EFFECT */
    double n, effect, sd, p1, alpha, target;
    int evaluations;
} problem;

static double excess(problem *pb, double x) {
    double n = pb->var == CW_SOLVE_N ? x : pb->n;
    double e = pb->var == CW_SOLVE_EFFECT ? x : pb->effect;
    pb->evaluations++;
    return (pb->means ? t_power(n, e, pb->sd, pb->alpha, pb->opts)
                      : prop_power(n, pb->p1, e, pb->alpha, pb->opts)) -
           pb->target;
}

/* Brent's zero: a root of excess in [a, b], given fa = f(a), fb = f(b) of opposite signs (or one
 * of them 0). Stops when the bracket is within 2 eps |b| (plus the smallest normal number, for a
 * root at 0), so the answer is the root to machine precision as far as f's own rounding allows.
 * Each step takes inverse quadratic or linear interpolation when it falls well inside the bracket
 * and shrinks it fast enough, else bisects: at most about (log2(range / tol))^2 evaluations. */
static double brent_zero(problem *pb, double a, double b, double fa, double fb) {
    double c = a, fc = fa, d = b - a, e = d;
    for (int it = 0; it < 2000; it++) {
        if ((fb > 0) == (fc > 0)) { /* keep the root between b and c */
            c = a;
            fc = fa;
            d = e = b - a;
        }
        if (fabs(fc) < fabs(fb)) { /* b is the best estimate so far */
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        double tol = 2.0 * DBL_EPSILON * fabs(b) + DBL_MIN;
        double m = 0.5 * (c - b);
        if (fabs(m) <= tol || fb == 0.0) return b;
        if (fabs(e) < tol || fabs(fa) <= fabs(fb)) {
            d = e = m; /* bisection */
        } else {
            double s = fb / fa, p, q;
            if (a == c) { /* secant */
                p = 2.0 * m * s;
                q = 1.0 - s;
            } else { /* inverse quadratic interpolation through a, b, c */
                double qq = fa / fc, r = fb / fc;
                p = s * (2.0 * m * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if (p > 0) q = -q;
            else p = -p;
            if (2.0 * p < 3.0 * m * q - fabs(tol * q) && p < fabs(0.5 * e * q)) {
                e = d;
                d = p / q;
            } else {
                d = e = m;
            }
        }
        a = b;
        fa = fb;
        b += fabs(d) > tol ? d : (m > 0 ? tol : -tol);
        fb = excess(pb, b);
        if (isnan(fb)) return NAN;
    }
    return b; /* not reached: bisection alone needs < 2100 steps over the doubles */
}

/* Root of an increasing excess(x) on [lo, hi] (R's interval), widening hi by doubling while the
 * power at hi falls short (R's extendInt = "upX"). BELOW: the power is already reached at lo. */
typedef enum { FOUND, BELOW, ABOVE, NOT_A_NUMBER } where;

static where solve_up(problem *pb, double lo, double hi, double *root) {
    double flo = excess(pb, lo);
    if (isnan(flo)) return NOT_A_NUMBER;
    if (flo > 0) return BELOW;
    double fhi = excess(pb, hi);
    while (fhi < 0) {
        if (hi > 1e300) return ABOVE;
        lo = hi;
        flo = fhi;
        hi *= 2;
        fhi = excess(pb, hi);
    }
    if (isnan(fhi)) return NOT_A_NUMBER;
    *root = brent_zero(pb, lo, hi, flo, fhi);
    return isnan(*root) ? NOT_A_NUMBER : FOUND;
}

static const char *check_level(double sig_level) {
    return sig_level > 0 && sig_level < 1 ? 0 : "the significance level must be between 0 and 1";
}

static const char *check_power(double power, double sig_level) {
    if (!(power > 0 && power < 1)) return "the power must be between 0 and 1";
    if (!(power > sig_level))
        return "the power must be above the significance level (the chance of a significant "
               "result when there is no effect)";
    return 0;
}

/* ---- means ---- */

void cw_power_t(const cw_power_means *given, const cw_power_opts *opts, cw_power_means *out) {
    cw_power_means r = *given;
    r.evaluations = 0;
    r.unavailable = 0;
    double *unknown = opts->solve == CW_SOLVE_N ? &r.n
                      : opts->solve == CW_SOLVE_EFFECT ? &r.delta
                                                       : &r.power;
    *unknown = 0.0; /* ignored on input */
    const char *why = 0;
    if (isnan(r.n) || isnan(r.delta) || isnan(r.sd) || isnan(r.sig_level) || isnan(r.power))
        why = "an input is not a number";
    else if ((why = check_level(r.sig_level)) != 0) {
    } else if (!(r.sd > 0 && isfinite(r.sd)))
        why = "the standard deviation must be a positive number";
    else if (opts->solve != CW_SOLVE_N && !(r.n >= 2 && isfinite(r.n)))
        why = opts->sample == CW_PAIRED ? "n must be at least 2 pairs"
              : opts->sample == CW_ONE_SAMPLE ? "n must be at least 2"
                                              : "n must be at least 2 per group";
    else if (opts->solve != CW_SOLVE_EFFECT && !isfinite(r.delta))
        why = "the difference in means must be a finite number";
    else if (opts->solve != CW_SOLVE_POWER && (why = check_power(r.power, r.sig_level)) != 0) {
    }
    if (!why && !opts->one_sided) r.delta = fabs(r.delta);
    if (!why && opts->solve == CW_SOLVE_N && !(r.delta > 0))
        why = r.delta == 0 ? "the difference in means is 0: no n gives more power than the "
                             "significance level"
                           : "the difference is in the other direction than the one-sided test";

    if (!why) {
        problem pb = {opts, 1, opts->solve, r.n, r.delta, r.sd, 0.0, r.sig_level, r.power, 0};
        double root = NAN;
        where w = FOUND;
        switch (opts->solve) {
        case CW_SOLVE_POWER:
            r.power = t_power(r.n, r.delta, r.sd, r.sig_level, opts);
            pb.evaluations = 1;
            if (isnan(r.power)) w = NOT_A_NUMBER;
            break;
        case CW_SOLVE_N:
            w = solve_up(&pb, 2.0, 1e7, &root);
            if (w == BELOW)
                why = opts->sample == CW_TWO_SAMPLE
                          ? "the power is reached with fewer than 2 per group"
                      : opts->sample == CW_PAIRED
                          ? "the power is reached with fewer than 2 pairs"
                          : "the power is reached with fewer than 2 observations";
            else if (w == ABOVE)
                why = "no n below 1e300 reaches the power";
            r.n = root;
            break;
        case CW_SOLVE_EFFECT: {
            /* R searches sd [1e-7, 1e7]; the power at delta -> 0 is below alpha < target, so
             * a lower start that is already too powerful (huge n) is halved until it is not */
            double lo = r.sd * 1e-7;
            while (excess(&pb, lo) > 0 && lo > DBL_MIN) lo /= 2;
            w = solve_up(&pb, lo, r.sd * 1e7, &root);
            if (w == BELOW || w == ABOVE) why = "no difference in means reaches the power";
            r.delta = root;
            break;
        }
        }
        if (w == NOT_A_NUMBER) why = "the power could not be computed for these inputs";
        r.evaluations = pb.evaluations;
    }
    if (why) {
        *unknown = NAN;
        r.unavailable = why;
    }
    *out = r;
}

/* ---- proportions ---- */

void cw_power_prop(const cw_power_props *given, const cw_power_opts *opts, cw_power_props *out) {
    cw_power_props r = *given;
    r.evaluations = 0;
    r.unavailable = 0;
    double *unknown = opts->solve == CW_SOLVE_N ? &r.n
                      : opts->solve == CW_SOLVE_EFFECT ? &r.p2
                                                       : &r.power;
    *unknown = 0.5; /* ignored on input */
    const char *why = 0;
    if (isnan(r.n) || isnan(r.p1) || isnan(r.p2) || isnan(r.sig_level) || isnan(r.power))
        why = "an input is not a number";
    else if ((why = check_level(r.sig_level)) != 0) {
    } else if (opts->solve != CW_SOLVE_N && !(r.n >= 1 && isfinite(r.n)))
        why = "n must be at least 1 per group";
    else if (!(r.p1 >= 0 && r.p1 <= 1) || !(r.p2 >= 0 && r.p2 <= 1))
        why = "the proportions must be between 0 and 1";
    else if (opts->solve != CW_SOLVE_POWER && (why = check_power(r.power, r.sig_level)) != 0) {
    } else if (opts->solve == CW_SOLVE_EFFECT && !(r.p1 > 0 && r.p1 < 1))
        why = "p1 must be strictly between 0 and 1";
    else if (opts->solve != CW_SOLVE_EFFECT && r.p1 * (1 - r.p1) + r.p2 * (1 - r.p2) == 0)
        why = "p1 and p2 are each 0 or 1: the normal approximation has no variance";
    else if (opts->solve == CW_SOLVE_N && r.p1 == r.p2)
        why = "p1 equals p2: no n gives more power than the significance level";

    if (!why) {
        problem pb = {opts, 0, opts->solve, r.n, r.p2, 1.0, r.p1, r.sig_level, r.power, 0};
        double root = NAN;
        where w = FOUND;
        switch (opts->solve) {
        case CW_SOLVE_POWER:
            r.power = prop_power(r.n, r.p1, r.p2, r.sig_level, opts);
            pb.evaluations = 1;
            if (isnan(r.power)) w = NOT_A_NUMBER;
            break;
        case CW_SOLVE_N:
            w = solve_up(&pb, 1.0, 1e7, &root);
            if (w == BELOW) why = "the power is reached with fewer than 1 per group";
            else if (w == ABOVE) why = "no n below 1e300 reaches the power";
            r.n = root;
            break;
        case CW_SOLVE_EFFECT: {
            /* R: uniroot over [p1, 1] (power rises from alpha/2 or alpha at p2 = p1) */
            double a = opts->decrease ? 0.0 : r.p1, b = opts->decrease ? r.p1 : 1.0;
            double fa = excess(&pb, a), fb = excess(&pb, b);
            if (isnan(fa) || isnan(fb)) w = NOT_A_NUMBER;
            else if ((fa > 0) == (fb > 0) && fa != 0 && fb != 0)
                why = opts->decrease ? "no p2 in [0, p1] reaches the power"
                                     : "no p2 in [p1, 1] reaches the power";
            else {
                root = brent_zero(&pb, a, b, fa, fb);
                if (isnan(root)) w = NOT_A_NUMBER;
            }
            r.p2 = root;
            break;
        }
        }
        if (w == NOT_A_NUMBER) why = "the power could not be computed for these inputs";
        r.evaluations = pb.evaluations;
    }
    if (why) {
        *unknown = NAN;
        r.unavailable = why;
    }
    r.effect = r.p2 - r.p1;
    *out = r;
}
