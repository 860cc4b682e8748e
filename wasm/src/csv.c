/* csv.c — the streaming CSV reader (see csv.h). A byte-level state machine after RFC 4180,
 * with the scan for the next special byte done over runs of ordinary bytes. */
#include "csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { S_FIELD_START, S_UNQUOTED, S_QUOTED, S_QUOTE };

void cw_csv_init(cw_csv *c, cw_row_fn on_row, void *ctx) {
    memset(c, 0, sizeof *c);
    c->on_row = on_row;
    c->ctx = ctx;
    c->line = 1;
    c->row_line = 1;
}

void cw_csv_free(cw_csv *c) {
    free(c->want);
    free(c->text);
    free(c->start);
    free(c->len);
    free(c->quoted);
    free(c->pending);
    memset(c, 0, sizeof *c);
}

void cw_csv_set_delimiter(cw_csv *c, char delim) { c->delim = delim; }

cw_status cw_csv_fail(cw_csv *c, cw_status status, long line, long column, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    c->err_line = line;
    c->err_column = column;
    c->stopped = 1;
    return status;
}

cw_status cw_csv_want(cw_csv *c, const unsigned char *want, int n) {
    unsigned char *w = malloc(n > 0 ? (size_t)n : 1);
    if (!w) return cw_csv_fail(c, CW_ERR_NOMEM, 0, 0, "out of memory");
    if (n > 0) memcpy(w, want, (size_t)n);
    free(c->want);
    c->want = w;
    c->nwant = n;
    return CW_OK;
}

static cw_status grow_text(cw_csv *c, size_t need) {
    if (c->text_len + need + 1 <= c->text_cap) return CW_OK;
    size_t cap = c->text_cap ? c->text_cap : 4096;
    while (c->text_len + need + 1 > cap) cap *= 2;
    char *t = realloc(c->text, cap);
    if (!t) return cw_csv_fail(c, CW_ERR_NOMEM, c->line, c->field + 1, "out of memory");
    c->text = t;
    c->text_cap = cap;
    return CW_OK;
}

static cw_status append(cw_csv *c, const uint8_t *p, size_t n) {
    if (c->text_len - c->start[c->field] + n > CW_CSV_MAX_FIELD)
        return cw_csv_fail(c, CW_ERR_ROW, c->row_line, c->field + 1,
                           "field longer than %u bytes (an unclosed quote?)", CW_CSV_MAX_FIELD);
    if (grow_text(c, n) != CW_OK) return CW_ERR_NOMEM;
    memcpy(c->text + c->text_len, p, n);
    c->text_len += n;
    return CW_OK;
}

static cw_status begin_field(cw_csv *c) {
    if (c->field >= c->fields_cap) {
        if (c->field >= CW_CSV_MAX_FIELDS)
            return cw_csv_fail(c, CW_ERR_ROW, c->row_line, c->field + 1,
                               "more than %d fields in one row", CW_CSV_MAX_FIELDS);
        int cap = c->fields_cap ? c->fields_cap * 2 : 64;
        size_t *s = realloc(c->start, (size_t)cap * sizeof *s);
        if (s) c->start = s;
        size_t *l = realloc(c->len, (size_t)cap * sizeof *l);
        if (l) c->len = l;
        unsigned char *q = realloc(c->quoted, (size_t)cap);
        if (q) c->quoted = q;
        if (!s || !l || !q) return cw_csv_fail(c, CW_ERR_NOMEM, c->line, 0, "out of memory");
        c->fields_cap = cap;
    }
    c->start[c->field] = c->text_len;
    c->quoted[c->field] = 0;
    c->field_wanted = !c->want || (c->field < c->nwant && c->want[c->field]);
    return CW_OK;
}

static cw_status end_field(cw_csv *c) {
    c->len[c->field] = c->text_len - c->start[c->field];
    if (grow_text(c, 0) != CW_OK) return CW_ERR_NOMEM;
    c->text[c->text_len++] = '\0';
    return CW_OK;
}

