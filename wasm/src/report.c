/* report.c — the result JSON of a finished analysis (schema: docs/result-schema.md). Every
 * number comes from the estimators; a number that cannot be computed is written as null with
 * its reason in the enclosing object's "unavailable" map. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adjust.h"
#include "analysis.h"
#include "bootstrap.h"
#include "chisq.h"
#include "dist/dist.h"
#include "fisher.h"
#include "json.h"
#include "proportions.h"
#include "ttest.h"

/* A number, or null while collecting the reason for the "unavailable" map. */
typedef struct {
    const char *field[16];
    const char *why[16];
    int n;
} cw_gaps;

static void num(cw_json *j, cw_gaps *g, const char *key, double x, const char *why) {
    cw_json_key(j, key);
    if (isfinite(x)) {
        cw_json_number(j, x);
        return;
    }
    cw_json_null(j);
    if (g && g->n < 16) {
        g->field[g->n] = key;
        g->why[g->n++] = why ? why : "not a finite number";
    }
}

static void gaps(cw_json *j, const cw_gaps *g) {
    if (g->n == 0) return;
    cw_json_key(j, "unavailable");
    cw_json_begin_object(j);
    for (int i = 0; i < g->n; i++) {
        cw_json_key(j, g->field[i]);
        cw_json_string(j, g->why[i]);
    }
    cw_json_end_object(j);
}

/* The moments the estimators use: the winsorized ones when the metric was capped. */
static const cw_moments *moments(const cw_analysis *a, const cw_cell *cell, int i) {
    return a->metrics[i].winsorized ? &cell->w : &cell->m;
}

static const char *correction_name(cw_correction c) {
    static const char *const names[] = {"holm", "bonferroni", "BH", "none"};
    return names[c];
}

static const char *adjust_name(cw_adj_method m);
static void covariate_names(cw_json *j, const cw_analysis *a);

static const char *kind_name(cw_kind k) { return k == CW_KIND_BINARY ? "binary" : "continuous"; }

static void input(cw_json *j, const cw_analysis *a) {
    char delim[2] = {a->csv.delim, 0};
    cw_json_key(j, "input");
    cw_json_begin_object(j);
    cw_json_key(j, "file");
    cw_json_string(j, a->file ? a->file : "");
    cw_json_key(j, "bytes");
    cw_json_int(j, (int64_t)a->csv.bytes);
    cw_json_key(j, "delimiter");
    cw_json_string(j, delim);
    char point[2] = {a->csv.decimal, 0};
    cw_json_key(j, "decimal");
    cw_json_string(j, point);
    cw_json_key(j, "encoding");
    cw_json_string(j, cw_csv_encoding(&a->csv));
    cw_json_key(j, "header");
    cw_json_bool(j, a->has_header);
    cw_json_key(j, "summary");
    cw_json_bool(j, a->summary);
    cw_json_key(j, "columns");
    cw_json_begin_array(j);
    for (int i = 0; i < a->ncolumns; i++) cw_json_string(j, a->columns[i]);
    cw_json_end_array(j);
    cw_json_key(j, "rows_read");
    cw_json_int(j, a->rows_read);
    cw_json_key(j, "rows_used");
    cw_json_int(j, a->rows_used);
    cw_json_key(j, "rows_skipped");
    cw_json_int(j, a->rows_read - a->rows_used);
    cw_json_key(j, "skipped");
    cw_json_begin_array(j);
    if (a->missing_variant.count > 0) {
        cw_json_begin_object(j);
        cw_json_key(j, "reason");
        cw_json_string(j, "missing_variant");
        cw_json_key(j, "count");
        cw_json_int(j, a->missing_variant.count);
        cw_json_key(j, "first_line");
        cw_json_int(j, a->missing_variant.first_line);
        cw_json_key(j, "message");
        cw_json_string(j, "the variant column is empty");
        cw_json_end_object(j);
    }
    cw_json_end_array(j);
    cw_json_key(j, "blank_lines");
    cw_json_int(j, a->csv.blank_lines);
    cw_json_key(j, "units");
    if (a->unit_col >= 0) {
        const cw_units *u = &a->units;
        cw_json_begin_object(j);
        cw_json_key(j, "column");
        cw_json_string(j, a->unit);
        cw_json_key(j, "distinct");
        cw_json_int(j, (int64_t)u->n);
        cw_json_key(j, "missing");
        cw_json_int(j, u->missing);
        cw_json_key(j, "repeated_rows");
        cw_json_int(j, u->repeated);
        cw_json_key(j, "first_repeat_line");
        if (u->repeated) cw_json_int(j, u->first_repeat_line);
        else cw_json_null(j);
        cw_json_key(j, "ids_in_several_arms");
        cw_json_int(j, u->cross_arm);
        cw_json_key(j, "first_cross_arm_line");
        if (u->cross_arm) cw_json_int(j, u->first_cross_line);
        else cw_json_null(j);
        cw_json_key(j, "complete");
        cw_json_bool(j, !u->full);
        cw_json_end_object(j);
    } else {
        cw_json_null(j);
    }
    cw_json_end_object(j);
}

