/* dp_fixed.h — fixed-point ingestion for private releases (DP-SPEC B1): a number's decimal text
 * goes straight to an integer count of resolution units r = 10^-d, in exact decimal arithmetic,
 * never through a double, so no floating-point value derived from the data exists before noise
 * is added; and exact decimal text back out for released integers. */
#ifndef CW_DP_FIXED_H
#define CW_DP_FIXED_H

#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 cw_dp_i128;

typedef enum {
    CW_FIX_OK,      /* *out holds the value in units */
    CW_FIX_MISSING, /* empty or a missing-value token (the same tokens as number.h) */
    CW_FIX_INVALID, /* not a number in the grammar of number.h (hex, inf, garbage) */
    CW_FIX_RANGE    /* |value| / r > CW_FIX_MAX_UNITS after rounding */
} cw_fix_kind;

typedef enum { CW_ROUND_HALF_EVEN, CW_ROUND_FLOOR, CW_ROUND_CEIL } cw_round;

#define CW_FIX_MAX_UNITS 1000000000000000LL /* 10^15 units: larger magnitudes are dropped */
#define CW_FIX_MIN_D (-6)                   /* coarsest resolution 10^6 */
#define CW_FIX_MAX_D 9                      /* finest resolution 10^-9 */

/* s[0..len) in the grammar of cw_parse_number (number.h): surrounding spaces/tabs ignored,
 * [+-] digits [P digits] [e|E [+-] digits] with P = point ('.' or ','), or P digits; the
 * missing-value tokens of number.h. The value v (exact, any number of digits and any exponent)
 * is written as round(v * 10^d) under `mode` to *out (-0 is 0). Exponents of any size are
 * handled without overflow (a huge exponent is CW_FIX_RANGE, a tiny one rounds to 0 or +-1 by
 * the mode). d in [CW_FIX_MIN_D, CW_FIX_MAX_D]. */
cw_fix_kind cw_fix_parse(const char *s, size_t len, char point, int d, cw_round mode, int64_t *out);

/* A resolution text ("0.01", "1e-2", "1", "100", ".001") that is exactly a power of ten 10^-d
 * with d in [CW_FIX_MIN_D, CW_FIX_MAX_D]: writes d and returns 0; otherwise -1. */
int cw_fix_resolution(const char *s, size_t len, int *d);

/* The exact decimal text of units * 10^-d / 2^half (half = 0 or 1: values of the doubled
 * y-scale are half units), shortest form: no exponent, no trailing zeros after the point, no
 * point when integral, "-" for negatives, never "-0". Returns the length written (NUL
 * terminated), or 0 when size is too small (64 bytes always suffice). */
size_t cw_fix_format(cw_dp_i128 units, int d, int half, char *buf, size_t size);

#endif
