/* test_counts.c — the estimators from counts (proportions.c, chisq.c, fisher.c, adjust.c) against
 * R: every row of tests/fixtures/counts_r.tsv (written by tests/oracle/make_counts_fixtures.R
 * from prop.test, chisq.test, fisher.test, p.adjust and the formulas stated there) is recomputed
 * here by calling the function the row names; then a sweep of small and degenerate inputs checks
 * that no function returns NaN or Inf without an `unavailable` reason.
 *
 * Tolerance: 1e-12 relative for every value (statistics, p-values, standard errors, interval
 * ends, expected counts); a value R gives as exactly 0 (a Yates-capped statistic) is checked as
 * |got| <= 1e-12. Observed on the committed fixture (run with CW_COUNTS_REPORT=1 for the table):
 * most values agree to the last bit or a few ulps; the largest differences are R's own rounding,
 * checked against 50-digit mpmath: Fisher's p-value 1.6e-224 for 6000/10^6 vs 3000/10^6 (R off by
 * 1.7e-13, from dhyper's log scale; ours 1e-16), and Newcombe's lower end for 500000/10^6 vs
 * 499000/10^6 (R off by 1.3e-13, from p - l; ours 3e-15). The chi-square p-value near 1e-220
 * differs by 4.8e-14, cw_pchisq's error there (the statistic itself is bit-identical to R's).
 */
#include <stdlib.h>
#include <string.h>

#include "adjust.h"
#include "chisq.h"
#include "fisher.h"
#include "proportions.h"
#include "test.h"
#include "util.h"


#define REL 1e-12
#define MAXARGS 64

/* What one fixture row's function gave for its field. */
typedef struct {
    double got;
    const char *why;  /* the function's `unavailable` */
    int always;       /* the field is reported even when the rest is unavailable */
    int known;        /* the field exists */
} outcome;

static void set(outcome *o, double got, const char *why, int always) {
    o->got = got;
    o->why = why;
    o->always = always;
    o->known = 1;
}

static int64_t i64(double v) { return (int64_t)v; }