static void options(cw_json *j, const cw_analysis *a) {
    cw_json_key(j, "options");
    cw_json_begin_object(j);
    cw_json_key(j, "variant");
    cw_json_string(j, a->variant);
    cw_json_key(j, "control");
    cw_json_string(j, a->control);
    cw_json_key(j, "metrics");
    cw_json_begin_array(j);
    for (int i = 0; i < a->nmetrics; i++) {
        cw_json_begin_object(j);
        cw_json_key(j, "name");
        cw_json_string(j, a->metrics[i].name);
        cw_json_key(j, "kind");
        cw_json_string(j, kind_name(a->metrics[i].kind));
        cw_json_key(j, "declared");
        cw_json_bool(j, a->metrics[i].declared != CW_KIND_AUTO);
        cw_json_end_object(j);
    }
    cw_json_end_array(j);
    cw_json_key(j, "alpha");
    cw_json_number(j, a->alpha);
    cw_json_key(j, "confidence");
    cw_json_number(j, 1.0 - a->alpha);
    cw_json_key(j, "correction");
    cw_json_string(j, correction_name(a->correction));
    cw_json_key(j, "unit");
    cw_json_string(j, a->unit);
    cw_json_key(j, "fisher");
    cw_json_string(j, a->fisher_always ? "always" : "auto");
    cw_json_key(j, "winsorize");
    if (a->winsorize > 0.0) {
        cw_json_begin_object(j);
        cw_json_key(j, "quantile");
        cw_json_number(j, a->winsorize);
        cw_json_key(j, "tail");
        cw_json_string(j, a->tail == CW_TAIL_UPPER ? "upper" : a->tail == CW_TAIL_LOWER ? "lower" : "both");
        cw_json_end_object(j);
    } else {
        cw_json_null(j);
    }
    if (a->adjust == CW_ADJ_ADDITIVE || a->adjust == CW_ADJ_LIN) {
        covariate_names(j, a);
        cw_json_key(j, "adjust");
        cw_json_string(j, adjust_name(a->adjust));
    } else {
        cw_json_key(j, "covariates");
        cw_json_null(j);
        cw_json_key(j, "adjust");
        cw_json_null(j);
    }
    cw_json_key(j, "pre_metric");
    if (a->adjust == CW_ADJ_CUPED) cw_json_string(j, a->cov[0].name);
    else cw_json_null(j);
    cw_json_key(j, "bootstrap");
    cw_json_int(j, a->bootstrap);
    cw_json_key(j, "seed");
    cw_json_int(j, (int64_t)a->seed);
    cw_json_key(j, "split");
    if (a->nsplit) {
        cw_json_begin_array(j);
        for (int k = 0; k < a->nsplit; k++) {
            cw_json_begin_object(j);
            cw_json_key(j, "arm");
            cw_json_string(j, a->split[k].label);
            cw_json_key(j, "weight");
            cw_json_number(j, a->split[k].weight);
            cw_json_end_object(j);
        }
        cw_json_end_array(j);
    } else {
        cw_json_null(j);
    }
    cw_json_end_object(j);
}

static void arm_metric(cw_json *j, const cw_analysis *a, const cw_arm *arm, int i) {
    const cw_cell *cell = &arm->cell[i];
    const cw_moments *m = moments(a, cell, i);
    const int binary = a->metrics[i].kind == CW_KIND_BINARY;
    cw_mean_ci ci;
    cw_mean_interval(m, a->alpha, &ci);
    cw_gaps g = {{0}, {0}, 0};
    cw_json_key(j, a->metrics[i].name);
    cw_json_begin_object(j);
    cw_json_key(j, "n");
    cw_json_int(j, m->n);
    cw_json_key(j, "missing");
    cw_json_int(j, cell->missing);
    cw_json_key(j, "invalid");
    cw_json_int(j, cell->invalid);
    if (binary) {
        cw_json_key(j, "successes");
        cw_json_int(j, cell->ones);
    }
    num(j, &g, "mean", cw_moments_mean(m), "no values");
    num(j, &g, "sd", ci.sd, ci.unavailable);
    num(j, &g, "se", ci.se, ci.unavailable);
    if (binary) { /* a rate's interval stays inside [0, 1]: Wilson's score interval */
        cw_rate_ci w;
        cw_wilson(cell->ones, m->n, a->alpha, &w);
        cw_json_key(j, "interval");
        cw_json_string(j, "wilson");
        num(j, &g, "ci_low", w.ci_low, w.unavailable);
        num(j, &g, "ci_high", w.ci_high, w.unavailable);
    } else {
        cw_json_key(j, "interval");
        cw_json_string(j, "t");
        num(j, &g, "ci_low", ci.ci_low, ci.unavailable ? ci.unavailable : ci.ci_unavailable);
        num(j, &g, "ci_high", ci.ci_high, ci.unavailable ? ci.unavailable : ci.ci_unavailable);
    }
    const char *why = a->summary ? "not in a summary input" : "no values";
    num(j, &g, "min", m->n > 0 && !a->summary ? m->min : NAN, why);
    num(j, &g, "max", m->n > 0 && !a->summary ? m->max : NAN, why);
    gaps(j, &g);
    cw_json_end_object(j);
}

static void arms(cw_json *j, const cw_analysis *a, int control) {
    cw_json_key(j, "arms");
    cw_json_begin_array(j);
    for (int k = 0; k < a->arms.n; k++) {
        const cw_arm *arm = &a->arms.arms[k];
        cw_json_begin_object(j);
        cw_json_key(j, "name");
        cw_json_string_n(j, arm->name, arm->name_len);
        cw_json_key(j, "control");
        cw_json_bool(j, k == control);
        cw_json_key(j, "rows");
        cw_json_int(j, arm->rows);
        cw_json_key(j, "metrics");
        cw_json_begin_object(j);
        for (int i = 0; i < a->nmetrics; i++) arm_metric(j, a, arm, i);
        cw_json_end_object(j);
        cw_json_end_object(j);
    }
    cw_json_end_array(j);
}

/* "key": {names[i]: values[i], ..., "unavailable": {...}} with one reason for every gap. */
static void numbers(cw_json *j, const char *key, const char *const *names, const double *values, int n,
                    const char *why) {
    cw_gaps g = {{0}, {0}, 0};
    cw_json_key(j, key);
    cw_json_begin_object(j);
    for (int i = 0; i < n; i++) num(j, &g, names[i], values[i], why);
    gaps(j, &g);
    cw_json_end_object(j);
}

static void ttest(cw_json *j, const char *key, const cw_ttest *t) {
    static const char *const names[] = {"difference", "se", "df", "t", "p_value", "ci_low", "ci_high"};
    const double values[] = {t->difference, t->se, t->df, t->t, t->p_value, t->ci_low, t->ci_high};
    numbers(j, key, names, values, 7, t->unavailable);
}

/* One covariate-adjusted estimate with one kind of standard error. */
typedef struct {
    const char *se_type; /* "HC1", "HC2", "welch" */
    double se, df, t, p_value, ci_low, ci_high;
    const char *unavailable;
} cw_adj_est;

/* The covariate-adjusted comparison (--covariates or --pre-metric); est[0] is the headline, and
 * p_adjusted its p-value corrected across the metric's adjusted comparisons. */
typedef struct {
    double difference, p_adjusted;
    cw_adj_est est[4];
    int nest;
    const char *unavailable; /* why the difference itself is unavailable */
} cw_adjusted;

