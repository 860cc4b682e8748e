/* private_report.c — the result JSON of a private release (schema causeway.private/1,
 * docs/result-schema.md). Everything here is post-processing of the released integers and the
 * public declarations (DP-SPEC B5): no true value exists any more (cw_private_release wiped them).
 *
 * Per arm (r = resolution, L, U, R in resolution units; hats are released values):
 *   binary   n = c + f, p = c / n; sampling variance p~(1 - p~)/n (p~ = p clamped to [0, 1]);
 *            delta-method noise coefficients (1 - p)/n on c and -p/n on f.
 *   numeric  n, mean = r (L + U)/2 + (r/2) T/n; s_y^2 = (4^shift (W + n floor(R_w^2/2)) - T^2/n)
 *            / (n - 1) clamped to [0, R^2] (Popoviciu), or R^2 without W; sampling variance
 *            (r/2)^2 s_y^2 / n; noise coefficients (r/2)/n on T and -(r/2) T/n^2 on n.
 * Suppressed (no estimate) when n < max(10, 5 sd(n)) — on the noisy n only.
 * Comparisons with the control: difference (errors of the two arms add), relative lift by the
 * delta method (B/A - 1: B's error / A, A's error * -B/A^2). Intervals:
 *   convolution   estimate -+ the exact (1 - alpha/2) quantile of N(0, V_s) + sum coef_j Z_j
 *                 (dp_interval.h), the default;
 *   wald          estimate -+ z sqrt(V_s + sum coef_j^2 Var Z_j);
 *   conservative  finite-sample, by the union bound: each noise within its exact (1 - alpha/4)
 *                 bound (interval arithmetic on c/(c+f) or T/n) and Hoeffding's inequality with
 *                 alpha/2 at the smallest n the bounds allow; for a comparison each arm at
 *                 alpha/2.
 * p-values: P(|E| >= |difference|) under the convolution model (two-sided, H0: no difference),
 * Holm-adjusted across the comparisons of a metric. Displayed estimates and interval ends are
 * clamped to the feasible range (free post-processing; the clamped target's coverage is kept). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adjust.h"
#include "dist/dist.h"
#include "dp_interval.h"
#include "json.h"
#include "private.h"

typedef struct {
    const char *why;  /* suppressed / unavailable: the reason, else NULL */
    double n;         /* noisy size */
    double est;       /* rate or mean (unclamped), original units */
    double lo_feas, hi_feas; /* the feasible range of est */
    cw_dp_error err;  /* the error model of est */
    double cons_lo, cons_hi; /* conservative interval at the level asked */
} arm_est;

static double to_d(cw_dp_i128 x) { return (double)x; }

static double pow10i(int e) {
    double r = 1.0;
    for (int i = 0; i < (e < 0 ? -e : e); i++) r *= 10.0;
    return e < 0 ? 1.0 / r : r;
}

static double noise_sd(const cw_dp_noise *nz) { return sqrt(cw_dp_noise_variance(nz)); }

/* The noise interval bound a for alpha, as a double (infinite when it cannot be computed). */
static double bound(const cw_dp_noise *nz, double alpha) {
    uint64_t a;
    return cw_dp_noise_bound(nz, alpha, &a) == 0 ? (double)a : INFINITY;
}

/* Hoeffding: |sample mean - mean| <= width sqrt(ln(2/alpha) / (2 n)) with prob >= 1 - alpha. */
static double hoeffding(double width, double alpha, double n) { return width * sqrt(log(2.0 / alpha) / (2.0 * n)); }

static void suppress_check(arm_est *e, double var_n) {
    double floor_n = fmax(10.0, 5.0 * sqrt(var_n));
    if (!(e->n >= floor_n)) e->why = "insufficient data: the noisy count is below max(10, 5 noise SDs)";
}