static outcome eval(const char *func, const double *a, int na, const char *method, const char *f) {
    outcome o = {NAN, 0, 0, 0};
    if (!strcmp(func, "wilson") && na == 3) {
        cw_rate_ci r;
        cw_wilson(i64(a[0]), i64(a[1]), a[2], &r);
        if (!strcmp(f, "rate")) set(&o, r.rate, r.unavailable, 1);
        if (!strcmp(f, "ci_low")) set(&o, r.ci_low, r.unavailable, 0);
        if (!strcmp(f, "ci_high")) set(&o, r.ci_high, r.unavailable, 0);
    } else if (!strcmp(func, "prop") && na == 5) {
        int64_t x1 = i64(a[0]), n1 = i64(a[1]), x2 = i64(a[2]), n2 = i64(a[3]);
        cw_prop_wald w;
        cw_prop_newcombe nc;
        cw_prop_ztest z;
        cw_lift l;
        cw_prop_wald_ci(x1, n1, x2, n2, a[4], &w);
        cw_prop_newcombe_ci(x1, n1, x2, n2, a[4], &nc);
        cw_prop_z_test(x1, n1, x2, n2, &z);
        cw_prop_lift(x1, n1, x2, n2, a[4], &l);
        if (!strcmp(f, "difference")) set(&o, w.difference, w.unavailable, 1);
        if (!strcmp(f, "wald_se")) set(&o, w.se, w.unavailable, 0);
        if (!strcmp(f, "wald_low")) set(&o, w.ci_low, w.unavailable, 0);
        if (!strcmp(f, "wald_high")) set(&o, w.ci_high, w.unavailable, 0);
        if (!strcmp(f, "newcombe_low")) set(&o, nc.ci_low, nc.unavailable, 0);
        if (!strcmp(f, "newcombe_high")) set(&o, nc.ci_high, nc.unavailable, 0);
        if (!strcmp(f, "chisq")) set(&o, z.chisq, z.unavailable, 0);
        if (!strcmp(f, "z")) set(&o, z.z, z.unavailable, 0);
        if (!strcmp(f, "p_value")) set(&o, z.p_value, z.unavailable, 0);
        if (!strcmp(f, "pooled_se")) set(&o, z.se, z.unavailable, 0);
        if (!strcmp(f, "min_expected")) set(&o, z.min_expected, z.unavailable, 0);
        if (!strcmp(f, "small_expected")) set(&o, z.small_expected, z.unavailable, 0);
        if (!strcmp(f, "lift")) set(&o, l.lift, l.unavailable, 1);
        if (!strcmp(f, "lift_se")) set(&o, l.se, l.unavailable, 0);
        if (!strcmp(f, "lift_low")) set(&o, l.ci_low, l.unavailable, 0);
        if (!strcmp(f, "lift_high")) set(&o, l.ci_high, l.unavailable, 0);
    } else if (!strcmp(func, "lift") && na == 5) {
        cw_lift l;
        cw_relative_lift(a[0], a[1], a[2], a[3], a[4], &l);
        if (!strcmp(f, "lift")) set(&o, l.lift, l.unavailable, 1);
        if (!strcmp(f, "se")) set(&o, l.se, l.unavailable, 0);
        if (!strcmp(f, "ci_low")) set(&o, l.ci_low, l.unavailable, 0);
        if (!strcmp(f, "ci_high")) set(&o, l.ci_high, l.unavailable, 0);
    } else if (!strcmp(func, "chisq") && na >= 3 && na == 3 + (int)(a[1] * a[2])) {
        int64_t cells[MAXARGS];
        for (int i = 3; i < na; i++) cells[i - 3] = i64(a[i]);
        cw_chisq c;
        cw_chisq_table(cells, (int)a[1], (int)a[2], a[0] != 0.0, &c);
        if (!strcmp(f, "statistic")) set(&o, c.statistic, c.unavailable, 0);
        if (!strcmp(f, "df")) set(&o, c.df, c.unavailable, 1);
        if (!strcmp(f, "p_value")) set(&o, c.p_value, c.unavailable, 0);
        if (!strcmp(f, "min_expected")) set(&o, c.min_expected, c.unavailable, 0);
        if (!strcmp(f, "small_expected")) set(&o, c.small_expected, c.unavailable, 0);
        if (!strcmp(f, "correction")) set(&o, c.correction, c.unavailable, 0);
    } else if (!strcmp(func, "gof") && na >= 1 && na == 1 + 2 * (int)a[0]) {
        int k = (int)a[0];
        int64_t x[MAXARGS];
        for (int i = 0; i < k; i++) x[i] = i64(a[1 + i]);
        cw_chisq c;
        cw_chisq_gof(x, a + 1 + k, k, &c);
        if (!strcmp(f, "statistic")) set(&o, c.statistic, c.unavailable, 0);
        if (!strcmp(f, "df")) set(&o, c.df, c.unavailable, 1);
        if (!strcmp(f, "p_value")) set(&o, c.p_value, c.unavailable, 0);
        if (!strcmp(f, "min_expected")) set(&o, c.min_expected, c.unavailable, 0);
        if (!strcmp(f, "small_expected")) set(&o, c.small_expected, c.unavailable, 0);
    } else if (!strcmp(func, "fisher") && na == 4) {
        cw_fisher r;
        cw_fisher_2x2(i64(a[0]), i64(a[1]), i64(a[2]), i64(a[3]), &r);
        if (!strcmp(f, "p_value")) set(&o, r.p_value, r.unavailable, 0);
    } else if (!strcmp(func, "padjust") && method) {
        cw_adjust_method m;
        double out[MAXARGS];
        int i = atoi(f + 3) - 1; /* "adjN", 1-based */
        if (cw_adjust_method_parse(method, &m) == CW_OK && cw_p_adjust(a, (size_t)na, m, out) == CW_OK &&
            !strncmp(f, "adj", 3) && i >= 0 && i < na)
            /* R's NA input stays NA: no reason string, the value itself is the answer. */
            set(&o, out[i], 0, 1);
    }
    return o;
}

/* The largest error seen per func/field, for the report. */
typedef struct {
    char key[48], at[80];
    double err;
    int n;
} worst;

static void note(worst *w, int *nw, const char *func, const char *field, const char *at, double err) {
    char key[48];
    snprintf(key, sizeof key, "%s.%s", func, field);
    int i = 0;
    while (i < *nw && strcmp(w[i].key, key)) i++;
    if (i == *nw) {
        if (*nw == 64) return;
        snprintf(w[i].key, sizeof w[i].key, "%s", key);
        w[i].err = 0;
        w[i].n = 0;
        w[i].at[0] = '\0';
        (*nw)++;
    }
    w[i].n++;
    if (err > w[i].err) {
        w[i].err = err;
        snprintf(w[i].at, sizeof w[i].at, "%s", at);
    }
}

