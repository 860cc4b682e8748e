/* ttest.c — Welch and Student two-sample t tests and the one-sample t interval, from moments.
 * Welch (1947), Biometrika 34:28-35, with the Satterthwaite (1946) degrees of freedom
 *   df = (v1/n1 + v2/n2)^2 / ((v1/n1)^2/(n1-1) + (v2/n2)^2/(n2-1));
 * Student: pooled variance ((n1-1)v1 + (n2-1)v2)/(n1+n2-2), df = n1+n2-2.
 * The interval is computed as R's t.test does, (t -+ q) * se with q = qt(1 - alpha/2, df), and
 * the p-value as 2 * pt(-|t|, df), the lower tail taken directly. */
#include "ttest.h"

#include <math.h>

#include "dist/dist.h"

static void unavailable(cw_ttest *out, const char *why) {
    out->se = out->df = out->t = out->p_value = out->ci_low = out->ci_high = NAN;
    out->unavailable = why;
}

static void finish(cw_ttest *out, double se, double df, double alpha) {
    out->se = se;
    out->df = df;
    out->t = out->difference / se;
    out->p_value = 2.0 * cw_pt(-fabs(out->t), df, 1, 0);
    if (out->p_value > 1.0) out->p_value = 1.0;
    double q = cw_qt(alpha / 2.0, df, 0, 0);
    out->ci_low = (out->t - q) * se;
    out->ci_high = (out->t + q) * se;
    out->unavailable = 0;
}

static int too_small(const cw_moments *a, const cw_moments *b, cw_ttest *out) {
    out->difference = (a->n > 0 && b->n > 0) ? cw_moments_mean(a) - cw_moments_mean(b) : NAN;
    if (a->n < 2 || b->n < 2) {
        unavailable(out, a->n == 0 || b->n == 0 ? "an arm has no values"
                                                : "an arm has fewer than 2 values");
        return 1;
    }
    return 0;
}

void cw_welch(const cw_moments *treat, const cw_moments *ctrl, double alpha, cw_ttest *out) {
    if (too_small(treat, ctrl, out)) return;
    double n1 = (double)treat->n, n2 = (double)ctrl->n;
    double q1 = cw_moments_var(treat) / n1, q2 = cw_moments_var(ctrl) / n2;
    double se2 = q1 + q2;
    if (!(se2 > 0.0)) {
        unavailable(out, "both arms have zero variance (every value is the same)");
        return;
    }
    double df = se2 * se2 / (q1 * q1 / (n1 - 1.0) + q2 * q2 / (n2 - 1.0));
    finish(out, sqrt(se2), df, alpha);
}

void cw_student(const cw_moments *treat, const cw_moments *ctrl, double alpha, cw_ttest *out) {
    if (too_small(treat, ctrl, out)) return;
    double n1 = (double)treat->n, n2 = (double)ctrl->n, df = n1 + n2 - 2.0;
    double v = (treat->m2 + ctrl->m2) / df;
    double se2 = v * (1.0 / n1 + 1.0 / n2);
    if (!(se2 > 0.0)) {
        unavailable(out, "both arms have zero variance (every value is the same)");
        return;
    }
    finish(out, sqrt(se2), df, alpha);
}

void cw_mean_interval(const cw_moments *m, double alpha, cw_mean_ci *out) {
    out->sd = out->se = out->ci_low = out->ci_high = NAN;
    out->ci_unavailable = 0;
    if (m->n < 2) {
        out->unavailable = m->n == 0 ? "no values" : "fewer than 2 values";
        return;
    }
    out->sd = sqrt(cw_moments_var(m));
    out->se = out->sd / sqrt((double)m->n);
    out->unavailable = 0;
    if (out->se == 0.0) { /* every value equal: no spread to build an interval from (R: an error) */
        out->ci_unavailable = "every value is the same, so there is no spread to build an interval from";
        return;
    }
    double q = cw_qt(alpha / 2.0, (double)(m->n - 1), 0, 0);
    out->ci_low = cw_moments_mean(m) - q * out->se;
    out->ci_high = cw_moments_mean(m) + q * out->se;
}
