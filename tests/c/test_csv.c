/* test_csv.c — the streaming reader: RFC 4180 quoting, line ends, BOM, encodings (UTF-8 checked,
 * Windows-1252 turned into UTF-8), sniffing, refusals, and the property that any split of the
 * input into chunks, fed or written in place (reserve + commit), gives the same rows. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "test.h"
#include "text.h"

/* Rows flattened to "f1|f2|...\n" with the starting line, to compare whole parses. */
typedef struct {
    char out[8192];
    size_t len;
} collect;

static cw_status on_row(void *ctx, cw_csv *csv, const cw_row *row) {
    (void)csv;
    collect *c = ctx;
    c->len += (size_t)snprintf(c->out + c->len, sizeof c->out - c->len, "%ld:", row->line);
    for (int i = 0; i < row->nfields; i++)
        c->len += (size_t)snprintf(c->out + c->len, sizeof c->out - c->len, "%s%.*s", i ? "|" : "",
                                   (int)row->len[i], row->text + row->start[i]);
    c->len += (size_t)snprintf(c->out + c->len, sizeof c->out - c->len, "\n");
    return CW_OK;
}

/* One chunk written in place as a file read would: into more room than it fills (the rest gets
 * bytes that would change the parse if they were read: a quote, a line end, a delimiter), then
 * an empty chunk, as the read at the end of a file gives. */
static cw_status put(cw_csv *csv, const uint8_t *data, size_t n) {
    uint8_t *to = cw_csv_reserve(csv, n + 3);
    if (!to) return csv->err;
    if (n) memcpy(to, data, n);
    memcpy(to + n, "\"\n,", 3);
    cw_status st = cw_csv_commit(csv, n);
    if (st != CW_OK) return st;
    if (!(to = cw_csv_reserve(csv, 5))) return csv->err;
    return cw_csv_commit(csv, 0);
}

/* Parse text fed in chunks of `chunk` bytes (0: at once), by cw_csv_feed or written in place
 * (put); returns status, rows in c. */
static cw_status parse_by(const char *text, size_t len, size_t chunk, int in_place, collect *c, cw_csv *csv) {
    memset(c, 0, sizeof *c);
    cw_csv_init(csv, on_row, c);
    if (!chunk) chunk = len ? len : 1;
    cw_status st = CW_OK;
    for (size_t off = 0; off < len && st == CW_OK; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        st = in_place ? put(csv, (const uint8_t *)text + off, n) : cw_csv_feed(csv, (const uint8_t *)text + off, n);
    }
    if (st == CW_OK) st = cw_csv_finish(csv);
    return st;
}

static cw_status parse(const char *text, size_t len, size_t chunk, collect *c, cw_csv *csv) {
    return parse_by(text, len, chunk, 0, c, csv);
}

static void expect(cw_test *t, const char *name, const char *text, size_t len, const char *want) {
    collect c;
    cw_csv csv;
    cw_status st = parse(text, len, 0, &c, &csv);
    CW_CHECK(t, st == CW_OK && strcmp(c.out, want) == 0, "%s: status %d, got\n%s\nwant\n%s", name, st,
             c.out, want);
    cw_csv_free(&csv);
    /* every split point, and every chunk size up to 7, fed or written in place, gives the same parse */
    for (size_t chunk = 1; chunk <= 7 && chunk < len; chunk++) {
        for (int in_place = 0; in_place < 2; in_place++) {
            parse_by(text, len, chunk, in_place, &c, &csv);
            CW_CHECK(t, strcmp(c.out, want) == 0, "%s with %zu-byte chunks%s: got\n%s", name, chunk,
                     in_place ? " in place" : "", c.out);
            cw_csv_free(&csv);
        }
    }
    parse_by(text, len, 0, 1, &c, &csv);
    CW_CHECK(t, strcmp(c.out, want) == 0, "%s in place at once: got\n%s", name, c.out);
    cw_csv_free(&csv);
    /* The reader holds back its first 64 KiB to sniff the delimiter, so the splits above only
     * reach the parser when the held bytes are flushed: here, after the first part (from 4
     * bytes on, so that a BOM is whole), with the delimiter the whole parse chose. */
    char delim = 0;
    parse(text, len, 0, &c, &csv);
    delim = csv.delim;
    cw_csv_free(&csv);
    for (size_t cut = 1; cut < len; cut++) {
        for (int flush = 0; flush < 2; flush++) {
            if (flush && cut < 4) continue;
            memset(&c, 0, sizeof c);
            cw_csv_init(&csv, on_row, &c);
            if (flush) cw_csv_set_delimiter(&csv, delim);
            cw_csv_feed(&csv, (const uint8_t *)text, cut);
            if (flush) cw_csv_flush(&csv);
            cw_csv_feed(&csv, (const uint8_t *)text + cut, len - cut);
            cw_csv_finish(&csv);
            CW_CHECK(t, strcmp(c.out, want) == 0, "%s split at %zu%s: got\n%s", name, cut,
                     flush ? " (flushed)" : "", c.out);
            cw_csv_free(&csv);
        }
    }
}

