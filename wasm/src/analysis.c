/* analysis.c — one analysis from options and bytes to the result: options are checked, the
 * header resolves column names, each row updates its arm's moments, finish validates the arms
 * and hands over to report.c. */
#include "analysis.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "summary.h"
#include "text.h"

/* The fast row path (see fast_row) compares little-endian words. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CW_FAST_ROWS 1
#else
#define CW_FAST_ROWS 0
#endif

/* fast_metrics' row loop, unrolled four times by clang (the WebAssembly build): V8 checks for
 * interrupts once per loop iteration, and the unrolled loop ran 3 % faster (A/B, best of 30
 * passes over the 1M-row bench file; unrolling the arm loop, which can break, gained nothing). */
#if defined(__clang__)
#define CW_UNROLL4 _Pragma("clang loop unroll_count(4)")
#else
#define CW_UNROLL4
#endif

#define fail cw_analysis_fail /* its short name in this file */

cw_status cw_analysis_fail(cw_analysis *a, cw_status st, long line, long col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    cw_utf8_repair(a->msg); /* a quoted value or name cut to a length */
    va_end(ap);
    a->err_line = line;
    a->err_column = col;
    a->failed = st;
    return st;
}

static cw_status row_fn(void *ctx, cw_csv *csv, const cw_row *row);

/* An error of the private release (private.c wrote the sentence). */
static cw_status private_fail(cw_analysis *a, cw_status st, long line, long col) {
    return fail(a, st, line, col, "%s", st == CW_ERR_NOMEM ? "out of memory" : a->priv->msg);
}

cw_analysis *cw_analysis_new(void) {
    cw_analysis *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->alpha = 0.05;
    a->seed = 1;
    a->pass = 1;
    a->variant_col = -1;
    a->unit_col = -1;
    cw_units_init(&a->units);
    cw_csv_init(&a->csv, row_fn, a);
    return a;
}

void cw_analysis_free(cw_analysis *a) {
    if (!a) return;
    free(a->variant);
    free(a->control);
    free(a->file);
    free(a->unit);
    cw_units_free(&a->units);
    for (int k = 0; k < a->nsplit; k++) free(a->split[k].label);
    free(a->split);
    for (int i = 0; i < a->nmetrics; i++) {
        free(a->metrics[i].name);
        cw_wheap_free(&a->metrics[i].low);
        cw_wheap_free(&a->metrics[i].high);
        cw_ols_pass2_free(&a->metrics[i].p2);
        cw_ols_fit_free(&a->metrics[i].fit);
        cw_ols_pass1_free(&a->metrics[i].p1);
    }
    for (int i = 0; i < a->ncov; i++) {
        free(a->cov[i].name);
        for (int l = 0; l < a->cov[i].nlevels; l++) free(a->cov[i].levels[l]);
    }
    free(a->cov);
    free(a->metrics);
    for (int i = 0; i < a->ncolumns; i++) free(a->columns[i]);
    free(a->columns);
    free(a->batch_start);
    free(a->batch_len);
    cw_csv_free(&a->csv);
    cw_arms_free(&a->arms);
    cw_private_free(a->priv);
    free(a->result);
    free(a);
}

static char *dup_trim(const char *s, size_t n) {
    const char *t = cw_trim(s, &n);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, t, n);
        d[n] = '\0';
    }
    return d;
}

static cw_status set_string(cw_analysis *a, char **slot, const char *value) {
    char *d = dup_trim(value, strlen(value));
    if (!d) return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory");
    free(*slot);
    *slot = d;
    return CW_OK;
}

/* "COL[:binary|:continuous][,COL...]" appends one metric per item. */
static cw_status add_metrics(cw_analysis *a, const char *value) {
    const char *p = value;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *colon = memchr(p, ':', n);
        size_t name_n = colon ? (size_t)(colon - p) : n;
        cw_kind kind = CW_KIND_AUTO;
        if (colon) {
            size_t kn = n - name_n - 1;
            if (kn == 6 && strncmp(colon + 1, "binary", 6) == 0) kind = CW_KIND_BINARY;
            else if (kn == 10 && strncmp(colon + 1, "continuous", 10) == 0) kind = CW_KIND_CONTINUOUS;
            else
                return fail(a, CW_ERR_OPTION, 0, 0,
                            "--metric '%.*s': the kind after ':' must be binary or continuous",
                            (int)n, p);
        }
        char *name = dup_trim(p, name_n);
        if (!name) return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory");
        if (!*name) {
            free(name);
            return fail(a, CW_ERR_OPTION, 0, 0, "--metric needs a column name");
        }
        for (int i = 0; i < a->nmetrics; i++)
            if (strcmp(a->metrics[i].name, name) == 0) {
                free(name);
                return fail(a, CW_ERR_OPTION, 0, 0, "--metric '%s' is given twice", a->metrics[i].name);
            }
        cw_metric *m = realloc(a->metrics, (size_t)(a->nmetrics + 1) * sizeof *m);
        if (!m) {
            free(name);
            return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory");
        }
        a->metrics = m;
        memset(&m[a->nmetrics], 0, sizeof *m);
        m[a->nmetrics].name = name;
        m[a->nmetrics].declared = kind;
        m[a->nmetrics].col = -1;
        a->nmetrics++;
        if (!end) return CW_OK;
        p = end + 1;
    }
}

/* "--covariates C1,C2,..." (or the one "--pre-metric COL", flag set): the adjustment columns. */
static cw_status set_covariates(cw_analysis *a, const char *value, int pre) {
    const char *flag = pre ? "--pre-metric" : "--covariates";
    if (a->ncov)
        return fail(a, CW_ERR_OPTION, 0, 0,
                    a->adjust == CW_ADJ_CUPED || pre
                        ? "give --covariates or --pre-metric, not both (and each once)"
                        : "--covariates is given twice: list every covariate in one, separated by commas");
    const char *p = value;
    for (;;) {
        const char *end = pre ? NULL : strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *name = dup_trim(p, n);
        if (!name) return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory");
        if (!*name) {
            free(name);
            return fail(a, CW_ERR_OPTION, 0, 0, "%s needs a column name%s", flag, pre ? "" : " for every item");
        }
        for (int i = 0; i < a->ncov; i++)
            if (strcmp(a->cov[i].name, name) == 0) {
                free(name);
                return fail(a, CW_ERR_OPTION, 0, 0, "--covariates names '%s' twice", a->cov[i].name);
            }
        cw_covariate *c = realloc(a->cov, (size_t)(a->ncov + 1) * sizeof *c);
        if (!c) {
            free(name);
            return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory");
        }
        a->cov = c;
        memset(&c[a->ncov], 0, sizeof *c);
        c[a->ncov].name = name;
        c[a->ncov].col = -1;
        a->ncov++;
        if (!end) break;
        p = end + 1;
    }
    a->adjust = pre ? CW_ADJ_CUPED : CW_ADJ_LIN; /* --adjust may change lin to additive */
    return CW_OK;
}

/* "--split 50,25,25" (control first, then the other arms in order of appearance) or
 * "--split 'A=50,B=25,C=25'"; weights are relative and need not sum to 1 or 100. */
