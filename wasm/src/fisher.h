/* fisher.h — Fisher's exact test for a 2x2 table of counts, two-sided, as R's fisher.test.
 * Fills a caller-owned cw_fisher; allocates nothing. Cost is O(min(support, ~40 sd)) of the
 * hypergeometric distribution: about 10^4 steps for a 10^6-row table. */
#ifndef CW_FISHER_H
#define CW_FISHER_H

#include <stdint.h>

typedef struct {
    double p_value;          /* two-sided, in [0, 1] */
    const char *unavailable; /* NULL, or why (a negative count) */
} cw_fisher;

/* The table [[n11, n12], [n21, n22]] (rows: arms, columns: success, failure). */
void cw_fisher_2x2(int64_t n11, int64_t n12, int64_t n21, int64_t n22, cw_fisher *out);

#endif
