/* util.c — helpers shared by the C tests (see util.h). */
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cw_status run_csv(const char *csv, size_t len, size_t chunk, const char *const *opts, cw_analysis **out) {
    cw_analysis *a = cw_analysis_new();
    *out = a;
    cw_status st = CW_OK;
    for (int i = 0; opts[i] && st == CW_OK; i += 2) st = cw_analysis_set(a, opts[i], opts[i + 1]);
    if (chunk == 0) chunk = len ? len : 1;
    do { /* feed the whole text again while the core asks for another read */
        if (st == CW_AGAIN) st = CW_OK;
        for (size_t off = 0; off < len && st == CW_OK; off += chunk) {
            size_t n = len - off < chunk ? len - off : chunk;
            st = cw_analysis_feed(a, (const uint8_t *)csv + off, n);
        }
        if (st == CW_OK) st = cw_analysis_finish(a);
    } while (st == CW_AGAIN);
    return st;
}

char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (!buf) break;
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        cap *= 2;
        char *b = realloc(buf, cap + 1);
        if (!b) {
            free(buf);
            buf = NULL;
        }
        buf = b;
    }
    fclose(f);
    if (buf) buf[n] = '\0';
    *len = n;
    return buf;
}

const char *fixture_path(const char *name, char *buf, size_t size) {
    const char *dir = getenv("CW_FIXTURES");
    snprintf(buf, size, "%s/%s", dir && *dir ? dir : "tests/fixtures", name);
    return buf;
}