static void binary_arm(const cw_private *p, const cw_priv_metric *m, const cw_priv_released *r, double alpha,
                       arm_est *e) {
    memset(e, 0, sizeof *e);
    double c = to_d(r->c), f = to_d(r->f);
    e->n = c + f;
    e->lo_feas = 0.0;
    e->hi_feas = 1.0;
    suppress_check(e, 2.0 * cw_dp_noise_variance(&m->tab));
    if (e->why) return;
    double n = e->n, pr = c / n, pt = fmin(1.0, fmax(0.0, pr));
    e->est = pr;
    /* Sampling variance s^2/n with s^2 = n p~(1 - p~)/(n - 1), the sample variance of the 0/1
     * values with one success and one failure added (Agresti & Caffo 2000, "Simple and effective
     * confidence intervals for proportions and differences of proportions", Am. Stat. 54(4)).
     * The plug-in p(1 - p)/n is 0 when a small arm has no conversion, and the interval then
     * covered the noise alone: 0.36 at 90 % for n = 20, p = 0.01 vs 0.012. Exact coverage of the
     * sampling part (tests/oracle/binary_coverage_exact.py, the limit of no noise) is then at
     * least 0.8998 / 0.9420 / 0.9874 at 90 / 95 / 99 % for n in {20, 100, 1000} and p in {0.01,
     * 0.1, 0.5} (the plug-in: 0.3554 / 0.3574 / 0.3575). n >= 10 here (suppression). */
    double ps = (pt * n + 1.0) / (n + 2.0);
    e->err.var_sampling = ps * (1.0 - ps) / (n - 1.0);
    e->err.nterms = 2;
    e->err.term[0] = (cw_dp_term){(1.0 - pr) / n, m->tab};
    e->err.term[1] = (cw_dp_term){-pr / n, m->tab};
    /* conservative */
    double a = bound(&m->tab, alpha / 4.0);
    double clo = fmax(0.0, c - a), chi = fmax(0.0, c + a), flo = fmax(0.0, f - a), fhi = fmax(0.0, f + a);
    double nlow = clo + flo;
    if (!(nlow >= 1.0) || !isfinite(a)) {
        e->cons_lo = 0.0, e->cons_hi = 1.0;
        return;
    }
    double plo = clo / (clo + fhi), phi = chi / (chi + flo), h = hoeffding(1.0, alpha / 2.0, nlow);
    e->cons_lo = fmax(0.0, plo - h);
    e->cons_hi = fmin(1.0, phi + h);
    (void)p;
}

static void numeric_arm(const cw_private *p, const cw_priv_metric *m, const cw_priv_released *r, double alpha,
                        arm_est *e) {
    memset(e, 0, sizeof *e);
    double res = pow10i(-p->d), half = res / 2.0;
    double mid = res * ((double)m->lo + (double)m->hi) / 2.0, R = (double)m->range;
    e->n = to_d(r->n);
    e->lo_feas = res * (double)m->lo;
    e->hi_feas = res * (double)m->hi;
    suppress_check(e, cw_dp_noise_variance(&m->n));
    if (e->why) return;
    double n = e->n, T = to_d(r->t), ybar = T / n;
    e->est = mid + half * ybar;
    double s2 = R * R;
    if (m->has_w) {
        double rw = (double)m->range_w, sq = ldexp(to_d(r->w) + n * floor(rw * rw / 2.0), 2 * m->wshift);
        s2 = (sq - T * T / n) / (n - 1.0);
        s2 = fmin(R * R, fmax(0.0, s2));
    }
    e->err.var_sampling = half * half * s2 / n;
    e->err.nterms = 2;
    e->err.term[0] = (cw_dp_term){half / n, m->t};
    e->err.term[1] = (cw_dp_term){-half * T / (n * n), m->n};
    /* conservative: T in [T - aT, T + aT], n in [n - an, n + an], y-bar in [-R, R] */
    double aT = bound(&m->t, alpha / 4.0), an = bound(&m->n, alpha / 4.0);
    double nlo = n - an, nhi = n + an;
    if (!(nlo >= 1.0) || !isfinite(aT)) {
        e->cons_lo = e->lo_feas, e->cons_hi = e->hi_feas;
        return;
    }
    double t1 = T - aT, t2 = T + aT;
    double c[4] = {t1 / nlo, t1 / nhi, t2 / nlo, t2 / nhi};
    double ylo = c[0], yhi = c[0];
    for (int k = 1; k < 4; k++) ylo = fmin(ylo, c[k]), yhi = fmax(yhi, c[k]);
    double h = hoeffding(2.0 * R, alpha / 2.0, nlo);
    ylo = fmax(-R, ylo - h);
    yhi = fmin(R, yhi + h);
    e->cons_lo = mid + half * ylo;
    e->cons_hi = mid + half * yhi;
}

