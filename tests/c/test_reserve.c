/* test_reserve.c — writing the input in place (cw_*_reserve + cw_*_commit) gives byte for byte
 * the result JSON that cw_*_feed gives, for every job kind that reads a file (analysis, did,
 * preview), at many chunk sizes and through the analyses that read the file again (winsorizing,
 * covariates, did); and misuse is an error with a message, never a crash. */
#include <stdlib.h>
#include <string.h>

#include "causeway.h"
#include "test.h"
#include "util.h"

/* The in-place side of one job kind, so the same loop drives all three. */
typedef struct {
    uint8_t *(*reserve)(void *job, size_t len);
    cw_status (*commit)(void *job, size_t len);
} writer;

static uint8_t *a_reserve(void *j, size_t n) { return cw_analysis_reserve(j, n); }
static cw_status a_commit(void *j, size_t n) { return cw_analysis_commit(j, n); }
static uint8_t *d_reserve(void *j, size_t n) { return cw_did_reserve(j, n); }
static cw_status d_commit(void *j, size_t n) { return cw_did_commit(j, n); }
static uint8_t *p_reserve(void *j, size_t n) { return cw_preview_reserve(j, n); }
static cw_status p_commit(void *j, size_t n) { return cw_preview_commit(j, n); }
static const writer ANALYSIS = {a_reserve, a_commit}, DID = {d_reserve, d_commit}, PREVIEW = {p_reserve, p_commit};

/* One read of text in chunks, as a file read does it: room for a whole chunk reserved, the bytes
 * there (fewer at the end), junk past them that must not be read, and an empty read at the end. */
static cw_status write_all(const writer *ops, void *job, const char *text, size_t len, size_t chunk) {
    for (size_t off = 0;; off += chunk) {
        size_t n = off >= len ? 0 : len - off < chunk ? len - off : chunk;
        uint8_t *to = ops->reserve(job, chunk);
        if (!to) return ops->commit(job, 0); /* the failure's status */
        if (n) memcpy(to, text + off, n);
        memset(to + n, '"', chunk - n < 8 ? chunk - n : 8);
        cw_status st = ops->commit(job, n);
        if (st != CW_OK || n == 0) return st;
    }
}

static cw_status analysis_in_place(const char *text, size_t len, size_t chunk, const char *const *opts,
                                   cw_analysis **out) {
    cw_analysis *a = cw_analysis_new();
    *out = a;
    cw_status st = CW_OK;
    for (int i = 0; opts[i] && st == CW_OK; i += 2) st = cw_analysis_set(a, opts[i], opts[i + 1]);
    do {
        if (st == CW_AGAIN) st = CW_OK;
        if (st == CW_OK) st = write_all(&ANALYSIS, a, text, len, chunk);
        if (st == CW_OK) st = cw_analysis_finish(a);
    } while (st == CW_AGAIN);
    return st;
}

static void same_analysis(cw_test *t, const char *name, const char *text, size_t len, const size_t *chunks,
                          const char *const *opts) {
    cw_analysis *fed;
    cw_status st = run_csv(text, len, 0, opts, &fed);
    const char *want = cw_analysis_result(fed);
    CW_CHECK(t, st == CW_OK && want, "%s fed at once: %s", name, cw_analysis_error(fed));
    for (const size_t *c = chunks; *c && want; c++) {
        cw_analysis *a;
        st = analysis_in_place(text, len, *c, opts, &a);
        const char *got = cw_analysis_result(a);
        CW_CHECK(t, st == CW_OK && got && strcmp(got, want) == 0, "%s in place, %zu-byte chunks: %d %s", name, *c,
                 st, got ? "a different result" : cw_analysis_error(a));
        CW_CHECK(t, cw_analysis_bytes(a) == (double)len, "%s in place: %.0f bytes counted, %zu read", name,
                 cw_analysis_bytes(a), len);
        cw_analysis_free(a);
    }
    cw_analysis_free(fed);
}

