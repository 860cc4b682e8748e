/* did.c — the two-period difference-in-differences face of the core (causeway did): long data,
 * one row per unit and period. Three reads of the input (the CW_AGAIN protocol): (1) check the
 * columns and periods, note which units have the outcome in each period; (2) cell moments and
 * OLS pass 1 of y ~ 1 + treated + post + treated:post, over the rows kept (--balanced keeps the
 * units observed in both periods); (3) OLS pass 2 for HC1 and, with --unit, errors clustered by
 * unit (CR1, t(G - 1)) as sandwich::vcovCL(type = "HC1") -- Card & Krueger (1994), Table 3.
 * The estimate is the interaction coefficient, which equals the difference of the four cell
 * means' differences (Angrist & Pischke 2009, §5.2). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causeway.h"
#include "csv.h"
#include "json.h"
#include "moments.h"
#include "number.h"
#include "ols.h"
#include "rng.h"

/* unit label -> dense index, with the periods in which it has the outcome */
typedef struct {
    uint64_t *key;
    int32_t *id;
    unsigned char *seen; /* per id: bit 0 pre, bit 1 post */
    size_t cap, n, seen_cap;
} did_units;

struct cw_did {
    char *outcome, *group, *treated, *period, *post, *unit, *file;
    int balanced;
    double alpha;
    int col_y, col_g, col_t, col_u, ncolumns;
    char **columns;
    char *pre_label; /* the other period's label */
    int pass, fed, finished;
    cw_csv csv;
    did_units units;
    int64_t rows_read, rows_used, missing_outcome, unbalanced_rows;
    cw_moments cell[2][2]; /* [treated][post] */
    cw_ols_pass1 p1;
    cw_ols_fit fit;
    cw_ols_pass2 p2;
    char *result;
    cw_status failed;
    char msg[400];
    long err_line, err_column;
};