static int add_terms(cw_dp_error *out, const cw_dp_error *in, double scale) {
    for (int k = 0; k < in->nterms; k++) {
        if (out->nterms == CW_DP_MAX_TERMS) return -1;
        out->term[out->nterms] = in->term[k];
        out->term[out->nterms++].coef *= scale;
    }
    out->var_sampling += scale * scale * in->var_sampling;
    return 0;
}

/* [est - q, est + q] under the chosen model; NaN ends when it cannot be computed. */
static void model_ci(const cw_dp_error *err, double est, double alpha, cw_priv_interval how, double ci[2]) {
    double q = NAN;
    if (how == CW_PRIV_WALD) {
        q = cw_qnorm(alpha / 2.0, 0.0, 1.0, 0, 0) * sqrt(cw_dp_error_variance(err));
    } else if (cw_dp_error_quantile(err, alpha / 2.0, &q, NULL) != 0) {
        q = NAN;
    }
    ci[0] = est - q;
    ci[1] = est + q;
}

static void clamp_ci(double ci[2], double lo, double hi) {
    ci[0] = fmin(hi, fmax(lo, ci[0]));
    ci[1] = fmin(hi, fmax(lo, ci[1]));
}

static void pair(cw_json *j, const char *key, const double v[2]) {
    cw_json_key(j, key);
    if (!isfinite(v[0]) || !isfinite(v[1])) {
        cw_json_null(j);
        return;
    }
    cw_json_begin_array(j);
    cw_json_number(j, v[0]);
    cw_json_number(j, v[1]);
    cw_json_end_array(j);
}

static void int_text(cw_json *j, const char *key, cw_dp_i128 v) {
    char buf[64];
    cw_fix_format(v, 0, 0, buf, sizeof buf);
    cw_json_key(j, key);
    cw_json_string(j, buf);
}

static const char *mech_name(const cw_dp_noise *nz) {
    return nz->mech == CW_MECH_LAPLACE ? "discrete_laplace" : "discrete_gaussian";
}

/* The loss a noise delivers: epsilon (Laplace, pure) or rho. */
static double noise_epsilon(const cw_dp_noise *nz) { return ldexp((double)nz->s, -CW_DP_EPS_BITS); }
static double noise_rho(const cw_dp_noise *nz) {
    if (nz->mech == CW_MECH_LAPLACE) {
        double e = noise_epsilon(nz);
        return e * e / 2.0;
    }
    return (double)nz->sens * (double)nz->sens / (2.0 * (double)nz->sigma2);
}

static void statistic(cw_json *j, const cw_private *p, const char *metric, const char *what, const cw_dp_noise *nz,
                      const char *unit) {
    cw_json_begin_object(j);
    cw_json_key(j, "metric");
    cw_json_string(j, metric);
    cw_json_key(j, "statistic");
    cw_json_string(j, what);
    cw_json_key(j, "mechanism");
    cw_json_string(j, mech_name(nz));
    cw_json_key(j, "sensitivity");
    cw_json_int(j, (int64_t)nz->sens);
    cw_json_key(j, "sensitivity_unit");
    cw_json_string(j, unit);
    if (nz->mech == CW_MECH_LAPLACE) {
        cw_json_key(j, "scale");
        cw_json_number(j, (double)nz->t / (double)nz->s);
        cw_json_key(j, "scale_exact");
        char buf[64];
        snprintf(buf, sizeof buf, "%llu/%llu", (unsigned long long)nz->t, (unsigned long long)nz->s);
        cw_json_string(j, buf);
        cw_json_key(j, "epsilon");
        cw_json_number(j, noise_epsilon(nz));
    } else {
        cw_json_key(j, "sigma2");
        cw_json_int(j, (int64_t)nz->sigma2);
    }
    if (p->zcdp) {
        cw_json_key(j, "rho");
        cw_json_number(j, noise_rho(nz));
    }
    cw_json_key(j, "noise_sd");
    cw_json_number(j, noise_sd(nz));
    cw_json_end_object(j);
}