/* Everything computed for one treatment arm against the control on one metric. */
typedef struct {
    cw_adjusted adj;
    const cw_arm *arm;
    cw_ttest welch, student;
    cw_lift lift;
    cw_prop_wald wald;
    cw_prop_newcombe newcombe;
    cw_prop_ztest z;
    cw_chisq chisq, yates;
    cw_fisher fisher;
    int fisher_run;
    double boot_low, boot_high, boot_se; /* percentile bootstrap of the difference */
    const char *boot_unavailable;
    /* the headline: Welch for a continuous metric, Newcombe + pooled z for a binary one */
    const char *method;
    double difference, ci_low, ci_high, p_value, p_adjusted;
    const char *unavailable;
} cw_comparison;

static void compare(const cw_analysis *a, int i, const cw_arm *arm, const cw_arm *ctrl, cw_comparison *c) {
    const cw_moments *t = moments(a, &arm->cell[i], i), *k = moments(a, &ctrl->cell[i], i);
    memset(c, 0, sizeof *c);
    c->arm = arm;
    cw_welch(t, k, a->alpha, &c->welch);
    cw_student(t, k, a->alpha, &c->student);
    c->p_adjusted = NAN;
    if (a->metrics[i].kind != CW_KIND_BINARY) {
        if (t->n >= 2 && k->n >= 2) {
            cw_relative_lift(cw_moments_mean(t), cw_moments_var(t) / (double)t->n, cw_moments_mean(k),
                             cw_moments_var(k) / (double)k->n, a->alpha, &c->lift);
        } else {
            c->lift.lift = c->lift.se = c->lift.ci_low = c->lift.ci_high = NAN;
            c->lift.unavailable = "an arm has fewer than 2 values";
        }
        c->method = "welch";
        c->difference = c->welch.difference;
        c->ci_low = c->welch.ci_low;
        c->ci_high = c->welch.ci_high;
        c->p_value = c->welch.p_value;
        c->unavailable = c->welch.unavailable;
        return;
    }
    int64_t x1 = arm->cell[i].ones, n1 = t->n, x2 = ctrl->cell[i].ones, n2 = k->n;
    cw_prop_wald_ci(x1, n1, x2, n2, a->alpha, &c->wald);
    cw_prop_newcombe_ci(x1, n1, x2, n2, a->alpha, &c->newcombe);
    cw_prop_z_test(x1, n1, x2, n2, &c->z);
    cw_prop_lift(x1, n1, x2, n2, a->alpha, &c->lift);
    cw_chisq_2x2(x1, n1 - x1, x2, n2 - x2, 0, &c->chisq);
    cw_chisq_2x2(x1, n1 - x1, x2, n2 - x2, 1, &c->yates);
    c->fisher_run = a->fisher_always || c->chisq.small_expected;
    if (c->fisher_run) cw_fisher_2x2(x1, n1 - x1, x2, n2 - x2, &c->fisher);
    c->method = "newcombe_z";
    c->difference = c->newcombe.difference;
    c->ci_low = c->newcombe.ci_low;
    c->ci_high = c->newcombe.ci_high;
    c->p_value = c->z.p_value;
    c->unavailable = c->newcombe.unavailable ? c->newcombe.unavailable : c->z.unavailable;
}

static void chisq_obj(cw_json *j, const char *key, const cw_chisq *c) {
    cw_gaps g = {{0}, {0}, 0};
    cw_json_key(j, key);
    cw_json_begin_object(j);
    num(j, &g, "statistic", c->statistic, c->unavailable);
    num(j, &g, "df", c->df, c->unavailable);
    num(j, &g, "p_value", c->p_value, c->unavailable);
    num(j, &g, "min_expected", c->min_expected, c->unavailable);
    cw_json_key(j, "small_expected");
    cw_json_bool(j, c->small_expected);
    gaps(j, &g);
    cw_json_end_object(j);
}

static const char *adjust_name(cw_adj_method m) {
    return m == CW_ADJ_ADDITIVE ? "additive" : m == CW_ADJ_LIN ? "lin" : "cuped";
}

static void covariate_names(cw_json *j, const cw_analysis *a) {
    cw_json_key(j, "covariates");
    cw_json_begin_array(j);
    for (int k = 0; k < a->ncov; k++) cw_json_string(j, a->cov[k].name);
    cw_json_end_array(j);
}

static void adj_numbers(cw_json *j, cw_gaps *g, const cw_adj_est *e, const char *why) {
    const char *w = why ? why : e->unavailable;
    cw_json_key(j, "se_type");
    cw_json_string(j, e->se_type);
    num(j, g, "se", e->se, w);
    num(j, g, "df", e->df, w);
    num(j, g, "t", e->t, w);
    num(j, g, "p_value", e->p_value, w);
    num(j, g, "ci_low", e->ci_low, w);
    num(j, g, "ci_high", e->ci_high, w);
}

/* "adjusted": the headline estimate (est[0]) flat, and every estimate by standard-error type. */
static void adjusted(cw_json *j, const cw_analysis *a, const cw_adjusted *d) {
    cw_json_key(j, "adjusted");
    if (a->adjust == CW_ADJ_NONE) {
        cw_json_null(j);
        return;
    }
    cw_gaps g = {{0}, {0}, 0};
    cw_json_begin_object(j);
    cw_json_key(j, "method");
    cw_json_string(j, adjust_name(a->adjust));
    covariate_names(j, a);
    num(j, &g, "difference", d->difference, d->unavailable);
    adj_numbers(j, &g, &d->est[0], d->unavailable);
    num(j, &g, "p_adjusted", d->p_adjusted,
        a->correction == CW_CORR_NONE ? "no correction requested" : d->unavailable ? d->unavailable : d->est[0].unavailable);
    cw_json_key(j, "estimates");
    cw_json_begin_array(j);
    for (int e = 0; e < d->nest; e++) {
        cw_gaps eg = {{0}, {0}, 0};
        cw_json_begin_object(j);
        adj_numbers(j, &eg, &d->est[e], d->unavailable);
        gaps(j, &eg);
        cw_json_end_object(j);
    }
    cw_json_end_array(j);
    gaps(j, &g);
    cw_json_end_object(j);
}

