/* csv.c — the streaming CSV reader (see csv.h). Each call parses every complete row in the
 * buffer in place. Rows without quotes take a fast path: the delimiter, LF, CR and quote bytes
 * of each 64-byte block become one bit mask (SIMD compares), and fields are read off its bits
 * one by one (a structural index, as in simdjson/simdcsv, kept one block at a time); with
 * cw_csv_set_rows, rows of the expected width are only recorded (one offset per field) and
 * handed over 128 at a time, and in LF or CRLF files whole blocks are indexed at once and then checked
 * (flat_rows). A row that meets a quote, the end of the buffer or a field-array
 * limit is parsed again by the general path, which unescapes quoted fields (RFC 4180) where they
 * lie once the row is whole; the unfinished last row moves to the front of the buffer to wait
 * for the next chunk. */
#include "csv.h"

#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(CW_CSV_PAD <= 64, "the buffer keeps 64 readable bytes past its end");

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The stop bytes of one 64-byte window (delimiter, LF, CR), kept while consecutive fields fall
 * inside it. The comparison vectors are made once per parse. The buffer is padded (see
 * cw_csv_reserve) so reading 64 bytes past any parse position is allowed. WASM SIMD, SSE2, or
 * a plain loop. */
typedef struct {
    const unsigned char *base;
    uint64_t mask;
#if defined(__wasm_simd128__)
    v128_t d, lf, cr, qu;
#elif defined(__SSE2__)
    __m128i d, lf, cr, qu;
#else
    unsigned char d;
#endif
} cw_scan;

static inline void scan_init(cw_scan *s, const unsigned char *base, unsigned char d) {
    s->base = base;
    s->mask = 0;
#if defined(__wasm_simd128__)
    s->d = wasm_i8x16_splat((int8_t)d);
    s->lf = wasm_i8x16_splat('\n');
    s->cr = wasm_i8x16_splat('\r');
    s->qu = wasm_i8x16_splat('"');
#elif defined(__SSE2__)
    s->d = _mm_set1_epi8((char)d);
    s->lf = _mm_set1_epi8('\n');
    s->cr = _mm_set1_epi8('\r');
    s->qu = _mm_set1_epi8('"');
#else
    s->d = d;
#endif
}

static inline uint64_t stop_mask16(const cw_scan *s, const unsigned char *p) {
#if defined(__wasm_simd128__)
    v128_t v = wasm_v128_load(p);
    v128_t m = wasm_v128_or(wasm_i8x16_eq(v, s->d), wasm_v128_or(wasm_i8x16_eq(v, s->lf), wasm_i8x16_eq(v, s->cr)));
    return (uint64_t)(uint32_t)wasm_i8x16_bitmask(m);
#elif defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, s->d), _mm_or_si128(_mm_cmpeq_epi8(v, s->lf), _mm_cmpeq_epi8(v, s->cr)));
    return (uint64_t)(uint32_t)_mm_movemask_epi8(m);
#else
    uint64_t m = 0;
    for (int i = 0; i < 16; i++) m |= (uint64_t)(p[i] == s->d || p[i] == '\n' || p[i] == '\r') << i;
    return m;
#endif
}

/* The fast path's stops in the 16 bytes at p: delimiter, LF, CR and the quote. */
static inline uint64_t row_mask16(const cw_scan *s, const unsigned char *p) {
#if defined(__wasm_simd128__)
    v128_t v = wasm_v128_load(p);
    v128_t m = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, s->d), wasm_i8x16_eq(v, s->qu)),
                            wasm_v128_or(wasm_i8x16_eq(v, s->lf), wasm_i8x16_eq(v, s->cr)));
    return (uint64_t)(uint32_t)wasm_i8x16_bitmask(m);
#elif defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, s->d), _mm_cmpeq_epi8(v, s->qu)),
                             _mm_or_si128(_mm_cmpeq_epi8(v, s->lf), _mm_cmpeq_epi8(v, s->cr)));
    return (uint64_t)(uint32_t)_mm_movemask_epi8(m);
#else
    uint64_t m = 0;
    for (int i = 0; i < 16; i++)
        m |= (uint64_t)(p[i] == s->d || p[i] == '\n' || p[i] == '\r' || p[i] == '"') << i;
    return m;
#endif
}

/* For flat_rows, the 16 bytes at p: *special gets LF, CR and the quote, the result adds the
 * delimiter (row_mask16's stops). */
static inline uint64_t both_mask16(const cw_scan *s, const unsigned char *p, uint64_t *special) {
#if defined(__wasm_simd128__)
    v128_t v = wasm_v128_load(p);
    v128_t x = wasm_v128_or(wasm_i8x16_eq(v, s->qu), wasm_v128_or(wasm_i8x16_eq(v, s->lf), wasm_i8x16_eq(v, s->cr)));
    *special = (uint64_t)(uint32_t)wasm_i8x16_bitmask(x);
    return (uint64_t)(uint32_t)wasm_i8x16_bitmask(wasm_v128_or(x, wasm_i8x16_eq(v, s->d)));
#elif defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i x = _mm_or_si128(_mm_cmpeq_epi8(v, s->qu), _mm_or_si128(_mm_cmpeq_epi8(v, s->lf), _mm_cmpeq_epi8(v, s->cr)));
    *special = (uint64_t)(uint32_t)_mm_movemask_epi8(x);
    return (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_or_si128(x, _mm_cmpeq_epi8(v, s->d)));
#else
    uint64_t m = 0, x = 0;
    for (int i = 0; i < 16; i++) {
        x |= (uint64_t)(p[i] == '\n' || p[i] == '\r' || p[i] == '"') << i;
        m |= (uint64_t)(p[i] == s->d) << i;
    }
    *special = x;
    return m | x;
#endif
}

