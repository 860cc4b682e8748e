/* test_analysis.c — whole analyses from CSV text: the bad inputs of the first day (empty file,
 * header only, text in a metric, a single arm, CRLF, BOM) and the chunking property. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util.h"

static const char *const OPTS[] = {"variant", "arm", "control", "A", "metric", "y", NULL};

/* Run text at once; check status, message fragment and place. */
static void expect_error(cw_test *t, const char *name, const char *text, const char *const *opts,
                         cw_status want, const char *fragment, long line, long column) {
    cw_analysis *a;
    cw_status st = run_csv(text, strlen(text), 0, opts, &a);
    const char *msg = cw_analysis_error(a);
    CW_CHECK(t, st == want && strstr(msg, fragment) && cw_analysis_error_line(a) == line &&
                    cw_analysis_error_column(a) == column,
             "%s: status %d (want %d) at %ld:%ld (want %ld:%ld): %s", name, st, want,
             cw_analysis_error_line(a), cw_analysis_error_column(a), line, column, msg);
    CW_CHECK(t, cw_analysis_result(a) == NULL, "%s: no result after an error", name);
    cw_analysis_free(a);
}

/* The result text from "\"arms\"" on (input.bytes differs between encodings of the same data). */
static char *result_tail(const char *text, size_t chunk) {
    cw_analysis *a;
    char *out = NULL;
    if (run_csv(text, strlen(text), chunk, OPTS, &a) == CW_OK) {
        const char *p = strstr(cw_analysis_result(a), "\"arms\"");
        if (p && (out = malloc(strlen(p) + 1))) memcpy(out, p, strlen(p) + 1);
    }
    cw_analysis_free(a);
    return out;
}

/* The fast row path against the general one on the same data: rows whose variant is padded with
 * spaces (trimmed to the same arm) always take data_row, quoted ones take the reader's general
 * path, and a fourth copy has CRLF line ends; all four encodings must give the same result. Arms beyond the fast path's table, names
 * of 8, 16 and more bytes, a space inside a name, missing, NA, text and non-0/1 values in a
 * declared binary metric are all in it. So are names that share a slot of the fast path's hash
 * table (analysis.c, key_slot, as it is now): xbt with B, xdz with eightchr, treatment_acv with
 * sixteen_chars_ab, all among the frequent first nine, so the second of each pair is found by the
 * fallback loop. */
static void fast_and_general(cw_test *t) {
    static const char *const names[] = {"A0", "eightchr", "sixteen_chars_ab", "a_name_longer_than_16", "arm two",
                                        "B", "xbt", "xdz", "treatment_acv", "C", "D", "E", "F", "G", "H", "I",
                                        "J", "K", "L", "P"};
    static const char *const ys[] = {"1", "0", "12.5", "-3", "NA", "", "x", "1e3", "0.125", "7"};
    static const char *const bs[] = {"0", "1", "1", "0", "2", "", "yes", "0"};
    static const char *const opts[] = {"variant", "arm", "control", "A0", "metric", "y,b:binary", NULL};
    size_t cap = 1 << 18;
    char *enc[4]; /* plain, padded, quoted, and plain with CRLF line ends */
    for (int e = 0; e < 4; e++) {
        enc[e] = malloc(cap);
        strcpy(enc[e], e == 3 ? "arm,y,b,z\r\n" : "arm,y,b,z\n");
    }
    unsigned s = 7;
    for (int r = 0; r < 4000; r++) { /* ~90 KB: past the 64 KiB held back for sniffing */
        s = s * 1103515245u + 12345u;
        unsigned u = s >> 8;
        const char *arm = names[u % 20 < 9 ? u % 9 : u % 20];
        if (u % 97 == 0) arm = "";
        const char *y = ys[(u >> 5) % 10], *b = bs[(u >> 9) % 8];
        char line[4][128];
        snprintf(line[0], sizeof line[0], "%s,%s,%s,%u\n", arm, y, b, u % 1000);
        snprintf(line[1], sizeof line[1], " %s\t,%s,%s,%u\n", arm, y, b, u % 1000);
        snprintf(line[2], sizeof line[2], "\"%s\",%s,%s,%u\n", arm, y, b, u % 1000);
        snprintf(line[3], sizeof line[3], "%s,%s,%s,%u\r\n", arm, y, b, u % 1000);
        for (int e = 0; e < 4; e++) strcat(enc[e], line[e]);
    }
    char *res[4];
    for (int e = 0; e < 4; e++) {
        cw_analysis *a;
        cw_status st = run_csv(enc[e], strlen(enc[e]), e == 0 ? 0 : e == 1 ? 4096 : e == 2 ? 13 : 1000, opts, &a);
        const char *p = st == CW_OK ? strstr(cw_analysis_result(a), "\"arms\"") : NULL;
        res[e] = p ? strcpy(malloc(strlen(p) + 1), p) : NULL;
        CW_CHECK(t, res[e] != NULL, "encoding %d: %s", e, cw_analysis_error(a));
        cw_analysis_free(a);
    }
    for (int e = 1; e < 4; e++)
        CW_CHECK(t, res[0] && res[e] && strcmp(res[0], res[e]) == 0, "encoding %d differs:\n%s\n%s", e,
                 res[0] ? res[0] : "", res[e] ? res[e] : "");
    CW_CHECK(t, res[0] && strstr(res[0], "\"name\":\"a_name_longer_than_16\"") && strstr(res[0], "\"name\":\"P\"") &&
                    strstr(res[0], "\"name\":\"xbt\"") && strstr(res[0], "\"name\":\"xdz\"") &&
                    strstr(res[0], "\"name\":\"treatment_acv\""),
             "arms: %s", res[0] ? res[0] : "");
    for (int e = 0; e < 4; e++) {
        free(enc[e]);
        free(res[e]);
    }
}