static void comparison(cw_json *j, const cw_analysis *a, const cw_arm *ctrl, const cw_comparison *c) {
    cw_gaps g = {{0}, {0}, 0};
    cw_json_begin_object(j);
    cw_json_key(j, "arm");
    cw_json_string_n(j, c->arm->name, c->arm->name_len);
    cw_json_key(j, "control");
    cw_json_string_n(j, ctrl->name, ctrl->name_len);
    cw_json_key(j, "method");
    cw_json_string(j, c->method);
    num(j, &g, "difference", c->difference, c->unavailable ? c->unavailable : "an arm has no values");
    num(j, &g, "ci_low", c->ci_low, c->unavailable);
    num(j, &g, "ci_high", c->ci_high, c->unavailable);
    num(j, &g, "p_value", c->p_value, c->unavailable);
    num(j, &g, "p_adjusted", c->p_adjusted,
        a->correction == CW_CORR_NONE ? "no correction requested" : c->unavailable);
    static const char *const lift_names[] = {"lift", "se", "ci_low", "ci_high"};
    const double lift[] = {c->lift.lift, c->lift.se, c->lift.ci_low, c->lift.ci_high};
    numbers(j, "relative_lift", lift_names, lift, 4, c->lift.unavailable);
    ttest(j, "welch", &c->welch);
    ttest(j, "student", &c->student);
    adjusted(j, a, &c->adj);
    cw_json_key(j, "bootstrap");
    if (a->bootstrap) {
        cw_gaps bg = {{0}, {0}, 0};
        int binary = !strcmp(c->method, "newcombe_z");
        cw_json_begin_object(j);
        cw_json_key(j, "scheme");
        cw_json_string(j, binary ? "binomial" : "buckets");
        cw_json_key(j, "replicates");
        cw_json_int(j, a->bootstrap);
        cw_json_key(j, "seed");
        cw_json_int(j, (int64_t)a->seed);
        if (!binary) {
            cw_json_key(j, "buckets");
            cw_json_int(j, CW_BOOT_BUCKETS);
        }
        num(j, &bg, "se", c->boot_unavailable ? NAN : c->boot_se, c->boot_unavailable);
        num(j, &bg, "ci_low", c->boot_unavailable ? NAN : c->boot_low, c->boot_unavailable);
        num(j, &bg, "ci_high", c->boot_unavailable ? NAN : c->boot_high, c->boot_unavailable);
        gaps(j, &bg);
        cw_json_end_object(j);
    } else {
        cw_json_null(j);
    }
    if (!strcmp(c->method, "newcombe_z")) {
        static const char *const wald_names[] = {"difference", "se", "ci_low", "ci_high"};
        static const char *const newcombe_names[] = {"difference", "ci_low", "ci_high"};
        static const char *const z_names[] = {"pooled_rate", "se", "z", "p_value"};
        const double wald[] = {c->wald.difference, c->wald.se, c->wald.ci_low, c->wald.ci_high};
        const double newcombe[] = {c->newcombe.difference, c->newcombe.ci_low, c->newcombe.ci_high};
        const double z[] = {c->z.pooled_rate, c->z.se, c->z.z, c->z.p_value};
        numbers(j, "wald", wald_names, wald, 4, c->wald.unavailable);
        numbers(j, "newcombe", newcombe_names, newcombe, 3, c->newcombe.unavailable);
        numbers(j, "z_test", z_names, z, 4, c->z.unavailable);
        chisq_obj(j, "chisq", &c->chisq);
        chisq_obj(j, "chisq_yates", &c->yates);
        cw_json_key(j, "fisher");
        if (c->fisher_run) {
            cw_gaps fg = {{0}, {0}, 0};
            cw_json_begin_object(j);
            num(j, &fg, "p_value", c->fisher.p_value, c->fisher.unavailable);
            gaps(j, &fg);
            cw_json_end_object(j);
        } else {
            cw_json_null(j);
        }
    }
    gaps(j, &g);
    cw_json_end_object(j);
}

/* Adjust one metric's p-values across its comparisons (the family: every treatment arm against
 * the control): the unadjusted headline p-values, or with of_adjusted the covariate-adjusted
 * estimates' (a family of their own). Unavailable p-values are left out of the family and their
 * p_adjusted stays NaN, as p.adjust does NA. */
static void adjust(const cw_analysis *a, cw_comparison *c, int n, int of_adjusted) {
    double *in = a->correction != CW_CORR_NONE ? calloc((size_t)(n > 0 ? n : 1) * 3, sizeof *in) : NULL;
    double *out = in ? in + 2 * n : NULL;
    if (in) {
        double *kept = in + n;
        int m = 0;
        for (int k = 0; k < n; k++) {
            in[k] = of_adjusted ? c[k].adj.est[0].p_value : c[k].p_value;
            if (isfinite(in[k])) kept[m++] = in[k];
        }
        cw_p_adjust(kept, (size_t)m, (cw_adjust_method)a->correction, out); /* same order as cw_correction */
    }
    for (int k = 0, used = 0; k < n; k++) {
        double q = in && isfinite(in[k]) ? out[used++] : NAN;
        if (of_adjusted) c[k].adj.p_adjusted = q;
        else c[k].p_adjusted = q;
    }
    free(in);
}

static int cmp_double(const void *x, const void *y) {
    double u = *(const double *)x, v = *(const double *)y;
    return (u > v) - (u < v);
}

/* Percentile bootstrap of every comparison of metric i: each replicate resamples every arm once
 * (see bootstrap.h) and takes each treatment arm's difference from the control. */