static inline uint64_t both_mask64(const cw_scan *s, const unsigned char *p, uint64_t *special) {
    uint64_t x0, x1, x2, x3;
    uint64_t m = both_mask16(s, p, &x0) | both_mask16(s, p + 16, &x1) << 16 | both_mask16(s, p + 32, &x2) << 32 |
                 both_mask16(s, p + 48, &x3) << 48;
    *special = x0 | x1 << 16 | x2 << 32 | x3 << 48;
    return m;
}

static inline uint64_t row_mask64(const cw_scan *s, const unsigned char *p) {
    return row_mask16(s, p) | row_mask16(s, p + 16) << 16 | row_mask16(s, p + 32) << 32 |
           row_mask16(s, p + 48) << 48;
}

/* Trailing zeros of x, for flatten_bits, where x is 0 only for scratch entries (any result past
 * bit 62 will do): WebAssembly's i64.ctz and x86's tzcnt give 64 for 0 as one instruction, while
 * x86-64 without BMI has only bsf, which needs a bit set, so there the top bit is or-ed in. */
static inline uint32_t ctz64(uint64_t x) {
#if defined(__wasm__) || defined(__BMI__)
    return x ? (uint32_t)__builtin_ctzll(x) : 64u;
#else
    return (uint32_t)__builtin_ctzll(x | UINT64_C(1) << 63);
#endif
}

/* First delimiter, LF or CR at or after p (the sentinel guarantees one). */
static inline unsigned char *next_stop(cw_scan *s, unsigned char *p) {
    for (;;) {
        size_t off = (size_t)(p - s->base);
        if (off < 64) {
            uint64_t m = s->mask >> off;
            if (m) return p + __builtin_ctzll(m);
            p = (unsigned char *)s->base + 64;
        }
        s->base = p;
        s->mask = stop_mask16(s, p) | stop_mask16(s, p + 16) << 16 | stop_mask16(s, p + 32) << 32 |
                  stop_mask16(s, p + 48) << 48;
    }
}

void cw_csv_init(cw_csv *c, cw_row_fn on_row, void *ctx) {
    memset(c, 0, sizeof *c);
    c->on_row = on_row;
    c->ctx = ctx;
    c->line = 1;
}

void cw_csv_free(cw_csv *c) {
    free(c->ends);
    free(c->buf);
    free(c->start);
    free(c->flen);
    memset(c, 0, sizeof *c);
}

cw_status cw_csv_set_rows(cw_csv *c, cw_rows_fn on_rows, int width) {
    if (width < 2 || width > CW_CSV_MAX_FIELDS) /* one field: a blank line would look like a row */
        return cw_csv_fail(c, CW_ERR_STATE, 0, 0, "batches need rows of 2 to %d fields", CW_CSV_MAX_FIELDS);
    int rows = 16384 / (width + 1); /* about 64 KiB of offsets */
    rows = rows < 1 ? 1 : rows > 128 ? 128 : rows;
    /* fast_rows: rows * (width + 1); flat_rows: width + 1 stops a row in a CRLF file, a block past
     * the batch (up to 64 stops, so up to 33 rows) and the unfinished row */
    size_t cap = ((size_t)rows + 34) * (size_t)(width + 1) + 130;
    uint32_t *ends = realloc(c->ends, cap * sizeof *ends);
    if (!ends) return cw_csv_fail(c, CW_ERR_NOMEM, c->line, 0, "out of memory");
    c->ends = ends;
    c->ends_cap = cap;
    c->on_rows = on_rows;
    c->width = width;
    c->batch_rows = rows;
    return CW_OK;
}

void cw_csv_set_delimiter(cw_csv *c, char delim) { c->delim = delim; }
void cw_csv_set_decimal(cw_csv *c, char point) { c->decimal = point; }

cw_status cw_csv_fail(cw_csv *c, cw_status status, long line, long column, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    cw_utf8_repair(c->msg); /* a quoted value cut to a length */
    va_end(ap);
    c->err_line = line;
    c->err_column = column;
    c->err = status;
    c->stopped = 1;
    return status;
}

static cw_status grow_fields(cw_csv *c, long line) {
    if (c->fields_cap >= CW_CSV_MAX_FIELDS)
        return cw_csv_fail(c, CW_ERR_ROW, line, c->fields_cap + 1, "more than %d fields in one row",
                           CW_CSV_MAX_FIELDS);
    int cap = c->fields_cap ? c->fields_cap * 2 : 64;
    size_t *s = realloc(c->start, (size_t)cap * sizeof *s);
    if (s) c->start = s;
    size_t *l = realloc(c->flen, (size_t)cap * sizeof *l);
    if (l) c->flen = l;
    if (!s || !l) return cw_csv_fail(c, CW_ERR_NOMEM, line, 0, "out of memory");
    c->fields_cap = cap;
    return CW_OK;
}

