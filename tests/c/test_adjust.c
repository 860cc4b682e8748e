/* test_adjust.c — covariate-adjusted comparisons (--covariates with --adjust additive|lin,
 * --pre-metric for CUPED) through the whole analysis, against R (tests/fixtures/adjust_r.tsv,
 * written by tests/oracle/make_adjust_fixtures.R), and their bad inputs.
 *
 * Tolerance 1e-9 relative: R solves by a QR of the rows, the core from streamed centred
 * co-moments (ols.c), which squares the design's condition number; on these designs (Hillstrom
 * history up to ~3,000, indicator x covariate columns) that leaves about 11 agreeing digits
 * (worst seen: 1.2e-11, a p-value near 1e-7 whose t carries the error of the SE). 1e-9 keeps
 * two digits of headroom and still catches any wrong formula, df or covariance type. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util.h"

/* The number after "key": at or after p, NaN when absent. */
static double number_after(const char *p, const char *key) {
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *q = p ? strstr(p, pat) : NULL;
    return q ? strtod(q + strlen(pat), NULL) : NAN;
}

/* Where field (e.g. "difference", "HC1.se") of arm's adjusted comparison starts in r. */
static double adjusted_value(const char *r, const char *arm, const char *field) {
    char pat[200];
    snprintf(pat, sizeof pat, "\"arm\":\"%s\",", arm);
    const char *p = strstr(r, pat);
    if (p) p = strstr(p, "\"adjusted\":{");
    if (!p) return NAN;
    const char *dot = strchr(field, '.');
    if (!dot) return number_after(p, field);
    snprintf(pat, sizeof pat, "{\"se_type\":\"%.*s\",", (int)(dot - field), field);
    return number_after(strstr(p, pat), dot + 1);
}

typedef struct {
    char name[64];
    const char *opts[16];
    char *file;
} spec;

static void run_case(cw_test *t, spec *s, char **lines, int from, int to) {
    size_t len;
    char *csv = read_file(s->file, &len);
    CW_CHECK(t, csv != NULL, "%s: cannot read %s", s->name, s->file);
    if (!csv) return;
    cw_analysis *a;
    cw_status st = run_csv(csv, len, 1 << 16, s->opts, &a);
    CW_CHECK(t, st == CW_OK, "%s: %s", s->name, cw_analysis_error(a));
    const char *r = cw_analysis_result(a);
    for (int i = from; r && i < to; i++) {
        char *f[4];
        char *p = lines[i];
        for (int k = 0; k < 4; k++) {
            f[k] = p;
            p = k < 3 ? strchr(p, '\t') : NULL;
            if (p) *p++ = '\0';
            else if (k < 3) break;
        }
        if (strcmp(f[1], "option") == 0) continue;
        double want = strtod(f[3], NULL), got;
        if (strcmp(f[1], "metric") == 0) got = number_after(strstr(r, "\"adjustment\":{"), f[2]);
        else got = adjusted_value(r, f[1], f[2]);
        CW_CHECK(t, cw_close(got, want, 1e-9), "%s %s %s: got %.17g want %.17g (rel %.3g)", s->name, f[1], f[2], got,
                 want, fabs(got - want) / fabs(want));
    }
    cw_analysis_free(a);
    free(csv);
}

static void against_r(cw_test *t) {
    char path[512];
    size_t len;
    char *text = read_file(fixture_path("adjust_r.tsv", path, sizeof path), &len);
    CW_CHECK(t, text != NULL, "cannot read %s", path);
    if (!text) return;
    char **lines = NULL;
    int n = 0;
    for (char *p = strtok(text, "\n"); p; p = strtok(NULL, "\n"))
        if (p[0] != '#' && strncmp(p, "case\t", 5) != 0) {
            char **l = realloc(lines, (size_t)(n + 1) * sizeof *l);
            if (!l) break;
            lines = l;
            lines[n++] = p;
        }
    int cases = 0;
    for (int i = 0; i < n;) {
        spec s;
        memset(&s, 0, sizeof s);
        size_t nl = strcspn(lines[i], "\t");
        snprintf(s.name, sizeof s.name, "%.*s", (int)nl, lines[i]);
        int j = i, no = 0;
        char copy[64][160];
        for (; j < n && strncmp(lines[j], s.name, nl) == 0 && lines[j][nl] == '\t'; j++) {
            if (strncmp(lines[j] + nl, "\toption\t", 8) != 0 || no >= 14) continue;
            char *name = lines[j] + nl + 8, *tab = strchr(name, '\t');
            if (!tab) continue;
            snprintf(copy[no], sizeof copy[no], "%.*s", (int)(tab - name), name);
            snprintf(copy[no + 1], sizeof copy[no + 1], "%s", tab + 1);
            if (strcmp(copy[no], "file") == 0) {
                s.file = copy[no + 1];
                continue;
            }
            s.opts[no] = copy[no];
            s.opts[no + 1] = copy[no + 1];
            no += 2;
        }
        s.opts[no] = NULL;
        run_case(t, &s, lines, i, j);
        cases++;
        i = j;
    }
    CW_CHECK(t, cases == 8, "the fixture has %d cases (want 8)", cases);
    free(lines);
    free(text);
}