#define EXPECT(t, name, lit, want) expect(t, name, lit, sizeof(lit) - 1, want)

static void refuse(cw_test *t, const char *name, const char *text, size_t len, cw_status want_st,
                   const char *want_msg, long want_line) {
    collect c;
    cw_csv csv;
    for (int in_place = 0; in_place < 2; in_place++) {
        cw_status st = parse_by(text, len, 0, in_place, &c, &csv);
        CW_CHECK(t, st == want_st && strstr(csv.msg, want_msg) && csv.err_line == want_line,
                 "%s%s: status %d line %ld msg '%s'", name, in_place ? " in place" : "", st, csv.err_line,
                 csv.msg);
        cw_csv_free(&csv);
    }
}

/* ---- a long random input against a small reference parser --------------------------------
 * The reader has a fast path for rows without quotes (64-byte stop masks) and falls back to the
 * general one; inputs of a few bytes never leave the first 64-byte window, so this one is long
 * (longer than the 64 KiB held back for sniffing, so that chunk boundaries reach the parser)
 * and mixes everything: quoted fields with delimiters, doubled quotes and line breaks, literal
 * quotes inside unquoted fields, LF/CRLF/lone CR, blank lines, fields longer than 64 bytes. */
typedef struct {
    char *out;
    size_t len, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        while (b->len + n + 1 > b->cap) b->cap = b->cap ? 2 * b->cap : 4096;
        b->out = realloc(b->out, b->cap);
    }
    memcpy(b->out + b->len, s, n);
    b->len += n;
    b->out[b->len] = '\0';
}

static void sb_line(sbuf *b, long line) {
    char num[24];
    sb_put(b, num, (size_t)snprintf(num, sizeof num, "%ld:", line));
}

/* Batches of rows (cw_csv_set_rows), written out as sb_row writes single rows. */
static cw_status sb_rows(void *ctx, cw_csv *csv, const char *text, const uint32_t *ends, int stride, int nrows,
                       long line) {
    sbuf *b = ctx;
    for (int r = 0; r < nrows; r++) {
        const uint32_t *e = ends + (size_t)r * (size_t)stride;
        sb_line(b, line + r);
        for (int j = 0; j < csv->width; j++) {
            if (j) sb_put(b, "\x1f", 1);
            uint32_t from = e[j] + 1u;
            sb_put(b, text + from, e[j + 1] - from);
        }
        sb_put(b, "\x1e", 1);
    }
    return CW_OK;
}

static cw_status sb_row(void *ctx, cw_csv *csv, const cw_row *row) {
    (void)csv;
    sbuf *b = ctx;
    sb_line(b, row->line);
    for (int i = 0; i < row->nfields; i++) {
        if (i) sb_put(b, "\x1f", 1);
        sb_put(b, row->text + row->start[i], row->len[i]);
    }
    sb_put(b, "\x1e", 1);
    return CW_OK;
}

