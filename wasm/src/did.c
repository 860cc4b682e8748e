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
#include "text.h"

#define CW_DID_MAX_PERIODS 30 /* 2 x periods columns must fit the OLS's 64 */

/* unit label -> dense index, with the periods in which it has the outcome */
typedef struct {
    uint64_t *key;
    int32_t *id;
    uint32_t *seen; /* per id: bit p set when the unit has the outcome in period p */
    size_t cap, n, seen_cap;
} did_units;

struct cw_did {
    char *outcome, *group, *treated, *period, *post, *unit, *file;
    int balanced;
    double alpha;
    int col_y, col_g, col_t, col_u, ncolumns;
    char **columns;
    char *pre_label; /* the other period's label (two-period mode) */
    char *start, *order;      /* event-study mode: the first treated period; the periods' order */
    char *covariates;         /* --covariates C1,C2 (numeric), added to the regression */
    int cov_col[CW_DID_MAX_PERIODS];
    int ncov;
    char *periods[CW_DID_MAX_PERIODS];
    int nperiods, ref;        /* periods in order; the reference (last pre-) period */
    int pass, fed, finished;
    cw_csv csv;
    did_units units;
    int64_t rows_read, rows_used, missing_outcome, unbalanced_rows, missing_covariate;
    cw_moments cell[2][CW_DID_MAX_PERIODS]; /* [treated][period] (two-period mode: [treated][post]) */
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
    cw_utf8_repair(d->msg); /* a quoted value or name cut to a length */
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
        for (int t = 0; t < CW_DID_MAX_PERIODS; t++) cw_moments_init(&d->cell[g][t]);
    return d;
}