static void check_fixture(cw_test *t) {
    char path[512];
    size_t len;
    char *text = read_file(fixture_path("counts_r.tsv", path, sizeof path), &len);
    CW_CHECK(t, text != NULL, "cannot read %s", path);
    if (!text) return;
    worst w[64];
    int nw = 0, rows = 0, unavailable_rows = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (line[0] == '#' || strncmp(line, "case\t", 5) == 0) continue;
        char *col[5];
        int nc = 0;
        for (char *p = line; nc < 5;) {
            col[nc++] = p;
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = '\0';
            p = tab + 1;
        }
        if (nc != 5) {
            CW_CHECK(t, 0, "malformed fixture line %d", rows + 1);
            continue;
        }
        /* args: numbers (NA as NaN); for padjust the method comes first */
        char args[1024], *method = NULL;
        snprintf(args, sizeof args, "%s", col[2]);
        double a[MAXARGS];
        int na = 0;
        for (char *p = args; *p && na < MAXARGS;) {
            while (*p == ' ') p++;
            char *end = p + strcspn(p, " ");
            int last = *end == '\0';
            *end = '\0';
            if (!method && !strcmp(col[1], "padjust")) method = p;
            else a[na++] = strcmp(p, "NA") ? strtod(p, NULL) : NAN;
            p = last ? end : end + 1;
        }
        const char *field = col[3];
        outcome o = eval(col[1], a, na, method, field);
        CW_CHECK(t, o.known, "%s: unknown function or field %s.%s", col[0], col[1], field);
        if (!o.known) continue;
        rows++;
        /* never a NaN or an infinity without a reason */
        CW_CHECK(t, o.why || isfinite(o.got) || !strcmp(col[1], "padjust"),
                 "%s %s.%s: %g with no reason", col[0], col[1], field, o.got);
        if (!strcmp(col[4], "NA")) {
            if (!strcmp(col[1], "padjust")) {
                CW_CHECK(t, isnan(o.got), "%s %s: want NA, got %.17g", col[0], field, o.got);
            } else {
                unavailable_rows++;
                CW_CHECK(t, o.why != NULL && *o.why, "%s %s.%s: R has no value, but no reason given (got %.17g)",
                         col[0], col[1], field, o.got);
                CW_CHECK(t, isnan(o.got) || !strcmp(field, "small_expected"),
                         "%s %s.%s: unavailable but %.17g", col[0], col[1], field, o.got);
            }
            continue;
        }
        double want = strtod(col[4], NULL);
        CW_CHECK(t, o.always || o.why == NULL, "%s %s.%s: unavailable (%s), R gives %.17g", col[0], col[1],
                 field, o.why, want);
        double err = fabs(o.got - want), rel = want != 0.0 ? err / fabs(want) : err;
        CW_CHECK(t, rel <= REL, "%s %s.%s(%s): got %.17g want %.17g (rel %.2e)", col[0], col[1], field, col[2],
                 o.got, want, rel);
        note(w, &nw, col[1], field, col[0], rel);
    }
    CW_CHECK(t, rows > 1500, "only %d fixture rows checked", rows);
    CW_CHECK(t, unavailable_rows > 100, "only %d unavailable rows checked", unavailable_rows);
    if (getenv("CW_COUNTS_REPORT")) {
        printf("counts: %d rows vs R (%d unavailable); largest relative error per quantity:\n", rows,
               unavailable_rows);
        for (int i = 0; i < nw; i++)
            printf("  %-22s %4d values  max %.2e  %s\n", w[i].key, w[i].n, w[i].err, w[i].err > 0 ? w[i].at : "");
    }
    free(text);
}

/* Every result is either available with finite fields or carries a non-empty reason. */
#define ALL_FINITE_OR_WHY(t, why, ...)                                                       \
    do {                                                                                     \
        const double v_[] = {__VA_ARGS__};                                                   \
        int ok_ = 1;                                                                         \
        for (size_t i_ = 0; i_ < sizeof v_ / sizeof *v_; i_++) ok_ &= isfinite(v_[i_]) != 0;  \
        CW_CHECK(t, (why) ? *(why) != '\0' : ok_, "%s at %lld %lld %lld %lld", #why, (long long)x1, \
                 (long long)n1, (long long)x2, (long long)n2);                               \
    } while (0)

