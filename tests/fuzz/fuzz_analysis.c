/* fuzz_analysis.c — a libFuzzer target for the faces of the core that read a file: analysis,
 * did and preview (make -C wasm fuzz; tests/run.sh runs it for a fixed number of inputs from
 * tests/fuzz/corpus). For any bytes under one of a few option sets, the core must give a result
 * or an error, never a crash or a sanitizer report (ASan + UBSan), and:
 *   - the same one, byte for byte, whether the bytes come in one chunk or in chunks of random
 *     sizes through cw_analysis_feed and cw_analysis_reserve/commit (issue 6: any chunk boundary
 *     gives the same result);
 *   - a result that is valid JSON in valid UTF-8 with no NaN or infinity in it, and an error
 *     that is a non-empty sentence in valid UTF-8 with a line and column >= 0.
 * Input: byte 0 picks the face and option set, byte 1 seeds the chunk sizes, the rest is the
 * file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causeway.h"
#include "text.h"

/* Option sets as name, value pairs (NULL-terminated): the common analyses, the ones that read
 * the input again (winsorizing, covariates), dialects; then did's; then the preview (no options). */
typedef enum { ANALYSIS, DID, PREVIEW } face_kind;

static const struct {
    face_kind face;
    const char *opts[16];
} option_sets[] = {
    {ANALYSIS, {"variant", "v", "control", "A", "metric", "y", NULL}},
    {ANALYSIS, {"variant", "v", "control", "A", "metric", "y:binary", "fisher", "always", NULL}},
    {ANALYSIS, {"variant", "v", "control", "A", "metric", "y,x", "correction", "BH", NULL}},
    {ANALYSIS, {"variant", "v", "control", "A", "metric", "y", "winsorize", "0.9", "winsorize-tail", "both", NULL}},
    {ANALYSIS, {"variant", "v", "control", "A", "metric", "y", "covariates", "x", NULL}},
    {ANALYSIS, {"variant", "v", "control", "A", "metric", "y", "pre-metric", "x", NULL}},
    {ANALYSIS, {"variant", "v", "control", "A", "metric", "y", "bootstrap", "100", "seed", "7", NULL}},
    {ANALYSIS, {"variant", "v", "control", "A", "metric", "y", "unit", "u", NULL}},
    {ANALYSIS, {"variant", "v", "control", "A", "metric", "y", "delimiter", ";", "decimal", ",", NULL}},
    {ANALYSIS, {"variant", "V1", "control", "A", "metric", "V2", "header", "no", NULL}},
    {ANALYSIS, {"variant", "v", "control", "A", "metric", "y", "summary", "yes", NULL}},
    {ANALYSIS, {"variant", "v", "control", "A", "metric", "y", "split", "1,1", NULL}},
    {DID, {"outcome", "y", "group", "g", "treated", "T", "period", "p", "post", "B", NULL}},
    {DID, {"outcome", "y", "group", "g", "treated", "T", "period", "p", "post", "B", "unit", "u", "balanced", "yes", NULL}},
    {DID, {"outcome", "y", "group", "g", "treated", "T", "period", "p", "start", "2", "order", "1,2,3", NULL}},
    {DID, {"outcome", "y", "group", "g", "treated", "T", "period", "p", "post", "B", "covariates", "x", "unit", "u", NULL}},
    {PREVIEW, {NULL}},
};
#define NSETS (sizeof option_sets / sizeof *option_sets)

/* The three faces behind one set of calls. */
typedef struct {
    face_kind face;
    void *obj;
} face;