/* RFC 4180 as the reader reads it, one byte at a time, in the same output format as sb_row. */
static void reference(const char *s, size_t n, char d, sbuf *b) {
    size_t i = 0;
    long line = 1;
    sbuf row = {0};
    while (i < n) {
        long row_line = line;
        int nf = 0, blank = 0;
        row.len = 0;
        for (;;) {
            size_t field_start = row.len;
            int quoted = i < n && s[i] == '"';
            if (quoted) {
                for (i++; i < n;) {
                    if (s[i] == '"') {
                        if (i + 1 < n && s[i + 1] == '"') {
                            sb_put(&row, "\"", 1);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
                        sb_put(&row, s + i, 2);
                        i += 2;
                        line++;
                        continue;
                    }
                    if (s[i] == '\n' || s[i] == '\r') line++;
                    sb_put(&row, s + i, 1);
                    i++;
                }
            } else {
                while (i < n && s[i] != d && s[i] != '\n' && s[i] != '\r') sb_put(&row, s + i++, 1);
            }
            nf++;
            blank = nf == 1 && !quoted && row.len == field_start;
            if (i < n && s[i] == d) {
                sb_put(&row, "\x1f", 1);
                i++;
                continue;
            }
            if (i < n) i += s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
            line++;
            break;
        }
        if (nf == 1 && blank) continue;
        sb_line(b, row_line);
        if (row.len) sb_put(b, row.out, row.len);
        sb_put(b, "\x1e", 1);
    }
    free(row.out);
}

static unsigned rnd(unsigned *s) {
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

/* mostly_plain: 19 rows in 20 are three short unquoted fields ending in plain_end (LF or CRLF:
 * what the block-wise fast path takes), the rest anything; otherwise every row is anything. */
static void random_csv(unsigned seed, int mostly_plain, const char *plain_end, sbuf *b) {
    static const char *const plain[] = {"0", "1", "12.59", "-3.5", "control", "treatment_b", "", "NA",
                                        "x y", "a\"b", "10000001", "mobile"};
    static const char *const quoted[] = {"\"x,y\"", "\"he said \"\"hi\"\"\"", "\"l1\nl2\"", "\"l1\r\nl2\"",
                                         "\"cr\rin\"", "\"\"", "\"\"\"\"", "\"plain\""};
    static const char *const ends[] = {"\n", "\n", "\n", "\r\n", "\r"};
    unsigned s = seed;
    for (int r = 0; r < 3000 + 3000 * mostly_plain; r++) { /* past the 64 KiB held back to sniff */
        if (mostly_plain && rnd(&s) % 20) {
            for (int f = 0; f < 3; f++) {
                const char *t = plain[rnd(&s) % 12];
                if (f) sb_put(b, ",", 1);
                sb_put(b, t, strlen(t));
            }
            sb_put(b, plain_end, strlen(plain_end));
            continue;
        }
        int nf = rnd(&s) % 10 < 6 ? 3 : 1 + (int)(rnd(&s) % 7); /* 3: the batches' width below */
        if (rnd(&s) % 40 == 0) nf = 0; /* a blank line */
        for (int f = 0; f < nf; f++) {
            if (f) sb_put(b, ",", 1);
            unsigned k = rnd(&s) % 100;
            if (k < 70) {
                const char *t = plain[rnd(&s) % 12];
                sb_put(b, t, strlen(t));
            } else if (k < 90) {
                const char *t = quoted[rnd(&s) % 8];
                sb_put(b, t, strlen(t));
            } else { /* a long field crossing 64-byte windows */
                int len = 40 + (int)(rnd(&s) % 150);
                for (int i = 0; i < len; i++) sb_put(b, &"abcdefgh.-"[rnd(&s) % 10], 1);
            }
        }
        const char *e = ends[rnd(&s) % 5];
        sb_put(b, e, strlen(e));
    }
    if (seed % 2) b->len -= b->out[b->len - 1] == '\n' && b->out[b->len - 2] != '\r'; /* no final newline */
}

static void random_inputs(cw_test *t) {
    static const size_t chunks[] = {0, 1, 2, 3, 5, 7, 13, 63, 64, 65, 100, 1000, 4096};
    for (unsigned seed = 1; seed <= 14; seed++) { /* 11-14: CRLF files (the first line's ending) */
        sbuf text = {0}, want = {0};
        random_csv(seed, seed > 6, seed > 10 ? "\r\n" : "\n", &text);
        reference(text.out, text.len, ',', &want);
        for (size_t k = 0; k < 4 * sizeof chunks / sizeof *chunks; k++) {
            size_t chunk = chunks[k / 4] ? chunks[k / 4] : text.len;
            int batches = k % 2, in_place = k / 2 % 2;
            sbuf got = {0};
            cw_csv csv;
            cw_csv_init(&csv, sb_row, &got);
            cw_csv_set_delimiter(&csv, ',');
            if (batches) cw_csv_set_rows(&csv, sb_rows, 3);
            cw_status st = CW_OK;
            for (size_t off = 0; off < text.len && st == CW_OK; off += chunk) {
                const uint8_t *at = (const uint8_t *)text.out + off;
                size_t n = text.len - off < chunk ? text.len - off : chunk;
                st = in_place ? put(&csv, at, n) : cw_csv_feed(&csv, at, n);
            }
            if (st == CW_OK) st = cw_csv_finish(&csv);
            CW_CHECK(t, st == CW_OK && got.len == want.len && memcmp(got.out, want.out, want.len) == 0,
                     "random input %u (%zu bytes) in %zu-byte chunks%s%s: status %d '%s', %zu bytes of rows, want %zu",
                     seed, text.len, chunk, batches ? " with batches" : "", in_place ? " in place" : "", st,
                     csv.msg, got.len, want.len);
            CW_CHECK(t, csv.bytes == text.len, "random input %u: %llu bytes counted, %zu fed", seed,
                     (unsigned long long)csv.bytes, text.len);
            cw_csv_free(&csv);
            free(got.out);
        }
        free(text.out);
        free(want.out);
    }
}

/* Misuse of reserve / commit is an error that stops the reader, never a write out of bounds
 * (the sanitizers watch), and a failed reserve says why. */
static void reserve_misuse(cw_test *t) {
    collect c = {0};
    cw_csv csv;
    cw_csv_init(&csv, on_row, &c);
    cw_status st = cw_csv_commit(&csv, 0);
    CW_CHECK(t, st == CW_ERR_STATE && csv.stopped && strstr(csv.msg, "without a reserve"),
             "commit before any reserve: %d '%s'", st, csv.msg);
    CW_CHECK(t, cw_csv_reserve(&csv, 4) == NULL && csv.err == CW_ERR_STATE, "reserve after a stop: %d", csv.err);
    cw_csv_free(&csv);

    cw_csv_init(&csv, on_row, &c);
    uint8_t *to = cw_csv_reserve(&csv, 10);
    CW_CHECK(t, to != NULL, "reserve 10");
    if (to) memcpy(to, "a,b\n1,2\n", 8);
    st = cw_csv_commit(&csv, 11);
    CW_CHECK(t, st == CW_ERR_STATE && strstr(csv.msg, "11 bytes committed where 10 were reserved"),
             "commit past the reserve: %d '%s'", st, csv.msg);
    CW_CHECK(t, cw_csv_feed(&csv, (const uint8_t *)"3,4\n", 4) == CW_ERR_STATE, "feed after a bad commit");
    CW_CHECK(t, csv.bytes == 0, "a refused commit counts no bytes: %llu", (unsigned long long)csv.bytes);
    cw_csv_free(&csv);

    /* one commit per reserve; a second reserve replaces the first; flush and finish drop it */
    memset(&c, 0, sizeof c);
    cw_csv_init(&csv, on_row, &c);
    to = cw_csv_reserve(&csv, 100);
    to = cw_csv_reserve(&csv, 8);
    if (to) memcpy(to, "a,b\n1,2\n", 8);
    CW_CHECK(t, to && cw_csv_commit(&csv, 8) == CW_OK && csv.bytes == 8, "reserve twice, commit the second");
    st = cw_csv_commit(&csv, 0);
    CW_CHECK(t, st == CW_ERR_STATE && strstr(csv.msg, "without a reserve"), "a second commit: %d '%s'", st, csv.msg);
    cw_csv_free(&csv);
    cw_csv_init(&csv, on_row, &c);
    cw_csv_reserve(&csv, 100);
    cw_csv_reserve(&csv, 4);
    st = cw_csv_commit(&csv, 5);
    CW_CHECK(t, st == CW_ERR_STATE && strstr(csv.msg, "5 bytes committed where 4"), "the second reserve rules: '%s'",
             csv.msg);
    cw_csv_free(&csv);
    for (int finish = 0; finish < 2; finish++) {
        cw_csv_init(&csv, on_row, &c);
        cw_csv_reserve(&csv, 4);
        if (finish) cw_csv_finish(&csv);
        else cw_csv_flush(&csv);
        st = cw_csv_commit(&csv, 0);
        CW_CHECK(t, st == CW_ERR_STATE && strstr(csv.msg, "without a reserve"), "commit after %s: %d '%s'",
                 finish ? "finish" : "flush", st, csv.msg);
        cw_csv_free(&csv);
    }

    /* a length no buffer can have is out of memory, not a wrapped size */
    cw_csv_init(&csv, on_row, &c);
    CW_CHECK(t, cw_csv_reserve(&csv, SIZE_MAX) == NULL && csv.err == CW_ERR_NOMEM && strstr(csv.msg, "out of memory"),
             "reserve SIZE_MAX: %d '%s'", csv.err, csv.msg);
    CW_CHECK(t, cw_csv_feed(&csv, (const uint8_t *)"a", 1) == CW_ERR_STATE, "feed after out of memory");
    cw_csv_free(&csv);
    cw_csv_init(&csv, on_row, &c);
    CW_CHECK(t, cw_csv_feed(&csv, (const uint8_t *)"a,b\n", 4) == CW_OK &&
                    cw_csv_reserve(&csv, SIZE_MAX - 70) == NULL && csv.err == CW_ERR_NOMEM,
             "reserve near SIZE_MAX after some bytes: %d", csv.err);
    cw_csv_free(&csv);

    /* empty chunks: reserve 0 and commit 0 anywhere change nothing */
    memset(&c, 0, sizeof c);
    cw_csv_init(&csv, on_row, &c);
    st = CW_OK;
    for (int i = 0; i < 3 && st == CW_OK; i++)
        st = cw_csv_reserve(&csv, 0) ? cw_csv_commit(&csv, 0) : csv.err;
    if (st == CW_OK) st = cw_csv_feed(&csv, (const uint8_t *)"a,b\n1,2", 7);
    if (st == CW_OK) st = cw_csv_reserve(&csv, 0) ? cw_csv_commit(&csv, 0) : csv.err;
    if (st == CW_OK) st = cw_csv_finish(&csv);
    CW_CHECK(t, st == CW_OK && strcmp(c.out, "1:a|b\n2:1|2\n") == 0 && csv.bytes == 7, "empty chunks: %d\n%s", st,
             c.out);
    cw_csv_free(&csv);
}

/* ---- encodings ------------------------------------------------------------------------------ */

/* Windows-1252's bytes 0x80-0xFF as UTF-8: the output of tests/oracle/cp1252_table.py (Python's
 * cp1252 codec; its five undefined bytes as the WHATWG index maps them, to the C1 controls). */
static const char cp1252_utf8[] =
    "\xE2\x82\xAC\xC2\x81\xE2\x80\x9A\xC6\x92\xE2\x80\x9E\xE2\x80\xA6"
    "\xE2\x80\xA0\xE2\x80\xA1\xCB\x86\xE2\x80\xB0\xC5\xA0\xE2\x80\xB9"
    "\xC5\x92\xC2\x8D\xC5\xBD\xC2\x8F\xC2\x90\xE2\x80\x98\xE2\x80\x99"
    "\xE2\x80\x9C\xE2\x80\x9D\xE2\x80\xA2\xE2\x80\x93\xE2\x80\x94\xCB"
    "\x9C\xE2\x84\xA2\xC5\xA1\xE2\x80\xBA\xC5\x93\xC2\x9D\xC5\xBE\xC5"
    "\xB8\xC2\xA0\xC2\xA1\xC2\xA2\xC2\xA3\xC2\xA4\xC2\xA5\xC2\xA6\xC2"
    "\xA7\xC2\xA8\xC2\xA9\xC2\xAA\xC2\xAB\xC2\xAC\xC2\xAD\xC2\xAE\xC2"
    "\xAF\xC2\xB0\xC2\xB1\xC2\xB2\xC2\xB3\xC2\xB4\xC2\xB5\xC2\xB6\xC2"
    "\xB7\xC2\xB8\xC2\xB9\xC2\xBA\xC2\xBB\xC2\xBC\xC2\xBD\xC2\xBE\xC2"
    "\xBF\xC3\x80\xC3\x81\xC3\x82\xC3\x83\xC3\x84\xC3\x85\xC3\x86\xC3"
    "\x87\xC3\x88\xC3\x89\xC3\x8A\xC3\x8B\xC3\x8C\xC3\x8D\xC3\x8E\xC3"
    "\x8F\xC3\x90\xC3\x91\xC3\x92\xC3\x93\xC3\x94\xC3\x95\xC3\x96\xC3"
    "\x97\xC3\x98\xC3\x99\xC3\x9A\xC3\x9B\xC3\x9C\xC3\x9D\xC3\x9E\xC3"
    "\x9F\xC3\xA0\xC3\xA1\xC3\xA2\xC3\xA3\xC3\xA4\xC3\xA5\xC3\xA6\xC3"
    "\xA7\xC3\xA8\xC3\xA9\xC3\xAA\xC3\xAB\xC3\xAC\xC3\xAD\xC3\xAE\xC3"
    "\xAF\xC3\xB0\xC3\xB1\xC3\xB2\xC3\xB3\xC3\xB4\xC3\xB5\xC3\xB6\xC3"
    "\xB7\xC3\xB8\xC3\xB9\xC3\xBA\xC3\xBB\xC3\xBC\xC3\xBD\xC3\xBE\xC3"
    "\xBF";

static void utf8_check_cases(cw_test *t) {
    static const struct {
        const char *name, *text;
        size_t len, bad;
        int cut, multibyte;
    } cases[] = {
        {"ascii", "abc", 3, 3, 0, 0},
        {"2-byte", "a\xC3\xA9" "b", 4, 4, 0, 1},
        {"3-byte", "\xE2\x82\xAC", 3, 3, 0, 1},
        {"4-byte", "\xF0\x9F\x98\x80!", 5, 5, 0, 1},
        {"top of Unicode", "\xF4\x8F\xBF\xBF", 4, 4, 0, 1},
        {"above Unicode", "\xF4\x90\x80\x80", 4, 0, 0, 0},
        {"lone continuation", "ab\x80", 3, 2, 0, 0},
        {"overlong 2-byte", "\xC0\x80", 2, 0, 0, 0},
        {"overlong C1", "\xC1\xBF", 2, 0, 0, 0},
        {"overlong 3-byte", "\xE0\x80\x80", 3, 0, 0, 0},
        {"overlong 4-byte", "\xF0\x80\x80\x80", 4, 0, 0, 0},
        {"surrogate", "x\xED\xA0\x80", 4, 1, 0, 0},
        {"last before surrogates", "\xED\x9F\xBF", 3, 3, 0, 1},
        {"F5", "\xF5\x80\x80\x80", 4, 0, 0, 0},
        {"FF", "\xFF", 1, 0, 0, 0},
        {"cut 2-byte", "ab\xC3", 3, 2, 1, 0},
        {"cut 3-byte", "\xC3\xA9\xE2\x82", 4, 2, 1, 1},
        {"cut 4-byte", "\xF0\x9F\x98", 3, 0, 1, 0},
        {"bad second byte", "\xC3(", 2, 0, 0, 0},
        {"bad third byte", "\xE2\x82(", 3, 0, 0, 0},
        {"long ascii then bad", "0123456789abcdefghij\xE9" "(", 22, 20, 0, 0},
        {"long ascii then cut", "0123456789abcdefghij\xE9", 21, 20, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int cut = -1, multibyte = 0;
        size_t bad = cw_utf8_check((const unsigned char *)cases[i].text, cases[i].len, &cut, &multibyte);
        CW_CHECK(t, bad == cases[i].bad && cut == cases[i].cut && multibyte == cases[i].multibyte,
                 "utf8 %s: stops at %zu (want %zu), cut %d (want %d), multibyte %d (want %d)", cases[i].name,
                 bad, cases[i].bad, cut, cases[i].cut, multibyte, cases[i].multibyte);
    }
}

static void cp1252_table(cw_test *t) {
    unsigned char buf[512];
    for (int b = 0; b < 128; b++) buf[b] = (unsigned char)(0x80 + b);
    size_t extra = cw_cp1252_extra(buf, 128);
    CW_CHECK(t, 128 + extra == sizeof cp1252_utf8 - 1, "cp1252 table: %zu UTF-8 bytes, want %zu", 128 + extra,
             sizeof cp1252_utf8 - 1);
    cw_cp1252_to_utf8(buf, 128, extra);
    CW_CHECK(t, 128 + extra == sizeof cp1252_utf8 - 1 && memcmp(buf, cp1252_utf8, 128 + extra) == 0,
             "cp1252 table: bytes 0x80-0xFF do not become the WHATWG code points");
    /* ASCII around them stays in place */
    memcpy(buf, "a\xE9" "b\x80", 4);
    extra = cw_cp1252_extra(buf, 4);
    cw_cp1252_to_utf8(buf, 4, extra);
    CW_CHECK(t, extra == 3 && memcmp(buf, "a\xC3\xA9" "b\xE2\x82\xAC", 7) == 0, "cp1252 mixed with ASCII");
}

/* A Windows-1252 byte that first appears after the 64 KiB held back for sniffing, and a UTF-8
 * character cut by a chunk's end there: the encoding is decided, and text turned, chunk by
 * chunk. */
static void encoding_after_start(cw_test *t) {
    sbuf b = {0};
    sb_put(&b, "name,n\n", 7);
    while (b.len < 70000) sb_put(&b, "plain,1\n", 8);
    size_t plain = b.len;
    for (int enc = 0; enc < 2; enc++) {
        b.len = plain;
        if (enc) sb_put(&b, "Caf\xC3\xA9,2\n", 8);
        else sb_put(&b, "Caf\xE9,2\n", 7);
        for (size_t chunk = 4093; chunk <= 65537; chunk += 61444) {
            for (size_t shift = 0; shift < 4; shift++) {
                sbuf rows = {0};
                cw_csv csv;
                cw_csv_init(&csv, sb_row, &rows);
                /* the first chunk ends before, inside and after the last row's non-ASCII character */
                size_t first = b.len - 7 + shift;
                cw_status st = cw_csv_feed(&csv, (const uint8_t *)b.out, first);
                for (size_t off = first; off < b.len && st == CW_OK; off += chunk) {
                    size_t n = b.len - off < chunk ? b.len - off : chunk;
                    st = cw_csv_feed(&csv, (const uint8_t *)b.out + off, n);
                }
                if (st == CW_OK) st = cw_csv_finish(&csv);
                const char *last = rows.len >= 8 ? rows.out + rows.len - 8 : "";
                CW_CHECK(t, st == CW_OK && strcmp(last, "Caf\xC3\xA9\x1f" "2\x1e") == 0 && csv.bytes == b.len &&
                                strcmp(cw_csv_encoding(&csv), enc ? "utf-8" : "windows-1252") == 0,
                         "%s after 64 KiB, chunks from %zu: status %d, encoding %s, bytes %llu of %zu, "
                         "last row '%s'",
                         enc ? "UTF-8" : "Windows-1252", first, st, cw_csv_encoding(&csv),
                         (unsigned long long)csv.bytes, b.len, last);
                free(rows.out);
                cw_csv_free(&csv);
            }
        }
    }
    free(b.out);
}

static void encodings(cw_test *t) {
    utf8_check_cases(t);
    cp1252_table(t);
    EXPECT(t, "windows-1252", "v,y\nContr\xF4le,1\nB,0\n", "1:v|y\n2:Contr\xC3\xB4le|1\n3:B|0\n");
    EXPECT(t, "windows-1252 marks", "a,b\n\x80 5,\x93x\x94\n", "1:a|b\n2:\xE2\x82\xAC 5|\xE2\x80\x9Cx\xE2\x80\x9D\n");
    EXPECT(t, "windows-1252 quoted", "a,b\n\"x,\xE9\",1\n", "1:a|b\n2:x,\xC3\xA9|1\n");
    EXPECT(t, "utf-8", "v,y\nContr\xC3\xB4le,1\nB,0\n", "1:v|y\n2:Contr\xC3\xB4le|1\n3:B|0\n");
    EXPECT(t, "utf-8 4-byte", "v\n\xF0\x9F\x98\x80\n", "1:v\n2:\xF0\x9F\x98\x80\n");
    EXPECT(t, "utf-8 bom", "\xEF\xBB\xBF" "v\n\xC3\xA9\n", "1:v\n2:\xC3\xA9\n");
    /* a UTF-8 lead byte cut by the end of the file, or followed by no continuation: Windows-1252 */
    EXPECT(t, "lead byte at the end", "a\n\xC3", "1:a\n2:\xC3\x83\n");
    EXPECT(t, "lead byte before a line end", "a\nx\xC3\n", "1:a\n2:x\xC3\x83\n");
    EXPECT(t, "overlong is windows-1252", "a\n\xC0\x80\n", "1:a\n2:\xC3\x80\xE2\x82\xAC\n");
    static const char mixed[] = "a\nContr\xC3\xB4le\nx\xE9\n", bom[] = "\xEF\xBB\xBF" "a\nb\n\xE9\n";
    refuse(t, "utf-8 then not", mixed, sizeof mixed - 1, CW_ERR_ENCODING, "byte 0xE9 is not UTF-8", 3);
    refuse(t, "bom then not", bom, sizeof bom - 1, CW_ERR_ENCODING, "mixes two encodings", 3);
    encoding_after_start(t);
}

void test_csv(cw_test *t) {
    EXPECT(t, "plain", "a,b\n1,2\n3,4\n", "1:a|b\n2:1|2\n3:3|4\n");
    EXPECT(t, "no final newline", "a,b\n1,2", "1:a|b\n2:1|2\n");
    EXPECT(t, "crlf", "a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n");
    EXPECT(t, "lone cr", "a,b\r1,2\r", "1:a|b\n2:1|2\n");
    EXPECT(t, "bom", "\xEF\xBB\xBF" "a,b\n1,2\n", "1:a|b\n2:1|2\n");
    EXPECT(t, "quotes", "a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n", "1:a|b\n2:x,y|he said \"hi\"\n");
    EXPECT(t, "newline in quotes", "a,b\n\"l1\nl2\",2\n3,4\n", "1:a|b\n2:l1\nl2|2\n4:3|4\n");
    EXPECT(t, "crlf in quotes", "a,b\r\n\"l1\r\nl2\",2\r\n3,4\r\n", "1:a|b\n2:l1\r\nl2|2\n4:3|4\n");
    EXPECT(t, "blank lines", "a,b\n\n1,2\n\n", "1:a|b\n3:1|2\n");
    EXPECT(t, "empty fields", "a,b,c\n,,\n\"\",x,\n", "1:a|b|c\n2:||\n3:|x|\n");
    EXPECT(t, "semicolon sniffed", "a;b;c\n1,5;2;3\n", "1:a|b|c\n2:1,5|2|3\n");
    EXPECT(t, "tab sniffed", "a\tb\n1\t2\n", "1:a|b\n2:1|2\n");
    EXPECT(t, "pipe sniffed", "a|b\n1|2\n", "1:a|b\n2:1|2\n");
    EXPECT(t, "one column", "a\n1\n2\n", "1:a\n2:1\n3:2\n");

    refuse(t, "utf16", "\xFF\xFE" "a\0,\0b\0", 8, CW_ERR_ENCODING, "UTF-16", 1);
    refuse(t, "gzip", "\x1F\x8B\x08\x00", 4, CW_ERR_ENCODING, "gzip", 1);
    refuse(t, "zip", "PK\x03\x04rest", 8, CW_ERR_ENCODING, "ZIP", 1);
    refuse(t, "nul", "a,b\n1,2\n3\0,4\n", 13, CW_ERR_ENCODING, "binary", 3);
    refuse(t, "open quote", "a,b\n1,\"2\n3,4\n", 13, CW_ERR_ROW, "never closed", 2);
    refuse(t, "after quote", "a,b\n\"1\"x,2\n", 11, CW_ERR_ROW, "after a closing quote", 2);
    encodings(t);
    random_inputs(t);
    reserve_misuse(t);
}
