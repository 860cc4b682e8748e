/* csv.h — the streaming CSV reader: bytes in chunks of any size in, one callback per row out.
 * RFC 4180 quoting, LF/CRLF/CR line ends, UTF-8 BOM, delimiter sniffed from the first lines.
 * Only the fields a caller asks for are copied, so memory is bounded by the widest row. */
#ifndef CW_CSV_H
#define CW_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "causeway.h"

#define CW_CSV_MAX_FIELD (1u << 20) /* a wanted field longer than 1 MiB is an error */
#define CW_CSV_MAX_FIELDS 100000    /* more fields than this in a row is an error */
#define CW_CSV_SNIFF_BYTES 65536    /* bytes looked at to choose the delimiter */

/* One row. Field i's text is text + start[i], length len[i], NUL-terminated; unwanted fields
 * are empty. line is where the row starts (1-based), nfields how many fields it had. */
typedef struct {
    long line;
    int nfields;
    const char *text;
    const size_t *start;
    const size_t *len;
    const unsigned char *quoted;
} cw_row;

typedef struct cw_csv cw_csv;

/* Returns CW_OK to go on; anything else stops the reader and is returned by cw_csv_feed. The
 * callback sets its own message with cw_csv_fail() before returning a status. */
typedef cw_status (*cw_row_fn)(void *ctx, cw_csv *csv, const cw_row *row);

struct cw_csv {
    /* configuration */
    char delim;            /* 0 until sniffed or set */
    cw_row_fn on_row;
    void *ctx;
    unsigned char *want;   /* want[i] != 0: copy field i (NULL: copy every field) */
    int nwant;
    /* parser state */
    int state;
    int after_cr;
    int started;           /* BOM / encoding checked */
    int stopped;           /* a callback or error stopped the reader */
    long line;             /* current physical line */
    long row_line;
    long quote_line;       /* where the open quoted field began */
    int field;             /* index of the field being read */
    int field_wanted;
    uint64_t bytes;        /* bytes consumed */
    long rows;             /* rows delivered (header included) */
    long blank_lines;
    /* current row */
    char *text;
    size_t text_len, text_cap;
    size_t *start, *len;
    unsigned char *quoted;
    int fields_cap;
    /* bytes held back until the delimiter is sniffed */
    unsigned char *pending;
    size_t pending_len, pending_cap;
    /* error */
    char msg[512];
    long err_line, err_column;
};

void cw_csv_init(cw_csv *c, cw_row_fn on_row, void *ctx);
void cw_csv_free(cw_csv *c);
/* Force a delimiter (otherwise sniffed among , ; TAB |). */
void cw_csv_set_delimiter(cw_csv *c, char delim);
/* From the next row on, copy only the fields with want[i] set (want has n entries). */
cw_status cw_csv_want(cw_csv *c, const unsigned char *want, int n);
cw_status cw_csv_feed(cw_csv *c, const uint8_t *data, size_t len);
/* Process bytes held back for sniffing, without ending the input (for a partial file). */
cw_status cw_csv_flush(cw_csv *c);
/* End of input: delivers a last row without a final newline; errors on an open quote. */
cw_status cw_csv_finish(cw_csv *c);
/* Record an error message and place (line, column 1-based; 0 = none); returns status. */
cw_status cw_csv_fail(cw_csv *c, cw_status status, long line, long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

#endif
