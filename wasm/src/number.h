/* number.h — reading one CSV field as a number: missing-value tokens, a strict decimal grammar,
 * and strtod for the correctly rounded value. */
#ifndef CW_NUMBER_H
#define CW_NUMBER_H

#include <stddef.h>

typedef enum { CW_NUM_OK, CW_NUM_MISSING, CW_NUM_INVALID } cw_num_kind;

/* s[0..len) is the field text (no terminator needed). Surrounding spaces are ignored. Missing:
 * empty, NA, N/A, NaN, null, NULL, None, "-" (any case). Accepted: [+-]digits[P digits][e[+-]digits]
 * with P the decimal point ('.' or ','); hex, inf and thousands separators are not numbers.
 * A finite double goes to *out. */
cw_num_kind cw_parse_number(const char *s, size_t len, char point, double *out);

/* Trim ASCII spaces and tabs: returns the first kept byte and sets *len. */
static inline const char *cw_trim(const char *s, size_t *len) {
    size_t n = *len;
    while (n > 0 && (*s == ' ' || *s == '\t')) s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    *len = n;
    return s;
}

/* 1 when each of the n fields (text + start[i], len[i]) is a number: a first row like that is
 * data, not column names. */
int cw_fields_all_numeric(const char *text, const size_t *start, const size_t *len, int n, char point);

#endif