static void sweep_edges(cw_test *t) {
    const double alphas[] = {0.05, 0.5, 0.0, 1.0, NAN};
    for (int64_t n1 = -1; n1 <= 4; n1++)
        for (int64_t x1 = -1; x1 <= n1 + 1; x1++)
            for (int64_t n2 = -1; n2 <= 4; n2++)
                for (int64_t x2 = -1; x2 <= n2 + 1; x2++)
                    for (size_t ai = 0; ai < sizeof alphas / sizeof *alphas; ai++) {
                        double alpha = alphas[ai];
                        cw_rate_ci r;
                        cw_prop_wald w;
                        cw_prop_newcombe nc;
                        cw_prop_ztest z;
                        cw_lift l;
                        cw_wilson(x1, n1, alpha, &r);
                        cw_prop_wald_ci(x1, n1, x2, n2, alpha, &w);
                        cw_prop_newcombe_ci(x1, n1, x2, n2, alpha, &nc);
                        cw_prop_z_test(x1, n1, x2, n2, &z);
                        cw_prop_lift(x1, n1, x2, n2, alpha, &l);
                        ALL_FINITE_OR_WHY(t, r.unavailable, r.rate, r.ci_low, r.ci_high);
                        ALL_FINITE_OR_WHY(t, w.unavailable, w.difference, w.se, w.ci_low, w.ci_high);
                        ALL_FINITE_OR_WHY(t, nc.unavailable, nc.difference, nc.ci_low, nc.ci_high);
                        ALL_FINITE_OR_WHY(t, z.unavailable, z.difference, z.pooled_rate, z.se, z.z, z.chisq,
                                          z.p_value, z.min_expected);
                        ALL_FINITE_OR_WHY(t, l.unavailable, l.lift, l.se, l.ci_low, l.ci_high);
                        if (!r.unavailable)
                            CW_CHECK(t, 0 <= r.ci_low && r.ci_low <= r.rate && r.rate <= r.ci_high && r.ci_high <= 1,
                                     "Wilson %lld/%lld: [%g, %g]", (long long)x1, (long long)n1, r.ci_low, r.ci_high);
                        if (!nc.unavailable)
                            CW_CHECK(t, -1 <= nc.ci_low && nc.ci_low <= nc.difference &&
                                            nc.difference <= nc.ci_high && nc.ci_high <= 1,
                                     "Newcombe: [%g, %g] around %g", nc.ci_low, nc.ci_high, nc.difference);
                        if (!z.unavailable)
                            CW_CHECK(t, 0 <= z.p_value && z.p_value <= 1 &&
                                            cw_close(z.p_value, erfc(fabs(z.z) / sqrt(2.0)), 1e-13),
                                     "z test: p %g for z %g", z.p_value, z.z);
                        if (ai > 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2) continue;
                        /* the 2x2 tables of the same counts (alpha does not enter) */
                        int64_t c[4] = {x1, n1 - x1, x2, n2 - x2};
                        for (int correct = 0; correct < 2; correct++) {
                            cw_chisq ch;
                            cw_chisq_table(c, 2, 2, correct, &ch);
                            ALL_FINITE_OR_WHY(t, ch.unavailable, ch.statistic, ch.df, ch.p_value, ch.min_expected,
                                              ch.correction);
                            if (!ch.unavailable)
                                CW_CHECK(t, ch.statistic >= 0 && ch.p_value >= 0 && ch.p_value <= 1,
                                         "chi-square %g, p %g", ch.statistic, ch.p_value);
                        }
                        cw_fisher fi;
                        cw_fisher_2x2(c[0], c[1], c[2], c[3], &fi);
                        ALL_FINITE_OR_WHY(t, fi.unavailable, fi.p_value);
                        CW_CHECK(t, fi.unavailable || (fi.p_value > 0 && fi.p_value <= 1), "Fisher p %g", fi.p_value);
                    }
    /* the general lift: zero, negative and non-finite inputs */
    const double vals[] = {0.0, -1.0, 1e-300, 2.0, INFINITY, NAN};
    int64_t x1 = 0, n1 = 0, x2 = 0, n2 = 0; /* for the macro's message */
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++)
            for (int k = 0; k < 6; k++)
                for (int m = 0; m < 6; m++) {
                    cw_lift l;
                    cw_relative_lift(vals[i], vals[j], vals[k], vals[m], 0.05, &l);
                    ALL_FINITE_OR_WHY(t, l.unavailable, l.lift, l.se, l.ci_low, l.ci_high);
                }
    /* r x c tables and goodness of fit with zeros, negatives and bad proportions */
    const int64_t tables[][6] = {{0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0}, {1, 2, 3, 0, 0, 0},
                                 {1, -2, 3, 4, 5, 6}, {0, 1, 0, 1, 0, 1}, {3, 1, 4, 1, 5, 9}};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
        for (int shape = 0; shape < 4; shape++) {
            static const int dims[4][2] = {{2, 3}, {3, 2}, {1, 6}, {6, 1}};
            cw_chisq ch;
            cw_chisq_table(tables[i], dims[shape][0], dims[shape][1], 1, &ch);
            ALL_FINITE_OR_WHY(t, ch.unavailable, ch.statistic, ch.df, ch.p_value, ch.min_expected, ch.correction);
        }
    const double ps[][3] = {{1, 1, 1}, {0.5, 0.25, 0.25}, {0, 1, 1}, {-1, 1, 1}, {NAN, 1, 1}, {INFINITY, 1, 1}};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
        for (size_t j = 0; j < sizeof ps / sizeof *ps; j++)
            for (int k = 0; k <= 3; k++) {
                cw_chisq ch;
                cw_chisq_gof(tables[i], ps[j], k, &ch);
                ALL_FINITE_OR_WHY(t, ch.unavailable, ch.statistic, ch.df, ch.p_value, ch.min_expected, ch.correction);
            }
}

