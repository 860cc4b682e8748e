/* number.h — reading one CSV field as a number: missing-value tokens, a strict decimal grammar,
 * and strtod for the correctly rounded value. */
#ifndef CW_NUMBER_H
#define CW_NUMBER_H

#include <stddef.h>

typedef enum { CW_NUM_OK, CW_NUM_MISSING, CW_NUM_INVALID } cw_num_kind;

/* s[0..len) is the field text (no terminator needed). Surrounding spaces are ignored. Missing:
 * empty, NA, N/A, NaN, null, NULL, None, "-" (any case). Accepted: [+-]digits[.digits][e[+-]digits]
 * (hex, inf, thousands separators are not numbers). A finite double goes to *out. */
cw_num_kind cw_parse_number(const char *s, size_t len, double *out);

/* Trim ASCII spaces and tabs: returns the first kept byte and sets *len. */
static inline const char *cw_trim(const char *s, size_t *len) {
    size_t n = *len;
    while (n > 0 && (*s == ' ' || *s == '\t')) s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    *len = n;
    return s;
}

#endif
