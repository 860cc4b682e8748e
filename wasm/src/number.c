/* number.c — field text to double (see number.h). The grammar check comes first so that strtod
 * never sees hex floats, "inf" or trailing garbage; strtod then rounds correctly (C11 7.22.1.3). */
#include "number.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *cw_trim(const char *s, size_t *len) {
    size_t n = *len;
    while (n > 0 && (*s == ' ' || *s == '\t')) s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    *len = n;
    return s;
}

/* ASCII case-insensitive equality of s[0..n) with the NUL-terminated token. */
static int same_token(const char *s, size_t n, const char *token) {
    for (size_t i = 0; i < n; i++) {
        char a = s[i], b = token[i];
        if (b == '\0') return 0;
        if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z') b = (char)(b - 'A' + 'a');
        if (a != b) return 0;
    }
    return token[n] == '\0';
}

static int is_missing(const char *s, size_t n) {
    static const char *const tokens[] = {"NA", "N/A", "NaN", "null", "None", "-", "#N/A"};
    if (n == 0) return 1;
    for (size_t k = 0; k < sizeof tokens / sizeof *tokens; k++)
        if (same_token(s, n, tokens[k])) return 1;
    return 0;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)? over exactly n bytes. */
static int is_decimal(const char *s, size_t n) {
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    while (i < n && is_digit(s[i])) i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && is_digit(s[i])) i++, digits++;
    }
    if (digits == 0) return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        size_t e = 0;
        while (i < n && is_digit(s[i])) i++, e++;
        if (e == 0) return 0;
    }
    return i == n;
}

cw_num_kind cw_parse_number(const char *s, size_t len, double *out) {
    size_t n = len;
    const char *t = cw_trim(s, &n);
    if (is_missing(t, n)) return CW_NUM_MISSING;
    if (!is_decimal(t, n)) return CW_NUM_INVALID;
    /* strtod stops at the trailing space or the NUL after the field. */
    double x = strtod(t, NULL);
    if (!isfinite(x)) return CW_NUM_INVALID;
    *out = x;
    return CW_NUM_OK;
}