static void bootstrap(const cw_analysis *a, int i, int control, cw_comparison *cmp, int ncmp) {
    int reps = a->bootstrap, narms = a->arms.n;
    cw_boot_arm *arm = calloc((size_t)narms, sizeof *arm);
    double *means = malloc((size_t)narms * sizeof *means);
    double *diff = malloc((size_t)reps * (size_t)(ncmp > 0 ? ncmp : 1) * sizeof *diff);
    if (!arm || !means || !diff) {
        for (int k = 0; k < ncmp; k++) cmp[k].boot_unavailable = "out of memory";
        goto done;
    }
    const int binary = a->metrics[i].kind == CW_KIND_BINARY;
    if (!binary && a->summary) { /* no buckets were gathered */
        for (int c = 0; c < ncmp; c++)
            cmp[c].boot_unavailable = "the bootstrap of a continuous metric needs row-level data, not a summary";
        goto done;
    }
    for (int k = 0; k < narms; k++) {
        const cw_cell *cell = &a->arms.arms[k].cell[i];
        const cw_moments *m = moments(a, cell, i);
        arm[k] = (cw_boot_arm){binary, m->n, cell->ones, m->shift, cell->boot};
    }
    cw_rng rng;
    cw_rng_seed(&rng, a->seed ^ (0x5851f42d4c957f2dull * (uint64_t)(i + 1)));
    for (int rep = 0; rep < reps; rep++) {
        for (int k = 0; k < narms; k++) means[k] = arm[k].n >= 2 ? cw_boot_mean(&arm[k], &rng) : NAN;
        for (int c = 0, k = 0; k < narms; k++)
            if (k != control) diff[(size_t)c++ * (size_t)reps + (size_t)rep] = means[k] - means[control];
    }
    for (int c = 0; c < ncmp; c++) {
        double *d = diff + (size_t)c * (size_t)reps;
        if (!isfinite(d[0])) {
            cmp[c].boot_unavailable = "an arm has fewer than 2 values";
            continue;
        }
        double s = 0.0, ss = 0.0;
        for (int rep = 0; rep < reps; rep++) s += d[rep];
        for (int rep = 0; rep < reps; rep++) ss += (d[rep] - s / reps) * (d[rep] - s / reps);
        qsort(d, (size_t)reps, sizeof *d, cmp_double);
        cmp[c].boot_low = cw_quantile_sorted(d, reps, a->alpha / 2.0);
        cmp[c].boot_high = cw_quantile_sorted(d, reps, 1.0 - a->alpha / 2.0);
        cmp[c].boot_se = sqrt(ss / (reps - 1));
    }
done:
    free(arm);
    free(means);
    free(diff);
}

/* Name of regression column c (see design_row in analysis.c) into buf. */
/* A covariate column's name: the covariate, or covariate=level for a text one's indicator. */
static void dcol_name(const cw_analysis *a, int d, char *buf, size_t size) {
    const cw_dcol *dc = &a->dcol[d];
    if (dc->level < 0) snprintf(buf, size, "%s", a->cov[dc->cov].name);
    else snprintf(buf, size, "%s=%s", a->cov[dc->cov].name, a->cov[dc->cov].levels[dc->level]);
}

static void column_name(const cw_analysis *a, int control, int c, char *buf, size_t size) {
    int g = a->arms.n - 1, q = a->ndcol;
    if (c == 0) {
        snprintf(buf, size, "(Intercept)");
        return;
    }
    int t = c <= g ? c - 1 : c > g + q ? (c - 1 - g - q) % g : -1;
    const cw_arm *arm = t < 0 ? NULL : &a->arms.arms[t < control ? t : t + 1];
    char cov[160];
    if (c > g) dcol_name(a, c <= g + q ? c - 1 - g : (c - 1 - g - q) / g, cov, sizeof cov);
    if (c <= g) snprintf(buf, size, "%s=%.*s", a->variant, (int)arm->name_len, arm->name);
    else if (c <= g + q) snprintf(buf, size, "%s", cov);
    else snprintf(buf, size, "%s=%.*s:%s", a->variant, (int)arm->name_len, arm->name, cov);
}

static void t_numbers(double est, double se, double df, double alpha, cw_adj_est *e) {
    double q = cw_qt(alpha / 2.0, df, 0, 0);
    e->se = se;
    e->df = df;
    e->t = est / se;
    e->p_value = 2.0 * cw_pt(-fabs(e->t), df, 1, 0);
    e->ci_low = est - q * se;
    e->ci_high = est + q * se;
}

/* The regression estimate of treatment arm t (0-based among the treatment arms). For lin the
 * regression is fitted on the uncentred covariates and the effect at the covariates' pooled
 * means is the linear combination a'beta, a = indicator + sum_j mean_j * (indicator x X_j), with
 * variance a'Va: the centred fit of Lin (2013) is a nonsingular reparametrization of the same
 * column space, so its coefficient, residuals, leverages and HC covariances are exactly these
 * (up to rounding). This keeps the regression at two extra reads (OLS pass 1, pass 2) instead
 * of a third just for the means, and the means are those of exactly the rows in the fit. */
static void regression_estimate(const cw_analysis *a, const cw_metric *m, const cw_ols_vcov *v, int nv, int t,
                                cw_adjusted *d) {
    const cw_ols_fit *f = &m->fit;
    int g = a->arms.n - 1, q = a->ndcol;
    double w[CW_OLS_MAX_K] = {0};
    d->nest = nv;
    d->difference = NAN;
    if (f->unavailable) {
        d->unavailable = f->unavailable;
        return;
    }
    int has = 0;
    for (int p = 0; p < f->p; p++) {
        int c = f->kept[p];
        if (c == 1 + t) w[p] = 1.0, has = 1;
        else if (a->adjust == CW_ADJ_LIN && c > g + q && (c - 1 - g - q) % g == t) {
            int jx = (c - 1 - g - q) / g;
            w[p] = m->p1.shift[1 + g + jx] + m->p1.mean[1 + g + jx];
        }
    }
    if (!has) {
        d->unavailable = "the arm's indicator is collinear with the covariates (dropped by the regression)";
        return;
    }
    double est = 0.0;
    for (int p = 0; p < f->p; p++) est += w[p] * f->beta[p];
    d->difference = est;
    for (int e = 0; e < nv; e++) {
        cw_adj_est *x = &d->est[e];
        x->se_type = cw_ols_type_name(v[e].type);
        x->se = x->df = x->t = x->p_value = x->ci_low = x->ci_high = NAN;
        if ((x->unavailable = v[e].unavailable) != NULL) continue;
        double var = 0.0;
        for (int r = 0; r < f->p; r++)
            for (int c = 0; c < f->p; c++) var += w[r] * v[e].v[r * f->p + c] * w[c];
        t_numbers(est, sqrt(var), v[e].df, a->alpha, x);
    }
}

/* CUPED (Deng et al. 2013): theta = pooled cov(X, Y) / var(X); each arm's adjusted mean
 * mean_Y - theta (mean_X - pooled mean_X) and sum of squares Syy + theta^2 Sxx - 2 theta Sxy,
 * i.e. the moments of y - theta (x - pooled mean_X); Welch on those. */