/* Outcome of parsing one row at p; ROW_SLOW: the fast path leaves this row to parse_row. */
enum { ROW_DONE, ROW_MORE, ROW_ERROR, ROW_SLOW };

/* Deliver a parsed row (or count a blank line: one empty field that was not quoted). */
static inline int deliver(cw_csv *c, long line, int nfields, int first_quoted, cw_status *st) {
    if (nfields == 1 && c->flen[0] == 0 && !first_quoted) {
        c->blank_lines++;
        return ROW_DONE;
    }
    cw_row row = {line, nfields, (const char *)c->buf, c->start, c->flen};
    c->rows++;
    if ((*st = c->on_row(c->ctx, c, &row)) != CW_OK) {
        c->stopped = 1;
        return ROW_ERROR;
    }
    return ROW_DONE;
}

/* A quoted field starting at *pp (on the opening quote): find its closing quote, count the line
 * breaks inside it, set the length of its raw text (between the quotes), note whether it holds
 * doubled quotes and advance *pp past the closing quote. Nothing is written: the row may still
 * turn out unfinished (ROW_MORE here or in a later field) and be parsed again from its start
 * once the next chunk has come, so unescaping waits until the row is whole (unescape). */
static int quoted_field(cw_csv *c, unsigned char **pp, unsigned char *end, int at_eof, long row_line,
                        long *lines, int field, size_t *raw_len, int *doubled) {
    unsigned char *p = *pp + 1, *close = p;
    for (;;) {
        close = memchr(close, '"', (size_t)(end - close));
        if (!close) {
            if (!at_eof) return ROW_MORE;
            cw_csv_fail(c, CW_ERR_ROW, row_line, field + 1, "a quoted field opened here is never closed");
            return ROW_ERROR;
        }
        if (close + 1 == end && !at_eof) return ROW_MORE; /* maybe the first of a doubled quote */
        if (close + 1 < end && close[1] == '"') {         /* a doubled quote stands for one */
            *doubled = 1;
            close += 2;
            continue;
        }
        break;
    }
    for (unsigned char *q = p; q < close; q++) /* a line break belongs to the field; CRLF is one */
        *lines += *q == '\n' || (*q == '\r' && q[1] != '\n');
    *raw_len = (size_t)(close - p);
    *pp = close + 1;
    return ROW_DONE;
}

/* Undo the doubled quotes of the quoted fields of a whole row, in place. A field was quoted
 * when the byte before its text is a quote: an unquoted field follows a delimiter, a line end
 * or nothing (the row's first field starts at row_start). */
static void unescape(unsigned char *base, size_t row_start, const size_t *start, size_t *flen, int n) {
    for (int j = 0; j < n; j++) {
        if (start[j] == row_start || base[start[j] - 1] != '"') continue;
        unsigned char *p = base + start[j], *end = p + flen[j], *out = p;
        for (unsigned char *q = p; q < end; q++) {
            if (*q == '"') q++; /* the first of a doubled quote: keep the second */
            *out++ = *q;
        }
        flen[j] = (size_t)(out - p);
    }
}

/* Parse one row starting at *pp; on ROW_DONE deliver it and advance *pp past its line end. */
static int parse_row(cw_csv *c, cw_scan *scan, unsigned char **pp, unsigned char *end, int at_eof,
                     cw_status *st) {
    const unsigned char d = (unsigned char)c->delim;
    unsigned char *base = c->buf, *p = *pp;
    long row_line = c->line, lines = 0;
    int field = 0;
    /* locals, so that the stores below do not make the compiler reload them */
    size_t *start = c->start, *flen = c->flen;
    int cap = c->fields_cap, first_quoted = 0, doubled = 0;
    for (;;) {
        if (field >= cap) {
            if ((*st = grow_fields(c, row_line)) != CW_OK) return ROW_ERROR;
            start = c->start, flen = c->flen, cap = c->fields_cap;
        }
        unsigned char *q;
        if (*p != '"' || p == end) { /* unquoted: up to the next delimiter or line end */
            q = next_stop(scan, p); /* the buffer ends in a '\n' sentinel (see parse) */
            if (q > end) q = end;
            start[field] = (size_t)(p - base);
            flen[field] = (size_t)(q - p);
        } else {
            size_t n;
            unsigned char *open = p;
            int r = quoted_field(c, &p, end, at_eof, row_line + lines, &lines, field, &n, &doubled);
            if (r == ROW_ERROR) {
                *st = CW_ERR_ROW;
                return r;
            }
            if (r == ROW_MORE) return r;
            start[field] = (size_t)(open + 1 - base); /* the text follows the quote */
            flen[field] = n;
            first_quoted |= field == 0;
            q = p;
            if (q < end && *q != d && *q != '\n' && *q != '\r') {
                *st = cw_csv_fail(c, CW_ERR_ROW, row_line + lines, field + 1,
                                  "unexpected character '%c' after a closing quote (a quote inside a "
                                  "quoted field must be doubled)",
                                  *q >= 0x20 && *q < 0x7f ? *q : '?');
                return ROW_ERROR;
            }
        }
        field++;
        if (q == end) {
            if (!at_eof) return ROW_MORE;
            p = q;
            break;
        }
        if (*q == d) {
            p = q + 1;
            continue;
        }
        if (*q == '\r' && q + 1 == end && !at_eof) return ROW_MORE; /* maybe a CRLF */
        p = q + 1;
        if (*q == '\r' && p < end && *p == '\n') p++;
        break;
    }
    lines++;
    if ((size_t)(p - *pp) > CW_CSV_MAX_ROW) {
        *st = cw_csv_fail(c, CW_ERR_ROW, row_line, 0, "a row longer than %u bytes", CW_CSV_MAX_ROW);
        return ROW_ERROR;
    }
    if (doubled) unescape(base, (size_t)(*pp - base), start, flen, field);
    *pp = p;
    c->line += lines;
    return deliver(c, row_line, field, first_quoted, st); /* "" is an empty field, not a blank line */
}