/* The row is complete: deliver it (blank lines are counted, not delivered) and reset. */
static cw_status end_row(cw_csv *c) {
    cw_status st = end_field(c);
    if (st != CW_OK) return st;
    int nfields = c->field + 1;
    if (nfields == 1 && c->len[0] == 0 && !c->quoted[0]) {
        c->blank_lines++;
    } else {
        cw_row row = {c->row_line, nfields, c->text, c->start, c->len, c->quoted};
        c->rows++;
        st = c->on_row(c->ctx, c, &row);
        if (st != CW_OK) {
            c->stopped = 1;
            return st;
        }
    }
    c->text_len = 0;
    c->field = 0;
    c->row_line = c->line;
    c->state = S_FIELD_START;
    return begin_field(c);
}

/* Run the state machine over bytes whose delimiter is known. */
static cw_status run(cw_csv *c, const uint8_t *data, size_t n) {
    const uint8_t delim = (uint8_t)c->delim;
    size_t i = 0;
    cw_status st;
    while (i < n) {
        uint8_t ch = data[i];
        if (c->after_cr) { /* the LF of a CRLF whose CR ended a row or counted a line */
            c->after_cr = 0;
            if (ch == '\n') {
                if (c->state == S_QUOTED && c->field_wanted && (st = append(c, &ch, 1)) != CW_OK)
                    return st;
                i++;
                continue;
            }
        }
        switch (c->state) {
        case S_FIELD_START:
            if (ch == '"') {
                c->state = S_QUOTED;
                c->quoted[c->field] = 1;
                c->quote_line = c->line;
                i++;
                continue;
            }
            c->state = S_UNQUOTED;
            /* fall through */
        case S_UNQUOTED: {
            size_t j = i;
            while (j < n && data[j] != delim && data[j] != '\n' && data[j] != '\r') j++;
            if (c->field_wanted && j > i && (st = append(c, data + i, j - i)) != CW_OK) return st;
            i = j;
            if (i == n) return CW_OK;
            ch = data[i++];
            if (ch == delim) {
                if ((st = end_field(c)) != CW_OK) return st;
                c->field++;
                c->state = S_FIELD_START;
                if ((st = begin_field(c)) != CW_OK) return st;
            } else {
                c->line++;
                c->after_cr = ch == '\r';
                if ((st = end_row(c)) != CW_OK) return st;
            }
            break;
        }
        case S_QUOTED: {
            size_t j = i;
            while (j < n && data[j] != '"' && data[j] != '\n' && data[j] != '\r') j++;
            if (c->field_wanted && j > i && (st = append(c, data + i, j - i)) != CW_OK) return st;
            i = j;
            if (i == n) return CW_OK;
            ch = data[i++];
            if (ch == '"') {
                c->state = S_QUOTE;
            } else { /* a line break inside quotes is part of the field */
                c->line++;
                c->after_cr = ch == '\r';
                if (c->field_wanted && (st = append(c, &ch, 1)) != CW_OK) return st;
                if (ch == '\r' && i < n && data[i] == '\n') {
                    c->after_cr = 0;
                    if (c->field_wanted && (st = append(c, data + i, 1)) != CW_OK) return st;
                    i++;
                }
            }
            break;
        }
        case S_QUOTE:
            i++;
            if (ch == '"') { /* a doubled quote stands for one quote */
                if (c->field_wanted && (st = append(c, &ch, 1)) != CW_OK) return st;
                c->state = S_QUOTED;
            } else if (ch == delim) {
                if ((st = end_field(c)) != CW_OK) return st;
                c->field++;
                c->state = S_FIELD_START;
                if ((st = begin_field(c)) != CW_OK) return st;
            } else if (ch == '\n' || ch == '\r') {
                c->line++;
                c->after_cr = ch == '\r';
                if ((st = end_row(c)) != CW_OK) return st;
            } else {
                return cw_csv_fail(c, CW_ERR_ROW, c->line, c->field + 1,
                                   "unexpected character '%c' after a closing quote (a quote inside "
                                   "a quoted field must be doubled)",
                                   ch >= 0x20 && ch < 0x7f ? ch : '?');
            }
            break;
        }
    }
    return CW_OK;
}