void cw_did_free(cw_did *d) {
    if (!d) return;
    free(d->outcome), free(d->group), free(d->treated), free(d->period), free(d->post);
    free(d->unit), free(d->file), free(d->pre_label), free(d->result), free(d->start), free(d->order);
    free(d->covariates);
    for (int p = 0; p < d->nperiods; p++) free(d->periods[p]);
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
    char **slots[] = {&d->outcome, &d->group, &d->treated, &d->period, &d->post, &d->unit, &d->file,
                      &d->start, &d->order, &d->covariates};
    static const char *const names[] = {"outcome", "group", "treated", "period", "post", "unit", "file",
                                        "start", "order", "covariates"};
    for (int k = 0; k < 10; k++)
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
    for (const char *s = d->covariates; s && *s;) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char name[200];
        snprintf(name, sizeof name, "%.*s", (int)(n < 199 ? n : 199), s);
        size_t nl = strlen(name);
        const char *t = cw_trim(name, &nl);
        char trimmed[200];
        snprintf(trimmed, sizeof trimmed, "%.*s", (int)nl, t);
        if (d->ncov == CW_DID_MAX_PERIODS) return dfail(d, CW_ERR_OPTION, 1, 0, "too many --covariates");
        if ((d->cov_col[d->ncov] = find(d, trimmed)) < 0)
            return dfail(d, CW_ERR_COLUMN, 1, 0, "no column named '%s' (a covariate) in the header", trimmed);
        d->ncov++;
        s = e ? e + 1 : NULL;
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
        uint32_t *seen = realloc(u->seen, c * sizeof *seen);
        if (!seen) return -2;
        memset(seen + u->seen_cap, 0, (c - u->seen_cap) * sizeof *seen);
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
    int post = 0, p = -1; /* two-period mode: post; event mode: the period's index p */
    if (!d->start) {
        post = tl == strlen(d->post) && memcmp(t, d->post, tl) == 0;
        p = post;
        if (!post && d->pass == 1) { /* the one other period */
            if (!d->pre_label) {
                if (!(d->pre_label = dup_trim_n(t, tl))) return dfail(d, CW_ERR_NOMEM, row->line, 0, "out of memory");
            } else if (strlen(d->pre_label) != tl || memcmp(d->pre_label, t, tl) != 0) {
                return dfail(d, CW_ERR_VALUES, row->line, d->col_t + 1,
                             "a third period '%.*s' besides '%s' and '%s': --post compares two periods; for "
                             "several, name the first treated period with --start (an event study)",
                             (int)(tl < 60 ? tl : 60), t, d->pre_label, d->post);
            }
        }
    } else {
        for (int k = 0; k < d->nperiods; k++)
            if (strlen(d->periods[k]) == tl && memcmp(d->periods[k], t, tl) == 0) p = k;
        if (p < 0) {
            if (d->pass > 1 || d->order)
                return dfail(d, d->order ? CW_ERR_OPTION : CW_ERR_STATE, row->line, d->col_t + 1,
                             d->order ? "the period '%.*s' is not in --order" : "the file changed between reads (period '%.*s')",
                             (int)(tl < 60 ? tl : 60), t);
            if (d->nperiods == CW_DID_MAX_PERIODS)
                return dfail(d, CW_ERR_VALUES, row->line, d->col_t + 1, "more than %d periods", CW_DID_MAX_PERIODS);
            if (!(d->periods[d->nperiods] = dup_trim_n(t, tl))) return dfail(d, CW_ERR_NOMEM, row->line, 0, "out of memory");
            p = d->nperiods++;
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
            d->units.seen[id] |= 1u << p;
            return CW_OK;
        }
        if (d->balanced && d->units.seen[id] != (uint32_t)((1ull << d->nperiods) - 1)) {
            if (d->pass == 2) d->unbalanced_rows++;
            return CW_OK;
        }
    } else if (d->pass == 1) {
        return CW_OK;
    }
    /* 1, treated, then a dummy for each period but the reference, then treated x each dummy,
     * then the covariates (a row missing one is left out of the regression) */
    double x[3 * CW_DID_MAX_PERIODS] = {1.0, treated};
    for (int c = 0; c < d->ncov; c++) {
        int col = d->cov_col[c];
        cw_num_kind nk = cw_parse_number(row->text + row->start[col], row->len[col], csv->decimal, &x[2 * d->nperiods + c]);
        if (nk == CW_NUM_INVALID) /* a silent drop of every such row would change the sample */
            return dfail(d, CW_ERR_VALUES, row->line, col + 1,
                         "the covariate '%s' holds text ('%.*s'): did takes numeric covariates", d->columns[col],
                         (int)(row->len[col] < 40 ? row->len[col] : 40), row->text + row->start[col]);
        if (nk != CW_NUM_OK) {
            if (d->pass == 2) d->missing_covariate++;
            return CW_OK;
        }
    }
    for (int k = 0, c = 2; k < d->nperiods; k++)
        if (k != d->ref) {
            x[c] = k == p;
            x[c + d->nperiods - 1] = treated && k == p;
            c++;
        }
    cw_ols_status os;
    if (d->pass == 2) {
        d->rows_used++;
        cw_moments_add(&d->cell[treated][p], y);
        os = cw_ols_pass1_add(&d->p1, x, y);
    } else {
        os = cw_ols_pass2_add(&d->p2, x, y, id);
    }
    if (os != CW_OLS_OK) return dfail(d, CW_ERR_NOMEM, row->line, 0, "%s", cw_ols_strerror(os));
    return CW_OK;
}

/* After the first read (event mode): periods in --order (else as first seen), the reference. */
static cw_status parse_order(cw_did *d) {
    if (d->order) {
        char *list[CW_DID_MAX_PERIODS];
        int n = 0;
        for (const char *s = d->order;;) {
            const char *e = strchr(s, ',');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (n == CW_DID_MAX_PERIODS) return dfail(d, CW_ERR_OPTION, 0, 0, "--order names more than %d periods", CW_DID_MAX_PERIODS);
            if (!(list[n++] = dup_trim_n(s, len))) return dfail(d, CW_ERR_NOMEM, 0, 0, "out of memory");
            if (!e) break;
            s = e + 1;
        }
        for (int p = 0; p < n; p++) d->periods[p] = list[p];
        d->nperiods = n;
    }
    return CW_OK;
}

static cw_status order_periods(cw_did *d) {
    d->ref = -1;
    for (int p = 0; p < d->nperiods; p++)
        if (strcmp(d->periods[p], d->start) == 0) d->ref = p - 1;
    if (d->ref == -1 && !(d->nperiods > 0 && strcmp(d->periods[0], d->start) == 0))
        return dfail(d, CW_ERR_VALUES, 0, d->col_t + 1, "--start names '%s', which is not a period of the data", d->start);
    if (d->ref < 0)
        return dfail(d, CW_ERR_VALUES, 0, d->col_t + 1, "--start '%s' is the first period: there is no pre-period", d->start);
    return CW_OK;
}