static cw_status dfail(cw_did *d, cw_status st, long line, long col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static cw_status dfail(cw_did *d, cw_status st, long line, long col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    d->err_line = line;
    d->err_column = col;
    d->failed = st;
    return st;
}

static cw_status did_row(void *ctx, cw_csv *csv, const cw_row *row);

cw_did *cw_did_new(void) {
    cw_did *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->alpha = 0.05;
    d->pass = 1;
    d->col_u = -1;
    cw_csv_init(&d->csv, did_row, d);
    for (int g = 0; g < 2; g++)
        for (int t = 0; t < 2; t++) cw_moments_init(&d->cell[g][t]);
    return d;
}

void cw_did_free(cw_did *d) {
    if (!d) return;
    free(d->outcome), free(d->group), free(d->treated), free(d->period), free(d->post);
    free(d->unit), free(d->file), free(d->pre_label), free(d->result);
    for (int i = 0; i < d->ncolumns; i++) free(d->columns[i]);
    free(d->columns);
    free(d->units.key), free(d->units.id), free(d->units.seen);
    cw_csv_free(&d->csv);
    cw_ols_pass1_free(&d->p1);
    cw_ols_pass2_free(&d->p2);
    cw_ols_fit_free(&d->fit);
    free(d);
}

static char *dup_trim_n(const char *s, size_t n) {
    const char *t = cw_trim(s, &n);
    char *c = malloc(n + 1);
    if (c) {
        memcpy(c, t, n);
        c[n] = '\0';
    }
    return c;
}

cw_status cw_did_set(cw_did *d, const char *name, const char *value) {
    if (d->fed) return dfail(d, CW_ERR_STATE, 0, 0, "options must be set before the data is read");
    char **slots[] = {&d->outcome, &d->group, &d->treated, &d->period, &d->post, &d->unit, &d->file};
    static const char *const names[] = {"outcome", "group", "treated", "period", "post", "unit", "file"};
    for (int k = 0; k < 7; k++)
        if (strcmp(name, names[k]) == 0) {
            free(*slots[k]);
            if (!(*slots[k] = dup_trim_n(value, strlen(value)))) return dfail(d, CW_ERR_NOMEM, 0, 0, "out of memory");
            return CW_OK;
        }
    if (strcmp(name, "balanced") == 0) {
        if (strcmp(value, "yes") && strcmp(value, "no"))
            return dfail(d, CW_ERR_OPTION, 0, 0, "--balanced takes yes or no (got '%s')", value);
        d->balanced = value[0] == 'y';
        return CW_OK;
    }
    if (strcmp(name, "alpha") == 0) {
        char *end;
        errno = 0;
        double x = strtod(value, &end);
        if (end == value || *end || errno || !(x > 0 && x < 1))
            return dfail(d, CW_ERR_OPTION, 0, 0, "--alpha must be a number between 0 and 1 (got '%s')", value);
        d->alpha = x;
        return CW_OK;
    }
    return dfail(d, CW_ERR_OPTION, 0, 0, "unknown option --%s", name);
}

static int find(const cw_did *d, const char *name) {
    for (int i = 0; i < d->ncolumns; i++)
        if (strcmp(d->columns[i], name) == 0) return i;
    return -1;
}

static cw_status header(cw_did *d, const cw_row *row) {
    if (d->pass > 1) return row->nfields == d->ncolumns ? CW_OK : dfail(d, CW_ERR_STATE, row->line, 0, "the file changed between reads");
    d->ncolumns = row->nfields;
    if (!(d->columns = calloc((size_t)row->nfields, sizeof *d->columns))) return dfail(d, CW_ERR_NOMEM, 1, 0, "out of memory");
    for (int i = 0; i < row->nfields; i++)
        if (!(d->columns[i] = dup_trim_n(row->text + row->start[i], row->len[i])))
            return dfail(d, CW_ERR_NOMEM, 1, 0, "out of memory");
    const char *want[] = {d->outcome, d->group, d->period, d->unit};
    const char *what[] = {"outcome", "group", "period", "unit"};
    int *cols[] = {&d->col_y, &d->col_g, &d->col_t, &d->col_u};
    for (int k = 0; k < 4; k++) {
        if (!want[k]) continue;
        if ((*cols[k] = find(d, want[k])) < 0)
            return dfail(d, CW_ERR_COLUMN, 1, 0, "no column named '%s' (the %s) in the header", want[k], what[k]);
    }
    return CW_OK;
}

/* The unit's dense id (created in the first read). */
static int32_t unit_id(cw_did *d, const char *s, size_t n, int create) {
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    h = cw_splitmix64(h);
    if (!h) h = 1;
    did_units *u = &d->units;
    if (create && 2 * (u->n + 1) > u->cap) {
        size_t cap = u->cap ? 2 * u->cap : 1024;
        uint64_t *key = calloc(cap, sizeof *key);
        int32_t *id = malloc(cap * sizeof *id);
        if (!key || !id) {
            free(key), free(id);
            return -2;
        }
        for (size_t i = 0; i < u->cap; i++)
            if (u->key[i]) {
                size_t s2 = (size_t)u->key[i] & (cap - 1);
                while (key[s2]) s2 = (s2 + 1) & (cap - 1);
                key[s2] = u->key[i];
                id[s2] = u->id[i];
            }
        free(u->key), free(u->id);
        u->key = key, u->id = id, u->cap = cap;
    }
    if (!u->cap) return -1;
    size_t s2 = (size_t)h & (u->cap - 1);
    while (u->key[s2] && u->key[s2] != h) s2 = (s2 + 1) & (u->cap - 1);
    if (u->key[s2]) return u->id[s2];
    if (!create) return -1;
    if (u->n >= u->seen_cap) {
        size_t c = u->seen_cap ? 2 * u->seen_cap : 1024;
        unsigned char *seen = realloc(u->seen, c);
        if (!seen) return -2;
        memset(seen + u->seen_cap, 0, c - u->seen_cap);
        u->seen = seen, u->seen_cap = c;
    }
    u->key[s2] = h;
    u->id[s2] = (int32_t)u->n;
    return (int32_t)u->n++;
}

static cw_status did_row(void *ctx, cw_csv *csv, const cw_row *row) {
    cw_did *d = ctx;
    if (csv->rows == 1) return header(d, row);
    if (d->pass == 1) d->rows_read++;
    if (row->nfields != d->ncolumns)
        return dfail(d, CW_ERR_ROW, row->line, row->nfields < d->ncolumns ? row->nfields : d->ncolumns + 1,
                     "this row has %d fields but the header has %d", row->nfields, d->ncolumns);
    size_t gl = row->len[d->col_g], tl = row->len[d->col_t];
    const char *g = cw_trim(row->text + row->start[d->col_g], &gl);
    const char *t = cw_trim(row->text + row->start[d->col_t], &tl);
    int treated = gl == strlen(d->treated) && memcmp(g, d->treated, gl) == 0;
    int post = tl == strlen(d->post) && memcmp(t, d->post, tl) == 0;
    if (!post && d->pass == 1) { /* the one other period */
        if (!d->pre_label) {
            if (!(d->pre_label = dup_trim_n(t, tl))) return dfail(d, CW_ERR_NOMEM, row->line, 0, "out of memory");
        } else if (strlen(d->pre_label) != tl || memcmp(d->pre_label, t, tl) != 0) {
            return dfail(d, CW_ERR_VALUES, row->line, d->col_t + 1,
                         "a third period '%.*s' besides '%s' and '%s': this command compares two periods "
                         "(event studies over several periods are not implemented yet)",
                         (int)(tl < 60 ? tl : 60), t, d->pre_label, d->post);
        }
    }
    double y;
    if (cw_parse_number(row->text + row->start[d->col_y], row->len[d->col_y], csv->decimal, &y) != CW_NUM_OK) {
        if (d->pass == 1) d->missing_outcome++;
        return CW_OK;
    }
    int32_t id = 0;
    if (d->col_u >= 0) {
        size_t ul = row->len[d->col_u];
        const char *u = cw_trim(row->text + row->start[d->col_u], &ul);
        id = unit_id(d, u, ul, d->pass == 1);
        if (id == -2) return dfail(d, CW_ERR_NOMEM, row->line, 0, "out of memory for the unit ids");
        if (id < 0) return dfail(d, CW_ERR_STATE, row->line, 0, "the file changed between reads");
        if (d->pass == 1) {
            d->units.seen[id] |= (unsigned char)(post ? 2 : 1);
            return CW_OK;
        }
        if (d->balanced && d->units.seen[id] != 3) {
            if (d->pass == 2) d->unbalanced_rows++;
            return CW_OK;
        }
    } else if (d->pass == 1) {
        return CW_OK;
    }
    double x[4] = {1.0, treated, post, (double)(treated && post)};
    cw_ols_status os;
    if (d->pass == 2) {
        d->rows_used++;
        cw_moments_add(&d->cell[treated][post], y);
        os = cw_ols_pass1_add(&d->p1, x, y);
    } else {
        os = cw_ols_pass2_add(&d->p2, x, y, id);
    }
    if (os != CW_OLS_OK) return dfail(d, CW_ERR_NOMEM, row->line, 0, "%s", cw_ols_strerror(os));
    return CW_OK;
}

static cw_status from_csv(cw_did *d, cw_status st) {
    if (st == CW_OK || d->failed) return st;
    return dfail(d, st, d->csv.err_line, d->csv.err_column, "%s", d->csv.msg);
}

cw_status cw_did_feed(cw_did *d, const uint8_t *data, size_t len) {
    if (d->failed) return d->failed;
    if (!d->fed) {
        d->fed = 1;
        const char *missing = !d->outcome ? "--outcome COL" : !d->group ? "--group COL" : !d->treated ? "--treated LABEL"
                              : !d->period ? "--period COL" : !d->post ? "--post LABEL" : NULL;
        if (missing) return dfail(d, CW_ERR_OPTION, 0, 0, "%s is required", missing);
        if (d->balanced && !d->unit) return dfail(d, CW_ERR_OPTION, 0, 0, "--balanced needs --unit COL");
    }
    return from_csv(d, cw_csv_feed(&d->csv, data, len));
}

static cw_status again(cw_did *d) {
    char delim = d->csv.delim, point = d->csv.decimal;
    cw_csv_free(&d->csv);
    cw_csv_init(&d->csv, did_row, d);
    cw_csv_set_delimiter(&d->csv, delim);
    cw_csv_set_decimal(&d->csv, point);
    d->pass++;
    d->finished = 0;
    return CW_AGAIN;
}

static void coef_json(cw_json *j, const char *key, const cw_ols_coef *c) {
    cw_json_key(j, key);
    cw_json_begin_object(j);
    const char *names[] = {"se", "t", "df", "p_value", "ci_low", "ci_high"};
    double vals[] = {c->se, c->t, c->df, c->p_value, c->ci_low, c->ci_high};
    for (int i = 0; i < 6; i++) {
        cw_json_key(j, names[i]);
        cw_json_number(j, vals[i]);
    }
    cw_json_key(j, "unavailable");
    cw_json_string(j, c->unavailable);
    cw_json_end_object(j);
}

static char *report(cw_did *d) {
    static const char *const terms[] = {"(intercept)", "treated", "post", "treated:post"};
    cw_ols_type types[3] = {CW_OLS_CLASSICAL, CW_OLS_HC1, CW_OLS_CR1};
    const char *tnames[3] = {"classical", "hc1", "cr1"};
    cw_ols_coef coefs[3][4];
    int64_t clusters = 0;
    int ntypes = d->col_u >= 0 ? 3 : 2;
    for (int e = 0; e < ntypes; e++) {
        cw_ols_vcov v;
        memset(&v, 0, sizeof v);
        cw_ols_covariance(&d->fit, e ? &d->p2 : NULL, types[e], &v);
        if (types[e] == CW_OLS_CR1) clusters = v.clusters;
        for (int c = 0; c < 4; c++) coefs[e][c] = (cw_ols_coef){c, NAN, NAN, NAN, NAN, NAN, NAN, NAN, "unavailable"};
        if (!v.unavailable && d->fit.p == 4) cw_ols_coefs(&d->fit, &v, d->alpha, coefs[e]);
        else
            for (int c = 0; c < 4; c++) coefs[e][c].unavailable = v.unavailable ? v.unavailable : "a collinear design";
        cw_ols_vcov_free(&v);
    }
    cw_json j;
    cw_json_init(&j);
    cw_json_begin_object(&j);
    cw_json_key(&j, "schema");
    cw_json_string(&j, "causeway.did/1");
    cw_json_key(&j, "version");
    cw_json_string(&j, CW_VERSION);
    cw_json_key(&j, "input");
    cw_json_begin_object(&j);
    cw_json_key(&j, "file");
    cw_json_string(&j, d->file ? d->file : "");
    cw_json_key(&j, "rows_read");
    cw_json_int(&j, d->rows_read);
    cw_json_key(&j, "rows_used");
    cw_json_int(&j, d->rows_used);
    cw_json_key(&j, "missing_outcome");
    cw_json_int(&j, d->missing_outcome);
    cw_json_key(&j, "unbalanced_rows");
    cw_json_int(&j, d->unbalanced_rows);
    cw_json_key(&j, "units");
    if (d->col_u >= 0) cw_json_int(&j, (int64_t)d->units.n);
    else cw_json_null(&j);
    cw_json_end_object(&j);
    cw_json_key(&j, "options");
    cw_json_begin_object(&j);
    const char *ok[] = {"outcome", "group", "treated", "period", "post", "pre", "unit"};
    const char *ov[] = {d->outcome, d->group, d->treated, d->period, d->post, d->pre_label, d->unit};
    for (int i = 0; i < 7; i++) {
        cw_json_key(&j, ok[i]);
        cw_json_string(&j, ov[i]);
    }
    cw_json_key(&j, "balanced");
    cw_json_bool(&j, d->balanced);
    cw_json_key(&j, "alpha");
    cw_json_number(&j, d->alpha);
    cw_json_end_object(&j);
    cw_json_key(&j, "cells");
    cw_json_begin_array(&j);
    for (int g = 1; g >= 0; g--)
        for (int t = 0; t < 2; t++) {
            cw_moments *m = &d->cell[g][t];
            cw_moments_flush(m);
            cw_json_begin_object(&j);
            cw_json_key(&j, "treated");
            cw_json_bool(&j, g);
            cw_json_key(&j, "post");
            cw_json_bool(&j, t);
            cw_json_key(&j, "n");
            cw_json_int(&j, m->n);
            cw_json_key(&j, "mean");
            cw_json_number(&j, cw_moments_mean(m));
            cw_json_key(&j, "sd");
            cw_json_number(&j, sqrt(cw_moments_var(m)));
            cw_json_end_object(&j);
        }
    cw_json_end_array(&j);
    double dd = (cw_moments_mean(&d->cell[1][1]) - cw_moments_mean(&d->cell[1][0])) -
                (cw_moments_mean(&d->cell[0][1]) - cw_moments_mean(&d->cell[0][0]));
    cw_json_key(&j, "difference_in_differences");
    cw_json_number(&j, dd);
    cw_json_key(&j, "regression");
    cw_json_begin_object(&j);
    cw_json_key(&j, "n");
    cw_json_int(&j, d->fit.n);
    cw_json_key(&j, "clusters");
    if (d->col_u >= 0) cw_json_int(&j, clusters);
    else cw_json_null(&j);
    cw_json_key(&j, "coefficients");
    cw_json_begin_array(&j);
    for (int c = 0; c < 4 && c < d->fit.p; c++) {
        cw_json_begin_object(&j);
        cw_json_key(&j, "term");
        cw_json_string(&j, terms[d->fit.kept[c]]);
        cw_json_key(&j, "estimate");
        cw_json_number(&j, d->fit.beta[c]);
        for (int e = 0; e < ntypes; e++) coef_json(&j, tnames[e], &coefs[e][c]);
        cw_json_end_object(&j);
    }
    cw_json_end_array(&j);
    cw_json_end_object(&j);
    cw_json_end_object(&j);
    return cw_json_take(&j);
}

cw_status cw_did_finish(cw_did *d) {
    if (d->failed) return d->failed;
    if (d->finished) return dfail(d, CW_ERR_STATE, 0, 0, "already finished");
    d->finished = 1;
    cw_status st = from_csv(d, cw_csv_finish(&d->csv));
    if (st != CW_OK) return st;
    if (d->pass == 1) {
        if (d->csv.rows == 0) return dfail(d, CW_ERR_EMPTY, 0, 0, "the file is empty");
        if (d->rows_read == 0) return dfail(d, CW_ERR_NO_DATA, 1, 0, "the file has a header but no data rows");
        if (!d->pre_label) return dfail(d, CW_ERR_VALUES, 0, d->col_t + 1, "every row is in the period '%s': there is no earlier period", d->post);
        if (cw_ols_pass1_init(&d->p1, 4) != CW_OLS_OK) return dfail(d, CW_ERR_NOMEM, 0, 0, "out of memory");
        return again(d);
    }
    if (d->pass == 2) {
        for (int g = 0; g < 2; g++)
            for (int t = 0; t < 2; t++)
                if (cw_moments_flush(&d->cell[g][t]), d->cell[g][t].n == 0)
                    return dfail(d, CW_ERR_VALUES, 0, 0, "the %s group has no outcome in the %s period",
                                 g ? "treated" : "control", t ? "post" : "pre");
        if (cw_ols_solve(&d->p1, CW_OLS_TOL, &d->fit) != CW_OLS_OK || d->fit.unavailable)
            return dfail(d, CW_ERR_VALUES, 0, 0, "the regression could not be fitted");
        unsigned want = CW_OLS_WANT_HC01 | (d->col_u >= 0 ? CW_OLS_WANT_CLUSTER : 0);
        if (cw_ols_pass2_init(&d->p2, &d->fit, want) != CW_OLS_OK) return dfail(d, CW_ERR_NOMEM, 0, 0, "out of memory");
        return again(d);
    }
    if (!(d->result = report(d))) return dfail(d, CW_ERR_NOMEM, 0, 0, "out of memory");
    return CW_OK;
}

const char *cw_did_result(const cw_did *d) { return d->failed ? NULL : d->result; }
const char *cw_did_error(const cw_did *d) { return d->failed ? d->msg : ""; }
long cw_did_error_line(const cw_did *d) { return d->failed ? d->err_line : 0; }
long cw_did_error_column(const cw_did *d) { return d->failed ? d->err_column : 0; }
double cw_did_bytes(const cw_did *d) { return (double)d->csv.bytes; }
int cw_did_pass(const cw_did *d) { return d->pass; }
