/* test_oracle.c — the estimators against R: every row of tests/fixtures/ttest_r.tsv (written by
 * tests/oracle/make_ttest_fixtures.R from R's t.test) is recomputed by running the real analysis
 * over the same CSV file and calling the same estimator functions the report uses.
 *
 * Tolerance 1e-9 relative: R sums in long double over two passes, we update in double over one
 * (Welford); for these n (<= 64,000) and data the means and variances agree to ~1e-13, and the
 * t distribution functions to ~1e-14, so 1e-9 leaves room only for real defects. */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "test.h"
#include "ttest.h"
#include "util.h"

typedef struct {
    char key[512];
    cw_analysis *a;
} cache;

static cw_analysis *load(cache *c, const char *file, const char *variant, const char *control,
                         const char *metric, const char *alpha, const char *winsorize, const char *tail) {
    char key[512];
    snprintf(key, sizeof key, "%s|%s|%s|%s|%s|%s|%s", file, variant, control, metric, alpha, winsorize, tail);
    if (c->a && strcmp(key, c->key) == 0) return c->a;
    cw_analysis_free(c->a);
    c->a = NULL;
    snprintf(c->key, sizeof c->key, "%s", key);
    size_t len;
    char *csv = read_file(file, &len);
    if (!csv) return NULL;
    char kind[256];
    snprintf(kind, sizeof kind, "%s:continuous", metric);
    const char *opts[] = {"variant", variant, "control", control, "metric", kind, "alpha", alpha,
                          *winsorize ? "winsorize" : NULL, winsorize, "winsorize-tail", tail, NULL};
    cw_status st = run_csv(csv, len, 1u << 20, opts, &c->a);
    free(csv);
    if (st != CW_OK) {
        fprintf(stderr, "analysis of %s failed: %s\n", file, cw_analysis_error(c->a));
        return NULL;
    }
    return c->a;
}

static double field(const cw_ttest *r, const char *f) {
    if (!strcmp(f, "difference")) return r->difference;
    if (!strcmp(f, "se")) return r->se;
    if (!strcmp(f, "df")) return r->df;
    if (!strcmp(f, "t")) return r->t;
    if (!strcmp(f, "p_value")) return r->p_value;
    if (!strcmp(f, "ci_low")) return r->ci_low;
    if (!strcmp(f, "ci_high")) return r->ci_high;
    return NAN;
}

static double arm_field(const cw_moments *m, double alpha, const char *f) {
    cw_mean_ci ci;
    cw_mean_interval(m, alpha, &ci);
    if (!strcmp(f, "n")) return (double)m->n;
    if (!strcmp(f, "mean")) return cw_moments_mean(m);
    if (!strcmp(f, "sd")) return ci.sd;
    if (!strcmp(f, "se")) return ci.se;
    if (!strcmp(f, "ci_low")) return ci.ci_low;
    if (!strcmp(f, "ci_high")) return ci.ci_high;
    return NAN;
}

void test_oracle(cw_test *t) {
    char path[512];
    size_t len;
    char *text = read_file(fixture_path("ttest_r.tsv", path, sizeof path), &len);
    CW_CHECK(t, text != NULL, "cannot read %s", path);
    if (!text) return;
    cache c = {"", NULL};
    int rows = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (line[0] == '#' || strncmp(line, "dataset\t", 8) == 0) continue;
        char *f[12];
        int nf = 0;
        for (char *p = line; nf < 12; nf++) {
            f[nf] = p;
            char *tab = strchr(p, '\t');
            if (!tab) {
                nf++;
                break;
            }
            *tab = '\0';
            p = tab + 1;
        }
        if (nf != 12) {
            CW_CHECK(t, 0, "malformed fixture line");
            continue;
        }
        /* dataset file variant metric arm control alpha stat field value winsorize tail */
        const char *control = f[5][0] ? f[5] : NULL;
        /* The per-arm rows have no control: any arm works as control for loading. */
        cw_analysis *a = load(&c, f[1], f[2], control ? control : f[4], f[3], f[6], f[10], f[11]);
        CW_CHECK(t, a != NULL, "could not analyse %s", f[1]);
        if (!a) continue;
        double alpha = strtod(f[6], NULL), want = strtod(f[9], NULL), got;
        int k = cw_arms_find(&a->arms, f[4], strlen(f[4]));
        CW_CHECK(t, k >= 0, "arm %s missing", f[4]);
        if (k < 0) continue;
        /* the moments the report uses: winsorized ones when capped */
#define MOMENTS(arm) (a->metrics[0].winsorized ? &(arm).cell[0].w : &(arm).cell[0].m)
        if (!strcmp(f[7], "arm")) {
            got = arm_field(MOMENTS(a->arms.arms[k]), alpha, f[8]);
        } else {
            int kc = cw_arms_find(&a->arms, control, strlen(control));
            cw_ttest r;
            if (!strcmp(f[7], "welch")) cw_welch(MOMENTS(a->arms.arms[k]), MOMENTS(a->arms.arms[kc]), alpha, &r);
            else cw_student(MOMENTS(a->arms.arms[k]), MOMENTS(a->arms.arms[kc]), alpha, &r);
            got = field(&r, f[8]);
        }
        CW_CHECK(t, cw_close(got, want, 1e-9), "%s %s %s %s %s: got %.17g want %.17g (rel %.2e)", f[0],
                 f[3], f[4], f[7], f[8], got, want, fabs(got - want) / fabs(want));
        rows++;
    }
    CW_CHECK(t, rows > 400, "only %d fixture rows checked", rows);
    cw_analysis_free(c.a);
    free(text);
}
