/* csv.h — the streaming CSV reader: bytes in chunks of any size in, one callback per row out.
 * RFC 4180 quoting, LF/CRLF/CR line ends, UTF-8 (BOM or not) or Windows-1252 (turned into
 * UTF-8 on the way in), delimiter sniffed from the first lines.
 * Rows are parsed in place in one buffer (the unfinished last row of a chunk + the next chunk),
 * so memory is bounded by the chunk size plus the longest row. */
#ifndef CW_CSV_H
#define CW_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "causeway.h"

#define CW_CSV_MAX_ROW (16u << 20)  /* a row longer than 16 MiB is an error */
#define CW_CSV_MAX_FIELDS 100000    /* more fields than this in a row is an error */
#define CW_CSV_SNIFF_BYTES 65536    /* bytes looked at to choose the delimiter */
#define CW_CSV_PAD 16               /* readable bytes past any field of a delivered row */

/* One row. Field i is text + start[i], len[i] bytes (not NUL-terminated; quotes removed and
 * doubled quotes undone). line is where the row starts (1-based). The reader's rows may be read
 * up to CW_CSV_PAD bytes past the end of any field (the bytes there are unspecified), so that
 * a short field can be loaded a word at a time; rows built elsewhere need not allow this. */
typedef struct {
    long line;
    int nfields;
    const char *text;
    const size_t *start;
    const size_t *len;
} cw_row;

typedef struct cw_csv cw_csv;

/* Returns CW_OK to go on; anything else stops the reader and is returned by cw_csv_feed. */
typedef cw_status (*cw_row_fn)(void *ctx, cw_csv *csv, const cw_row *row);

/* A batch of plain rows (see cw_csv_set_rows): nrows rows of exactly width fields, each on one
 * line (row r is on line first_line + r), none quoted. Row r's entry is e = ends + r * stride:
 * field j is the bytes from text + (uint32_t)(e[j] + 1) to text + e[j + 1]. e[0] is the byte
 * before the row (with stride == width it is the previous row's line end, shared); offsets are
 * uint32_t and may be UINT32_MAX there, so the sums wrap to 0. The same CW_CSV_PAD promise holds.
 * The return value is as for cw_row_fn. */
typedef cw_status (*cw_rows_fn)(void *ctx, cw_csv *csv, const char *text, const uint32_t *ends, int stride,
                                int nrows, long first_line);

/* The file's encoding, decided by its first byte >= 0x80 (csv.c, take_text): text that is
 * valid UTF-8 up to there is UTF-8, and from then on must stay so; text that is not is
 * Windows-1252, and the reader turns it into UTF-8 as it arrives (text.h). */
enum { CW_CSV_ASCII, CW_CSV_UTF8, CW_CSV_CP1252 };

struct cw_csv {
    char delim;            /* 0 until sniffed or set */
    char decimal;          /* decimal point of numbers, '.' or ','; 0 until sniffed or set */
    cw_row_fn on_row;
    void *ctx;
    int started;           /* encoding checked, delimiter chosen */
    int stopped;           /* a callback or an error stopped the reader */
    long line;             /* line of the next row */
    uint64_t bytes;        /* bytes fed */
    long rows;             /* rows delivered (header included) */
    long blank_lines;
    unsigned char *buf;    /* unparsed bytes: at most one unfinished row, then the new chunk */
    size_t len, cap;
    size_t *start, *flen;  /* per field of the current row */
    int fields_cap;
    cw_rows_fn on_rows;    /* batches of plain rows of `width` fields (cw_csv_set_rows), or NULL */
    int width, batch_rows;
    int crlf;              /* the first line ends in CRLF: flat_rows expects CRLF rows */
    uint32_t *ends;        /* the batch's offsets (ends_cap entries) */
    size_t ends_cap;
    int enc;               /* CW_CSV_ASCII until a byte >= 0x80, then CW_CSV_UTF8 or CW_CSV_CP1252 */
    size_t cut;            /* the buffer's last bytes begin a UTF-8 sequence the next chunk ends */
    size_t reserved;       /* what cw_csv_reserve made room for, while reserving */
    int reserving;         /* a reserve waits for its commit */
    char msg[512];
    long err_line, err_column;
    cw_status err;         /* the status of the last cw_csv_fail */
};

void cw_csv_init(cw_csv *c, cw_row_fn on_row, void *ctx);
void cw_csv_free(cw_csv *c);
/* From now on, deliver plain rows of exactly width (>= 2) fields in batches to on_rows, in order
 * with the rows that still go to on_row (quoted, other widths, blank lines, the end of input):
 * one call per batch instead of one per row. May be called from on_row. */
cw_status cw_csv_set_rows(cw_csv *c, cw_rows_fn on_rows, int width);
/* Force a delimiter (otherwise sniffed among , ; TAB |). */
void cw_csv_set_delimiter(cw_csv *c, char delim);
/* Force the decimal point (otherwise ',' when the delimiter is not ',' and numbers look so). */
void cw_csv_set_decimal(cw_csv *c, char point);
cw_status cw_csv_feed(cw_csv *c, const uint8_t *data, size_t len);
/* Feeding without a copy, for a caller that can write the chunk itself (a file read, a copy
 * out of a JS array): cw_csv_reserve returns where up to len bytes may be written (the end of
 * the reader's own buffer, after the unfinished row the next chunk continues), and
 * cw_csv_commit(c, n) then reads the first n <= len of them as cw_csv_feed would. The pointer is
 * valid until the next call on the reader: any call may move the buffer, and flush or finish
 * drop the reservation. NULL means the reader has stopped or memory ran out (c->err says which,
 * c->msg why). A commit without a reserve just before it, or of more than was reserved, is a
 * CW_ERR_STATE error that stops the reader. cw_csv_feed is reserve + memcpy + commit. */
uint8_t *cw_csv_reserve(cw_csv *c, size_t len);
cw_status cw_csv_commit(cw_csv *c, size_t len);
/* Process bytes held back for sniffing, without ending the input (for a partial file). */
cw_status cw_csv_flush(cw_csv *c);
/* End of input: delivers a last row without a final newline; errors on an open quote. */
cw_status cw_csv_finish(cw_csv *c);
/* The encoding the file was read in: "windows-1252", or "utf-8" (ASCII included). */
const char *cw_csv_encoding(const cw_csv *c);
/* Record an error message and place (line, column 1-based; 0 = none); returns status. */
cw_status cw_csv_fail(cw_csv *c, cw_status status, long line, long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

#endif
