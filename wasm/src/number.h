/* number.h — reading one CSV field as a number: missing-value tokens, a strict decimal grammar,
 * and strtod for the correctly rounded value. */
#ifndef CW_NUMBER_H
#define CW_NUMBER_H

#include <stddef.h>
#include <stdint.h>

typedef enum { CW_NUM_OK, CW_NUM_MISSING, CW_NUM_INVALID } cw_num_kind;

/* s[0..len) is the field text (no terminator needed). Surrounding spaces are ignored. Missing:
 * empty, NA, N/A, NaN, null, NULL, None, "-" (any case). Accepted: [+-]digits[P digits][e[+-]digits]
 * with P the decimal point ('.' or ','); hex, inf and thousands separators are not numbers.
 * A finite double goes to *out. */
cw_num_kind cw_parse_number_slow(const char *s, size_t len, char point, double *out);

/* 1 when s[0..n) (already trimmed) is empty or one of the missing-value tokens above, any case
 * (shared with dp_fixed.c, so both readers drop the same fields). */
int cw_is_missing(const char *s, size_t n);

/* The common fields -- at most 15 digits with an optional sign and one decimal point, nothing
 * else -- are converted inline, exactly (Clinger's fast path: an integer below 2^53 times or
 * divided by an exact power of ten is one correctly rounded operation); the rest go to
 * cw_parse_number_slow. */
static inline cw_num_kind cw_parse_number(const char *s, size_t len, char point, double *out) {
    static const double p10[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (len == 1 && s[0] >= '0' && s[0] <= '9') { /* 0/1 metrics: the most common field */
        *out = s[0] - '0';
        return CW_NUM_OK;
    }
    size_t i = 0;
    int neg = 0, frac = -1, digits = 0;
    uint64_t m = 0;
    if (len > 0 && s[0] == '-') neg = 1, i = 1;
    for (; i < len; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d < 10) {
            m = m * 10 + d;
            digits++;
        } else if (s[i] == point && frac < 0) {
            frac = digits;
        } else {
            return cw_parse_number_slow(s, len, point, out);
        }
    }
    if (digits == 0 || digits > 15) return cw_parse_number_slow(s, len, point, out);
    double x = frac < 0 ? (double)m : (double)m / p10[digits - frac];
    *out = neg ? -x : x;
    return CW_NUM_OK;
}

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