static void privacy(cw_json *j, const cw_private *p, const char *unit_col) {
    cw_json_key(j, "privacy");
    cw_json_begin_object(j);
    cw_json_key(j, "unit");
    cw_json_string(j, unit_col ? unit_col : "row");
    cw_json_key(j, "neighbours");
    cw_json_string(j, unit_col ? "datasets that differ by one id's rows (added or removed)"
                               : "datasets that differ by one row (added or removed)");
    cw_json_key(j, "accounting");
    cw_json_string(j, p->zcdp ? "zCDP" : "pure");
    cw_json_key(j, "epsilon_requested");
    cw_json_number(j, p->epsilon);
    cw_json_key(j, "epsilon");
    cw_json_number(j, ldexp((double)p->eps_units, -CW_DP_EPS_BITS));
    cw_json_key(j, "delta");
    if (p->zcdp) cw_json_number(j, p->delta);
    else cw_json_null(j);
    double spent_eps = 0.0, spent_rho = 0.0;
    for (int i = 0; i < p->nmetrics; i++) {
        const cw_priv_metric *m = &p->metric[i];
        const cw_dp_noise *nz[3];
        cw_priv_noises(m, nz);
        for (int k = 0; k < 3; k++)
            if (nz[k]) spent_eps += noise_epsilon(nz[k]), spent_rho += noise_rho(nz[k]);
    }
    if (p->zcdp) {
        cw_json_key(j, "rho");
        cw_json_number(j, ldexp((double)p->rho_units, -CW_DP_RHO_BITS));
    }
    cw_json_key(j, "spent");
    cw_json_begin_object(j);
    cw_json_key(j, "epsilon");
    cw_json_number(j, p->zcdp ? cw_dp_zcdp_epsilon(spent_rho, p->delta) : spent_eps);
    if (p->zcdp) {
        cw_json_key(j, "delta");
        cw_json_number(j, p->delta);
        cw_json_key(j, "rho");
        cw_json_number(j, spent_rho);
    }
    cw_json_end_object(j);
    char res[64];
    cw_fix_format(1, p->d, 0, res, sizeof res);
    cw_json_key(j, "resolution");
    cw_json_string(j, res);
    cw_json_key(j, "arms");
    cw_json_begin_array(j);
    for (int g = 0; g < p->narms; g++) cw_json_string(j, p->arm[g]);
    cw_json_end_array(j);
    cw_json_key(j, "control");
    cw_json_string(j, p->arm[p->control]);
    cw_json_key(j, "interval");
    static const char *const how[] = {"convolution", "wald", "conservative"};
    cw_json_string(j, how[p->interval]);
    cw_json_key(j, "confidence");
    cw_json_number(j, 1.0 - p->alpha);
    cw_json_key(j, "budget_split");
    cw_json_string(j, "equal across metrics; within a numeric metric count : sum : sum of squares = 1 : 2 : 1 "
                      "(1 : 2 with the conservative interval)");
    cw_json_key(j, "statistics");
    cw_json_begin_array(j);
    for (int i = 0; i < p->nmetrics; i++) {
        const cw_priv_metric *m = &p->metric[i];
        if (m->binary) {
            statistic(j, p, m->name, "table", &m->tab, "rows");
            continue;
        }
        statistic(j, p, m->name, "count", &m->n, "rows");
        statistic(j, p, m->name, "sum", &m->t, "half resolution units");
        if (m->has_w) statistic(j, p, m->name, "sum_of_squares", &m->w, "squared units of 2^shift half resolution units");
    }
    cw_json_end_array(j);
    cw_json_end_object(j);
}