static cw_status set_split(cw_analysis *a, const char *value) {
    for (int k = 0; k < a->nsplit; k++) free(a->split[k].label);
    free(a->split);
    a->split = NULL;
    a->nsplit = 0;
    const char *p = value;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        cw_split *sp = realloc(a->split, (size_t)(a->nsplit + 1) * sizeof *sp);
        if (!sp) return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory");
        a->split = sp;
        cw_split *w = &sp[a->nsplit++];
        w->label = eq ? dup_trim(p, (size_t)(eq - p)) : NULL;
        const char *num = eq ? eq + 1 : p;
        char buf[64];
        size_t nn = n - (size_t)(num - p);
        if (nn >= sizeof buf) nn = sizeof buf - 1;
        memcpy(buf, num, nn);
        buf[nn] = '\0';
        char *stop;
        errno = 0;
        w->weight = strtod(buf, &stop);
        while (*stop == ' ') stop++;
        if (stop == buf || *stop || errno || !(w->weight > 0.0) || !isfinite(w->weight))
            return fail(a, CW_ERR_OPTION, 0, 0,
                        "--split takes positive weights such as 50,25,25 or 'A=50,B=50' (got '%s')", value);
        if ((eq != NULL) != (a->split[0].label != NULL))
            return fail(a, CW_ERR_OPTION, 0, 0, "--split: give a label for every weight or for none");
        for (int k = 0; eq && k < a->nsplit - 1; k++)
            if (strcmp(a->split[k].label, w->label) == 0)
                return fail(a, CW_ERR_OPTION, 0, 0, "--split names the arm '%s' twice", w->label);
        if (!end) return CW_OK;
        p = end + 1;
    }
}

cw_status cw_analysis_set(cw_analysis *a, const char *name, const char *value) {
    if (a->fed || a->finished)
        return fail(a, CW_ERR_STATE, 0, 0, "options must be set before the data is read");
    if (strcmp(name, "variant") == 0) return set_string(a, &a->variant, value);
    if (strcmp(name, "control") == 0) return set_string(a, &a->control, value);
    if (strcmp(name, "file") == 0) return set_string(a, &a->file, value);
    if (strcmp(name, "unit") == 0) return set_string(a, &a->unit, value);
    if (strcmp(name, "delimiter") == 0) {
        char d = strcmp(value, "tab") == 0 || strcmp(value, "\\t") == 0 ? '\t'
                 : strlen(value) == 1 && strchr(",;|\t", value[0]) ? value[0]
                                                               : 0;
        if (!d) return fail(a, CW_ERR_OPTION, 0, 0, "--delimiter must be , ; | or tab (got '%s')", value);
        cw_csv_set_delimiter(&a->csv, d);
        return CW_OK;
    }
    if (strcmp(name, "decimal") == 0) {
        if (strcmp(value, ".") != 0 && strcmp(value, ",") != 0)
            return fail(a, CW_ERR_OPTION, 0, 0, "--decimal must be . or , (got '%s')", value);
        cw_csv_set_decimal(&a->csv, value[0]);
        return CW_OK;
    }
    if (strcmp(name, "summary") == 0) {
        if (strcmp(value, "auto") == 0) a->summary_mode = 0;
        else if (strcmp(value, "yes") == 0) a->summary_mode = 1;
        else if (strcmp(value, "no") == 0) a->summary_mode = 2;
        else return fail(a, CW_ERR_OPTION, 0, 0, "--summary must be auto, yes or no (got '%s')", value);
        return CW_OK;
    }
    if (strcmp(name, "header") == 0) {
        if (strcmp(value, "auto") == 0) a->header_mode = 0;
        else if (strcmp(value, "yes") == 0) a->header_mode = 1;
        else if (strcmp(value, "no") == 0) a->header_mode = 2;
        else return fail(a, CW_ERR_OPTION, 0, 0, "--header must be auto, yes or no (got '%s')", value);
        return CW_OK;
    }
    if (strcmp(name, "metric") == 0) return add_metrics(a, value);
    if (cw_private_is_option(name)) {
        if (!a->priv && !(a->priv = cw_private_new())) return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory");
        cw_status st = cw_private_set(a->priv, name, value);
        if (st != CW_OK) return private_fail(a, st, 0, 0);
        return CW_OK;
    }
    if (strcmp(name, "split") == 0) return set_split(a, value);
    if (strcmp(name, "covariates") == 0) return set_covariates(a, value, 0);
    if (strcmp(name, "pre-metric") == 0) return set_covariates(a, value, 1);
    if (strcmp(name, "adjust") == 0) {
        if (strcmp(value, "additive") == 0) a->adjust_given = CW_ADJ_ADDITIVE;
        else if (strcmp(value, "lin") == 0) a->adjust_given = CW_ADJ_LIN;
        else return fail(a, CW_ERR_OPTION, 0, 0, "--adjust must be additive or lin (got '%s')", value);
        return CW_OK;
    }
    if (strcmp(name, "correction") == 0) {
        static const char *const names[] = {"holm", "bonferroni", "BH", "none"};
        for (int k = 0; k < 4; k++)
            if (strcmp(value, names[k]) == 0) {
                a->correction = (cw_correction)k;
                return CW_OK;
            }
        return fail(a, CW_ERR_OPTION, 0, 0, "--correction must be holm, bonferroni, BH or none (got '%s')",
                    value);
    }
    if (strcmp(name, "fisher") == 0) {
        if (strcmp(value, "auto") == 0) a->fisher_always = 0;
        else if (strcmp(value, "always") == 0) a->fisher_always = 1;
        else return fail(a, CW_ERR_OPTION, 0, 0, "--fisher must be auto or always (got '%s')", value);
        return CW_OK;
    }
    if (strcmp(name, "winsorize") == 0) {
        char *end;
        errno = 0;
        double x = strtod(value, &end);
        if (end == value || *end || errno || !(x >= 0.75 && x < 1.0))
            return fail(a, CW_ERR_OPTION, 0, 0,
                        "--winsorize takes the quantile of the cap, from 0.75 to below 1, e.g. 0.99 (got '%s')",
                        value);
        a->winsorize = x;
        return CW_OK;
    }
    if (strcmp(name, "winsorize-tail") == 0) {
        static const char *const names[] = {"upper", "lower", "both"};
        for (int k = 0; k < 3; k++)
            if (strcmp(value, names[k]) == 0) {
                a->tail = (cw_tail)k;
                return CW_OK;
            }
        return fail(a, CW_ERR_OPTION, 0, 0, "--winsorize-tail must be upper, lower or both (got '%s')", value);
    }
    if (strcmp(name, "bootstrap") == 0 || strcmp(name, "seed") == 0) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(value, &end, 10);
        int boot = name[0] == 'b';
        /* seeds stop at 2^53 - 1 so that the echoed seed is exact in every JSON reader */
        if (end == value || *end || errno || value[0] == '-' || (boot && (v < 100 || v > 100000)) ||
            (!boot && v > 9007199254740991ull))
            return fail(a, CW_ERR_OPTION, 0, 0,
                        boot ? "--bootstrap takes a number of replicates from 100 to 100000 (got '%s')"
                             : "--seed takes a whole number from 0 to 9007199254740991 (2^53 - 1) (got '%s')",
                        value);
        if (boot) a->bootstrap = (int)v;
        else a->seed = (uint64_t)v;
        return CW_OK;
    }
    if (strcmp(name, "alpha") == 0) {
        char *end;
        errno = 0;
        double x = strtod(value, &end);
        if (end == value || *end || errno || !(x > 0.0 && x < 1.0))
            return fail(a, CW_ERR_OPTION, 0, 0,
                        "--alpha must be a number between 0 and 1 (got '%s')", value);
        a->alpha = x;
        return CW_OK;
    }
    return fail(a, CW_ERR_OPTION, 0, 0, "unknown option --%s", name);
}

