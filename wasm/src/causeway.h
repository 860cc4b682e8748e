/* causeway.h — the public C API of the Causeway core: the only header the CLI, the WASM
 * boundary and the tests include. Bytes go in (in chunks of any size), a JSON result comes out.
 *
 * Ownership: every object is created by a cw_*_new() and freed by its cw_*_free(); strings
 * returned by accessors belong to the object and live until the next call on it or its free.
 * No function prints, exits, aborts or touches global mutable state. */
#ifndef CAUSEWAY_H
#define CAUSEWAY_H

#include <stddef.h>
#include <stdint.h>

#define CW_VERSION "0.1.0"
#define CW_SCHEMA "causeway.result/1"

/* Status codes. cw_strerror() gives a generic sentence; objects carry a specific message. */
typedef enum {
    CW_OK = 0,
    CW_ERR_NOMEM,        /* out of memory */
    CW_ERR_OPTION,       /* unknown option or bad option value */
    CW_ERR_STATE,        /* call made in the wrong order (e.g. set after feed) */
    CW_ERR_ENCODING,     /* UTF-16, compressed or binary input */
    CW_ERR_EMPTY,        /* no bytes, or only blank lines */
    CW_ERR_NO_DATA,      /* a header but no data rows */
    CW_ERR_COLUMN,       /* a named column is not in the header */
    CW_ERR_ROW,          /* malformed row (field count, unterminated quote, field too long) */
    CW_ERR_VALUES,       /* a metric has no usable value at all */
    CW_ERR_ARMS,         /* control missing, a single arm, or too many arms */
    CW_AGAIN,            /* not an error: feed the same input again from its first byte, then
                          * finish again (winsorizing and covariates read the input three times) */
    CW_STATUS_COUNT
} cw_status;

const char *cw_strerror(cw_status status);

/* ---- analysis: set options, feed bytes, finish, read the JSON result ------------------- */
typedef struct cw_analysis cw_analysis;

cw_analysis *cw_analysis_new(void);
void cw_analysis_free(cw_analysis *a);

/* Options are name/value strings, the same names as the CLI flags without "--" (causeway
 * --help lists them): variant COL, control LABEL, metric COL[:binary|:continuous][,COL...]
 * (repeatable), alpha A, correction, split, fisher, bootstrap, seed, winsorize,
 * winsorize-tail, covariates C1,C2,..., adjust lin|additive, pre-metric COL, and file NAME
 * (echoed in the result only).
 * Must be called before the first cw_analysis_feed(). */
cw_status cw_analysis_set(cw_analysis *a, const char *name, const char *value);

/* Feed the next chunk of the file; chunks may split rows, fields and UTF-8 sequences anywhere. */
cw_status cw_analysis_feed(cw_analysis *a, const uint8_t *data, size_t len);

/* The same without a copy, for a caller that writes the chunk itself (a file read, the page's
 * copy out of a JS array): cw_analysis_reserve returns where up to len bytes may be written
 * (the end of the CSV reader's own buffer), and cw_analysis_commit(a, n) then reads the first
 * n <= len of them exactly as cw_analysis_feed would read those n bytes (feed is reserve +
 * memcpy + commit). The pointer is valid until the next call on the analysis: make none in
 * between. NULL means the analysis has failed (an earlier error, finished, bad options, out of
 * memory): cw_analysis_commit then returns that status and cw_analysis_error() says why. A
 * commit without a reserve just before it, or of more than was reserved, is CW_ERR_STATE. */
uint8_t *cw_analysis_reserve(cw_analysis *a, size_t len);
cw_status cw_analysis_commit(cw_analysis *a, size_t len);

/* End of input: validate, compute the estimates and build the result JSON. Returns CW_AGAIN
 * when the options need another read of the same input (see cw_analysis_pass). */
cw_status cw_analysis_finish(cw_analysis *a);

/* Which read of the input the analysis expects next: 1, 2, 3 (for progress messages). */
int cw_analysis_pass(const cw_analysis *a);