static void arm_json(cw_json *j, const cw_private *p, const cw_priv_metric *m, int g, const arm_est *e,
                     const cw_priv_released *r) {
    cw_json_begin_object(j);
    cw_json_key(j, "name");
    cw_json_string(j, p->arm[g]);
    cw_json_key(j, "control");
    cw_json_bool(j, g == p->control);
    cw_json_key(j, "released");
    cw_json_begin_object(j);
    char buf[64];
    if (m->binary) {
        int_text(j, "ones", r->c);
        int_text(j, "zeros", r->f);
    } else {
        int_text(j, "count", r->n);
        /* sum of x = (T + n (L + U)) / 2 resolution units: exact, on the lattice (r/2) Z */
        cw_fix_format(r->t + r->n * (cw_dp_i128)(m->lo + m->hi), p->d, 1, buf, sizeof buf);
        cw_json_key(j, "sum");
        cw_json_string(j, buf);
        int_text(j, "sum_y", r->t);
        if (m->has_w) int_text(j, "sum_w", r->w);
    }
    cw_json_end_object(j);
    cw_json_key(j, "n");
    cw_json_number(j, e->n);
    const char *key = m->binary ? "rate" : "mean";
    if (e->why) {
        cw_json_key(j, key);
        cw_json_null(j);
        cw_json_key(j, "ci");
        cw_json_null(j);
        cw_json_key(j, "suppressed");
        cw_json_string(j, e->why);
    } else {
        cw_json_key(j, key);
        cw_json_number(j, fmin(e->hi_feas, fmax(e->lo_feas, e->est)));
        double ci[2] = {e->cons_lo, e->cons_hi};
        if (p->interval != CW_PRIV_CONSERVATIVE) model_ci(&e->err, e->est, p->alpha, p->interval, ci);
        clamp_ci(ci, e->lo_feas, e->hi_feas);
        pair(j, "ci", ci);
        cw_json_key(j, "se");
        cw_json_number(j, sqrt(cw_dp_error_variance(&e->err)));
    }
    cw_json_end_object(j);
}

typedef struct {
    const char *why;
    double diff, ci[2], wald[2], conv[2], cons[2], p;
    double rel, rel_ci[2];
    const char *rel_why;
} comparison;

/* full: also the p-value and the relative lift (the JSON); the tests' interval-only estimates
 * skip them, each is one more convolution. */
static void compare(const cw_private *p, const arm_est *a, const arm_est *b, comparison *c, int full) {
    memset(c, 0, sizeof *c);
    c->p = NAN;
    c->rel = NAN;
    c->rel_ci[0] = c->rel_ci[1] = NAN;
    if (a->why || b->why) {
        c->why = "unavailable: an arm's noisy count is too small";
        c->rel_why = c->why;
        return;
    }
    double range = b->hi_feas - b->lo_feas;
    cw_dp_error err = {0};
    add_terms(&err, &b->err, 1.0);
    add_terms(&err, &a->err, -1.0);
    c->diff = b->est - a->est;
    model_ci(&err, c->diff, p->alpha, CW_PRIV_CONVOLUTION, c->conv);
    model_ci(&err, c->diff, p->alpha, CW_PRIV_WALD, c->wald);
    /* conservative: each arm's interval at alpha/2 (the arms passed in were built so) */
    c->cons[0] = b->cons_lo - a->cons_hi;
    c->cons[1] = b->cons_hi - a->cons_lo;
    const double *pick = p->interval == CW_PRIV_WALD ? c->wald : p->interval == CW_PRIV_CONSERVATIVE ? c->cons : c->conv;
    c->ci[0] = pick[0], c->ci[1] = pick[1];
    clamp_ci(c->ci, -range, range);
    clamp_ci(c->conv, -range, range);
    clamp_ci(c->wald, -range, range);
    clamp_ci(c->cons, -range, range);
    if (!full) return;
    if (cw_dp_error_two_sided(&err, fabs(c->diff), &c->p) != 0) c->p = NAN;
    /* relative lift b/a - 1 by the delta method */
    if (!(fabs(a->est) > 0.0) || (a->lo_feas >= 0.0 && !(a->est > 0.0))) {
        c->rel_why = "the control's estimate is 0";
        return;
    }
    cw_dp_error rerr = {0};
    add_terms(&rerr, &b->err, 1.0 / a->est);
    add_terms(&rerr, &a->err, -b->est / (a->est * a->est));
    c->rel = b->est / a->est - 1.0;
    model_ci(&rerr, c->rel, p->alpha, p->interval == CW_PRIV_WALD ? CW_PRIV_WALD : CW_PRIV_CONVOLUTION, c->rel_ci);
}