/* A private release: only what the release supports, then its plan (private.c). */
static cw_status check_private(cw_analysis *a) {
    const char *other = a->winsorize > 0.0               ? "--winsorize"
                        : a->adjust == CW_ADJ_CUPED      ? "--pre-metric"
                        : a->ncov                        ? "--covariates"
                        : a->bootstrap                   ? "--bootstrap"
                        : a->nsplit                      ? "--split"
                        : a->fisher_always               ? "--fisher always"
                        : a->summary_mode == 1           ? "--summary yes"
                        : a->correction != CW_CORR_HOLM  ? "--correction"
                                                         : NULL;
    if (other)
        return fail(a, CW_ERR_OPTION, 0, 0,
                    "%s cannot be combined with a private release (--dp-epsilon): a private release has "
                    "its own fixed set of statistics (docs/privacy.md)",
                    other);
    if (a->nmetrics > CW_PRIV_MAX_METRICS)
        return fail(a, CW_ERR_OPTION, 0, 0, "a private release takes at most %d metrics", CW_PRIV_MAX_METRICS);
    const char *names[CW_PRIV_MAX_METRICS];
    int binary[CW_PRIV_MAX_METRICS];
    for (int i = 0; i < a->nmetrics; i++) {
        names[i] = a->metrics[i].name;
        binary[i] = a->metrics[i].declared == CW_KIND_BINARY;
    }
    cw_status st = cw_private_plan(a->priv, names, binary, a->nmetrics, a->control, a->alpha,
                                   a->unit && *a->unit);
    if (st != CW_OK) return private_fail(a, st, 0, 0);
    return CW_OK;
}

static cw_status check_options(cw_analysis *a) {
    if (!a->variant || !*a->variant)
        return fail(a, CW_ERR_OPTION, 0, 0, "--variant COL is required: the column naming each row's arm");
    if (!a->control || !*a->control)
        return fail(a, CW_ERR_OPTION, 0, 0, "--control LABEL is required: the control arm's label");
    if (a->nmetrics == 0)
        return fail(a, CW_ERR_OPTION, 0, 0, "--metric COL is required: at least one outcome column");
    if (a->adjust_given && (a->ncov == 0 || a->adjust == CW_ADJ_CUPED))
        return fail(a, CW_ERR_OPTION, 0, 0,
                    "--adjust needs --covariates C1,C2,... (the columns to adjust for)");
    if (a->adjust_given) a->adjust = (cw_adj_method)a->adjust_given;
    if (a->ncov && a->winsorize > 0.0)
        return fail(a, CW_ERR_OPTION, 0, 0, "--winsorize cannot be combined with %s yet",
                    a->adjust == CW_ADJ_CUPED ? "--pre-metric" : "--covariates");
    cw_arms_init(&a->arms, a->nmetrics);
    return a->priv ? check_private(a) : CW_OK;
}

/* Copy the CSV reader's error into the analysis. */
static cw_status from_csv(cw_analysis *a, cw_status st) {
    if (st == CW_OK || a->failed) return st;
    return fail(a, st, a->csv.err_line, a->csv.err_column, "%s", a->csv.msg);
}

/* What every input call checks first: an earlier failure, a finished read, and on the first
 * call the options as a whole (they are final once the data starts). */
static cw_status ready(cw_analysis *a) {
    if (a->failed) return a->failed;
    if (a->finished) return fail(a, CW_ERR_STATE, 0, 0, "the analysis is already finished");
    if (!a->fed) {
        a->fed = 1;
        return check_options(a);
    }
    return CW_OK;
}

uint8_t *cw_analysis_reserve(cw_analysis *a, size_t len) {
    if (ready(a) != CW_OK) return NULL;
    uint8_t *to = cw_csv_reserve(&a->csv, len);
    if (!to) from_csv(a, a->csv.err);
    return to;
}

cw_status cw_analysis_commit(cw_analysis *a, size_t len) {
    cw_status st = ready(a);
    return st != CW_OK ? st : from_csv(a, cw_csv_commit(&a->csv, len));
}

cw_status cw_analysis_feed(cw_analysis *a, const uint8_t *data, size_t len) {
    uint8_t *to = cw_analysis_reserve(a, len);
    if (!to) return a->failed;
    if (len) memcpy(to, data, len);
    return cw_analysis_commit(a, len);
}

static int find_column(const cw_analysis *a, const char *name) {
    for (int i = 0; i < a->ncolumns; i++)
        if (strcmp(a->columns[i], name) == 0) return i;
    return -1;
}

/* "a, b, c" into buf, ending in ", …" when the names do not fit. */
static void join_names(char *buf, size_t size, char *const *names, int n, int quote) {
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        int w = snprintf(buf + used, size - used, "%s%s%s%s", i ? ", " : "", quote ? "'" : "", names[i],
                         quote ? "'" : "");
        if (w < 0 || (size_t)w >= size - used) {
            buf[used] = '\0';
            if (used + 6 < size) memcpy(buf + used, ", …", sizeof ", …");
            return;
        }
        used += (size_t)w;
    }
}

static cw_status missing_column(cw_analysis *a, const char *what, const char *name) {
    char list[300];
    join_names(list, sizeof list, a->columns, a->ncolumns, 0);
    return fail(a, CW_ERR_COLUMN, 1, 0, "no column named '%s' (the %s) in the header; the columns are: %s",
                name, what, list);
}

static cw_status header(cw_analysis *a, const cw_row *row) {
    a->columns = calloc((size_t)row->nfields, sizeof *a->columns);
    if (!a->columns) return fail(a, CW_ERR_NOMEM, 1, 0, "out of memory");
    a->ncolumns = row->nfields;
    a->has_header = a->header_mode == 1 || (a->header_mode == 0 &&
                      !cw_fields_all_numeric(row->text, row->start, row->len, row->nfields, a->csv.decimal));
    for (int i = 0; i < row->nfields; i++) {
        if (a->has_header) {
            a->columns[i] = dup_trim(row->text + row->start[i], row->len[i]);
        } else { /* no names in the file: V1, V2, ... as R's read.csv(header = FALSE) */
            char name[24];
            snprintf(name, sizeof name, "V%d", i + 1);
            a->columns[i] = dup_trim(name, strlen(name));
        }
        if (!a->columns[i]) return fail(a, CW_ERR_NOMEM, 1, 0, "out of memory");
    }
    a->variant_col = find_column(a, a->variant);
    if (a->variant_col < 0) return missing_column(a, "variant", a->variant);
    if (a->unit && *a->unit && (a->unit_col = find_column(a, a->unit)) < 0)
        return missing_column(a, "unit id", a->unit);
    if (a->priv) a->priv->point = a->csv.decimal ? a->csv.decimal : '.';
    int summary = a->priv ? 0 : cw_summary_detect(a);
    if (summary < 0) return a->failed;
    if (summary) {
        const char *rowwise = a->winsorize > 0.0            ? "--winsorize"
                              : a->unit_col >= 0             ? "--unit"
                              : a->adjust == CW_ADJ_CUPED    ? "--pre-metric"
                              : a->adjust != CW_ADJ_NONE     ? "--covariates"
                                                             : NULL;
        if (rowwise)
            return fail(a, CW_ERR_OPTION, 1, 0, "%s needs row-level data; this file is a summary (sums per arm)",
                        rowwise);
        return CW_OK;
    }
    for (int k = 0; k < a->nmetrics; k++) {
        cw_metric *m = &a->metrics[k];
        m->col = find_column(a, m->name);
        if (m->col < 0) return missing_column(a, "metric", m->name);
        if (m->col == a->variant_col)
            return fail(a, CW_ERR_OPTION, 1, m->col + 1,
                        "'%s' is the variant column; it cannot also be a metric", m->name);
    }
    const char *flag = a->adjust == CW_ADJ_CUPED ? "--pre-metric" : "--covariates";
    for (int k = 0; k < a->ncov; k++) {
        cw_covariate *c = &a->cov[k];
        c->col = find_column(a, c->name);
        if (c->col < 0) return missing_column(a, a->adjust == CW_ADJ_CUPED ? "pre-metric" : "covariate", c->name);
        if (c->col == a->variant_col)
            return fail(a, CW_ERR_OPTION, 1, c->col + 1, "%s '%s' is the variant column; it cannot be adjusted for",
                        flag, c->name);
        for (int i = 0; i < a->nmetrics; i++)
            if (a->metrics[i].col == c->col)
                return fail(a, CW_ERR_OPTION, 1, c->col + 1,
                            "%s '%s' is also a metric: an outcome cannot be adjusted for itself", flag, c->name);
    }
    return CW_OK;
}