void test_analysis(cw_test *t) {
    expect_error(t, "empty", "", OPTS, CW_ERR_EMPTY, "empty", 0, 0);
    expect_error(t, "blank", "\n\n", OPTS, CW_ERR_EMPTY, "blank", 0, 0);
    expect_error(t, "header only", "arm,y\n", OPTS, CW_ERR_NO_DATA, "no data rows", 1, 0);
    expect_error(t, "no such column", "arm,z\nA,1\n", OPTS, CW_ERR_COLUMN, "no column named 'y'", 1, 0);
    expect_error(t, "all text", "arm,y\nA,abc\nB,def\n", OPTS, CW_ERR_VALUES, "'abc'", 2, 2);
    expect_error(t, "single arm", "arm,y\nA,1\nA,2\n", OPTS, CW_ERR_ARMS, "only one arm", 0, 1);
    expect_error(t, "no control", "arm,y\nB,1\nC,2\n", OPTS, CW_ERR_ARMS, "'B', 'C'", 0, 1);
    expect_error(t, "ragged", "arm,y\nA,1\nB,2,3\n", OPTS, CW_ERR_ROW, "3 fields", 3, 3);
    expect_error(t, "short", "arm,y\nA,1\nB\n", OPTS, CW_ERR_ROW, "1 field ", 3, 1);
    expect_error(t, "open quote", "arm,y\nA,\"1\nB,2\n", OPTS, CW_ERR_ROW, "never closed", 2, 2);
    const char *const no_variant[] = {"control", "A", "metric", "y", NULL};
    expect_error(t, "no --variant", "arm,y\nA,1\n", no_variant, CW_ERR_OPTION, "--variant", 0, 0);
    const char *const bad_alpha[] = {"alpha", "1.5", NULL};
    expect_error(t, "bad alpha", "arm,y\nA,1\n", bad_alpha, CW_ERR_OPTION, "--alpha", 0, 0);
    const char *const bad_kind[] = {"metric", "y:count", NULL};
    expect_error(t, "bad kind", "arm,y\nA,1\n", bad_kind, CW_ERR_OPTION, "binary or continuous", 0, 0);
    const char *const twice[] = {"split", "A=50,A=50", NULL};
    expect_error(t, "split names an arm twice", "", twice, CW_ERR_OPTION, "'A' twice", 0, 0);
    const char *const split3[] = {"variant", "arm", "control", "A", "metric", "y", "split", "50,25,25", NULL};
    expect_error(t, "split count", "arm,y\nA,1\nB,2\n", split3, CW_ERR_OPTION, "3 weights but the data has 2", 0, 0);
    /* summary counts: whole numbers below 2^53, each and summed per arm (found by fuzzing: a count
     * of 3.3e52 was converted to int64, which is undefined) */
    const char *const summ[] = {"variant", "v", "control", "A", "metric", "y", "summary", "yes", NULL};
    expect_error(t, "summary count too large", "v,n,y_sum,y_sumsq\nA,3.3e52,5,5\nB,12,7,7\n", summ, CW_ERR_VALUES,
                 "'3.3e52' in column 'n' is not a count (a whole number from 0 to 2^53 - 1)", 2, 2);
    expect_error(t, "summary counts add up", "v,n,y_sum,y_sumsq\nA,9007199254740991,5,5\nA,1,1,1\nB,2,1,1\n", summ,
                 CW_ERR_VALUES, "a count that keeps its arm's total below 2^53", 3, 2);
    const char *const unknown[] = {"colour", "red", NULL};
    expect_error(t, "unknown option", "", unknown, CW_ERR_OPTION, "unknown option --colour", 0, 0);

    /* Text among numbers: left out, counted, and reported with its place. */
    cw_analysis *a;
    const char *mixed = "arm,y\nA,1\nA,2\nA,x1\nB,3\nB,5\nB,\n";
    CW_CHECK(t, run_csv(mixed, strlen(mixed), 0, OPTS, &a) == CW_OK, "mixed: %s", cw_analysis_error(a));
    const char *r = cw_analysis_result(a);
    CW_CHECK(t, r && strstr(r, "\"invalid\":1,\"first_invalid\":{\"line\":4,\"column\":2,\"text\":\"x1\"}"),
             "mixed: %s", r ? r : "(null)");
    CW_CHECK(t, r && strstr(r, "\"code\":\"invalid_values\""), "mixed warning missing");
    CW_CHECK(t, r && strstr(r, "\"missing\":1,"), "mixed: missing count");
    CW_CHECK(t, r && !strstr(r, "nan") && !strstr(r, "inf"), "no NaN/Inf text: %s", r ? r : "");
    cw_analysis_free(a);

    /* --unit: repeated ids and ids in two arms are counted, with the first line of each. */
    const char *const unit_opts[] = {"variant", "arm", "control", "A", "metric", "y", "unit", "id", NULL};
    const char *units = "id,arm,y\nu1,A,1\nu2,A,2\nu1,A,3\nu3,B,4\nu2,B,5\n,B,6\nu4,B,7\n";
    CW_CHECK(t, run_csv(units, strlen(units), 0, unit_opts, &a) == CW_OK, "units: %s", cw_analysis_error(a));
    r = cw_analysis_result(a);
    CW_CHECK(t, r && strstr(r, "\"units\":{\"column\":\"id\",\"distinct\":4,\"missing\":1,\"repeated_rows\":2,"
                              "\"first_repeat_line\":4,\"ids_in_several_arms\":1,\"first_cross_arm_line\":6,"
                              "\"complete\":true}"),
             "units: %s", r ? r : "(null)");
    CW_CHECK(t, r && strstr(r, "\"code\":\"duplicate_units\"") && strstr(r, "\"code\":\"units_in_several_arms\""),
             "unit warnings");
    cw_analysis_free(a);

    /* A European export: ';' delimits, ',' is the decimal point; both sniffed, or given. */
    const char *eu = "arm;y\nA;1,5\nB;2,25\nA;3\nB;-0,5\n";
    CW_CHECK(t, run_csv(eu, strlen(eu), 0, OPTS, &a) == CW_OK, "eu: %s", cw_analysis_error(a));
    r = cw_analysis_result(a);
    CW_CHECK(t, r && strstr(r, "\"delimiter\":\";\",\"decimal\":\",\",\"encoding\":\"utf-8\",\"header\":true") &&
                    strstr(r, "\"mean\":2.25,") && strstr(r, "\"mean\":0.875,"),
             "eu: %s", r ? r : "(null)");
    cw_analysis_free(a);
    const char *const dot[] = {"variant", "arm", "control", "A", "metric", "y", "decimal", ".", NULL};
    CW_CHECK(t, run_csv(eu, strlen(eu), 0, dot, &a) == CW_OK && strstr(cw_analysis_result(a), "\"invalid\":3,"),
             "eu with --decimal . reads 1,5 as text: %s", cw_analysis_error(a));
    cw_analysis_free(a);
    const char *pipe = "arm|y,z\nA|1\nB|2\nA|3\nB|5\n"; /* sniffing alone would not choose '|' */
    const char *const piped[] = {"variant", "arm", "control", "A", "metric", "y,z", "delimiter", "|", NULL};
    CW_CHECK(t, run_csv(pipe, strlen(pipe), 0, piped, &a) == CW_ERR_COLUMN, "pipe: %s", cw_analysis_error(a));
    cw_analysis_free(a);
    /* No header: sniffed when the first row is all numbers, or declared; columns are V1, V2. */
    const char *const vopts[] = {"variant", "V1", "control", "0", "metric", "V2", NULL};
    const char *nohead = "0,1.5\n1,2\n0,3\n1,5\n";
    CW_CHECK(t, run_csv(nohead, strlen(nohead), 0, vopts, &a) == CW_OK, "no header: %s", cw_analysis_error(a));
    r = cw_analysis_result(a);
    CW_CHECK(t, r && strstr(r, "\"header\":false,\"summary\":false,\"columns\":[\"V1\",\"V2\"],\"rows_read\":4"), "no header: %s", r);
    cw_analysis_free(a);
    const char *const vno[] = {"variant", "V1", "control", "A", "metric", "V2", "header", "no", NULL};
    const char *texthead = "A,1\nB,2\nA,3\nB,5\n";
    CW_CHECK(t, run_csv(texthead, strlen(texthead), 0, vno, &a) == CW_OK, "--header no: %s", cw_analysis_error(a));
    cw_analysis_free(a);

    /* Degenerate statistics are null with a reason, never NaN. */
    const char *flat = "arm,y\nA,1\nA,1\nB,1\nB,1\nC,4\n";
    CW_CHECK(t, run_csv(flat, strlen(flat), 0, OPTS, &a) == CW_OK, "flat: %s", cw_analysis_error(a));
    r = cw_analysis_result(a);
    CW_CHECK(t, r && strstr(r, "\"unavailable\":{\"se\":\"both arms have zero variance"), "flat: %s", r ? r : "(none)");
    CW_CHECK(t, r && strstr(r, "\"unavailable\":{\"sd\":\"fewer than 2 values\""), "flat n=1: %s", r ? r : "(none)");
    CW_CHECK(t, r && !strstr(r, "nan") && !strstr(r, "inf"), "flat: NaN text");
    cw_analysis_free(a);

    /* The same data as LF, CRLF, with a BOM, and quoted, gives the same analysis. */
    const char *lf = "arm,y,z\nA,1.5,x\nB,2.25,y\nA,3,z\nB,-4e-1,w\nA,7,v\nB,0.125,u\n";
    const char *crlf = "arm,y,z\r\nA,1.5,x\r\nB,2.25,y\r\nA,3,z\r\nB,-4e-1,w\r\nA,7,v\r\nB,0.125,u\r\n";
    const char *bom = "\xEF\xBB\xBF" "arm,y,z\nA,1.5,x\nB,2.25,y\nA,3,z\nB,-4e-1,w\nA,7,v\nB,0.125,u";
    const char *quoted = "\"arm\",\"y\",\"z\"\n\"A\",\" 1.5\",x\nB,2.25,y\nA,3,z\nB,-4e-1,w\nA,7,v\nB,0.125,u\n";
    char *base = result_tail(lf, 0);
    CW_CHECK(t, base != NULL, "lf analysis failed");
    const char *variants[] = {crlf, bom, quoted};
    for (int i = 0; i < 3 && base; i++) {
        char *other = result_tail(variants[i], 0);
        CW_CHECK(t, other && strcmp(base, other) == 0, "variant %d differs:\n%s\n%s", i, base, other);
        free(other);
    }
    /* Any chunk size gives byte-identical results. */
    for (size_t chunk = 1; chunk < strlen(crlf) && base; chunk++) {
        char *other = result_tail(crlf, chunk);
        CW_CHECK(t, other && strcmp(base, other) == 0, "chunk %zu differs", chunk);
        free(other);
    }
    free(base);
    fast_and_general(t);
}