/* The next stop from the block's unconsumed bits *mp, loading the following blocks as needed
 * (the sentinel guarantees one); its bit is consumed. */
static inline unsigned char *take_stop(const cw_scan *scan, const unsigned char **blkp, uint64_t *mp) {
    while (!*mp) {
        *blkp += 64;
        *mp = row_mask64(scan, *blkp);
    }
    unsigned char *q = (unsigned char *)*blkp + __builtin_ctzll(*mp);
    *mp &= *mp - 1;
    return q;
}

/* After a CR that ends a row at p - 1: an LF at p makes it CRLF; step over it and its stop bit
 * (the next one). Returns where the next row starts. */
static inline unsigned char *skip_lf(const cw_scan *scan, const unsigned char **blkp, uint64_t *mp, unsigned char *p) {
    if (*p != '\n') return p;
    if ((size_t)(p - *blkp) < 64) {
        *mp &= *mp - 1;
    } else {
        *blkp = p + 1;
        *mp = row_mask64(scan, *blkp);
    }
    return p + 1;
}

/* The fast path for the row at *pp, on one line and without quotes. *blkp and *mp are the
 * block being read and its stop bits not yet consumed (all at or after *pp). ROW_SLOW leaves
 * the row untouched for parse_row: a quote anywhere in it, the buffer's end (the sentinel), a CR
 * that may be half of a CRLF cut by the chunk, a full field array, or an over-long row. */
static inline int fast_row(cw_csv *c, const cw_scan *scan, const unsigned char **blkp, uint64_t *mp,
                           unsigned char **pp, const unsigned char *end, cw_status *st) {
    const unsigned char d = (unsigned char)c->delim;
    unsigned char *base = c->buf, *row = *pp, *p = row, *q;
    size_t *start = c->start, *flen = c->flen;
    int cap = c->fields_cap, field = 0;
    const unsigned char *blk = *blkp;
    uint64_t m = *mp;
    for (;;) {
        q = take_stop(scan, &blk, &m);
        if (q >= end || field >= cap) return ROW_SLOW;
        start[field] = (size_t)(p - base);
        flen[field] = (size_t)(q - p);
        field++;
        p = q + 1;
        if (*q != d) break;
    }
    if (*q != '\n') {
        if (*q != '\r' || q + 1 >= end) return ROW_SLOW;
        p = skip_lf(scan, &blk, &m, p);
    }
    if ((size_t)(p - row) > CW_CSV_MAX_ROW) return ROW_SLOW;
    *blkp = blk;
    *mp = m;
    *pp = p;
    return deliver(c, c->line++, field, 0, st);
}

/* Hand the batch of n rows at text to on_rows. */
static int flush_rows(cw_csv *c, const unsigned char *text, int stride, int n, cw_status *st) {
    if (n == 0) return ROW_DONE;
    long line = c->line;
    c->line += n;
    c->rows += n;
    if ((*st = c->on_rows(c->ctx, c, (const char *)text, c->ends, stride, n, line)) != CW_OK) {
        c->stopped = 1;
        return ROW_ERROR;
    }
    return ROW_DONE;
}

/* Batches row by row (cw_csv_set_rows): as fast_row, for rows up to stop_at (or the buffer's
 * end); each field's end offset is the only store. Returns ROW_DONE there, ROW_SLOW at the first
 * row it leaves to parse_row (*pp is that row), or ROW_ERROR. Used for the rows flat_rows
 * leaves (and for whole files whose line ends differ from their first line's). */
