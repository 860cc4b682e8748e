/* units.h — duplicate unit ids (--unit COL): a set of 64-bit hashes of the id text with the arm
 * each id was first seen in, so rows that repeat an id, and ids that appear in more than one
 * arm, can be counted in one pass. Ids are compared by hash (a false match has probability
 * about n^2 / 2^65: 3e-6 for ten million ids). Memory is capped: past CW_UNITS_MAX distinct ids
 * the check stops and says so. */
#ifndef CW_UNITS_H
#define CW_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define CW_UNITS_MAX (4u << 20) /* distinct ids tracked: 4,194,304 (64 MiB of table at most) */

typedef struct {
    uint64_t *key; /* 0 = empty slot */
    int32_t *arm;
    size_t cap, n;
    int full;                  /* the cap was reached: later ids are not checked */
    int64_t missing;           /* rows with an empty id */
    int64_t repeated;          /* rows whose id was seen before */
    int64_t cross_arm;         /* ids seen in more than one arm (counted once per id and arm change) */
    long first_repeat_line;
    long first_cross_line;
} cw_units;

void cw_units_init(cw_units *u);
void cw_units_free(cw_units *u);
/* Record one row's id. Returns 0, or -1 when out of memory. */
int cw_units_add(cw_units *u, const char *id, size_t len, int arm, long line);

#endif