static void note_invalid(cw_metric *m, const cw_row *row, const char *text, size_t len) {
    if (m->invalid++ > 0) return;
    m->invalid_line = row->line;
    m->invalid_col = m->col + 1;
    size_t n = len < sizeof m->invalid_text - 1 ? len : sizeof m->invalid_text - 1;
    memcpy(m->invalid_text, text, n);
    m->invalid_text[n] = '\0';
}

/* Metric i of a data row of arm: its moments, or a missing or invalid value. pre is CUPED's
 * pre-metric (NaN when missing). */
static cw_status add_value(cw_analysis *a, const cw_row *row, cw_arm *arm, int i, double pre) {
    cw_metric *m = &a->metrics[i];
    cw_cell *cell = &arm->cell[i];
    const char *text = row->text + row->start[m->col];
    double x;
    switch (cw_parse_number(text, row->len[m->col], a->csv.decimal, &x)) {
    case CW_NUM_OK:
        if (x != 0.0 && x != 1.0) {
            if (m->declared == CW_KIND_BINARY) {
                cell->invalid++;
                note_invalid(m, row, text, row->len[m->col]);
                return CW_OK;
            }
            m->nonbinary++;
        }
        m->n++;
        cell->ones += x == 1.0;
        cw_moments_add(&cell->m, x);
        if (a->adjust == CW_ADJ_CUPED && isfinite(pre) && isfinite(x)) cw_comoments_add(&cell->xy, pre, x);
        if (a->bootstrap) {
            if (!cell->boot && !(cell->boot = calloc(1, sizeof *cell->boot)))
                return fail(a, CW_ERR_NOMEM, row->line, 0, "out of memory for the bootstrap buckets");
            unsigned b = cw_boot_bucket(a->seed, a->rows_read);
            cell->boot->n[b]++;
            cell->boot->sum[b] += x - cell->m.shift;
        }
        return CW_OK;
    case CW_NUM_MISSING:
        m->missing++;
        cell->missing++;
        return CW_OK;
    case CW_NUM_INVALID:
        cell->invalid++;
        note_invalid(m, row, text, row->len[m->col]);
        return CW_OK;
    }
    return CW_OK;
}

static cw_status data_row(cw_analysis *a, const cw_row *row);
static cw_status fast_row(void *ctx, cw_csv *csv, const cw_row *row);
static cw_status fast_batch(void *ctx, cw_csv *csv, const char *text, const uint32_t *ends, int stride,
                            int nrows, long first_line);

/* The first row: the header (or data); then the fast path takes the common analysis's rows. */
static cw_status row_fn(void *ctx, cw_csv *csv, const cw_row *row) {
    cw_analysis *a = ctx;
    if (csv->rows == 1) {
        cw_status st = header(a, row);
        if (st != CW_OK) return st;
        if (CW_FAST_ROWS && !a->priv && !a->summary && a->unit_col < 0 && a->ncov == 0 && a->bootstrap == 0) {
            a->batch_start = malloc((size_t)a->ncolumns * sizeof *a->batch_start);
            a->batch_len = malloc((size_t)a->ncolumns * sizeof *a->batch_len);
            if (!a->batch_start || !a->batch_len) return fail(a, CW_ERR_NOMEM, 1, 0, "out of memory");
            if ((st = cw_csv_set_rows(csv, fast_batch, a->ncolumns)) != CW_OK) return from_csv(a, st);
            csv->on_row = fast_row;
        }
        if (a->has_header) return CW_OK;
    }
    return data_row(a, row);
}

static cw_status data_row(cw_analysis *a, const cw_row *row) {
    a->rows_read++;
    if (row->nfields != a->ncolumns)
        return fail(a, CW_ERR_ROW, row->line, row->nfields < a->ncolumns ? row->nfields : a->ncolumns + 1,
                    "this row has %d field%s but the header has %d (an unquoted delimiter or line "
                    "break inside a value?)",
                    row->nfields, row->nfields == 1 ? "" : "s", a->ncolumns);
    if (a->priv) {
        int col[CW_PRIV_MAX_METRICS];
        for (int i = 0; i < a->nmetrics; i++) col[i] = a->metrics[i].col;
        cw_status st = cw_private_row(a->priv, row, a->variant_col, a->unit_col, col);
        return st == CW_OK ? st : private_fail(a, st, row->line, a->unit_col + 1);
    }
    size_t vlen = row->len[a->variant_col];
    const char *v = cw_trim(row->text + row->start[a->variant_col], &vlen);
    if (vlen == 0) {
        if (a->missing_variant.count++ == 0) a->missing_variant.first_line = row->line;
        return CW_OK;
    }
    /* A few arms are the rule: compare with each before hashing (cw_arms_get). */
    int k = -1;
    for (int j = 0; j < a->arms.n && j < 8; j++) {
        const cw_arm *x = &a->arms.arms[j];
        if (x->name_len == vlen && memcmp(x->name, v, vlen) == 0) {
            k = j;
            break;
        }
    }
    if (k < 0) k = cw_arms_get(&a->arms, v, vlen, row->line);
    if (k == -2)
        return fail(a, CW_ERR_ARMS, row->line, a->variant_col + 1,
                    "more than %d different values in the variant column '%s': is it the right column?",
                    CW_MAX_ARMS, a->variant);
    if (k < 0) return fail(a, CW_ERR_NOMEM, row->line, 0, "out of memory");
    cw_arm *arm = &a->arms.arms[k];
    a->rows_used++;
    if (a->summary) return cw_summary_row(a, row, k);
    arm->rows++;
    if (a->unit_col >= 0) {
        size_t ulen = row->len[a->unit_col];
        const char *u = cw_trim(row->text + row->start[a->unit_col], &ulen);
        if (cw_units_add(&a->units, u, ulen, k, row->line) != 0)
            return fail(a, CW_ERR_NOMEM, row->line, 0, "out of memory for the unit ids");
    }
    double pre = NAN; /* the pre-metric of CUPED, NaN when missing or not a number */
    for (int c = 0; c < a->ncov; c++) {
        cw_covariate *cv = &a->cov[c];
        const char *text = row->text + row->start[cv->col];
        double z;
        cw_num_kind ns = cw_parse_number(text, row->len[cv->col], a->csv.decimal, &z);
        if (ns != CW_NUM_MISSING && cv->nlevels <= CW_MAX_LEVELS && a->adjust != CW_ADJ_CUPED) {
            size_t ln = row->len[cv->col];
            const char *lv = cw_trim(text, &ln);
            int l = 0;
            while (l < cv->nlevels && !(strlen(cv->levels[l]) == ln && memcmp(cv->levels[l], lv, ln) == 0)) l++;
            if (l == cv->nlevels && !(cv->levels[cv->nlevels++] = dup_trim(lv, ln)))
                return fail(a, CW_ERR_NOMEM, row->line, 0, "out of memory");
        }
        if (ns == CW_NUM_OK) {
            cv->numeric++;
            pre = z;
        } else if (ns == CW_NUM_INVALID && cv->invalid++ == 0) {
            size_t tn = row->len[cv->col] < sizeof cv->invalid_text - 1 ? row->len[cv->col] : sizeof cv->invalid_text - 1;
            memcpy(cv->invalid_text, text, tn);
            cv->invalid_text[tn] = '\0';
            cv->invalid_line = row->line;
        }
    }
    for (int i = 0; i < a->nmetrics; i++) {
        cw_status st = add_value(a, row, arm, i, pre);
        if (st != CW_OK) return st;
    }
    return CW_OK;
}