static inline int fast_rows(cw_csv *c, const cw_scan *scan, const unsigned char **blkp, uint64_t *mp,
                            unsigned char **pp, const unsigned char *end, const unsigned char *stop_at,
                            cw_status *st) {
    const unsigned char d = (unsigned char)c->delim;
    const int w = c->width, max = c->batch_rows;
    uint32_t *e = c->ends;
    unsigned char *p = *pp, *text = p, *q;
    const unsigned char *blk = *blkp;
    uint64_t m = *mp;
    int n = 0;
    for (;;) {
        unsigned char *row = p;
        int field = 0;
        e[0] = (uint32_t)(p - text) - 1u;
        for (;;) {
            q = take_stop(scan, &blk, &m);
            if (field == w) goto slow;
            e[++field] = (uint32_t)(q - text);
            if (*q != d) break;
        }
        p = q + 1;
        if (q >= end || field != w) goto slow;
        if (*q != '\n') {
            if (*q != '\r' || q + 1 >= end) goto slow;
            p = skip_lf(scan, &blk, &m, p);
        }
        if ((size_t)(p - row) > CW_CSV_MAX_ROW || (size_t)(p - text) > (1u << 30)) goto slow;
        e += w + 1;
        if (++n == max || p >= stop_at) {
            if (flush_rows(c, text, w + 1, n, st) != ROW_DONE) return ROW_ERROR;
            if (p >= stop_at) break;
            text = p;
            n = 0;
            e = c->ends;
        }
        continue;
    slow:
        *pp = row;
        return flush_rows(c, text, w + 1, n, st) != ROW_DONE ? ROW_ERROR : ROW_SLOW;
    }
    *blkp = blk;
    *mp = m;
    *pp = p;
    return ROW_DONE;
}

/* The plain rows of an LF file, a 64-byte block at a time (simdjson's two stages, per block):
 * every stop (delimiter, LF, CR, quote) of the block is written out as an offset, with no test
 * per field; then every width-th stop must be an LF that ends a row, and those LFs must be all of
 * the block's LF, CR and quote bytes -- which proves that its rows are plain, have width fields
 * and no quote or CR. Rows are handed over with stride width: a row's e[0] is the previous row's
 * LF. In a CRLF file (crlf 1: its first line ends so) a row has one stop more, the LF, and the
 * stop before it must be a CR just before it: the last field ends at the CR, the next row starts
 * after the LF, and the stride is width + 1. A block that fails (a quote, a lone CR or LF, a
 * blank line, another field count, a row over CW_CSV_MAX_ROW) sends its rows to fast_rows:
 * ROW_SLOW with *pp at its first unproven row and *stop_at after the block. At the buffer's end:
 * ROW_DONE, or ROW_SLOW for the unfinished row. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int flat_rows_ending(cw_csv *c, const cw_scan *scan, unsigned char **pp, const unsigned char *end,
                                   const unsigned char **stop_at, cw_status *st, const uint32_t crlf) {
    /* stops per row: the fields' ends, and in a CRLF file the LF after the CR that ends the last */
    const size_t w = (size_t)c->width + crlf;
    const unsigned char last_end = crlf ? '\r' : '\n';
    const int max = c->batch_rows;
    unsigned char *base = c->buf;
    uint32_t *e = c->ends;
    const unsigned char *blk = *pp;
    size_t k = 0, next = w; /* stops written (e[1..k]); index of the next row's last stop */
    int rows = 0;           /* proven rows not yet handed over */
    e[0] = (uint32_t)(blk - base) - 1u;
    for (;;) {
        size_t lim = (size_t)(end - blk);
        uint64_t x, s = both_mask64(scan, blk, &x);
        if (lim < 64) { /* the sentinel and what follows it are not data */
            s &= (UINT64_C(1) << lim) - 1;
            x &= (UINT64_C(1) << lim) - 1;
        }
        /* a CR in the last byte before an LF in the next block: that block's rows check it */
        if (crlf && blk[63] == '\r' && blk[64] == '\n') x &= ~(UINT64_C(1) << 63);
        /* every stop's offset, eight at a time with no test per stop (simdjson's flatten_bits):
         * a loop run as many times as the block has stops mispredicted its exit once a block;
         * entries past the count are scratch (ends_cap has room), and s | TOP keeps ctz defined */
        uint32_t off = (uint32_t)(blk - base), cnt = (uint32_t)__builtin_popcountll(s), *o = e + k + 1;
        for (int i = 0; i < 8; i++, s &= s - 1) o[i] = off + ctz64(s);
        if (cnt > 8) {
            for (int i = 8; i < 16; i++, s &= s - 1) o[i] = off + ctz64(s);
            for (uint32_t i = 16; i < cnt; i++, s &= s - 1) o[i] = off + (uint32_t)__builtin_ctzll(s);
        }
        k += cnt;
        int ok = 1, ended = 0;
        for (; next <= k; next += w, ended++) {
            /* the row's last stop is an LF, and in a CRLF file the one before it a CR just before
             * it (with crlf 0, cr is the LF and the second test repeats the first) */
            uint32_t lf = e[next], cr = lf - crlf;
            ok &= base[lf] == '\n' && lf - e[next - w] <= CW_CSV_MAX_ROW && e[next - crlf] == cr &&
                  base[cr] == last_end;
            x &= ~(UINT64_C(1) << ((lf - off) & 63));
            /* a CR in the block before was cleared there (above) */
            x &= ~((UINT64_C(1) << ((cr - off) & 63)) & -(uint64_t)(cr >= off));
        }
        if (!ok || x) { /* the block's rows go to fast_rows, from its first row on */
            *stop_at = lim <= 64 ? end : blk + 64;
            *pp = base + (uint32_t)(e[(size_t)rows * w] + 1u);
            return flush_rows(c, base, (int)w, rows, st) != ROW_DONE ? ROW_ERROR : ROW_SLOW;
        }
        rows += ended;
        if (lim <= 64) { /* the last block: hand over, leave the unfinished row */
            *stop_at = end;
            *pp = base + (uint32_t)(e[(size_t)rows * w] + 1u);
            if (flush_rows(c, base, (int)w, rows, st) != ROW_DONE) return ROW_ERROR;
            return *pp >= end ? ROW_DONE : ROW_SLOW;
        }
        if (rows >= max) { /* hand over; the last LF and the unfinished row's stops move down */
            if (flush_rows(c, base, (int)w, rows, st) != ROW_DONE) return ROW_ERROR;
            size_t done = (size_t)rows * w;
            memmove(e, e + done, (k - done + 1) * sizeof *e);
            k -= done;
            next -= done;
            rows = 0;
        }
        blk += 64;
    }
}

