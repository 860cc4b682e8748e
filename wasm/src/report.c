/* report.c — the result JSON of a finished analysis (schema: docs/result-schema.md). Every
 * number comes from the estimators; a number that cannot be computed is written as null with
 * its reason in the enclosing object's "unavailable" map. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "json.h"
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
    cw_json_end_object(j);
}

static void arm_metric(cw_json *j, const cw_analysis *a, const cw_arm *arm, int i) {
    const cw_moments *m = &arm->m[i];
    cw_mean_ci ci;
    cw_mean_interval(m, a->alpha, &ci);
    cw_gaps g = {{0}, {0}, 0};
    cw_json_key(j, a->metrics[i].name);
    cw_json_begin_object(j);
    cw_json_key(j, "n");
    cw_json_int(j, m->n);
    cw_json_key(j, "missing");
    cw_json_int(j, arm->missing[i]);
    cw_json_key(j, "invalid");
    cw_json_int(j, arm->invalid[i]);
    num(j, &g, "mean", cw_moments_mean(m), "no values");
    num(j, &g, "sd", ci.sd, ci.unavailable);
    num(j, &g, "se", ci.se, ci.unavailable);
    num(j, &g, "ci_low", ci.ci_low, ci.unavailable);
    num(j, &g, "ci_high", ci.ci_high, ci.unavailable);
    num(j, &g, "min", m->n > 0 ? m->min : NAN, "no values");
    num(j, &g, "max", m->n > 0 ? m->max : NAN, "no values");
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

static void ttest(cw_json *j, const char *key, const cw_ttest *t) {
    cw_gaps g = {{0}, {0}, 0};
    cw_json_key(j, key);
    cw_json_begin_object(j);
    num(j, &g, "difference", t->difference, t->unavailable);
    num(j, &g, "se", t->se, t->unavailable);
    num(j, &g, "df", t->df, t->unavailable);
    num(j, &g, "t", t->t, t->unavailable);
    num(j, &g, "p_value", t->p_value, t->unavailable);
    num(j, &g, "ci_low", t->ci_low, t->unavailable);
    num(j, &g, "ci_high", t->ci_high, t->unavailable);
    gaps(j, &g);
    cw_json_end_object(j);
}

static void metric(cw_json *j, const cw_analysis *a, int i, int control) {
    const cw_metric *m = &a->metrics[i];
    const cw_arm *ctrl = &a->arms.arms[control];
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
    cw_json_key(j, "comparisons");
    cw_json_begin_array(j);
    for (int k = 0; k < a->arms.n; k++) {
        if (k == control) continue;
        const cw_arm *arm = &a->arms.arms[k];
        cw_ttest welch, student;
        cw_welch(&arm->m[i], &ctrl->m[i], a->alpha, &welch);
        cw_student(&arm->m[i], &ctrl->m[i], a->alpha, &student);
        cw_gaps g = {{0}, {0}, 0};
        cw_json_begin_object(j);
        cw_json_key(j, "arm");
        cw_json_string_n(j, arm->name, arm->name_len);
        cw_json_key(j, "control");
        cw_json_string_n(j, ctrl->name, ctrl->name_len);
        num(j, &g, "difference", welch.difference, "an arm has no values");
        ttest(j, "welch", &welch);
        ttest(j, "student", &student);
        gaps(j, &g);
        cw_json_end_object(j);
    }
    cw_json_end_array(j);
    cw_json_end_object(j);
}

static void warnings(cw_json *j, const cw_analysis *a) {
    char msg[400];
    cw_json_key(j, "warnings");
    cw_json_begin_array(j);
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
    cw_json_key(&j, "metrics");
    cw_json_begin_array(&j);
    for (int i = 0; i < a->nmetrics; i++) metric(&j, a, i, control);
    cw_json_end_array(&j);
    warnings(&j, a);
    cw_json_end_object(&j);
    return cw_json_take(&j);
}