static cw_status from_csv(cw_did *d, cw_status st) {
    if (st == CW_OK || d->failed) return st;
    return dfail(d, st, d->csv.err_line, d->csv.err_column, "%s", d->csv.msg);
}

/* What every input call checks first: an earlier failure, and on the first call the options. */
static cw_status ready(cw_did *d) {
    if (d->failed) return d->failed;
    if (!d->fed) {
        d->fed = 1;
        const char *missing = !d->outcome ? "--outcome COL" : !d->group ? "--group COL" : !d->treated ? "--treated LABEL"
                              : !d->period ? "--period COL" : !d->post && !d->start ? "--post LABEL (or --start LABEL)" : NULL;
        if (d->post && d->start) return dfail(d, CW_ERR_OPTION, 0, 0, "give --post (two periods) or --start (an event study), not both");
        if (d->order && !d->start) return dfail(d, CW_ERR_OPTION, 0, 0, "--order goes with --start");
        if (!d->start) d->nperiods = 2, d->ref = 0; /* periods[] stay empty: pre_label and post name them */
        cw_status st = parse_order(d);
        if (st != CW_OK) return st;
        if (missing) return dfail(d, CW_ERR_OPTION, 0, 0, "%s is required", missing);
        if (d->balanced && !d->unit) return dfail(d, CW_ERR_OPTION, 0, 0, "--balanced needs --unit COL");
    }
    return CW_OK;
}

uint8_t *cw_did_reserve(cw_did *d, size_t len) {
    if (ready(d) != CW_OK) return NULL;
    uint8_t *to = cw_csv_reserve(&d->csv, len);
    if (!to) from_csv(d, d->csv.err);
    return to;
}

cw_status cw_did_commit(cw_did *d, size_t len) {
    cw_status st = ready(d);
    return st != CW_OK ? st : from_csv(d, cw_csv_commit(&d->csv, len));
}