/* flat_rows for the file's line ending, each a copy of its own made by the compiler, so that an
 * LF file's loop does not pay for a CRLF file's tests (2.3 ms of 25 on the 1M-row bench file). */
static int flat_rows(cw_csv *c, const cw_scan *scan, unsigned char **pp, const unsigned char *end,
                     const unsigned char **stop_at, cw_status *st) {
    return c->crlf ? flat_rows_ending(c, scan, pp, end, stop_at, st, 1)
                   : flat_rows_ending(c, scan, pp, end, stop_at, st, 0);
}

/* Parse every complete row in the buffer; keep the unfinished rest at the front. */
static cw_status parse(cw_csv *c, int at_eof) {
    if (!c->buf) return CW_OK;
    unsigned char *p = c->buf, *end = c->buf + c->len;
    *end = '\n'; /* sentinel: stops every scan for the end of an unquoted field */
    cw_scan scan;
    scan_init(&scan, c->buf + c->len + 64, (unsigned char)c->delim); /* empty: loads on first use */
    cw_status st = CW_OK;
    const unsigned char *blk = p;
    uint64_t m = row_mask64(&scan, blk);
    /* flat_rows keeps offsets from the buffer's start in 32 bits */
    const int flat = c->len < (size_t)UINT32_MAX - CW_CSV_MAX_ROW;
    int fails = 0; /* flat_rows failures in a row: after each, fast_rows keeps the rows longer */
    while (p < end) {
        int r;
        if (c->on_rows) {
            const unsigned char *stop_at = end, *from = p;
            r = flat ? flat_rows(c, &scan, &p, end, &stop_at, &st) : ROW_SLOW;
            if (r == ROW_SLOW && stop_at < end) { /* e.g. line ends other than the first line's */
                fails = p > from ? 0 : fails + 1;
                size_t more = (size_t)64 << (fails < 10 ? fails : 10);
                stop_at = (size_t)(end - stop_at) > more ? stop_at + more : end;
            }
            if (r == ROW_SLOW) {
                blk = p;
                m = row_mask64(&scan, blk);
                r = fast_rows(c, &scan, &blk, &m, &p, end, stop_at, &st);
            }
        } else {
            r = fast_row(c, &scan, &blk, &m, &p, end, &st);
        }
        if (r == ROW_SLOW) { /* p is still at the row's start, and stays there on ROW_MORE */
            r = parse_row(c, &scan, &p, end, at_eof, &st);
            blk = p;
            m = row_mask64(&scan, blk);
        }
        if (r == ROW_ERROR) return st;
        if (r == ROW_MORE) {
            if ((size_t)(end - p) > CW_CSV_MAX_ROW)
                return cw_csv_fail(c, CW_ERR_ROW, c->line, 0,
                                   "a row longer than %u bytes (an unclosed quote?)", CW_CSV_MAX_ROW);
            break;
        }
    }
    size_t rest = (size_t)(end - p);
    if (rest && p != c->buf) memmove(c->buf, p, rest);
    c->len = rest;
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

/* Decimal comma? Only when the delimiter is not a comma: among the unquoted fields of the first
 * lines, some look like 12,5 and none like 12.5 (European spreadsheet exports). */
static char sniff_decimal(const uint8_t *buf, size_t n, uint8_t d) {
    if (d == ',') return '.';
    int comma = 0, dot = 0, lines = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n && lines < 50; i++) {
        if (i < n && buf[i] != d && buf[i] != '\n' && buf[i] != '\r') continue;
        int digits_before = 0, digits_after = 0, sep = 0, other = 0;
        for (size_t k = start; k < i; k++) {
            uint8_t ch = buf[k];
            if (ch >= '0' && ch <= '9') *(sep ? &digits_after : &digits_before) += 1;
            else if ((ch == ',' || ch == '.') && !sep) sep = ch;
            else if (!(ch == '-' && k == start)) other = 1;
        }
        if (!other && digits_before && digits_after) {
            if (sep == ',') comma++;
            else if (sep == '.') dot++;
        }
        if (i < n && (buf[i] == '\n' || buf[i] == '\r')) lines++;
        start = i + 1;
    }
    return comma > 0 && dot == 0 ? ',' : '.';
}