typedef struct {
    cw_comoments pooled;
    double theta, reduction;
    const char *unavailable;
} cw_cuped;

static void cuped_pooled(const cw_analysis *a, int i, cw_cuped *cu) {
    memset(cu, 0, sizeof *cu);
    for (int k = 0; k < a->arms.n; k++) cw_comoments_merge(&cu->pooled, &a->arms.arms[k].cell[i].xy);
    const cw_comoments *p = &cu->pooled;
    cu->theta = cu->reduction = NAN;
    if (p->n < 2) cu->unavailable = "fewer than 2 rows hold both the metric and the pre-metric";
    else if (!(p->sxx > 0.0)) cu->unavailable = "the pre-metric is constant";
    else {
        cu->theta = p->sxy / p->sxx;
        cu->reduction = p->syy > 0.0 ? p->sxy / p->sxx * p->sxy / p->syy : NAN;
    }
}

static void cuped_moments(const cw_cuped *cu, const cw_comoments *c, cw_moments *out) {
    double th = cu->theta;
    cw_moments_init(out);
    out->n = c->n;
    out->shift = 0.0;
    out->dmean = c->my - th * (c->mx - cu->pooled.mx);
    out->m2 = c->syy + th * th * c->sxx - 2.0 * th * c->sxy;
    if (out->m2 < 0.0) out->m2 = 0.0;
}

static void cuped_estimate(const cw_analysis *a, const cw_cuped *cu, int i, const cw_arm *arm, const cw_arm *ctrl,
                           cw_adjusted *d) {
    d->nest = 1;
    d->est[0].se_type = "welch";
    if (cu->unavailable) {
        d->difference = NAN;
        d->unavailable = cu->unavailable;
        return;
    }
    cw_moments t, k;
    cuped_moments(cu, &arm->cell[i].xy, &t);
    cuped_moments(cu, &ctrl->cell[i].xy, &k);
    cw_ttest w;
    cw_welch(&t, &k, a->alpha, &w);
    d->difference = w.difference;
    d->est[0] = (cw_adj_est){"welch", w.se, w.df, w.t, w.p_value, w.ci_low, w.ci_high, w.unavailable};
}

/* "adjustment": what the covariate adjustment of metric i used and left out. */
static void adjustment(cw_json *j, const cw_analysis *a, int i, int control, const cw_cuped *cu) {
    const cw_metric *m = &a->metrics[i];
    cw_json_key(j, "adjustment");
    if (a->adjust == CW_ADJ_NONE) {
        cw_json_null(j);
        return;
    }
    cw_gaps g = {{0}, {0}, 0};
    int64_t used = a->adjust == CW_ADJ_CUPED ? cu->pooled.n : m->adj_rows;
    cw_json_begin_object(j);
    cw_json_key(j, "method");
    cw_json_string(j, adjust_name(a->adjust));
    covariate_names(j, a);
    cw_json_key(j, "rows_used");
    cw_json_int(j, used);
    cw_json_key(j, "rows_left_out");
    cw_json_int(j, a->rows_used - used);
    cw_json_key(j, "reference_levels"); /* text covariates: the level without an indicator */
    cw_json_begin_object(j);
    for (int k = 0; k < a->ncov; k++)
        if (a->cov[k].categorical) {
            cw_json_key(j, a->cov[k].name);
            cw_json_string(j, a->cov[k].levels[0]);
        }
    cw_json_end_object(j);
    cw_json_key(j, "dropped_columns");
    cw_json_begin_array(j);
    for (int c = 0; a->adjust != CW_ADJ_CUPED && c < m->fit.ndropped; c++) {
        char name[200];
        column_name(a, control, m->fit.dropped[c], name, sizeof name);
        cw_json_string(j, name);
    }
    cw_json_end_array(j);
    if (a->adjust == CW_ADJ_CUPED) {
        num(j, &g, "theta", cu->theta, cu->unavailable);
        num(j, &g, "variance_reduction", cu->reduction,
            cu->unavailable ? cu->unavailable : "the metric is constant");
    }
    gaps(j, &g);
    cw_json_end_object(j);
}

