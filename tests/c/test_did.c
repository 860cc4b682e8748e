/* test_did.c — the did face under the sanitizers: Card & Krueger's balanced panel gives the
 * paper's 2.75 (the R comparison of every number is tests/node/did.test.mjs), bad options and a
 * third period are errors with a place, and nothing leaks. */
#include <stdlib.h>
#include <string.h>

#include "causeway.h"
#include "test.h"
#include "util.h"

static cw_status run_did(const char *csv, size_t len, const char *const *opts, cw_did **out) {
    cw_did *d = cw_did_new();
    *out = d;
    cw_status st = CW_OK;
    for (int i = 0; opts[i] && st == CW_OK; i += 2) st = cw_did_set(d, opts[i], opts[i + 1]);
    do {
        if (st == CW_AGAIN) st = CW_OK;
        for (size_t off = 0; off < len && st == CW_OK; off += 65536)
            st = cw_did_feed(d, (const uint8_t *)csv + off, len - off < 65536 ? len - off : 65536);
        if (st == CW_OK) st = cw_did_finish(d);
    } while (st == CW_AGAIN);
    return st;
}

void test_did(cw_test *t) {
    size_t len;
    char *csv = read_file("tests/data/card_krueger_panel_long.csv", &len);
    CW_CHECK(t, csv != NULL, "cannot read the Card-Krueger panel");
    if (!csv) return;
    const char *const opts[] = {"outcome", "fte", "group", "nj", "treated", "1", "period", "wave",
                                "post", "2", "unit", "store_id", "balanced", "yes", NULL};
    cw_did *d;
    CW_CHECK(t, run_did(csv, len, opts, &d) == CW_OK, "did: %s", cw_did_error(d));
    const char *r = cw_did_result(d);
    CW_CHECK(t, r && strstr(r, "\"rows_used\":768") && strstr(r, "\"clusters\":384"), "did: %s", r ? r : "");
    const char *dd = r ? strstr(r, "\"difference_in_differences\":") : NULL;
    CW_CHECK(t, dd && fabs(strtod(dd + 28, NULL) - 2.75) < 1e-12, "DiD %s", dd ? dd : "");
    cw_did_free(d);

    const char *const no_unit[] = {"outcome", "fte", "group", "nj", "treated", "1", "period", "wave",
                                   "post", "2", "balanced", "yes", NULL};
    CW_CHECK(t, run_did(csv, len, no_unit, &d) == CW_ERR_OPTION && strstr(cw_did_error(d), "--unit"),
             "--balanced without --unit: %s", cw_did_error(d));
    cw_did_free(d);
    const char *const three[] = {"outcome", "fte", "group", "nj", "treated", "1", "period", "store_id",
                                 "post", "2", NULL};
    CW_CHECK(t, run_did(csv, len, three, &d) == CW_ERR_VALUES && strstr(cw_did_error(d), "third period") &&
                    cw_did_error_line(d) > 1,
             "a third period: %s", cw_did_error(d));
    cw_did_free(d);
    free(csv);

    /* an event study over six periods, balanced, under the sanitizers (R: tests/node/did.test.mjs) */
    csv = read_file("tests/data/event_panel.csv", &len);
    CW_CHECK(t, csv != NULL, "cannot read the event panel");
    if (!csv) return;
    const char *const ev[] = {"outcome", "y", "group", "treated", "treated", "1", "period", "period",
                              "start", "2023-4", "unit", "unit", "balanced", "yes",
                              "order", "2023-1,2023-2,2023-3,2023-4,2024-1,2024-2", NULL};
    CW_CHECK(t, run_did(csv, len, ev, &d) == CW_OK, "event study: %s", cw_did_error(d));
    r = cw_did_result(d);
    CW_CHECK(t, r && strstr(r, "\"reference\":\"2023-3\"") && strstr(r, "\"event_study\":[") &&
                    strstr(r, "\"pretrend\":{\"se_type\":\"cr1\",\"q\":2,"),
             "event study: %s", r ? r : "");
    cw_did_free(d);
    free(csv);
}