cw_status cw_did_feed(cw_did *d, const uint8_t *data, size_t len) {
    uint8_t *to = cw_did_reserve(d, len);
    if (!to) return d->failed;
    if (len) memcpy(to, data, len);
    return cw_did_commit(d, len);
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

/* A period's label: the two-period mode keeps them in pre_label and post. */
static const char *period_label(const cw_did *d, int p) {
    return d->start ? d->periods[p] : p ? d->post : d->pre_label;
}

/* Caller column of the treated x period p interaction (p != ref). */
static int interaction_column(const cw_did *d, int p) { return 2 + (d->nperiods - 1) + (p < d->ref ? p : p - 1); }

static char *report(cw_did *d) {
    enum { K = 3 * CW_DID_MAX_PERIODS };
    const int k = 2 * d->nperiods + d->ncov;
    char names[K][96];
    for (int c = 0; c < d->ncov; c++) snprintf(names[2 * d->nperiods + c], sizeof names[0], "%.90s", d->columns[d->cov_col[c]]);
    snprintf(names[0], sizeof names[0], "(intercept)");
    snprintf(names[1], sizeof names[1], "treated");
    for (int p = 0, c = 2; p < d->nperiods; p++)
        if (p != d->ref) {
            if (d->start) {
                snprintf(names[c], sizeof names[c], "period=%.80s", period_label(d, p));
                snprintf(names[c + d->nperiods - 1], sizeof names[0], "treated:period=%.72s", period_label(d, p));
            } else {
                snprintf(names[c], sizeof names[c], "post");
                snprintf(names[c + 1], sizeof names[0], "treated:post");
            }
            c++;
        }
    cw_ols_type types[3] = {CW_OLS_CLASSICAL, CW_OLS_HC1, CW_OLS_CR1};
    const char *tnames[3] = {"classical", "hc1", "cr1"};
    static cw_ols_coef none = {0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, "unavailable"};
    cw_ols_coef coefs[3][K];
    int64_t clusters = 0;
    int ntypes = d->col_u >= 0 ? 3 : 2;
    cw_ols_wald pretrend;
    memset(&pretrend, 0, sizeof pretrend);
    pretrend.unavailable = "an event study with at least two pre-periods is needed";
    for (int e = 0; e < ntypes; e++) {
        cw_ols_vcov v;
        memset(&v, 0, sizeof v);
        cw_ols_covariance(&d->fit, e ? &d->p2 : NULL, types[e], &v);
        if (types[e] == CW_OLS_CR1) clusters = v.clusters;
        for (int c = 0; c < d->fit.p; c++) coefs[e][c] = none;
        if (!v.unavailable) cw_ols_coefs(&d->fit, &v, d->alpha, coefs[e]);
        else
            for (int c = 0; c < d->fit.p; c++) coefs[e][c].unavailable = v.unavailable;
        if (d->start && d->ref >= 1 && e == ntypes - 1) { /* joint pre-trend test, most robust errors */
            int cols[CW_DID_MAX_PERIODS], q = 0;
            for (int p = 0; p < d->ref; p++) cols[q++] = interaction_column(d, p);
            if (!v.unavailable) cw_ols_wald_test(&d->fit, &v, cols, q, &pretrend);
            else pretrend.unavailable = v.unavailable;
        }
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
    cw_json_key(&j, "encoding");
    cw_json_string(&j, cw_csv_encoding(&d->csv));
    cw_json_key(&j, "rows_read");
    cw_json_int(&j, d->rows_read);
    cw_json_key(&j, "rows_used");
    cw_json_int(&j, d->rows_used);
    cw_json_key(&j, "missing_outcome");
    cw_json_int(&j, d->missing_outcome);
    cw_json_key(&j, "unbalanced_rows");
    cw_json_int(&j, d->unbalanced_rows);
    cw_json_key(&j, "missing_covariate");
    cw_json_int(&j, d->missing_covariate);
    cw_json_key(&j, "units");
    if (d->col_u >= 0) cw_json_int(&j, (int64_t)d->units.n);
    else cw_json_null(&j);
    cw_json_end_object(&j);
    cw_json_key(&j, "options");
    cw_json_begin_object(&j);
    const char *ok[] = {"outcome", "group", "treated", "period", "post", "pre", "start", "unit"};
    const char *ov[] = {d->outcome, d->group, d->treated, d->period, d->post, d->pre_label, d->start, d->unit};
    for (int i = 0; i < 8; i++) {
        cw_json_key(&j, ok[i]);
        cw_json_string(&j, ov[i]);
    }
    cw_json_key(&j, "covariates");
    cw_json_begin_array(&j);
    for (int c = 0; c < d->ncov; c++) cw_json_string(&j, d->columns[d->cov_col[c]]);
    cw_json_end_array(&j);
    cw_json_key(&j, "balanced");
    cw_json_bool(&j, d->balanced);
    cw_json_key(&j, "alpha");
    cw_json_number(&j, d->alpha);
    cw_json_end_object(&j);
    cw_json_key(&j, "periods");
    cw_json_begin_array(&j);
    for (int p = 0; p < d->nperiods; p++) cw_json_string(&j, period_label(d, p));
    cw_json_end_array(&j);
    cw_json_key(&j, "reference");
    cw_json_string(&j, period_label(d, d->ref));
    cw_json_key(&j, "cells");
    cw_json_begin_array(&j);
    for (int g = 1; g >= 0; g--)
        for (int t = 0; t < d->nperiods; t++) {
            cw_moments *m = &d->cell[g][t];
            cw_moments_flush(m);
            cw_json_begin_object(&j);
            cw_json_key(&j, "treated");
            cw_json_bool(&j, g);
            cw_json_key(&j, "period");
            cw_json_string(&j, period_label(d, t));
            cw_json_key(&j, "post");
            cw_json_bool(&j, t > d->ref);
            cw_json_key(&j, "n");
            cw_json_int(&j, m->n);
            cw_json_key(&j, "mean");
            cw_json_number(&j, cw_moments_mean(m));
            cw_json_key(&j, "sd");
            cw_json_number(&j, sqrt(cw_moments_var(m)));
            cw_json_end_object(&j);
        }
    cw_json_end_array(&j);
    cw_json_key(&j, "difference_in_differences");
    if (!d->start) {
        cw_json_number(&j, (cw_moments_mean(&d->cell[1][1]) - cw_moments_mean(&d->cell[1][0])) -
                               (cw_moments_mean(&d->cell[0][1]) - cw_moments_mean(&d->cell[0][0])));
    } else {
        cw_json_null(&j); /* an event study reports one effect per period instead */
    }
    cw_json_key(&j, "regression");
    cw_json_begin_object(&j);
    cw_json_key(&j, "n");
    cw_json_int(&j, d->fit.n);
    cw_json_key(&j, "clusters");
    if (d->col_u >= 0) cw_json_int(&j, clusters);
    else cw_json_null(&j);
    cw_json_key(&j, "dropped");
    cw_json_begin_array(&j);
    for (int c = 0; c < d->fit.ndropped; c++) cw_json_string(&j, names[d->fit.dropped[c]]);
    cw_json_end_array(&j);
    cw_json_key(&j, "coefficients");
    cw_json_begin_array(&j);
    for (int c = 0; c < d->fit.p && c < k; c++) {
        cw_json_begin_object(&j);
        cw_json_key(&j, "term");
        cw_json_string(&j, names[d->fit.kept[c]]);
        cw_json_key(&j, "estimate");
        cw_json_number(&j, d->fit.beta[c]);
        for (int e = 0; e < ntypes; e++) coef_json(&j, tnames[e], &coefs[e][c]);
        cw_json_end_object(&j);
    }
    cw_json_end_array(&j);
    cw_json_end_object(&j);
    if (d->start) { /* the treated x period coefficients, relative to the reference period */
        cw_json_key(&j, "event_study");
        cw_json_begin_array(&j);
        for (int p = 0; p < d->nperiods; p++) {
            if (p == d->ref) continue;
            int col = interaction_column(d, p), at = -1;
            for (int c = 0; c < d->fit.p; c++)
                if (d->fit.kept[c] == col) at = c;
            cw_json_begin_object(&j);
            cw_json_key(&j, "period");
            cw_json_string(&j, period_label(d, p));
            cw_json_key(&j, "relative");
            cw_json_int(&j, p - d->ref);
            cw_json_key(&j, "estimate");
            cw_json_number(&j, at >= 0 ? d->fit.beta[at] : NAN);
            for (int e = 0; e < ntypes; e++) coef_json(&j, tnames[e], at >= 0 ? &coefs[e][at] : &none);
            cw_json_end_object(&j);
        }
        cw_json_end_array(&j);
        cw_json_key(&j, "pretrend");
        cw_json_begin_object(&j);
        cw_json_key(&j, "se_type");
        cw_json_string(&j, tnames[ntypes - 1]);
        const char *wn[] = {"q", "wald", "f", "df1", "df2", "p_chisq", "p_f"};
        double wv[] = {pretrend.q, pretrend.wald, pretrend.f, pretrend.df1, pretrend.df2, pretrend.p_chisq, pretrend.p_f};
        for (int i = 0; i < 7; i++) {
            cw_json_key(&j, wn[i]);
            if (pretrend.unavailable) cw_json_null(&j);
            else cw_json_number(&j, wv[i]);
        }
        cw_json_key(&j, "unavailable");
        cw_json_string(&j, pretrend.unavailable);
        cw_json_end_object(&j);
    }
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
        if (!d->start) {
            if (!d->pre_label)
                return dfail(d, CW_ERR_VALUES, 0, d->col_t + 1, "every row is in the period '%s': there is no earlier period", d->post);
        } else {
            st = order_periods(d);
            if (st != CW_OK) return st;
        }
        if (2 * d->nperiods + d->ncov > CW_OLS_MAX_K)
            return dfail(d, CW_ERR_OPTION, 0, 0, "%d periods and %d covariates make more than %d regression columns",
                         d->nperiods, d->ncov, CW_OLS_MAX_K);
        if (cw_ols_pass1_init(&d->p1, 2 * d->nperiods + d->ncov) != CW_OLS_OK) return dfail(d, CW_ERR_NOMEM, 0, 0, "out of memory");
        return again(d);
    }
    if (d->pass == 2) {
        for (int g = 0; g < 2; g++)
            for (int t = 0; t < d->nperiods; t++)
                if (cw_moments_flush(&d->cell[g][t]), d->cell[g][t].n == 0)
                    return dfail(d, CW_ERR_VALUES, 0, 0, "the %s group has no outcome in the period '%s'",
                                 g ? "treated" : "control", d->start ? d->periods[t] : t ? d->post : d->pre_label);
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
