/* preview.c — a look at the first rows of a file before analysing it: the header, the first 20
 * rows as text, and per column how many values are numbers, missing or text, whether they are
 * all 0/1, and the first 50 distinct values with counts. The page guesses roles from this. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causeway.h"
#include "csv.h"
#include "json.h"
#include "number.h"
#include "text.h"

#define PREVIEW_ROWS 20
#define PREVIEW_VALUES 50
#define PREVIEW_TEXT 200 /* bytes kept of a shown or distinct value */

typedef struct {
    char *text;
    int64_t count;
} pv_value;

typedef struct {
    char *name;
    int64_t numeric, missing, text, nonbinary;
    pv_value values[PREVIEW_VALUES];
    int nvalues, capped;
} pv_column;

struct cw_preview {
    cw_csv csv;
    long max_rows, rows;
    int more; /* a data row beyond max_rows was seen */
    int has_header;
    int at_eof;
    pv_column *cols;
    int ncols;
    char **shown; /* PREVIEW_ROWS x ncols cells */
    int nshown;
    cw_status failed;
    char msg[512];
    long err_line, err_column;
    char *result;
};

static char *dup_n(const char *s, size_t n) {
    if (n > PREVIEW_TEXT) n = PREVIEW_TEXT;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static cw_status pv_fail(cw_preview *p, cw_status st, long line, long col, const char *msg) {
    snprintf(p->msg, sizeof p->msg, "%s", msg);
    cw_utf8_repair(p->msg); /* a message cut to the buffer */
    p->err_line = line;
    p->err_column = col;
    p->failed = st;
    return st;
}

static cw_status pv_row(void *ctx, cw_csv *csv, const cw_row *row) {
    cw_preview *p = ctx;
    if (csv->rows == 1) {
        p->has_header = !cw_fields_all_numeric(row->text, row->start, row->len, row->nfields, csv->decimal);
        p->cols = calloc((size_t)row->nfields, sizeof *p->cols);
        p->shown = calloc((size_t)PREVIEW_ROWS * (size_t)row->nfields, sizeof *p->shown);
        if (!p->cols || !p->shown) return pv_fail(p, CW_ERR_NOMEM, 1, 0, "out of memory");
        p->ncols = row->nfields;
        for (int i = 0; i < row->nfields; i++) {
            char v[24];
            size_t n = row->len[i];
            const char *t = cw_trim(row->text + row->start[i], &n);
            if (!p->has_header) { /* the same V1, V2, ... names as the analysis gives */
                n = (size_t)snprintf(v, sizeof v, "V%d", i + 1);
                t = v;
            }
            if (!(p->cols[i].name = dup_n(t, n))) return pv_fail(p, CW_ERR_NOMEM, 1, 0, "out of memory");
        }
        if (p->has_header) return CW_OK;
    }
    if (p->rows >= p->max_rows) {
        p->more = 1;
        return CW_OK;
    }
    p->rows++;
    int show = p->nshown < PREVIEW_ROWS;
    for (int i = 0; i < p->ncols && i < row->nfields; i++) {
        pv_column *c = &p->cols[i];
        const char *text = row->text + row->start[i];
        size_t n = row->len[i];
        if (show && !(p->shown[p->nshown * p->ncols + i] = dup_n(text, n)))
            return pv_fail(p, CW_ERR_NOMEM, row->line, 0, "out of memory");
        double x;
        cw_num_kind k = cw_parse_number(text, n, p->csv.decimal, &x);
        if (k == CW_NUM_MISSING) {
            c->missing++;
            continue;
        }
        if (k == CW_NUM_OK) {
            c->numeric++;
            if (x != 0.0 && x != 1.0) c->nonbinary++;
        } else {
            c->text++;
        }
        const char *t = cw_trim(text, &n);
        if (n > PREVIEW_TEXT) n = PREVIEW_TEXT;
        int v = 0;
        while (v < c->nvalues && !(strlen(c->values[v].text) == n && memcmp(c->values[v].text, t, n) == 0))
            v++;
        if (v < c->nvalues) {
            c->values[v].count++;
        } else if (c->nvalues < PREVIEW_VALUES) {
            if (!(c->values[v].text = dup_n(t, n)))
                return pv_fail(p, CW_ERR_NOMEM, row->line, 0, "out of memory");
            c->values[v].count = 1;
            c->nvalues++;
        } else {
            c->capped = 1;
        }
    }
    if (show) p->nshown++;
    return CW_OK;
}

cw_preview *cw_preview_new(long max_rows) {
    cw_preview *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->max_rows = max_rows > 0 ? max_rows : 1000;
    cw_csv_init(&p->csv, pv_row, p);
    return p;
}

void cw_preview_free(cw_preview *p) {
    if (!p) return;
    for (int i = 0; i < p->ncols; i++) {
        free(p->cols[i].name);
        for (int v = 0; v < p->cols[i].nvalues; v++) free(p->cols[i].values[v].text);
    }
    if (p->shown)
        for (int i = 0; i < PREVIEW_ROWS * p->ncols; i++) free(p->shown[i]);
    free(p->shown);
    free(p->cols);
    cw_csv_free(&p->csv);
    free(p->result);
    free(p);
}

static cw_status from_csv(cw_preview *p, cw_status st) {
    if (st == CW_OK || p->failed) return st;
    return pv_fail(p, st, p->csv.err_line, p->csv.err_column, p->csv.msg);
}

uint8_t *cw_preview_reserve(cw_preview *p, size_t len) {
    if (p->failed) return NULL;
    uint8_t *to = cw_csv_reserve(&p->csv, len);
    if (!to) from_csv(p, p->csv.err);
    return to;
}

cw_status cw_preview_commit(cw_preview *p, size_t len) {
    if (p->failed) return p->failed;
    return from_csv(p, cw_csv_commit(&p->csv, len));
}

cw_status cw_preview_feed(cw_preview *p, const uint8_t *data, size_t len) {
    uint8_t *to = cw_preview_reserve(p, len);
    if (!to) return p->failed;
    if (len) memcpy(to, data, len);
    return cw_preview_commit(p, len);
}

static char *render(const cw_preview *p) {
    char delim[2] = {p->csv.delim, 0};
    cw_json j;
    cw_json_init(&j);
    cw_json_begin_object(&j);
    cw_json_key(&j, "schema");
    cw_json_string(&j, "causeway.preview/1");
    cw_json_key(&j, "delimiter");
    cw_json_string(&j, delim);
    char point[2] = {p->csv.decimal, 0};
    cw_json_key(&j, "decimal");
    cw_json_string(&j, point);
    cw_json_key(&j, "encoding");
    cw_json_string(&j, cw_csv_encoding(&p->csv));
    cw_json_key(&j, "header");
    cw_json_bool(&j, p->has_header);
    cw_json_key(&j, "rows_profiled");
    cw_json_int(&j, p->rows);
    cw_json_key(&j, "complete");
    cw_json_bool(&j, p->at_eof && !p->more);
    cw_json_key(&j, "columns");
    cw_json_begin_array(&j);
    for (int i = 0; i < p->ncols; i++) {
        const pv_column *c = &p->cols[i];
        cw_json_begin_object(&j);
        cw_json_key(&j, "name");
        cw_json_string(&j, c->name);
        cw_json_key(&j, "index");
        cw_json_int(&j, i);
        cw_json_key(&j, "numeric");
        cw_json_int(&j, c->numeric);
        cw_json_key(&j, "missing");
        cw_json_int(&j, c->missing);
        cw_json_key(&j, "text");
        cw_json_int(&j, c->text);
        cw_json_key(&j, "binary");
        cw_json_bool(&j, c->numeric > 0 && c->text == 0 && c->nonbinary == 0);
        cw_json_key(&j, "values");
        cw_json_begin_array(&j);
        for (int v = 0; v < c->nvalues; v++) {
            cw_json_begin_object(&j);
            cw_json_key(&j, "value");
            cw_json_string(&j, c->values[v].text);
            cw_json_key(&j, "count");
            cw_json_int(&j, c->values[v].count);
            cw_json_end_object(&j);
        }
        cw_json_end_array(&j);
        cw_json_key(&j, "values_capped");
        cw_json_bool(&j, c->capped);
        cw_json_end_object(&j);
    }
    cw_json_end_array(&j);
    cw_json_key(&j, "rows");
    cw_json_begin_array(&j);
    for (int r = 0; r < p->nshown; r++) {
        cw_json_begin_array(&j);
        for (int i = 0; i < p->ncols; i++) {
            const char *s = p->shown[r * p->ncols + i];
            cw_json_string(&j, s ? s : "");
        }
        cw_json_end_array(&j);
    }
    cw_json_end_array(&j);
    cw_json_end_object(&j);
    return cw_json_take(&j);
}

cw_status cw_preview_finish(cw_preview *p, int at_eof) {
    if (p->failed) return p->failed;
    p->at_eof = at_eof;
    /* Without the end of the file the last row may be cut: deliver only complete rows. */
    cw_status st = from_csv(p, at_eof ? cw_csv_finish(&p->csv) : cw_csv_flush(&p->csv));
    if (st != CW_OK) return st;
    if (p->csv.rows == 0)
        return pv_fail(p, CW_ERR_EMPTY, 0, 0,
                       p->csv.bytes == 0 ? "the file is empty" : "the file has only blank lines");
    free(p->result);
    p->result = render(p);
    if (!p->result) return pv_fail(p, CW_ERR_NOMEM, 0, 0, "out of memory");
    return CW_OK;
}

const char *cw_preview_result(const cw_preview *p) { return p->failed ? NULL : p->result; }
const char *cw_preview_error(const cw_preview *p) { return p->failed ? p->msg : ""; }
long cw_preview_error_line(const cw_preview *p) { return p->failed ? p->err_line : 0; }
long cw_preview_error_column(const cw_preview *p) { return p->failed ? p->err_column : 0; }