/* Room for len more bytes after the buffer's c->len, and past them for the sentinel and a
 * 64-byte read past it (which also gives CW_CSV_PAD). */
static cw_status room(cw_csv *c, size_t len) {
    if (c->len + len + 64 <= c->cap) return CW_OK;
    size_t cap = c->cap ? c->cap : CW_CSV_SNIFF_BYTES;
    while (c->len + len + 64 > cap) cap *= 2;
    unsigned char *b = realloc(c->buf, cap);
    if (!b) return cw_csv_fail(c, CW_ERR_NOMEM, c->line, 0, "out of memory");
    c->buf = b;
    c->cap = cap;
    return CW_OK;
}

/* ---- the encoding ------------------------------------------------------------------------- */

const char *cw_csv_encoding(const cw_csv *c) { return c->enc == CW_CSV_CP1252 ? "windows-1252" : "utf-8"; }

/* How many of p[0..n)'s first bytes are whole 128-byte blocks of ASCII: most files are ASCII
 * throughout, and this is the check every chunk of theirs pays, one OR per 16 bytes and one test
 * per block (bench/instructions.sh: 328 -> 335 instructions a row natively, 337 with 64-byte
 * blocks; WASM 328-335 -> 336-340). */
static size_t ascii_blocks(const unsigned char *p, size_t n) {
    size_t i = 0;
    for (; i + 128 <= n; i += 128) {
#if defined(__wasm_simd128__)
#define CW_LD(k) wasm_v128_load(p + i + 16 * (k))
        v128_t v = wasm_v128_or(wasm_v128_or(wasm_v128_or(CW_LD(0), CW_LD(1)), wasm_v128_or(CW_LD(2), CW_LD(3))),
                                wasm_v128_or(wasm_v128_or(CW_LD(4), CW_LD(5)), wasm_v128_or(CW_LD(6), CW_LD(7))));
#undef CW_LD
        if (wasm_i8x16_bitmask(v)) break;
#elif defined(__SSE2__)
#define CW_LD(k) _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16 * (k)))
        __m128i v = _mm_or_si128(_mm_or_si128(_mm_or_si128(CW_LD(0), CW_LD(1)), _mm_or_si128(CW_LD(2), CW_LD(3))),
                                 _mm_or_si128(_mm_or_si128(CW_LD(4), CW_LD(5)), _mm_or_si128(CW_LD(6), CW_LD(7))));
#undef CW_LD
        if (_mm_movemask_epi8(v)) break;
#else
        uint64_t w[16], x = 0;
        memcpy(w, p + i, 128);
        for (int k = 0; k < 16; k++) x |= w[k];
        if (x & UINT64_C(0x8080808080808080)) break;
#endif
    }
    return i;
}

/* The line of the buffer's byte at (the buffer starts with the next row, on line c->line). */
static long line_at(const cw_csv *c, size_t at) {
    long line = c->line;
    for (size_t i = 0; i < at; i++) line += c->buf[i] == '\n';
    return line;
}

/* The buffer's bytes from `from` on, Windows-1252, rewritten as UTF-8 (longer: room first). */
static cw_status from_cp1252(cw_csv *c, size_t from) {
    size_t n = c->len - from, extra = cw_cp1252_extra(c->buf + from, n);
    if (!extra) return CW_OK;
    cw_status st = room(c, extra);
    if (st != CW_OK) return st;
    cw_cp1252_to_utf8(c->buf + from, n, extra);
    c->len += extra;
    return CW_OK;
}

/* New text, the buffer's bytes from `from` on, before any of it is parsed. While the file is
 * ASCII or UTF-8 it is checked as UTF-8; the first byte that is not makes the file Windows-1252
 * (when nothing before it was a UTF-8 character: only ASCII, which reads the same in both) or
 * is an error (the file mixes encodings). A Windows-1252 file's text becomes UTF-8 here, so
 * that names, values and messages leave the core as UTF-8 and match the options given in it. A
 * UTF-8 sequence that the chunk's end cuts waits for the next chunk (c->cut bytes, at the end
 * of the unfinished row, which stays in the buffer); at the end of the input it is invalid. */
static cw_status take_text(cw_csv *c, size_t from, int at_eof) {
    if (!c->buf) return CW_OK; /* nothing was ever fed */
    if (c->enc == CW_CSV_CP1252) return from_cp1252(c, from);
    size_t at = from - c->cut;
    c->cut = 0;
    at += ascii_blocks(c->buf + at, c->len - at);
    int cut, multibyte = 0;
    size_t bad = at + cw_utf8_check(c->buf + at, c->len - at, &cut, &multibyte);
    if (multibyte) c->enc = CW_CSV_UTF8;
    if (bad == c->len) return CW_OK;
    if (cut && !at_eof) {
        c->cut = c->len - bad;
        return CW_OK;
    }
    if (c->enc == CW_CSV_UTF8)
        return cw_csv_fail(c, CW_ERR_ENCODING, line_at(c, bad), 0,
                           "byte 0x%02X is not UTF-8, but the file is UTF-8 before it (a UTF-8 character "
                           "or byte-order mark): it mixes two encodings; save it again as UTF-8 "
                           "(\"CSV UTF-8\")",
                           c->buf[bad]);
    c->enc = CW_CSV_CP1252;
    return from_cp1252(c, bad);
}