/* ---- the fast row path ---------------------------------------------------------------------
 * For the common analysis (row-level data without units, covariates or bootstrap), read by this
 * analysis's own reader: its rows may be read CW_CSV_PAD bytes past a field (csv.h), so the
 * variant's text is compared with the arms' names as two 8-byte words, the previous row's arm
 * first; metric values go straight to their cell. Plain rows come in batches (fast_batch, one
 * call per up to 128 rows), the others one by one (fast_row). Anything else -- a field count
 * that differs, a missing, padded, long or new variant, a value that is not a number or not 0/1
 * where 0/1 was declared -- is handed to data_row / add_value, which do the same work in
 * general. */

/* A name of 1 to 16 bytes as two words: its first 8 bytes (zero-padded when shorter) and, when
 * longer than 8, its last 8 (which overlap the first), so that no word needs a variable mask
 * but the first of a short name. p may be read 16 bytes on (CW_CSV_PAD). Branch-free: a name
 * of 8 bytes or fewer reads its first 8 bytes twice and masks the second word to 0 (arms of
 * different lengths, drawn at random, mispredicted the test). */
static inline void name_key(const char *p, size_t n, uint64_t *w0, uint64_t *w1) {
#define CW_ONES(k) (~UINT64_C(0) >> (64 - 8 * (k)))
    static const uint64_t first[17] = {0,        CW_ONES(1), CW_ONES(2), CW_ONES(3), CW_ONES(4), CW_ONES(5),
                                       CW_ONES(6), CW_ONES(7), ~UINT64_C(0), ~UINT64_C(0), ~UINT64_C(0),
                                       ~UINT64_C(0), ~UINT64_C(0), ~UINT64_C(0), ~UINT64_C(0), ~UINT64_C(0),
                                       ~UINT64_C(0)};
#undef CW_ONES
    uint64_t a, b;
    const uint64_t longer = -(uint64_t)(n > 8);
    memcpy(&a, p, 8);
    memcpy(&b, p + ((n - 8) & longer), 8);
    *w0 = a & first[n]; /* n <= 16 */
    *w1 = b & longer;
}

/* A name's slot in fast_slot (Fibonacci hashing, Knuth TAOCP vol. 3, 6.4): arms are drawn at
 * random row by row, so finding one by comparing names in turn mispredicted a branch on about
 * every other row; the slot is one load and a comparison that nearly always holds. Core alone
 * on the 1M-row bench file: 29.4 -> 27.1 ms (A/B, best of 20 passes). */
static inline unsigned key_slot(uint64_t w0, uint64_t w1, size_t n) {
    return (unsigned)(((w0 ^ w1 ^ (uint64_t)n) * UINT64_C(0x9E3779B97F4A7C15)) >> 58);
}

static void fast_keys(cw_analysis *a) {
    for (int k = a->fast_narms; k < a->arms.n && k < CW_FAST_ARMS; k++) {
        const cw_arm *arm = &a->arms.arms[k];
        char name[16] = {0};
        size_t n = arm->name_len;
        if (n <= 16) memcpy(name, arm->name, n);
        a->fast_len[k] = n <= 16 ? n : 0; /* 0: never matched here (empty variants are missing) */
        name_key(name, n <= 16 ? n : 1, &a->fast_key[k][0], &a->fast_key[k][1]);
        unsigned h = key_slot(a->fast_key[k][0], a->fast_key[k][1], a->fast_len[k]);
        /* the first arm of a slot keeps it; the others are found by the loop in fast_arm */
        if (a->fast_slot[h] == 0 && a->fast_len[k]) a->fast_slot[h] = (unsigned char)(k + 1);
        a->fast_narms = k + 1;
    }
}

static cw_status slow_row(cw_analysis *a, const cw_row *row) {
    cw_status st = data_row(a, row);
    fast_keys(a);
    return st;
}

/* The arm whose key is (vlen, w0, w1) by comparing each in turn, else -1: for names that share
 * their slot with another arm's (out of line, so that fast_arm stays small). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int fast_arm_search(const cw_analysis *a, size_t vlen, uint64_t w0, uint64_t w1) {
    for (int k = 0; k < a->fast_narms; k++)
        if (a->fast_len[k] == vlen && a->fast_key[k][0] == w0 && a->fast_key[k][1] == w1) return k;
    return -1;
}

/* The arm of the variant v[0..vlen) when the fast path knows it, else -1. */
static inline int fast_arm(cw_analysis *a, const char *v, size_t vlen) {
    /* No test for padding: data_row trims spaces and tabs, so no arm's name starts or ends with
     * one and a padded variant matches no key here (it goes to data_row); any other byte is part
     * of the name on both paths alike. */
    if (vlen - 1 >= 16) return -1;
    uint64_t w0, w1;
    name_key(v, vlen, &w0, &w1);
    /* an empty slot (0) names arm 15, whose key then differs (or is absent: length 0) */
    int k = (a->fast_slot[key_slot(w0, w1, vlen)] - 1) & (CW_FAST_ARMS - 1);
    if (((a->fast_len[k] ^ vlen) | (a->fast_key[k][0] ^ w0) | (a->fast_key[k][1] ^ w1)) == 0) return k;
    return fast_arm_search(a, vlen, w0, w1);
}

/* Metric m's value text[0..n) into cell, when it is not a single 0 or 1 (fast_value); 0 when
 * done, 1 when add_value must decide. Kept out of line so that the 0/1 case stays small. */
static int fast_number(cw_metric *m, cw_cell *cell, const char *text, size_t n, char point) {
    double x;
    if (cw_parse_number(text, n, point, &x) != CW_NUM_OK) {
        return 1;
    } else if (x != 0.0 && x != 1.0) {
        if (m->declared == CW_KIND_BINARY) return 1;
        m->nonbinary++;
    }
    m->n++;
    cell->ones += x == 1.0;
    cw_moments_add(&cell->m, x);
    return 0;
}

/* Metric m's value text[0..n) into cell; 0 when done, 1 when add_value must decide. */
static inline int fast_value(cw_metric *m, cw_cell *cell, const char *text, size_t n, char point) {
    if (n == 1 && (unsigned char)(text[0] - '0') <= 1) { /* 0/1 metrics: the most common field */
        int one = text[0] - '0';
        m->n++;
        cell->ones += one;
        cw_moments_add01(&cell->m, one);
        return 0;
    }
    return fast_number(m, cell, text, n, point);
}

static cw_status fast_row(void *ctx, cw_csv *csv, const cw_row *row) {
    cw_analysis *a = ctx;
    (void)csv;
    if (row->nfields != a->ncolumns) return slow_row(a, row);
    int k = fast_arm(a, row->text + row->start[a->variant_col], row->len[a->variant_col]);
    if (k < 0) return slow_row(a, row);
    cw_arm *arm = &a->arms.arms[k];
    a->rows_read++;
    a->rows_used++;
    arm->rows++;
    for (int i = 0; i < a->nmetrics; i++) {
        cw_metric *m = &a->metrics[i];
        if (fast_value(m, &arm->cell[i], row->text + row->start[m->col], row->len[m->col], a->csv.decimal)) {
            cw_status st = add_value(a, row, arm, i, NAN);
            if (st != CW_OK) return st;
        }
    }
    return CW_OK;
}