static void comparison_json(cw_json *j, const cw_private *p, int g, const comparison *c, double padj) {
    cw_json_begin_object(j);
    cw_json_key(j, "arm");
    cw_json_string(j, p->arm[g]);
    cw_json_key(j, "control");
    cw_json_string(j, p->arm[p->control]);
    if (c->why) {
        cw_json_key(j, "unavailable");
        cw_json_string(j, c->why);
        cw_json_end_object(j);
        return;
    }
    cw_json_key(j, "difference");
    cw_json_number(j, c->diff);
    pair(j, "ci", c->ci);
    cw_json_key(j, "intervals");
    cw_json_begin_object(j);
    pair(j, "convolution", c->conv);
    pair(j, "wald", c->wald);
    pair(j, "conservative", c->cons);
    cw_json_end_object(j);
    cw_json_key(j, "p_value");
    if (isfinite(c->p)) cw_json_number(j, c->p);
    else cw_json_null(j);
    cw_json_key(j, "p_adjusted");
    if (isfinite(padj)) cw_json_number(j, padj);
    else cw_json_null(j);
    cw_json_key(j, "relative_lift");
    if (isfinite(c->rel)) {
        cw_json_number(j, c->rel);
        pair(j, "relative_ci", c->rel_ci);
    } else {
        cw_json_null(j);
        cw_json_key(j, "relative_unavailable");
        cw_json_string(j, c->rel_why ? c->rel_why : "not a finite number");
    }
    cw_json_end_object(j);
}

/* Arm g of metric i at level alpha (the conservative interval depends on it). */
static void build_arm(const cw_private *p, int i, int g, double alpha, arm_est *e) {
    const cw_priv_metric *m = &p->metric[i];
    const cw_priv_released *r = &p->rel[g * p->nmetrics + i];
    if (m->binary) binary_arm(p, m, r, alpha, e);
    else numeric_arm(p, m, r, alpha, e);
}

void cw_private_arm_estimate(const cw_private *p, int metric, int arm, cw_priv_estimate *out) {
    arm_est e;
    build_arm(p, metric, arm, p->alpha, &e);
    memset(out, 0, sizeof *out);
    out->why = e.why;
    out->n = e.n;
    out->est = e.est;
    out->p = NAN;
    if (e.why) return;
    model_ci(&e.err, e.est, p->alpha, CW_PRIV_CONVOLUTION, out->conv);
    model_ci(&e.err, e.est, p->alpha, CW_PRIV_WALD, out->wald);
    out->cons[0] = e.cons_lo, out->cons[1] = e.cons_hi;
    clamp_ci(out->conv, e.lo_feas, e.hi_feas);
    clamp_ci(out->wald, e.lo_feas, e.hi_feas);
    const double *pick = p->interval == CW_PRIV_WALD ? out->wald : p->interval == CW_PRIV_CONSERVATIVE ? out->cons : out->conv;
    out->ci[0] = pick[0], out->ci[1] = pick[1];
}

void cw_private_difference(const cw_private *p, int metric, int arm, int with_p, cw_priv_estimate *out) {
    arm_est a, b;
    build_arm(p, metric, p->control, p->alpha / 2.0, &a);
    build_arm(p, metric, arm, p->alpha / 2.0, &b);
    comparison c;
    compare(p, &a, &b, &c, with_p);
    memset(out, 0, sizeof *out);
    out->why = c.why;
    out->n = b.n;
    out->est = c.diff;
    out->p = c.p;
    memcpy(out->ci, c.ci, sizeof c.ci);
    memcpy(out->conv, c.conv, sizeof c.conv);
    memcpy(out->wald, c.wald, sizeof c.wald);
    memcpy(out->cons, c.cons, sizeof c.cons);
}