/* The result JSON (schema docs/result-schema.md) after a successful finish, else NULL. */
const char *cw_analysis_result(const cw_analysis *a);

/* After an error: a sentence naming what went wrong, and where (0 when not applicable). */
const char *cw_analysis_error(const cw_analysis *a);
long cw_analysis_error_line(const cw_analysis *a);
long cw_analysis_error_column(const cw_analysis *a);

/* Bytes consumed so far (for progress). */
double cw_analysis_bytes(const cw_analysis *a);

/* After a private release (--dp-epsilon): a hex SHA-256 of the true aggregates and the
 * declarations that shape them, salted with --dp-session-key. It identifies "the same data" for
 * the page's per-session cache of releases and must stay inside the session (unsalted, it would
 * let anyone test guesses of the true counts); it is never part of the result. "" otherwise. */
const char *cw_analysis_fingerprint(const cw_analysis *a);

/* ---- preview: the first rows and a profile of each column, for guessing roles --------- */
typedef struct cw_preview cw_preview;

/* max_rows: how many data rows to profile (the caller feeds the first slice of the file). */
cw_preview *cw_preview_new(long max_rows);
void cw_preview_free(cw_preview *p);
cw_status cw_preview_feed(cw_preview *p, const uint8_t *data, size_t len);
/* Writing in place, as cw_analysis_reserve / cw_analysis_commit. */
uint8_t *cw_preview_reserve(cw_preview *p, size_t len);
cw_status cw_preview_commit(cw_preview *p, size_t len);
cw_status cw_preview_finish(cw_preview *p, int at_eof);
const char *cw_preview_result(const cw_preview *p);
const char *cw_preview_error(const cw_preview *p);
long cw_preview_error_line(const cw_preview *p);
long cw_preview_error_column(const cw_preview *p);

/* ---- power and sample size (R's power.t.test / power.prop.test) ----------------------- */
typedef struct cw_powercalc cw_powercalc;

cw_powercalc *cw_powercalc_new(void);
void cw_powercalc_free(cw_powercalc *p);
/* Options as the CLI's "power" flags without "--": type means|proportions, solve n|effect|power
 * (default: the one of n, delta/p2, power not given), n, delta, sd, p1, p2, power, alpha,
 * sample two|one|paired, alternative two-sided|one-sided, strict yes|no. */
cw_status cw_powercalc_set(cw_powercalc *p, const char *name, const char *value);
cw_status cw_powercalc_run(cw_powercalc *p);
const char *cw_powercalc_result(const cw_powercalc *p);
const char *cw_powercalc_error(const cw_powercalc *p);

/* ---- difference in differences (causeway did): long data, two periods ------------------ */
typedef struct cw_did cw_did;

cw_did *cw_did_new(void);
void cw_did_free(cw_did *d);
/* outcome COL, group COL, treated LABEL, period COL, post LABEL | start LABEL [order L1,L2],
 * unit COL, balanced yes|no, covariates C1,C2 (numeric), alpha A, file NAME. Then feed / finish as an analysis (finish asks for two more reads). */
cw_status cw_did_set(cw_did *d, const char *name, const char *value);
cw_status cw_did_feed(cw_did *d, const uint8_t *data, size_t len);
/* Writing in place, as cw_analysis_reserve / cw_analysis_commit. */
uint8_t *cw_did_reserve(cw_did *d, size_t len);
cw_status cw_did_commit(cw_did *d, size_t len);
cw_status cw_did_finish(cw_did *d);
const char *cw_did_result(const cw_did *d);
const char *cw_did_error(const cw_did *d);
long cw_did_error_line(const cw_did *d);
long cw_did_error_column(const cw_did *d);
double cw_did_bytes(const cw_did *d);
int cw_did_pass(const cw_did *d);

/* ---- text shared by every face -------------------------------------------------------- */
const char *cw_version(void);
const char *cw_help_text(void);

#endif