/* Row e of a batch as a cw_row, for the general path. */
static const cw_row *batch_row(cw_analysis *a, const char *text, const uint32_t *e, long line, cw_row *row) {
    for (int j = 0; j < a->ncolumns; j++) {
        a->batch_start[j] = (uint32_t)(e[j] + 1u);
        a->batch_len[j] = e[j + 1] - (uint32_t)(e[j] + 1u);
    }
    *row = (cw_row){line, a->ncolumns, text, a->batch_start, a->batch_len};
    return row;
}

/* fast_metrics' value of metric i in row e (arm k) when it is not a counted 0/1: out of line,
 * which keeps the row loop small enough for V8 to hold its values in registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static cw_status other_value(cw_analysis *a, int i, int k, const char *text, const uint32_t *e, long line) {
    cw_metric *m = &a->metrics[i];
    cw_arm *arm = &a->arms.arms[k];
    uint32_t f = e[m->col] + 1u;
    if (!fast_value(m, &arm->cell[i], text + f, e[m->col + 1] - f, a->csv.decimal)) return CW_OK;
    cw_row row;
    return add_value(a, batch_row(a, text, e, line, &row), arm, i, NAN);
}

/* The first nrows rows at ends, whose arms are known (arm_of), one metric at a time: a 0/1 value is
 * a count in a local array (added to its cell's counts at the end), anything else goes to
 * fast_number or add_value in row order, so every cell sees its values in the same order as
 * row by row. While a cell has no value yet (its shift unset), the metric goes value by value. */
static cw_status fast_metrics(cw_analysis *a, const char *text, const uint32_t *ends, int stride,
                              const unsigned char *arm_of, int nrows, long first_line) {
    const int narms = a->fast_narms;
    for (int i = 0; i < a->nmetrics; i++) {
        cw_metric *m = &a->metrics[i];
        const int col = m->col;
        int started = 1;
        for (int k = 0; k < narms; k++) started &= a->arms.arms[k].cell[i].m.started;
        uint64_t acc[CW_FAST_ARMS] = {0}; /* per arm: values (low 32 bits) and ones (high 32) */
        const uint32_t *e = ends;
        CW_UNROLL4 for (int r = 0; r < nrows; r++, e += stride) {
            uint32_t f = e[col] + 1u, n = e[col + 1] - f;
            unsigned one = (unsigned char)text[f] - (unsigned)'0';
            int k = arm_of[r];
            if (n == 1 && one <= 1 && started) {
                acc[k] += 1 + ((uint64_t)one << 32);
                continue;
            }
            cw_status st = other_value(a, i, k, text, e, first_line + r);
            if (st != CW_OK) return st;
        }
        for (int k = 0; k < narms; k++) {
            cw_cell *cell = &a->arms.arms[k].cell[i];
            int64_t all = (int64_t)(acc[k] & 0xffffffffu), ones = (int64_t)(acc[k] >> 32);
            m->n += all;
            cell->ones += ones;
            cw_moments_add01_counts(&cell->m, all - ones, ones);
        }
    }
    return CW_OK;
}

/* A batch of plain rows (cw_rows_fn): the arms of a run of rows the fast path knows, then those
 * rows metric by metric (fast_metrics); a row it does not know goes to slow_row in its place. */
static cw_status fast_batch(void *ctx, cw_csv *csv, const char *text, const uint32_t *ends, int stride,
                            int nrows, long first_line) {
    cw_analysis *a = ctx;
    (void)csv;
    const int vc = a->variant_col;
    unsigned char arm_of[256];
    cw_row row;
    for (int r0 = 0; r0 < nrows;) {
        int r = r0, lim = nrows - r0 > 256 ? r0 + 256 : nrows;
        /* unrolled: the hash lookups of neighbouring rows overlap (24.8-25.5 -> 24.5-25.1 ms) */
        CW_UNROLL4 for (; r < lim; r++) {
            const uint32_t *e = ends + (size_t)r * (size_t)stride;
            uint32_t v = e[vc] + 1u;
            int k = fast_arm(a, text + v, e[vc + 1] - v);
            if (k < 0) break;
            arm_of[r - r0] = (unsigned char)k;
            a->arms.arms[k].rows++;
        }
        a->rows_read += r - r0;
        a->rows_used += r - r0;
        cw_status st = fast_metrics(a, text, ends + (size_t)r0 * (size_t)stride, stride, arm_of, r - r0,
                                    first_line + r0);
        if (st != CW_OK) return st;
        if (r < lim) { /* a row the fast path does not know, in its place */
            st = slow_row(a, batch_row(a, text, ends + (size_t)r * (size_t)stride, first_line + r, &row));
            if (st != CW_OK) return st;
            r++;
        }
        r0 = r;
    }
    return CW_OK;
}

static cw_status check_arms(cw_analysis *a) {
    if (a->arms.n == 0)
        return fail(a, CW_ERR_ARMS, 0, a->variant_col + 1,
                    "the variant column '%s' is empty on every row", a->variant);
    int c = cw_arms_find(&a->arms, a->control, strlen(a->control));
    if (c < 0) {
        char list[300];
        char *names[20];
        int n = a->arms.n < 20 ? a->arms.n : 20;
        for (int i = 0; i < n; i++) names[i] = a->arms.arms[i].name;
        join_names(list, sizeof list, names, n, 1);
        return fail(a, CW_ERR_ARMS, 0, a->variant_col + 1,
                    "the control arm '%s' does not occur in the variant column '%s'; its values are: %s%s",
                    a->control, a->variant, list, a->arms.n > n ? ", …" : "");
    }
    if (a->nsplit && !a->split[0].label && a->nsplit != a->arms.n)
        return fail(a, CW_ERR_OPTION, 0, 0,
                    "--split gives %d weights but the data has %d arms (give them as LABEL=WEIGHT to "
                    "be explicit)",
                    a->nsplit, a->arms.n);
    if (a->nsplit && a->split[0].label) {
        for (int s = 0; s < a->nsplit; s++)
            if (cw_arms_find(&a->arms, a->split[s].label, strlen(a->split[s].label)) < 0)
                return fail(a, CW_ERR_OPTION, 0, 0, "--split names the arm '%s', which is not in the data",
                            a->split[s].label);
        if (a->nsplit != a->arms.n)
            return fail(a, CW_ERR_OPTION, 0, 0, "--split names %d arms but the data has %d", a->nsplit,
                        a->arms.n);
    }
    if (a->arms.n == 1)
        return fail(a, CW_ERR_ARMS, 0, a->variant_col + 1,
                    "the variant column '%s' holds only one arm ('%s'): a comparison needs a control "
                    "and at least one treatment arm",
                    a->variant, a->arms.arms[0].name);
    for (int i = 0; i < a->nmetrics; i++) {
        cw_metric *m = &a->metrics[i];
        if (m->n > 0) {
            m->kind = m->declared != CW_KIND_AUTO ? m->declared
                      : m->nonbinary == 0          ? CW_KIND_BINARY
                                                   : CW_KIND_CONTINUOUS;
            continue;
        }
        if (m->invalid > 0)
            return fail(a, CW_ERR_VALUES, m->invalid_line, m->invalid_col,
                        "the metric column '%s' has no usable %s value (the first value here is '%s')",
                        m->name, m->declared == CW_KIND_BINARY ? "0/1" : "numeric", m->invalid_text);
        return fail(a, CW_ERR_VALUES, 0, m->col + 1, "the metric column '%s' is empty on every row",
                    m->name);
    }
    return CW_OK;
}

