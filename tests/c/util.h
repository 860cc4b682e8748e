/* util.h — helpers shared by the C tests: run a whole CSV text through an analysis in chunks of
 * a chosen size, and find a fixture file. */
#ifndef CW_TEST_UTIL_H
#define CW_TEST_UTIL_H

#include <stddef.h>

#include "causeway.h"

/* Options as a NULL-terminated list of name, value pairs. Returns the status; *out is the
 * analysis (caller frees). chunk = 0 feeds everything at once. */
cw_status run_csv(const char *csv, size_t len, size_t chunk, const char *const *opts, cw_analysis **out);

/* Read a whole file (NUL-terminated); NULL when missing. *len gets its size. */
char *read_file(const char *path, size_t *len);

/* "$CW_FIXTURES/name" or "tests/fixtures/name" into buf. */
const char *fixture_path(const char *name, char *buf, size_t size);

#endif
