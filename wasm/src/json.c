/* json.c — the JSON writer behind every result (see json.h). */
#include "json.h"

#include "number.h"
#include "text.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cw_json_init(cw_json *j) {
    memset(j, 0, sizeof *j);
    j->first[0] = 1;
}

void cw_json_free(cw_json *j) {
    free(j->buf);
    j->buf = NULL;
    j->len = j->cap = 0;
}

char *cw_json_take(cw_json *j) {
    char *out = j->failed ? NULL : j->buf;
    if (j->failed) free(j->buf);
    j->buf = NULL;
    j->len = j->cap = 0;
    return out;
}

static void put(cw_json *j, const char *s, size_t n) {
    if (j->failed) return;
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap : 1024;
        while (j->len + n + 1 > cap) cap *= 2;
        char *b = realloc(j->buf, cap);
        if (!b) {
            j->failed = 1;
            return;
        }
        j->buf = b;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void puts_(cw_json *j, const char *s) { put(j, s, strlen(s)); }

/* Separator before a value: a comma unless it is the first in its container or follows a key. */
static void sep(cw_json *j) {
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (!j->first[j->depth]) put(j, ",", 1);
    j->first[j->depth] = 0;
}

static void open_(cw_json *j, const char *c) {
    sep(j);
    puts_(j, c);
    if (j->depth + 1 >= CW_JSON_MAX_DEPTH) {
        j->failed = 1;
        return;
    }
    j->depth++;
    j->first[j->depth] = 1;
}

static void close_(cw_json *j, const char *c) {
    if (j->depth > 0) j->depth--;
    puts_(j, c);
}

void cw_json_begin_object(cw_json *j) { open_(j, "{"); }
void cw_json_end_object(cw_json *j) { close_(j, "}"); }
void cw_json_begin_array(cw_json *j) { open_(j, "["); }
void cw_json_end_array(cw_json *j) { close_(j, "]"); }

/* s[0..n) as the inside of a JSON string: quotes, backslashes and controls escaped. */
static void escaped(cw_json *j, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    size_t run = 0; /* bytes copied verbatim in one put */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        put(j, s + run, i - run);
        run = i + 1;
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        switch (c) {
        case '"': esc[1] = '"'; put(j, esc, 2); break;
        case '\\': esc[1] = '\\'; put(j, esc, 2); break;
        case '\n': esc[1] = 'n'; put(j, esc, 2); break;
        case '\r': esc[1] = 'r'; put(j, esc, 2); break;
        case '\t': esc[1] = 't'; put(j, esc, 2); break;
        default:
            esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
            esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
            put(j, esc, 6);
        }
    }
    put(j, s + run, n - run);
}

/* A JSON string of s[0..n). Text from the file is UTF-8 by now (csv.c), but a name or value cut
 * to a length, or an option given in another encoding, may not be: the bytes that are not part
 * of a valid UTF-8 sequence are left out, so that the result is always UTF-8. */
static void quoted(cw_json *j, const char *s, size_t n) {
    put(j, "\"", 1);
    for (size_t at = 0; at < n;) {
        int cut, multibyte = 0;
        size_t good = cw_utf8_check((const unsigned char *)s + at, n - at, &cut, &multibyte);
        escaped(j, s + at, good);
        at += good + (at + good < n);
    }
    put(j, "\"", 1);
}

void cw_json_key(cw_json *j, const char *key) {
    sep(j);
    quoted(j, key, strlen(key));
    put(j, ":", 1);
    j->after_key = 1;
}

void cw_json_string_n(cw_json *j, const char *s, size_t n) {
    sep(j);
    quoted(j, s, n);
}

void cw_json_string(cw_json *j, const char *s) {
    if (!s) {
        cw_json_null(j);
        return;
    }
    cw_json_string_n(j, s, strlen(s));
}

/* Does %.{p}g of x read back as x? (Read by the number parser: correctly rounded, and exact
 * without strtod for the common <= 15-digit mantissas.) */
static int round_trips(double x, int p, char out[32]) {
    int n = snprintf(out, 32, "%.*g", p, x);
    double y;
    return n > 0 && n < 32 && cw_parse_number(out, (size_t)n, '.', &y) == CW_NUM_OK && y == x;
}

/* The shortest %.{p}g that reads back as x (Steele & White 1990's requirement, met by search):
 * most computed statistics need 16 or 17 digits and short values (0.05, 1.5) one to three, so
 * 16 and 15 are tried first and, when 15 suffices, p rises from 1. A longer precision is never
 * further from x, so if p reads back p + 1 does too -- except for a power of two, whose interval
 * is narrower below (2^-499: 15 digits read back, 16 do not), which tries every p from 1, as
 * everything did before: printf of a double goes through soft 128-bit long doubles in
 * WebAssembly, and that cost ~3 ms per report. */
void cw_format_double(double x, char out[32]) {
    if (x == floor(x) && fabs(x) < 1e15) { /* whole numbers as integers: 100, not 1e+02 */
        snprintf(out, 32, "%.0f", x);
        return;
    }
    int e;
    if (fabs(frexp(x, &e)) == 0.5) { /* a power of two */
        for (int p = 1; p <= 17; p++)
            if (round_trips(x, p, out)) return;
    }
    if (!round_trips(x, 16, out)) {
        snprintf(out, 32, "%.17g", x);
        return;
    }
    if (!round_trips(x, 15, out)) {
        round_trips(x, 16, out);
        return;
    }
    for (int p = 1; p <= 15; p++)
        if (round_trips(x, p, out)) return;
}

void cw_json_number(cw_json *j, double x) {
    if (!isfinite(x)) {
        cw_json_null(j);
        return;
    }
    char b[32];
    cw_format_double(x, b);
    sep(j);
    puts_(j, b);
}

void cw_json_int(cw_json *j, int64_t x) {
    char b[32];
    snprintf(b, sizeof b, "%" PRId64, x);
    sep(j);
    puts_(j, b);
}

void cw_json_bool(cw_json *j, int b) {
    sep(j);
    puts_(j, b ? "true" : "false");
}

void cw_json_null(cw_json *j) {
    sep(j);
    puts_(j, "null");
}