/* The arm of a row in a later read: it must be one the first read found. */
static int known_arm(const cw_analysis *a, const char *v, size_t vlen) {
    for (int j = 0; j < a->arms.n && j < 8; j++)
        if (a->arms.arms[j].name_len == vlen && memcmp(a->arms.arms[j].name, v, vlen) == 0) return j;
    return cw_arms_find(&a->arms, v, vlen);
}

static cw_status changed(cw_analysis *a, long line) {
    return fail(a, CW_ERR_STATE, line, 0,
                "the file changed between two reads of it (winsorizing and --covariates read it three times)");
}

/* The regression's columns for a row of arm k: 1, one indicator per treatment arm (the
 * control is the reference; arms in order of appearance, as the comparisons), the covariates
 * and, for lin, each indicator times each covariate (grouped by covariate, as R's
 * y ~ arm * (X1 + X2) orders them, so that collinear columns are dropped as lm drops them). */
static void design_row(const cw_analysis *a, int k, const double *cov, double *x) {
    int control = a->control_arm;
    int g = a->arms.n - 1, q = a->ndcol;
    x[0] = 1.0;
    for (int t = 0; t < g; t++) x[1 + t] = 0.0;
    if (k != control) x[1 + (k < control ? k : k - 1)] = 1.0;
    for (int j = 0; j < q; j++) x[1 + g + j] = cov[j];
    if (a->adjust == CW_ADJ_LIN)
        for (int j = 0; j < q; j++)
            for (int t = 0; t < g; t++) x[1 + g + q + j * g + t] = x[1 + t] * cov[j];
}

/* Rows of the regression's second read (pass 1 of the OLS) and third (its pass 2). A row enters
 * a metric's regression when the metric and every covariate are numbers. */
static cw_status regression_row(cw_analysis *a, const cw_row *row, int k) {
    double cov[CW_OLS_MAX_K], x[CW_OLS_MAX_K];
    int level[CW_OLS_MAX_K]; /* per covariate: the row's level (text covariates) */
    for (int j = 0; j < a->ncov; j++) {
        const cw_covariate *c = &a->cov[j];
        const char *text = row->text + row->start[c->col];
        if (!c->categorical) {
            if (cw_parse_number(text, row->len[c->col], a->csv.decimal, &cov[j]) != CW_NUM_OK) return CW_OK;
            continue;
        }
        size_t ln = row->len[c->col];
        const char *lv = cw_trim(text, &ln);
        double ignored;
        if (cw_parse_number(lv, ln, a->csv.decimal, &ignored) == CW_NUM_MISSING) return CW_OK;
        level[j] = -1;
        for (int l = 0; l < c->nlevels; l++)
            if (strlen(c->levels[l]) == ln && memcmp(c->levels[l], lv, ln) == 0) level[j] = l;
        if (level[j] < 0) return changed(a, row->line);
    }
    for (int d = 0; d < a->ndcol; d++) { /* the covariates' columns: values or indicators */
        const cw_dcol *dc = &a->dcol[d];
        x[d] = dc->level < 0 ? cov[dc->cov] : (double)(level[dc->cov] == dc->level);
    }
    memcpy(cov, x, (size_t)a->ndcol * sizeof *cov);
    design_row(a, k, cov, x);
    for (int i = 0; i < a->nmetrics; i++) {
        cw_metric *m = &a->metrics[i];
        double y;
        if (cw_parse_number(row->text + row->start[m->col], row->len[m->col], a->csv.decimal, &y) != CW_NUM_OK)
            continue;
        if (m->declared == CW_KIND_BINARY && y != 0.0 && y != 1.0) continue;
        cw_ols_status st = a->pass == 2 ? cw_ols_pass1_add(&m->p1, x, y)
                           : m->fit.unavailable ? CW_OLS_OK
                                                : cw_ols_pass2_add(&m->p2, x, y, 0);
        if (st == CW_OLS_ERR_NONFINITE) continue; /* an overflowing number: skipped in both passes */
        if (st != CW_OLS_OK)
            return fail(a, st == CW_OLS_ERR_NOMEM ? CW_ERR_NOMEM : CW_ERR_STATE, row->line, 0,
                        "regression on '%s': %s", m->name, cw_ols_strerror(st));
    }
    return CW_OK;
}

/* Rows of the second read (the caps' order statistics) and the third (capped moments). */
static cw_status later_row(void *ctx, cw_csv *csv, const cw_row *row) {
    cw_analysis *a = ctx;
    if (csv->rows == 1 && a->has_header) return row->nfields == a->ncolumns ? CW_OK : changed(a, row->line);
    a->rows_again++;
    if (row->nfields != a->ncolumns) return changed(a, row->line);
    size_t vlen = row->len[a->variant_col];
    const char *v = cw_trim(row->text + row->start[a->variant_col], &vlen);
    if (vlen == 0) return CW_OK;
    int k = known_arm(a, v, vlen);
    if (k < 0) return changed(a, row->line);
    if (a->adjust == CW_ADJ_ADDITIVE || a->adjust == CW_ADJ_LIN) return regression_row(a, row, k);
    for (int i = 0; i < a->nmetrics; i++) {
        cw_metric *m = &a->metrics[i];
        double x;
        if (!m->winsorized ||
            cw_parse_number(row->text + row->start[m->col], row->len[m->col], a->csv.decimal, &x) != CW_NUM_OK)
            continue;
        if (a->pass == 2) {
            if (m->low.v) cw_wheap_push(&m->low, x);
            if (m->high.v) cw_wheap_push(&m->high, x);
            continue;
        }
        cw_cell *cell = &a->arms.arms[k].cell[i];
        if (x < m->cap_low) x = m->cap_low, m->capped_low++;
        else if (x > m->cap_high) x = m->cap_high, m->capped_high++;
        cw_moments_add(&cell->w, x);
        if (cell->boot) {
            unsigned b = cw_boot_bucket(a->seed, a->rows_again);
            cell->boot->n[b]++;
            cell->boot->sum[b] += x - cell->w.shift;
        }
    }
    return CW_OK;
}

/* Start reading the input again (same delimiter), for the given pass. */
static cw_status read_again(cw_analysis *a, int pass) {
    char delim = a->csv.delim, point = a->csv.decimal;
    cw_csv_free(&a->csv);
    cw_csv_init(&a->csv, later_row, a);
    cw_csv_set_delimiter(&a->csv, delim);
    cw_csv_set_decimal(&a->csv, point);
    a->pass = pass;
    a->rows_again = 0;
    a->finished = 0;
    return CW_AGAIN;
}

/* After the first read: which metrics are winsorized, and the heaps for their caps. */
static cw_status plan_winsorizing(cw_analysis *a) {
    int any = 0;
    for (int i = 0; i < a->nmetrics; i++) {
        cw_metric *m = &a->metrics[i];
        if (m->kind != CW_KIND_CONTINUOUS || m->n < 2) continue;
        m->winsorized = any = 1;
        m->cap_low = -INFINITY;
        m->cap_high = INFINITY;
        if (a->tail != CW_TAIL_UPPER && cw_wheap_init(&m->low, m->n, 1.0 - a->winsorize, 1) != 0)
            return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory for winsorizing '%s'", m->name);
        if (a->tail != CW_TAIL_LOWER && cw_wheap_init(&m->high, m->n, a->winsorize, 0) != 0)
            return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory for winsorizing '%s'", m->name);
    }
    return any ? read_again(a, 2) : CW_OK;
}