static void bad_inputs(cw_test *t) {
    static const char csv[] = "arm,y,x,w,label\nA,1,2,3,a\nB,2,3,1,b\nA,3,1,2,c\nB,5,4,4,d\n";
    static const struct {
        const char *opts[12];
        const char *fragment;
    } cases[] = {
        {{"variant", "arm", "control", "A", "metric", "y", "covariates", "nope", NULL},
         "no column named 'nope' (the covariate)"},
        {{"variant", "arm", "control", "A", "metric", "y", "covariates", "x,arm", NULL},
         "--covariates 'arm' is the variant column"},
        {{"variant", "arm", "control", "A", "metric", "y", "covariates", "y", NULL}, "--covariates 'y' is also a metric"},
        {{"variant", "arm", "control", "A", "metric", "y", "pre-metric", "y", NULL}, "--pre-metric 'y' is also a metric"},
        {{"variant", "arm", "control", "A", "metric", "y", "adjust", "additive", NULL}, "--adjust needs --covariates"},
        {{"variant", "arm", "control", "A", "metric", "y", "pre-metric", "label", NULL},
         "the pre-metric column 'label' holds text"},
        {{"variant", "arm", "control", "A", "metric", "y", "covariates", "x", "winsorize", "0.9", NULL},
         "--winsorize cannot be combined with --covariates"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        cw_analysis *a;
        cw_status st = run_csv(csv, strlen(csv), 0, cases[k].opts, &a);
        CW_CHECK(t, st != CW_OK && strstr(cw_analysis_error(a), cases[k].fragment), "case %zu: %s", k,
                 cw_analysis_error(a));
        cw_analysis_free(a);
    }
    cw_analysis *a = cw_analysis_new();
    cw_status st = cw_analysis_set(a, "adjust", "quadratic");
    CW_CHECK(t, st == CW_ERR_OPTION && strstr(cw_analysis_error(a), "--adjust must be additive or lin"), "%s",
             cw_analysis_error(a));
    cw_analysis_free(a);
}

/* A row with a missing covariate is left out of the regression and counted; a covariate that is
 * a copy of another is dropped by name, and the analysis still finishes. */
static void left_out_and_dropped(cw_test *t) {
    /* a text covariate with more levels than the regression may hold is refused */
    char many[4096] = "arm,y,c\n";
    for (int i = 0; i < 60; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "%s,%d,L%02d\n", i % 2 ? "A" : "B", i % 7, i);
    static const char *const copts[] = {"variant", "arm", "control", "A", "metric", "y", "covariates", "c", NULL};
    cw_analysis *m;
    cw_status ms = run_csv(many, strlen(many), 0, copts, &m);
    CW_CHECK(t, ms == CW_ERR_VALUES && strstr(cw_analysis_error(m), "more than 50 different values"), "%s",
             cw_analysis_error(m));
    cw_analysis_free(m);

    static const char csv[] = "arm,y,x,x2\nA,1,2,4\nB,2,3,6\nA,3,,\nB,5,4,8\nA,2,5,10\nB,7,1,2\nA,1,3,6\n";
    static const char *const opts[] = {"variant", "arm", "control", "A", "metric", "y", "covariates", "x,x2",
                                       "adjust", "additive", NULL};
    cw_analysis *a;
    cw_status st = run_csv(csv, strlen(csv), 3, opts, &a);
    const char *r = cw_analysis_result(a);
    CW_CHECK(t, st == CW_OK && r, "%s", cw_analysis_error(a));
    CW_CHECK(t, r && strstr(r, "\"rows_used\":6,\"rows_left_out\":1,\"reference_levels\":{},\"dropped_columns\":[\"x2\"]"), "%s", r ? r : "");
    CW_CHECK(t, r && strstr(r, "\"code\":\"collinear_columns\""), "warning missing");
    cw_analysis_free(a);
}

void test_adjust(cw_test *t) {
    against_r(t);
    bad_inputs(t);
    left_out_and_dropped(t);
}