static void analyses(cw_test *t) {
    size_t len;
    char *csv = read_file("tests/data/lalonde_nsw_dw.csv", &len); /* 18 KB: less than the sniffed 64 KiB */
    CW_CHECK(t, csv != NULL, "cannot read the LaLonde data");
    if (!csv) return;
    static const size_t small[] = {1, 2, 3, 7, 63, 64, 65, 1000, 4096, 18140, 1 << 20, 0};
    const char *const plain[] = {"variant", "treat", "control", "0", "metric", "re78,nodegree", NULL};
    same_analysis(t, "lalonde", csv, len, small, plain);
    const char *const winsor[] = {"variant", "treat", "control", "0", "metric", "re78", "winsorize", "0.95", NULL};
    same_analysis(t, "lalonde winsorized (three reads)", csv, len, small, winsor);
    const char *const cov[] = {"variant", "treat", "control", "0", "metric", "re78", "covariates", "age,educ,re75",
                               NULL};
    same_analysis(t, "lalonde with covariates", csv, len, small, cov);
    free(csv);

    csv = read_file("web/samples/hillstrom.csv", &len); /* 3.9 MB: many chunks of the real size */
    CW_CHECK(t, csv != NULL, "cannot read the Hillstrom sample");
    if (!csv) return;
    static const size_t big[] = {65535, 65536, 65537, 1 << 20, 4 << 20, 0};
    const char *const hill[] = {"variant", "segment", "control", "No E-Mail", "metric", "visit,conversion,spend",
                                NULL};
    same_analysis(t, "hillstrom", csv, len, big, hill);
    free(csv);
}

static cw_status did_by(const char *text, size_t len, size_t chunk, int in_place, cw_did **out) {
    const char *const opts[] = {"outcome", "fte", "group", "nj", "treated", "1", "period", "wave",
                                "post", "2", "unit", "store_id", "balanced", "yes", NULL};
    cw_did *d = cw_did_new();
    *out = d;
    cw_status st = CW_OK;
    for (int i = 0; opts[i] && st == CW_OK; i += 2) st = cw_did_set(d, opts[i], opts[i + 1]);
    do {
        if (st == CW_AGAIN) st = CW_OK;
        if (in_place) {
            if (st == CW_OK) st = write_all(&DID, d, text, len, chunk);
        } else {
            for (size_t off = 0; off < len && st == CW_OK; off += chunk)
                st = cw_did_feed(d, (const uint8_t *)text + off, len - off < chunk ? len - off : chunk);
        }
        if (st == CW_OK) st = cw_did_finish(d);
    } while (st == CW_AGAIN);
    return st;
}

static void dids(cw_test *t) {
    size_t len;
    char *csv = read_file("tests/data/card_krueger_panel_long.csv", &len);
    CW_CHECK(t, csv != NULL, "cannot read the Card-Krueger panel");
    if (!csv) return;
    cw_did *fed;
    cw_status st = did_by(csv, len, len, 0, &fed);
    const char *want = cw_did_result(fed);
    CW_CHECK(t, st == CW_OK && want, "did fed: %s", cw_did_error(fed));
    static const size_t chunks[] = {1, 5, 64, 4096, 65536, 0};
    for (const size_t *c = chunks; *c && want; c++) {
        cw_did *d;
        st = did_by(csv, len, *c, 1, &d);
        const char *got = cw_did_result(d);
        CW_CHECK(t, st == CW_OK && got && strcmp(got, want) == 0, "did in place, %zu-byte chunks: %d %s", *c, st,
                 got ? "a different result" : cw_did_error(d));
        cw_did_free(d);
    }
    cw_did_free(fed);
    free(csv);
}

static void previews(cw_test *t) {
    size_t len;
    char *csv = read_file("tests/data/srm_mismatch.csv", &len);
    CW_CHECK(t, csv != NULL, "cannot read srm_mismatch.csv");
    if (!csv) return;
    cw_preview *fed = cw_preview_new(100);
    cw_status st = cw_preview_feed(fed, (const uint8_t *)csv, len);
    if (st == CW_OK) st = cw_preview_finish(fed, 1);
    const char *want = cw_preview_result(fed);
    CW_CHECK(t, st == CW_OK && want, "preview fed: %s", cw_preview_error(fed));
    static const size_t chunks[] = {3, 1000, 65536, 0};
    for (const size_t *c = chunks; *c && want; c++) {
        cw_preview *p = cw_preview_new(100);
        st = write_all(&PREVIEW, p, csv, len, *c);
        if (st == CW_OK) st = cw_preview_finish(p, 1);
        const char *got = cw_preview_result(p);
        CW_CHECK(t, st == CW_OK && got && strcmp(got, want) == 0, "preview in place, %zu-byte chunks: %d %s", *c, st,
                 got ? "a different result" : cw_preview_error(p));
        cw_preview_free(p);
    }
    cw_preview_free(fed);
    free(csv);
}