/* After the second read: the caps; the cells start their capped moments. */
static cw_status set_caps(cw_analysis *a) {
    for (int i = 0; i < a->nmetrics; i++) {
        cw_metric *m = &a->metrics[i];
        if (!m->winsorized) continue;
        if (m->low.v) m->cap_low = cw_wheap_quantile(&m->low, m->n, 1.0 - a->winsorize);
        if (m->high.v) m->cap_high = cw_wheap_quantile(&m->high, m->n, a->winsorize);
        cw_wheap_free(&m->low);
        cw_wheap_free(&m->high);
        for (int k = 0; k < a->arms.n; k++) {
            cw_cell *cell = &a->arms.arms[k].cell[i];
            cw_moments_init(&cell->w);
            if (cell->boot) memset(cell->boot, 0, sizeof *cell->boot);
        }
    }
    return read_again(a, 3);
}

/* After the first read: a covariate without a single number is refused (text covariates would
 * need one indicator per level: not supported yet); the regression's pass 1 starts. */
static int by_bytes(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

static cw_status plan_adjustment(cw_analysis *a) {
    a->ndcol = 0;
    for (int j = 0; j < a->ncov; j++) {
        cw_covariate *c = &a->cov[j];
        if (a->adjust != CW_ADJ_CUPED && c->invalid > 0) { /* text: one indicator per level but the first */
            if (c->nlevels > CW_MAX_LEVELS)
                return fail(a, CW_ERR_VALUES, 0, c->col + 1,
                            "the covariate column '%s' holds text with more than %d different values", c->name,
                            CW_MAX_LEVELS);
            c->categorical = 1;
            qsort(c->levels, (size_t)c->nlevels, sizeof *c->levels, by_bytes);
            for (int l = 1; l < c->nlevels && a->ndcol < CW_OLS_MAX_K; l++) a->dcol[a->ndcol++] = (cw_dcol){j, l};
            continue;
        }
        if (a->ndcol < CW_OLS_MAX_K) a->dcol[a->ndcol++] = (cw_dcol){j, -1};
        if (c->numeric > 0) continue;
        if (c->invalid > 0)
            return fail(a, CW_ERR_VALUES, c->invalid_line, c->col + 1,
                        "the %s column '%s' holds text (the first value is '%s'): only numeric columns can be "
                        "adjusted for; code a category as 0/1 columns",
                        a->adjust == CW_ADJ_CUPED ? "pre-metric" : "covariate", c->name, c->invalid_text);
        return fail(a, CW_ERR_VALUES, 0, c->col + 1, "the %s column '%s' is empty on every row",
                    a->adjust == CW_ADJ_CUPED ? "pre-metric" : "covariate", c->name);
    }
    if (a->adjust == CW_ADJ_CUPED) return CW_OK;
    int g = a->arms.n - 1, q = a->ndcol;
    int k = 1 + g + q + (a->adjust == CW_ADJ_LIN ? g * q : 0);
    if (k > CW_OLS_MAX_K)
        return fail(a, CW_ERR_OPTION, 0, 0,
                    "the regression would have %d columns (%d arms, %d covariate columns%s); at most %d are supported",
                    k, a->arms.n, q, a->adjust == CW_ADJ_LIN ? ", their interactions" : "", CW_OLS_MAX_K);
    a->ncols_design = k;
    a->control_arm = cw_arms_find(&a->arms, a->control, strlen(a->control));
    for (int i = 0; i < a->nmetrics; i++)
        if (cw_ols_pass1_init(&a->metrics[i].p1, k) != CW_OLS_OK)
            return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory for the regression");
    return read_again(a, 2);
}

/* After the regression's pass 1: solve (dropping collinear columns as lm), then pass 2 for the
 * HC1 and HC2 meats. */
static cw_status solve_regressions(cw_analysis *a) {
    for (int i = 0; i < a->nmetrics; i++) {
        cw_metric *m = &a->metrics[i];
        m->adj_rows = cw_ols_pass1_count(&m->p1);
        cw_ols_status st = cw_ols_solve(&m->p1, CW_OLS_TOL, &m->fit);
        if (st == CW_OLS_OK && !m->fit.unavailable)
            st = cw_ols_pass2_init(&m->p2, &m->fit, CW_OLS_WANT_HC01 | CW_OLS_WANT_HC2 | CW_OLS_WANT_HC3);
        if (st != CW_OLS_OK)
            return fail(a, st == CW_OLS_ERR_NOMEM ? CW_ERR_NOMEM : CW_ERR_STATE, 0, 0, "regression on '%s': %s",
                        m->name, cw_ols_strerror(st));
    }
    return read_again(a, 3);
}

/* The one noisy release, from the secure source (a seeded one only in test builds). */
static cw_status finish_private(cw_analysis *a) {
    cw_private *p = a->priv;
    cw_status st = cw_private_close(p);
    if (st == CW_OK) {
#ifdef DP_TEST_RNG
        if (p->test_seeded) {
            cw_dp_chacha rng;
            cw_dp_chacha_init(&rng, p->test_seed);
            st = cw_private_release(p, &rng.base);
        } else
#endif
        {
            cw_dp_secure src;
            cw_dp_secure_init(&src);
            st = cw_private_release(p, &src.base);
            cw_dp_secure_wipe(&src);
        }
    }
    if (st != CW_OK) return private_fail(a, st, 0, 0);
    a->result = cw_private_report(p, a->file, a->csv.delim, a->csv.decimal, a->has_header,
                                  a->unit_col >= 0 ? a->unit : NULL);
    if (!a->result) return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory");
    return CW_OK;
}

cw_status cw_analysis_finish(cw_analysis *a) {
    cw_status st = ready(a);
    if (st != CW_OK) return st;
    a->finished = 1;
    st = from_csv(a, cw_csv_finish(&a->csv));
    if (st != CW_OK) return st;
    if (a->pass > 1) {
        if (a->rows_again != a->rows_read) return changed(a, 0);
        if (a->pass == 2) return a->winsorize > 0.0 ? set_caps(a) : solve_regressions(a);
        for (int k = 0; k < a->arms.n && a->winsorize > 0.0; k++)
            for (int i = 0; i < a->nmetrics; i++) cw_moments_flush(&a->arms.arms[k].cell[i].w);
    } else {
        if (a->csv.rows == 0)
            return fail(a, CW_ERR_EMPTY, 0, 0,
                        a->csv.bytes == 0 ? "the file is empty" : "the file has only blank lines");
        if (a->rows_read == 0) return fail(a, CW_ERR_NO_DATA, 1, 0, "the file has a header but no data rows");
        if (a->priv) return finish_private(a);
        for (int k = 0; k < a->arms.n; k++)
            for (int i = 0; i < a->nmetrics; i++) cw_moments_flush(&a->arms.arms[k].cell[i].m);
        if ((st = check_arms(a)) != CW_OK) return st;
        if (a->winsorize > 0.0 && (st = plan_winsorizing(a)) != CW_OK) return st;
        if (a->ncov && (st = plan_adjustment(a)) != CW_OK) return st;
    }
    a->result = cw_report(a);
    if (!a->result) return fail(a, CW_ERR_NOMEM, 0, 0, "out of memory");
    return CW_OK;
}

int cw_analysis_pass(const cw_analysis *a) { return a->pass; }

const char *cw_analysis_result(const cw_analysis *a) { return a->failed ? NULL : a->result; }
const char *cw_analysis_error(const cw_analysis *a) { return a->failed ? a->msg : ""; }
long cw_analysis_error_line(const cw_analysis *a) { return a->failed ? a->err_line : 0; }
long cw_analysis_error_column(const cw_analysis *a) { return a->failed ? a->err_column : 0; }
double cw_analysis_bytes(const cw_analysis *a) { return (double)a->csv.bytes; }
const char *cw_analysis_fingerprint(const cw_analysis *a) {
    return !a->failed && a->priv && a->priv->released ? a->priv->fingerprint : "";
}