static void metric(cw_json *j, const cw_analysis *a, int i, int control) {
    const cw_metric *m = &a->metrics[i];
    const cw_arm *ctrl = &a->arms.arms[control];
    int n = a->arms.n - 1;
    cw_comparison *cmp = calloc((size_t)(n > 0 ? n : 1), sizeof *cmp);
    if (!cmp) {
        j->failed = 1;
        return;
    }
    for (int k = 0, c = 0; k < a->arms.n; k++)
        if (k != control) compare(a, i, &a->arms.arms[k], ctrl, &cmp[c++]);
    adjust(a, cmp, n, 0);
    if (a->bootstrap) bootstrap(a, i, control, cmp, n);
    cw_cuped cu;
    memset(&cu, 0, sizeof cu);
    if (a->adjust == CW_ADJ_CUPED) {
        cuped_pooled(a, i, &cu);
        for (int k = 0, c = 0; k < a->arms.n; k++)
            if (k != control) cuped_estimate(a, &cu, i, &a->arms.arms[k], ctrl, &cmp[c++].adj);
    } else if (a->adjust != CW_ADJ_NONE) {
        const cw_metric *mm = &a->metrics[i];
        cw_ols_vcov v[4];
        memset(v, 0, sizeof v);
        /* the headline first (HC1 additive, HC2 lin), then the other, HC3 and the classical */
        cw_ols_type types[4] = {a->adjust == CW_ADJ_ADDITIVE ? CW_OLS_HC1 : CW_OLS_HC2,
                                a->adjust == CW_ADJ_ADDITIVE ? CW_OLS_HC2 : CW_OLS_HC1, CW_OLS_HC3,
                                CW_OLS_CLASSICAL};
        for (int e = 0; e < 4; e++) {
            if (!mm->fit.unavailable && cw_ols_covariance(&mm->fit, &mm->p2, types[e], &v[e]) != CW_OLS_OK)
                j->failed = 1;
            v[e].type = types[e];
        }
        for (int c = 0; c < n; c++) regression_estimate(a, mm, v, 4, c, &cmp[c].adj);
        for (int e = 0; e < 4; e++) cw_ols_vcov_free(&v[e]);
    }
    if (a->adjust != CW_ADJ_NONE) adjust(a, cmp, n, 1);
    cw_json_begin_object(j);
    cw_json_key(j, "name");
    cw_json_string(j, m->name);
    cw_json_key(j, "kind");
    cw_json_string(j, kind_name(m->kind));
    cw_json_key(j, "declared");
    cw_json_bool(j, m->declared != CW_KIND_AUTO);
    cw_json_key(j, "missing");
    cw_json_int(j, m->missing);
    cw_json_key(j, "invalid");
    cw_json_int(j, m->invalid);
    cw_json_key(j, "first_invalid");
    if (m->invalid > 0) {
        cw_json_begin_object(j);
        cw_json_key(j, "line");
        cw_json_int(j, m->invalid_line);
        cw_json_key(j, "column");
        cw_json_int(j, m->invalid_col);
        cw_json_key(j, "text");
        cw_json_string(j, m->invalid_text);
        cw_json_end_object(j);
    } else {
        cw_json_null(j);
    }
    cw_json_key(j, "correction");
    cw_json_string(j, correction_name(a->correction));
    cw_json_key(j, "winsorized");
    if (m->winsorized) {
        cw_gaps g = {{0}, {0}, 0};
        cw_json_begin_object(j);
        cw_json_key(j, "quantile");
        cw_json_number(j, a->winsorize);
        cw_json_key(j, "tail");
        cw_json_string(j, a->tail == CW_TAIL_UPPER ? "upper" : a->tail == CW_TAIL_LOWER ? "lower" : "both");
        num(j, &g, "cap_low", m->cap_low, "the lower tail is not capped");
        num(j, &g, "cap_high", m->cap_high, "the upper tail is not capped");
        cw_json_key(j, "capped_low");
        cw_json_int(j, m->capped_low);
        cw_json_key(j, "capped_high");
        cw_json_int(j, m->capped_high);
        gaps(j, &g);
        cw_json_end_object(j);
    } else {
        cw_json_null(j);
    }
    if (m->kind == CW_KIND_BINARY) { /* every arm x {0, 1}: the r x c test of independence */
        int64_t *table = malloc((size_t)a->arms.n * 2 * sizeof *table);
        if (table) {
            for (int k = 0; k < a->arms.n; k++) {
                table[2 * k] = a->arms.arms[k].cell[i].ones;
                table[2 * k + 1] = a->arms.arms[k].cell[i].m.n - a->arms.arms[k].cell[i].ones;
            }
            cw_chisq all;
            cw_chisq_table(table, a->arms.n, 2, 0, &all);
            chisq_obj(j, "chisq_arms", &all);
            free(table);
        } else {
            j->failed = 1;
        }
    }
    adjustment(j, a, i, control, &cu);
    cw_json_key(j, "comparisons");
    cw_json_begin_array(j);
    for (int k = 0; k < n; k++) comparison(j, a, ctrl, &cmp[k]);
    cw_json_end_array(j);
    cw_json_end_object(j);
    free(cmp);
}

/* Expected share of each arm (index in a->arms), from --split or equal. */
static void planned_shares(const cw_analysis *a, int control, double *share) {
    int n = a->arms.n;
    double total = 0.0;
    for (int k = 0; k < n; k++) share[k] = 0.0;
    if (a->nsplit == 0) {
        for (int k = 0; k < n; k++) share[k] = 1.0 / n;
        return;
    }
    for (int s = 0; s < a->nsplit; s++) total += a->split[s].weight;
    if (a->split[0].label) {
        for (int s = 0; s < a->nsplit; s++) {
            int k = cw_arms_find(&a->arms, a->split[s].label, strlen(a->split[s].label));
            if (k >= 0) share[k] = a->split[s].weight / total;
        }
        return;
    }
    share[control] = a->split[0].weight / total; /* by position: control first */
    for (int k = 0, s = 1; k < n; k++)
        if (k != control) share[k] = a->split[s++].weight / total;
}

static void srm(cw_json *j, const cw_analysis *a, int control, int *flagged) {
    int n = a->arms.n;
    int64_t *obs = malloc((size_t)n * sizeof *obs);
    double *share = malloc((size_t)n * sizeof *share);
    *flagged = 0;
    if (!obs || !share) {
        free(obs);
        free(share);
        j->failed = 1;
        return;
    }
    int64_t total = 0;
    for (int k = 0; k < n; k++) total += obs[k] = a->arms.arms[k].rows;
    planned_shares(a, control, share);
    cw_chisq c;
    cw_chisq_gof(obs, share, n, &c);
    cw_gaps g = {{0}, {0}, 0};
    cw_json_key(j, "srm");
    cw_json_begin_object(j);
    cw_json_key(j, "method");
    cw_json_string(j, "chi-square goodness of fit of the rows per arm to the planned split");
    cw_json_key(j, "planned");
    cw_json_string(j, a->nsplit ? "split" : "equal");
    cw_json_key(j, "arms");
    cw_json_begin_array(j);
    for (int k = 0; k < n; k++) {
        cw_json_begin_object(j);
        cw_json_key(j, "name");
        cw_json_string_n(j, a->arms.arms[k].name, a->arms.arms[k].name_len);
        cw_json_key(j, "observed");
        cw_json_int(j, obs[k]);
        cw_json_key(j, "expected");
        cw_json_number(j, share[k] * (double)total);
        cw_json_key(j, "share_planned");
        cw_json_number(j, share[k]);
        cw_json_key(j, "share_observed");
        cw_json_number(j, (double)obs[k] / (double)total);
        cw_json_end_object(j);
    }
    cw_json_end_array(j);
    num(j, &g, "statistic", c.statistic, c.unavailable);
    num(j, &g, "df", c.df, c.unavailable);
    num(j, &g, "p_value", c.p_value, c.unavailable);
    cw_json_key(j, "threshold");
    cw_json_number(j, 0.001);
    *flagged = isfinite(c.p_value) && c.p_value < 0.001;
    cw_json_key(j, "mismatch");
    cw_json_bool(j, *flagged);
    gaps(j, &g);
    cw_json_end_object(j);
    free(obs);
    free(share);
}