static void metric_json(cw_json *j, const cw_private *p, int i) {
    const cw_priv_metric *m = &p->metric[i];
    int na = p->narms, nm = p->nmetrics;
    arm_est est[CW_PRIV_MAX_ARMS], half[CW_PRIV_MAX_ARMS];
    for (int g = 0; g < na; g++) {
        build_arm(p, i, g, p->alpha, &est[g]);
        build_arm(p, i, g, p->alpha / 2.0, &half[g]);
    }
    cw_json_begin_object(j);
    cw_json_key(j, "name");
    cw_json_string(j, m->name);
    cw_json_key(j, "kind");
    cw_json_string(j, m->binary ? "binary" : "numeric");
    if (!m->binary) {
        char lo[64], hi[64];
        cw_fix_format(m->lo, p->d, 0, lo, sizeof lo);
        cw_fix_format(m->hi, p->d, 0, hi, sizeof hi);
        cw_json_key(j, "bounds");
        cw_json_begin_array(j);
        cw_json_string(j, lo);
        cw_json_string(j, hi);
        cw_json_end_array(j);
    }
    cw_json_key(j, "arms");
    cw_json_begin_array(j);
    for (int g = 0; g < na; g++) arm_json(j, p, m, g, &est[g], &p->rel[g * nm + i]);
    cw_json_end_array(j);
    comparison cmp[CW_PRIV_MAX_ARMS];
    double pv[CW_PRIV_MAX_ARMS], padj[CW_PRIV_MAX_ARMS];
    int nc = 0;
    for (int g = 0; g < na; g++) {
        if (g == p->control) continue;
        compare(p, &half[p->control], &half[g], &cmp[nc], 1);
        pv[nc] = cmp[nc].p;
        nc++;
    }
    if (cw_p_adjust(pv, (size_t)nc, CW_ADJUST_HOLM, padj) != CW_OK)
        for (int k = 0; k < nc; k++) padj[k] = NAN;
    cw_json_key(j, "correction");
    cw_json_string(j, "holm");
    cw_json_key(j, "comparisons");
    cw_json_begin_array(j);
    nc = 0;
    for (int g = 0; g < na; g++) {
        if (g == p->control) continue;
        comparison_json(j, p, g, &cmp[nc], padj[nc]);
        nc++;
    }
    cw_json_end_array(j);
    cw_json_end_object(j);
}

char *cw_private_report(const cw_private *p, const char *file, char delimiter, char decimal, int header,
                        const char *unit_col) {
    cw_json j;
    cw_json_init(&j);
    cw_json_begin_object(&j);
    cw_json_key(&j, "schema");
    cw_json_string(&j, "causeway.private/1");
    cw_json_key(&j, "version");
    cw_json_string(&j, CW_VERSION);
    cw_json_key(&j, "input");
    cw_json_begin_object(&j);
    cw_json_key(&j, "file");
    if (file) cw_json_string(&j, file);
    else cw_json_null(&j);
    char d[2] = {delimiter, 0}, pt[2] = {decimal, 0};
    cw_json_key(&j, "delimiter");
    cw_json_string(&j, delimiter == '\t' ? "tab" : d);
    cw_json_key(&j, "decimal");
    cw_json_string(&j, pt);
    cw_json_key(&j, "header");
    cw_json_bool(&j, header);
    cw_json_end_object(&j);
    privacy(&j, p, unit_col);
    cw_json_key(&j, "metrics");
    cw_json_begin_array(&j);
    for (int i = 0; i < p->nmetrics; i++) metric_json(&j, p, i);
    cw_json_end_array(&j);
    cw_json_key(&j, "notes");
    cw_json_begin_array(&j);
    cw_json_string(&j, "Every number here is derived from a differentially private release: noise was added to the "
                       "per-arm counts and sums, and nothing else about the data was used.");
    cw_json_string(&j, "Intervals cover both the sampling error and the added noise. They are for the mean of the "
                       "outcome clamped to its declared bounds: a bias from clamping is not covered.");
    cw_json_string(&j, "Each new release of the same people spends more privacy budget: the epsilons of separate "
                       "releases add up.");
    cw_json_end_array(&j);
    cw_json_end_object(&j);
    return cw_json_take(&j);
}
