/* arms.h — the arms of an experiment, keyed by the variant column's text through a hash table;
 * each arm holds one set of moments per metric. Arms keep the order of first appearance. */
#ifndef CW_ARMS_H
#define CW_ARMS_H

#include <stddef.h>
#include <stdint.h>

#include "bootstrap.h"
#include "comoments.h"
#include "moments.h"

#define CW_MAX_ARMS 1000

/* One metric in one arm. */
typedef struct {
    cw_moments m;
    int64_t missing;     /* empty or NA-like values */
    int64_t invalid;     /* values that were not numbers (or not 0/1 for a binary metric) */
    int64_t ones;        /* values equal to 1: the successes of a binary metric */
    cw_buckets *boot;    /* bootstrap buckets (only with --bootstrap), allocated on first value */
    cw_moments w;        /* moments of the winsorized values (only with --winsorize) */
    cw_comoments xy;     /* (pre-metric, metric) over rows holding both (only with --pre-metric) */
} cw_cell;

typedef struct {
    char *name;
    size_t name_len;
    uint64_t hash;
    int64_t rows;
    long first_line;
    cw_cell *cell;       /* nmetrics entries */
} cw_arm;

typedef struct {
    cw_arm *arms;        /* in order of first appearance */
    int n, cap;
    int *slots;          /* open addressing: index into arms or -1 */
    int nslots;          /* a power of two, at least 2 * cap */
    int nmetrics;
} cw_arms;

void cw_arms_init(cw_arms *t, int nmetrics);
void cw_arms_free(cw_arms *t);
/* The arm named name[0..len); created when new. Returns its index, -1 out of memory, -2 when
 * CW_MAX_ARMS would be exceeded. */
int cw_arms_get(cw_arms *t, const char *name, size_t len, long line);
/* Index of an existing arm, or -1. */
int cw_arms_find(const cw_arms *t, const char *name, size_t len);

#endif