static void check_fisher_large(cw_test *t) {
    /* Swapping rows or columns leaves the p-value unchanged (same margins, mirrored support). */
    const int64_t tabs[][4] = {{5200, 994800, 5000, 995000},
                               {30, 970, 10, 190},
                               {6000, 994000, 3000, 997000},
                               {50000000, 50000000, 49990000, 50010000}};
    for (size_t i = 0; i < sizeof tabs / sizeof *tabs; i++) {
        const int64_t *c = tabs[i];
        cw_fisher a, b, d;
        cw_fisher_2x2(c[0], c[1], c[2], c[3], &a);
        cw_fisher_2x2(c[2], c[3], c[0], c[1], &b);
        cw_fisher_2x2(c[1], c[0], c[3], c[2], &d);
        CW_CHECK(t, !a.unavailable && a.p_value > 0 && a.p_value <= 1, "Fisher p %g", a.p_value);
        CW_CHECK_CLOSE(t, b.p_value, a.p_value, 1e-13);
        CW_CHECK_CLOSE(t, d.p_value, a.p_value, 1e-13);
    }
    /* 10^8 rows, a large effect: the walk stops when the terms underflow past 2^-1200 */
    cw_fisher r;
    cw_fisher_2x2(60000000, 40000000, 40000000, 60000000, &r);
    CW_CHECK(t, !r.unavailable && r.p_value == 0.0, "p %g", r.p_value);
}

static void check_adjust(cw_test *t) {
    /* in place, NaN kept, unknown method refused */
    double p[5] = {0.04, NAN, 0.01, 0.03, 0.2};
    CW_CHECK(t, cw_p_adjust(p, 5, CW_ADJUST_BH, p) == CW_OK, "BH in place");
    CW_CHECK(t, isnan(p[1]) && p[0] == 4.0 / 3.0 * 0.04 && p[4] == 0.2, "BH in place: %g %g %g", p[0], p[1], p[4]);
    cw_adjust_method m;
    CW_CHECK(t, cw_adjust_method_parse("fdr", &m) == CW_OK && m == CW_ADJUST_BH, "fdr is BH");
    CW_CHECK(t, cw_adjust_method_parse("bh", &m) == CW_ERR_OPTION, "names are case-sensitive, as R");
    CW_CHECK(t, cw_adjust_method_parse(NULL, &m) == CW_ERR_OPTION, "NULL name");
    CW_CHECK(t, cw_p_adjust(p, 5, (cw_adjust_method)99, p) == CW_ERR_OPTION, "unknown method");
    CW_CHECK(t, cw_p_adjust(NULL, 0, CW_ADJUST_HOLM, NULL) == CW_OK, "empty input");
}

void test_counts(cw_test *t) {
    check_fixture(t);
    sweep_edges(t);
    check_fisher_large(t);
    check_adjust(t);
}
