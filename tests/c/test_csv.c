/* test_csv.c — the streaming reader: RFC 4180 quoting, line ends, BOM, sniffing, refusals, and
 * the property that any split of the input into chunks gives the same rows. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "test.h"

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

/* Parse text fed in chunks of `chunk` bytes (0: at once); returns status, rows in c. */
static cw_status parse(const char *text, size_t len, size_t chunk, collect *c, cw_csv *csv) {
    memset(c, 0, sizeof *c);
    cw_csv_init(csv, on_row, c);
    if (!chunk) chunk = len ? len : 1;
    cw_status st = CW_OK;
    for (size_t off = 0; off < len && st == CW_OK; off += chunk)
        st = cw_csv_feed(csv, (const uint8_t *)text + off, len - off < chunk ? len - off : chunk);
    if (st == CW_OK) st = cw_csv_finish(csv);
    return st;
}

static void expect(cw_test *t, const char *name, const char *text, size_t len, const char *want) {
    collect c;
    cw_csv csv;
    cw_status st = parse(text, len, 0, &c, &csv);
    CW_CHECK(t, st == CW_OK && strcmp(c.out, want) == 0, "%s: status %d, got\n%s\nwant\n%s", name, st,
             c.out, want);
    cw_csv_free(&csv);
    /* every split point, and every chunk size up to 7, gives the same parse */
    for (size_t chunk = 1; chunk <= 7 && chunk < len; chunk++) {
        parse(text, len, chunk, &c, &csv);
        CW_CHECK(t, strcmp(c.out, want) == 0, "%s with %zu-byte chunks: got\n%s", name, chunk, c.out);
        cw_csv_free(&csv);
    }
    for (size_t cut = 1; cut < len; cut++) {
        memset(&c, 0, sizeof c);
        cw_csv_init(&csv, on_row, &c);
        cw_csv_feed(&csv, (const uint8_t *)text, cut);
        cw_csv_feed(&csv, (const uint8_t *)text + cut, len - cut);
        cw_csv_finish(&csv);
        CW_CHECK(t, strcmp(c.out, want) == 0, "%s split at %zu: got\n%s", name, cut, c.out);
        cw_csv_free(&csv);
    }
}

#define EXPECT(t, name, lit, want) expect(t, name, lit, sizeof(lit) - 1, want)

static void refuse(cw_test *t, const char *name, const char *text, size_t len, cw_status want_st,
                   const char *want_msg, long want_line) {
    collect c;
    cw_csv csv;
    cw_status st = parse(text, len, 0, &c, &csv);
    CW_CHECK(t, st == want_st && strstr(csv.msg, want_msg) && csv.err_line == want_line,
             "%s: status %d line %ld msg '%s'", name, st, csv.err_line, csv.msg);
    cw_csv_free(&csv);
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
}