/* What a caller can get wrong, at the level the page and the Node module use. */
static void misuse(cw_test *t) {
    const char *const opts[] = {"variant", "arm", "control", "A", "metric", "y", NULL};
    cw_analysis *a = cw_analysis_new();
    for (int i = 0; opts[i]; i += 2) cw_analysis_set(a, opts[i], opts[i + 1]);
    cw_status st = cw_analysis_commit(a, 0);
    CW_CHECK(t, st == CW_ERR_STATE && strstr(cw_analysis_error(a), "without a reserve"), "commit first: %d '%s'", st,
             cw_analysis_error(a));
    CW_CHECK(t, cw_analysis_reserve(a, 8) == NULL && cw_analysis_commit(a, 0) == CW_ERR_STATE,
             "a failed analysis reserves nothing and keeps its status");
    cw_analysis_free(a);

    a = cw_analysis_new();
    for (int i = 0; opts[i]; i += 2) cw_analysis_set(a, opts[i], opts[i + 1]);
    uint8_t *to = cw_analysis_reserve(a, 16);
    CW_CHECK(t, to != NULL, "reserve 16");
    if (to) memcpy(to, "arm,y\nA,1\nB,2\n", 14);
    st = cw_analysis_commit(a, 17);
    CW_CHECK(t, st == CW_ERR_STATE && strstr(cw_analysis_error(a), "17 bytes committed where 16 were reserved"),
             "commit past the reserve: %d '%s'", st, cw_analysis_error(a));
    CW_CHECK(t, cw_analysis_finish(a) == CW_ERR_STATE && !cw_analysis_result(a), "no result after a bad commit");
    cw_analysis_free(a);

    a = cw_analysis_new(); /* no options: the first reserve checks them, as the first feed does */
    CW_CHECK(t, cw_analysis_reserve(a, 8) == NULL && cw_analysis_commit(a, 0) == CW_ERR_OPTION &&
                    strstr(cw_analysis_error(a), "--variant"),
             "reserve without options: '%s'", cw_analysis_error(a));
    cw_analysis_free(a);

    a = cw_analysis_new();
    for (int i = 0; opts[i]; i += 2) cw_analysis_set(a, opts[i], opts[i + 1]);
    st = write_all(&ANALYSIS, a, "arm,y\nA,1\nA,2\nB,2\nB,4\n", 22, 5);
    if (st == CW_OK) st = cw_analysis_finish(a);
    CW_CHECK(t, st == CW_OK, "a small analysis in place: %s", cw_analysis_error(a));
    CW_CHECK(t, cw_analysis_reserve(a, 8) == NULL && cw_analysis_commit(a, 0) == CW_ERR_STATE &&
                    strstr(cw_analysis_error(a), "already finished"),
             "reserve after finish: '%s'", cw_analysis_error(a));
    cw_analysis_free(a);

    a = cw_analysis_new();
    for (int i = 0; opts[i]; i += 2) cw_analysis_set(a, opts[i], opts[i + 1]);
    CW_CHECK(t, cw_analysis_reserve(a, SIZE_MAX) == NULL && cw_analysis_commit(a, 0) == CW_ERR_NOMEM &&
                    strstr(cw_analysis_error(a), "out of memory"),
             "reserve SIZE_MAX: '%s'", cw_analysis_error(a));
    cw_analysis_free(a);

    cw_did *d = cw_did_new();
    st = cw_did_commit(d, 0);
    CW_CHECK(t, st == CW_ERR_OPTION && strstr(cw_did_error(d), "--outcome"), "did commit without options: '%s'",
             cw_did_error(d));
    cw_did_free(d);
    cw_preview *p = cw_preview_new(10);
    to = cw_preview_reserve(p, 4);
    st = to ? cw_preview_commit(p, 5) : CW_OK;
    CW_CHECK(t, st == CW_ERR_STATE && cw_preview_reserve(p, 4) == NULL && cw_preview_commit(p, 0) == CW_ERR_STATE,
             "preview commit past the reserve: '%s'", cw_preview_error(p));
    cw_preview_free(p);
}

void test_reserve(cw_test *t) {
    analyses(t);
    dids(t);
    previews(t);
    misuse(t);
}
