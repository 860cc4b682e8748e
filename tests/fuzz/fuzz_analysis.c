/* fuzz_analysis.c — a libFuzzer target for the analysis face of the core (make -C wasm fuzz;
 * tests/run.sh runs it for a fixed number of inputs from tests/fuzz/corpus). For any bytes under
 * one of a few option sets, the core must give a result or an error, never a crash or a
 * sanitizer report (ASan + UBSan), and:
 *   - the same one, byte for byte, whether the bytes come in one chunk or in chunks of random
 *     sizes through cw_analysis_feed and cw_analysis_reserve/commit (issue 6: any chunk boundary
 *     gives the same result);
 *   - a result that is valid JSON in valid UTF-8 with no NaN or infinity in it, and an error
 *     that is a non-empty sentence in valid UTF-8 with a line and column >= 0.
 * Input: byte 0 picks the option set, byte 1 seeds the chunk sizes, the rest is the file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causeway.h"
#include "text.h"

/* Option sets as name, value pairs (NULL-terminated): the common analyses, the ones that read
 * the input again (winsorizing, covariates), and dialects. */
static const char *const option_sets[][16] = {
    {"variant", "v", "control", "A", "metric", "y", NULL},
    {"variant", "v", "control", "A", "metric", "y:binary", "fisher", "always", NULL},
    {"variant", "v", "control", "A", "metric", "y,x", "correction", "BH", NULL},
    {"variant", "v", "control", "A", "metric", "y", "winsorize", "0.9", "winsorize-tail", "both", NULL},
    {"variant", "v", "control", "A", "metric", "y", "covariates", "x", NULL},
    {"variant", "v", "control", "A", "metric", "y", "pre-metric", "x", NULL},
    {"variant", "v", "control", "A", "metric", "y", "bootstrap", "100", "seed", "7", NULL},
    {"variant", "v", "control", "A", "metric", "y", "unit", "u", NULL},
    {"variant", "v", "control", "A", "metric", "y", "delimiter", ";", "decimal", ",", NULL},
    {"variant", "V1", "control", "A", "metric", "V2", "header", "no", NULL},
    {"variant", "v", "control", "A", "metric", "y", "summary", "yes", NULL},
    {"variant", "v", "control", "A", "metric", "y", "split", "1,1", NULL},
};
#define NSETS (sizeof option_sets / sizeof *option_sets)

typedef struct {
    cw_status st;
    char *text; /* the result, or the error message */
    long line, column;
} outcome;