static face face_new(face_kind kind) {
    face f = {kind, kind == ANALYSIS ? (void *)cw_analysis_new() : kind == DID ? (void *)cw_did_new() : (void *)cw_preview_new(50)};
    if (!f.obj) abort();
    return f;
}
static cw_status face_set(face f, const char *name, const char *value) {
    return f.face == ANALYSIS ? cw_analysis_set(f.obj, name, value) : cw_did_set(f.obj, name, value);
}
static cw_status face_feed(face f, const uint8_t *data, size_t n) {
    return f.face == ANALYSIS ? cw_analysis_feed(f.obj, data, n)
           : f.face == DID    ? cw_did_feed(f.obj, data, n)
                              : cw_preview_feed(f.obj, data, n);
}
static uint8_t *face_reserve(face f, size_t n) {
    return f.face == ANALYSIS ? cw_analysis_reserve(f.obj, n)
           : f.face == DID    ? cw_did_reserve(f.obj, n)
                              : cw_preview_reserve(f.obj, n);
}
static cw_status face_commit(face f, size_t n) {
    return f.face == ANALYSIS ? cw_analysis_commit(f.obj, n)
           : f.face == DID    ? cw_did_commit(f.obj, n)
                              : cw_preview_commit(f.obj, n);
}
static cw_status face_finish(face f) {
    return f.face == ANALYSIS ? cw_analysis_finish(f.obj) : f.face == DID ? cw_did_finish(f.obj) : cw_preview_finish(f.obj, 1);
}
static const char *face_result(face f) {
    return f.face == ANALYSIS ? cw_analysis_result(f.obj) : f.face == DID ? cw_did_result(f.obj) : cw_preview_result(f.obj);
}
static const char *face_error(face f) {
    return f.face == ANALYSIS ? cw_analysis_error(f.obj) : f.face == DID ? cw_did_error(f.obj) : cw_preview_error(f.obj);
}
static long face_line(face f) {
    return f.face == ANALYSIS ? cw_analysis_error_line(f.obj) : f.face == DID ? cw_did_error_line(f.obj) : cw_preview_error_line(f.obj);
}
static long face_column(face f) {
    return f.face == ANALYSIS ? cw_analysis_error_column(f.obj)
           : f.face == DID    ? cw_did_error_column(f.obj)
                              : cw_preview_error_column(f.obj);
}
static void face_free(face f) {
    if (f.face == ANALYSIS) cw_analysis_free(f.obj);
    else if (f.face == DID) cw_did_free(f.obj);
    else cw_preview_free(f.obj);
}

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
static cw_status read_once(face f, const uint8_t *data, size_t n, uint32_t seed) {
    if (!seed) return face_feed(f, data, n);
    for (size_t at = 0; at < n;) {
        uint32_t r = next(&seed);
        size_t len = (r & 7) == 0 ? r % 70001 : 1 + r % 300; /* now and then past the 64 KiB sniff */
        if (len > n - at) len = n - at;
        cw_status st;
        if (r & 0x100) {
            uint8_t *to = face_reserve(f, len + 5);
            if (!to) return face_commit(f, 0);
            memcpy(to, data + at, len);
            memcpy(to + len, "\"\n,\r;", 5); /* bytes past the commit must not be read */
            st = face_commit(f, len);
        } else {
            st = face_feed(f, data + at, len);
        }
        if (st != CW_OK) return st;
        at += len;
    }
    return CW_OK;
}

static outcome run(int set, const uint8_t *data, size_t n, uint32_t seed) {
    outcome o = {CW_OK, NULL, 0, 0};
    face f = face_new(option_sets[set].face);
    const char *const *opts = option_sets[set].opts;
    for (int i = 0; opts[i]; i += 2)
        if ((o.st = face_set(f, opts[i], opts[i + 1])) != CW_OK) abort(); /* the sets are valid */
    for (int pass = 0; pass < 4; pass++) {
        o.st = read_once(f, data, n, seed);
        if (o.st == CW_OK) o.st = face_finish(f);
        if (o.st != CW_AGAIN) break;
    }
    if (o.st == CW_AGAIN) abort(); /* nothing reads the input more than three times */
    const char *text = o.st == CW_OK ? face_result(f) : face_error(f);
    if (!text) text = "(null)";
    if (!(o.text = malloc(strlen(text) + 1))) abort();
    memcpy(o.text, text, strlen(text) + 1);
    o.line = face_line(f);
    o.column = face_column(f);
    face_free(f);
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
    int set = (int)(data[0] % NSETS);
    uint32_t seed = data[1] * 2654435761u | 1u;
    data += 2;
    size -= 2;
    outcome whole = run(set, data, size, 0), parts = run(set, data, size, seed);
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