static void warnings(cw_json *j, const cw_analysis *a, int srm_flagged) {
    char msg[400];
    cw_json_key(j, "warnings");
    cw_json_begin_array(j);
    if (a->unit_col >= 0 && a->units.repeated) {
        snprintf(msg, sizeof msg,
                 "%lld row%s repeat a unit id of column '%s' (first at line %ld): the statistics treat every "
                 "row as an independent unit",
                 (long long)a->units.repeated, a->units.repeated == 1 ? "" : "s", a->unit,
                 a->units.first_repeat_line);
        cw_json_begin_object(j);
        cw_json_key(j, "code");
        cw_json_string(j, "duplicate_units");
        cw_json_key(j, "message");
        cw_json_string(j, msg);
        cw_json_key(j, "line");
        cw_json_int(j, a->units.first_repeat_line);
        cw_json_key(j, "column");
        cw_json_int(j, a->unit_col + 1);
        cw_json_end_object(j);
    }
    if (a->unit_col >= 0 && a->units.cross_arm) {
        snprintf(msg, sizeof msg,
                 "%lld unit id%s of column '%s' appear%s in more than one arm (first at line %ld): "
                 "assignment may have leaked between arms",
                 (long long)a->units.cross_arm, a->units.cross_arm == 1 ? "" : "s", a->unit,
                 a->units.cross_arm == 1 ? "s" : "",
                 a->units.first_cross_line);
        cw_json_begin_object(j);
        cw_json_key(j, "code");
        cw_json_string(j, "units_in_several_arms");
        cw_json_key(j, "message");
        cw_json_string(j, msg);
        cw_json_key(j, "line");
        cw_json_int(j, a->units.first_cross_line);
        cw_json_key(j, "column");
        cw_json_int(j, a->unit_col + 1);
        cw_json_end_object(j);
    }
    if (a->unit_col >= 0 && a->units.full) {
        cw_json_begin_object(j);
        cw_json_key(j, "code");
        cw_json_string(j, "units_not_all_checked");
        cw_json_key(j, "message");
        cw_json_string(j, "more than 4,194,304 distinct unit ids: ids after that were not checked for duplicates");
        cw_json_end_object(j);
    }
    if (srm_flagged) {
        cw_json_begin_object(j);
        cw_json_key(j, "code");
        cw_json_string(j, "sample_ratio_mismatch");
        cw_json_key(j, "message");
        cw_json_string(j, "sample-ratio mismatch: the arm sizes differ from the planned split (p < 0.001); "
                          "the assignment or the logging may be broken, so the effects may be biased");
        cw_json_end_object(j);
    }
    if (a->missing_variant.count > 0) {
        snprintf(msg, sizeof msg, "%lld row%s with an empty variant column '%s' were left out",
                 (long long)a->missing_variant.count, a->missing_variant.count == 1 ? "" : "s",
                 a->variant);
        cw_json_begin_object(j);
        cw_json_key(j, "code");
        cw_json_string(j, "missing_variant");
        cw_json_key(j, "message");
        cw_json_string(j, msg);
        cw_json_key(j, "line");
        cw_json_int(j, a->missing_variant.first_line);
        cw_json_key(j, "column");
        cw_json_int(j, a->variant_col + 1);
        cw_json_end_object(j);
    }
    for (int i = 0; a->adjust == CW_ADJ_ADDITIVE || a->adjust == CW_ADJ_LIN ? i < a->nmetrics : 0; i++) {
        const cw_metric *m = &a->metrics[i];
        if (m->fit.ndropped == 0) continue;
        int control = cw_arms_find(&a->arms, a->control, strlen(a->control));
        size_t used = (size_t)snprintf(msg, sizeof msg, "the regression of '%s' dropped %d collinear column%s (as R's lm): ",
                                       m->name, m->fit.ndropped, m->fit.ndropped == 1 ? "" : "s");
        for (int c = 0; c < m->fit.ndropped && used < sizeof msg; c++) {
            char name[200];
            column_name(a, control, m->fit.dropped[c], name, sizeof name);
            used += (size_t)snprintf(msg + used, sizeof msg - used, "%s'%s'", c ? ", " : "", name);
        }
        cw_json_begin_object(j);
        cw_json_key(j, "code");
        cw_json_string(j, "collinear_columns");
        cw_json_key(j, "message");
        cw_json_string(j, msg);
        cw_json_end_object(j);
    }
    for (int i = 0; i < a->nmetrics; i++) {
        const cw_metric *m = &a->metrics[i];
        if (m->invalid == 0) continue;
        const int one = m->invalid == 1;
        const char *what = m->declared == CW_KIND_BINARY ? (one ? "is not 0 or 1" : "are not 0 or 1")
                                                         : (one ? "is not a number" : "are not numbers");
        snprintf(msg, sizeof msg, "%lld value%s in '%s' %s and %s left out (the first is '%s')",
                 (long long)m->invalid, one ? "" : "s", m->name, what, one ? "was" : "were",
                 m->invalid_text);
        cw_json_begin_object(j);
        cw_json_key(j, "code");
        cw_json_string(j, "invalid_values");
        cw_json_key(j, "message");
        cw_json_string(j, msg);
        cw_json_key(j, "line");
        cw_json_int(j, m->invalid_line);
        cw_json_key(j, "column");
        cw_json_int(j, m->invalid_col);
        cw_json_end_object(j);
    }
    cw_json_end_array(j);
}

char *cw_report(const cw_analysis *a) {
    int control = cw_arms_find(&a->arms, a->control, strlen(a->control));
    cw_json j;
    cw_json_init(&j);
    cw_json_begin_object(&j);
    cw_json_key(&j, "schema");
    cw_json_string(&j, CW_SCHEMA);
    cw_json_key(&j, "version");
    cw_json_string(&j, CW_VERSION);
    input(&j, a);
    options(&j, a);
    arms(&j, a, control);
    int srm_flagged;
    srm(&j, a, control, &srm_flagged);
    cw_json_key(&j, "metrics");
    cw_json_begin_array(&j);
    for (int i = 0; i < a->nmetrics; i++) metric(&j, a, i, control);
    cw_json_end_array(&j);
    warnings(&j, a, srm_flagged);
    cw_json_end_object(&j);
    return cw_json_take(&j);
}