static uint32_t next(uint32_t *s) { /* xorshift32 (Marsaglia 2003) */
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* One whole read of the input: at once (seed 0) or in random chunks, fed or written in place. */
static cw_status read_once(cw_analysis *a, const uint8_t *data, size_t n, uint32_t seed) {
    if (!seed) return cw_analysis_feed(a, data, n);
    for (size_t at = 0; at < n;) {
        uint32_t r = next(&seed);
        size_t len = (r & 7) == 0 ? r % 70001 : 1 + r % 300; /* now and then past the 64 KiB sniff */
        if (len > n - at) len = n - at;
        cw_status st;
        if (r & 0x100) {
            uint8_t *to = cw_analysis_reserve(a, len + 5);
            if (!to) return cw_analysis_commit(a, 0);
            memcpy(to, data + at, len);
            memcpy(to + len, "\"\n,\r;", 5); /* bytes past the commit must not be read */
            st = cw_analysis_commit(a, len);
        } else {
            st = cw_analysis_feed(a, data + at, len);
        }
        if (st != CW_OK) return st;
        at += len;
    }
    return CW_OK;
}

static outcome run(const char *const *opts, const uint8_t *data, size_t n, uint32_t seed) {
    outcome o = {CW_OK, NULL, 0, 0};
    cw_analysis *a = cw_analysis_new();
    if (!a) abort();
    for (int i = 0; opts[i]; i += 2)
        if ((o.st = cw_analysis_set(a, opts[i], opts[i + 1])) != CW_OK) abort(); /* the sets are valid */
    for (int pass = 0; pass < 4; pass++) {
        o.st = read_once(a, data, n, seed);
        if (o.st == CW_OK) o.st = cw_analysis_finish(a);
        if (o.st != CW_AGAIN) break;
    }
    if (o.st == CW_AGAIN) abort(); /* no analysis reads the input more than three times */
    const char *text = o.st == CW_OK ? cw_analysis_result(a) : cw_analysis_error(a);
    if (!text) text = "(null)";
    if (!(o.text = malloc(strlen(text) + 1))) abort();
    memcpy(o.text, text, strlen(text) + 1);
    o.line = cw_analysis_error_line(a);
    o.column = cw_analysis_error_column(a);
    cw_analysis_free(a);
    return o;
}

static int valid_utf8(const char *s) {
    size_t n = strlen(s);
    int cut, multibyte = 0;
    return cw_utf8_check((const unsigned char *)s, n, &cut, &multibyte) == n;
}

/* ---- a strict JSON reader (RFC 8259), only to say whether the result is JSON -------------- */
static const char *value(const char *p, int depth);

static const char *ws(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

static const char *string(const char *p) {
    if (*p++ != '"') return NULL;
    for (;;) {
        unsigned char c = (unsigned char)*p++;
        if (c == '"') return p;
        if (c < 0x20) return NULL;
        if (c == '\\') {
            c = (unsigned char)*p++;
            if (c == 'u') {
                for (int k = 0; k < 4; k++, p++)
                    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F'))) return NULL;
            } else if (!strchr("\"\\/bfnrt", c) || !c) {
                return NULL;
            }
        }
    }
}

static const char *number(const char *p) {
    if (*p == '-') p++;
    if (*p == '0') p++;
    else if (*p >= '1' && *p <= '9') while (*p >= '0' && *p <= '9') p++;
    else return NULL;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return NULL;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return NULL;
        while (*p >= '0' && *p <= '9') p++;
    }
    return p;
}

static const char *value(const char *p, int depth) {
    if (depth > 64) return NULL;
    p = ws(p);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        p = ws(p + 1);
        if (*p == close) return p + 1;
        for (;;) {
            if (close == '}') {
                if (!(p = string(ws(p)))) return NULL;
                p = ws(p);
                if (*p++ != ':') return NULL;
            }
            if (!(p = value(p, depth + 1))) return NULL;
            p = ws(p);
            if (*p == close) return p + 1;
            if (*p++ != ',') return NULL;
        }
    }
    if (*p == '"') return string(p);
    if (strncmp(p, "true", 4) == 0) return p + 4;
    if (strncmp(p, "false", 5) == 0) return p + 5;
    if (strncmp(p, "null", 4) == 0) return p + 4;
    return number(p); /* NaN, Infinity and the like are not JSON numbers */
}

static int is_json(const char *s) {
    const char *end = value(s, 0);
    return end && *ws(end) == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    const char *const *opts = option_sets[data[0] % NSETS];
    uint32_t seed = data[1] * 2654435761u | 1u;
    data += 2;
    size -= 2;
    outcome whole = run(opts, data, size, 0), parts = run(opts, data, size, seed);
    if (whole.st == CW_OK) {
        if (!valid_utf8(whole.text)) {
            fprintf(stderr, "result is not UTF-8: %s\n", whole.text);
            abort();
        }
        if (!is_json(whole.text)) {
            fprintf(stderr, "result is not JSON: %s\n", whole.text);
            abort();
        }
    } else if (!whole.text[0] || !valid_utf8(whole.text) || whole.line < 0 || whole.column < 0) {
        fprintf(stderr, "bad error (status %d, line %ld, column %ld): %s\n", whole.st, whole.line, whole.column,
                whole.text);
        abort();
    }
    if (whole.st != parts.st || strcmp(whole.text, parts.text) != 0 || whole.line != parts.line ||
        whole.column != parts.column) {
        fprintf(stderr, "in one chunk: status %d, line %ld, column %ld: %s\nin chunks: status %d, line %ld, column %ld: %s\n",
                whole.st, whole.line, whole.column, whole.text, parts.st, parts.line, parts.column, parts.text);
        abort();
    }
    free(whole.text);
    free(parts.text);
    return 0;
}