/* First bytes: refuse what is not CSV text, skip a UTF-8 BOM, choose the delimiter. */
static cw_status start(cw_csv *c, int at_eof) {
    unsigned char *p = c->buf;
    size_t n = c->len;
    c->started = 1;
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return cw_csv_fail(c, CW_ERR_ENCODING, 1, 0,
                           "the file is UTF-16 text; save it as UTF-8 (\"CSV UTF-8\") and try again");
    if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B)
        return cw_csv_fail(c, CW_ERR_ENCODING, 1, 0, "the file is gzip-compressed; decompress it first");
    if (n >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4)
        return cw_csv_fail(c, CW_ERR_ENCODING, 1, 0,
                           "the file is a ZIP archive (an Excel workbook?); export the sheet as CSV");
    long line = 1;
    for (size_t i = 0; i < n && i < CW_CSV_SNIFF_BYTES; i++) {
        if (p[i] == '\n') line++;
        if (p[i] == 0)
            return cw_csv_fail(c, CW_ERR_ENCODING, line, 0,
                               "the file holds binary data (a NUL byte), not CSV text");
    }
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        memmove(p, p + 3, n - 3);
        c->len = n -= 3;
        c->enc = CW_CSV_UTF8; /* the byte-order mark says so */
    }
    cw_status st = take_text(c, 0, at_eof);
    if (st != CW_OK) return st;
    p = c->buf;
    n = c->len;
    size_t look = n < CW_CSV_SNIFF_BYTES ? n : CW_CSV_SNIFF_BYTES;
    const unsigned char *nl = look ? memchr(p, '\n', look) : NULL;
    c->crlf = nl && nl > p && nl[-1] == '\r'; /* flat_rows expects the first line's ending */
    if (!c->delim) c->delim = sniff(p, look, at_eof);
    if (!c->decimal) c->decimal = sniff_decimal(p, look, (uint8_t)c->delim);
    return CW_OK;
}

uint8_t *cw_csv_reserve(cw_csv *c, size_t len) {
    c->reserving = 0;
    if (c->stopped) {
        cw_csv_fail(c, CW_ERR_STATE, 0, 0, "the reader has stopped");
        return NULL;
    }
    /* room for the sentinel and a 64-byte read past it (which also gives CW_CSV_PAD); a length
     * near SIZE_MAX would wrap the sum, and no buffer of that size can exist anyway */
    if (len > SIZE_MAX / 2 - 64 - c->len) {
        cw_csv_fail(c, CW_ERR_NOMEM, c->line, 0, "out of memory");
        return NULL;
    }
    if (room(c, len) != CW_OK) return NULL;
    c->reserving = 1;
    c->reserved = len;
    return c->buf + c->len;
}

cw_status cw_csv_commit(cw_csv *c, size_t len) {
    if (c->stopped) return cw_csv_fail(c, CW_ERR_STATE, 0, 0, "the reader has stopped");
    if (!c->reserving)
        return cw_csv_fail(c, CW_ERR_STATE, 0, 0, "bytes committed without a reserve just before");
    if (len > c->reserved)
        return cw_csv_fail(c, CW_ERR_STATE, 0, 0, "%zu bytes committed where %zu were reserved", len,
                           c->reserved);
    c->reserving = 0;
    c->bytes += len;
    size_t from = c->len;
    c->len += len;
    cw_status st;
    if (!c->started) {
        if (c->len < CW_CSV_SNIFF_BYTES) return CW_OK;
        st = start(c, 0);
    } else {
        st = take_text(c, from, 0);
    }
    return st != CW_OK ? st : parse(c, 0);
}

/* The same path as a caller writing in place, with the one copy made here. */
cw_status cw_csv_feed(cw_csv *c, const uint8_t *data, size_t len) {
    uint8_t *to = cw_csv_reserve(c, len);
    if (!to) return c->err;
    if (len) memcpy(to, data, len);
    return cw_csv_commit(c, len);
}

cw_status cw_csv_flush(cw_csv *c) {
    c->reserving = 0;
    if (c->stopped) return cw_csv_fail(c, CW_ERR_STATE, 0, 0, "the reader has stopped");
    if (c->started) return CW_OK;
    cw_status st = start(c, 0);
    return st != CW_OK ? st : parse(c, 0);
}

cw_status cw_csv_finish(cw_csv *c) {
    c->reserving = 0;
    if (c->stopped) return cw_csv_fail(c, CW_ERR_STATE, 0, 0, "the reader has stopped");
    cw_status st = c->started ? take_text(c, c->len, 1) : start(c, 1); /* a cut sequence is whole now */
    return st != CW_OK ? st : parse(c, 1);
}