/* Count fields per line for delimiter d over the first complete lines of buf. */
static int sniff_score(const uint8_t *buf, size_t n, int at_eof, uint8_t d, int *first_count) {
    int lines = 0, fields = 1, consistent = 1, inq = 0;
    *first_count = 0;
    for (size_t i = 0; i < n && lines < 20; i++) {
        uint8_t ch = buf[i];
        if (ch == '"') inq = !inq;
        else if (!inq && ch == d) fields++;
        else if (!inq && (ch == '\n' || ch == '\r')) {
            if (ch == '\r' && i + 1 < n && buf[i + 1] == '\n') i++;
            if (fields == 1 && lines > 0) continue; /* blank line */
            if (lines == 0) *first_count = fields;
            else if (fields != *first_count) consistent = 0;
            lines++;
            fields = 1;
        }
    }
    if (lines == 0 && at_eof) *first_count = fields; /* a one-line file without a newline */
    return consistent;
}

static char sniff(const uint8_t *buf, size_t n, int at_eof) {
    static const uint8_t cand[] = {',', ';', '\t', '|'};
    int best = -1, best_count = 1, best_consistent = 0;
    for (int k = 0; k < 4; k++) {
        int count;
        int consistent = sniff_score(buf, n, at_eof, cand[k], &count);
        if (count < 2) continue;
        if ((consistent && !best_consistent) || (consistent == best_consistent && count > best_count)) {
            best = k;
            best_count = count;
            best_consistent = consistent;
        }
    }
    return best < 0 ? ',' : (char)cand[best];
}

/* First bytes: refuse what is not CSV text, skip a UTF-8 BOM, choose the delimiter. */
static cw_status start(cw_csv *c, int at_eof) {
    const uint8_t *p = c->pending;
    size_t n = c->pending_len, skip = 0;
    c->started = 1;
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return cw_csv_fail(c, CW_ERR_ENCODING, 1, 0,
                           "the file is UTF-16 text; save it as UTF-8 (\"CSV UTF-8\") and try again");
    if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B)
        return cw_csv_fail(c, CW_ERR_ENCODING, 1, 0,
                           "the file is gzip-compressed; decompress it first");
    if (n >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4)
        return cw_csv_fail(c, CW_ERR_ENCODING, 1, 0,
                           "the file is a ZIP archive (an Excel workbook?); export the sheet as CSV");
    long line = 1;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') line++;
        if (p[i] == 0)
            return cw_csv_fail(c, CW_ERR_ENCODING, line, 0,
                               "the file holds binary data (a NUL byte), not CSV text");
    }
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) skip = 3;
    if (!c->delim) c->delim = sniff(p + skip, n - skip, at_eof);
    cw_status st = begin_field(c);
    if (st != CW_OK) return st;
    c->pending = NULL;
    c->pending_len = c->pending_cap = 0;
    st = run(c, p + skip, n - skip);
    free((void *)p);
    return st;
}

cw_status cw_csv_feed(cw_csv *c, const uint8_t *data, size_t len) {
    if (c->stopped) return cw_csv_fail(c, CW_ERR_STATE, 0, 0, "the reader has stopped");
    c->bytes += len;
    if (c->started) return run(c, data, len);
    if (c->pending_len + len > c->pending_cap) {
        size_t cap = c->pending_len + len > CW_CSV_SNIFF_BYTES ? c->pending_len + len
                                                               : CW_CSV_SNIFF_BYTES;
        unsigned char *p = realloc(c->pending, cap);
        if (!p) return cw_csv_fail(c, CW_ERR_NOMEM, 0, 0, "out of memory");
        c->pending = p;
        c->pending_cap = cap;
    }
    if (len) memcpy(c->pending + c->pending_len, data, len);
    c->pending_len += len;
    if (c->pending_len < CW_CSV_SNIFF_BYTES) return CW_OK;
    return start(c, 0);
}

cw_status cw_csv_flush(cw_csv *c) {
    if (c->stopped) return cw_csv_fail(c, CW_ERR_STATE, 0, 0, "the reader has stopped");
    return c->started ? CW_OK : start(c, 0);
}

cw_status cw_csv_finish(cw_csv *c) {
    if (c->stopped) return cw_csv_fail(c, CW_ERR_STATE, 0, 0, "the reader has stopped");
    cw_status st;
    if (!c->started && (st = start(c, 1)) != CW_OK) return st;
    c->after_cr = 0;
    if (c->state == S_QUOTED)
        return cw_csv_fail(c, CW_ERR_ROW, c->quote_line, c->field + 1,
                           "a quoted field opened here is never closed");
    /* the last row, when the file does not end with a line break */
    if (c->state != S_FIELD_START || c->field > 0) return end_row(c);
    return CW_OK;
}
