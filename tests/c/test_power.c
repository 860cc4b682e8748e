/* test_power.c — power and sample size (power.c) and the non-central t (dist/pnt.c) against R:
 * every row of tests/fixtures/power_r.tsv, written by tests/oracle/make_power_fixtures.R from
 * power.t.test, power.prop.test and pt(t, df, ncp) of R 4.2.2, plus checks that need no oracle.
 *
 * Tolerances, per value:
 *  - solved n, delta, p2 and power: 1e-9 relative, against R called with tol = 1e-14. Both sides
 *    solve the same equation to machine precision, and pt, qt, pnt agree with R's to ~1e-14, yet
 *    the power curve itself is only smooth to ~2e-10 at df ~ 1e5-4e5: AS 243 forms
 *    Gamma(b)/Gamma(b + 1/2), b = df/2, as exp(lgamma(b) - lgamma(b + 1/2)) (R does too, and pnt.c
 *    copies it to match R), and lgamma(b) ~ 2e6 has an ulp of 4.7e-10. The two root finders stop
 *    at different points of that noise band: n differs by up to 1.5e-10 relative there (e.g.
 *    one-sample, delta 0.004, n = 386411). Elsewhere the agreement is ~1e-12 or better (for
 *    delta and p2 near 0, R's absolute tol = 1e-14 is the limit). 1e-9 covers the noise band with
 *    room to spare and still catches any wrong equation, tail or interval.
 *  - against R's printed default (tol = eps^(1/4) ~ 1.2e-4 absolute): uniroot stops with the root
 *    inside a bracket of width 2 (2 eps |x| + tol/2), so |ours - R's| <= tol + 4 eps |x|; and at
 *    least one row must differ from R's tight value by more than 1e-9, showing the tight
 *    fixture is what makes a 1e-9 test possible.
 *  - pt(t, df, ncp), upper tail (the power): 1e-12 relative, as asked of pnt.c. The lower tail at
 *    -t (strict = TRUE's wrong-side rejections) is formed by R as 1 - P with P near 1 in double,
 *    so R's value carries only absolute accuracy (~1e-16 times the series' terms): those rows are
 *    held to 1e-12 relative or 1e-14 absolute, whichever is larger.
 * Set CW_POWER_REPORT=1 to print the largest relative error per solve direction. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "dist/dist.h"
#include "dist/pnt.h"
#include "power.h"
#include "test.h"
#include "util.h"


static double num(const char *s) { return strcmp(s, "NA") == 0 ? NAN : strtod(s, NULL); }

/* worst relative (or, for the far tail, absolute) error per direction, for the report */
typedef struct {
    const char *name;
    int absolute;
    double worst;
    int rows;
} tally;

static void note(tally *k, double got, double want) {
    double e = k->absolute || want == 0 ? fabs(got - want) : fabs((got - want) / want);
    if (e > k->worst || isnan(e)) k->worst = e;
    k->rows++;
}

static tally *find_tally(tally *ts, const char *name) {
    for (int i = 0; ts[i].name; i++)
        if (!strcmp(ts[i].name, name)) return &ts[i];
    return NULL;
}

static cw_power_solve solve_of(const char *s) {
    if (!strcmp(s, "power")) return CW_SOLVE_POWER;
    if (!strcmp(s, "n")) return CW_SOLVE_N;
    return CW_SOLVE_EFFECT; /* delta, p2, p2_below */
}

static int split(char *line, char **f, int max) {
    int nf = 0;
    for (char *p = line; nf < max;) {
        f[nf++] = p;
        char *tab = strchr(p, '\t');
        if (!tab) break;
        *tab = '\0';
        p = tab + 1;
    }
    return nf;
}

static void oracle_rows(cw_test *t, char *text, tally *ts) {
    int rows = 0, loose_default = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (line[0] == '#' || strncmp(line, "kind\t", 5) == 0) continue;
        char *f[14];
        int nf = split(line, f, 14);
        if (!strcmp(f[0], "pnt")) {
            CW_CHECK(t, nf == 6, "malformed pnt line");
            if (nf != 6) continue;
            double x = num(f[1]), df = num(f[2]), ncp = num(f[3]), want = num(f[5]);
            int lower = atoi(f[4]);
            double got = cw_pnt(x, df, ncp, lower, 0);
            double tol = lower ? fmax(1e-12 * fabs(want), 1e-14) : 1e-12 * fabs(want);
            CW_CHECK(t, fabs(got - want) <= tol, "pt(%s, %s, %s, lower=%d): got %.17g want %.17g",
                     f[1], f[2], f[3], lower, got, want);
            note(find_tally(ts, lower ? "pnt lower" : "pnt upper"), got, want);
            rows++;
            continue;
        }
        CW_CHECK(t, nf == 14, "malformed power line");
        if (nf != 14) continue;
        /* kind solve type alternative strict sig_level n delta sd p1 p2 power value r_default */
        cw_power_opts o = {solve_of(f[1]), CW_TWO_SAMPLE, !strcmp(f[3], "one.sided"),
                           !strcmp(f[4], "TRUE"), !strcmp(f[1], "p2_below")};
        if (!strcmp(f[2], "one.sample")) o.sample = CW_ONE_SAMPLE;
        if (!strcmp(f[2], "paired")) o.sample = CW_PAIRED;
        double want = num(f[12]), r_default = num(f[13]), got;
        const char *why;
        if (!strcmp(f[0], "t")) {
            cw_power_means m = {num(f[6]), num(f[7]), num(f[8]), num(f[5]), num(f[11]), 0, 0};
            cw_power_t(&m, &o, &m);
            got = o.solve == CW_SOLVE_N ? m.n : o.solve == CW_SOLVE_EFFECT ? m.delta : m.power;
            why = m.unavailable;
            CW_CHECK(t, m.evaluations <= 80, "t %s: %d evaluations", f[1], m.evaluations);
        } else {
            cw_power_props p = {num(f[6]), num(f[9]), num(f[10]), 0, num(f[5]), num(f[11]), 0, 0};
            cw_power_prop(&p, &o, &p);
            got = o.solve == CW_SOLVE_N ? p.n : o.solve == CW_SOLVE_EFFECT ? p.p2 : p.power;
            why = p.unavailable;
            CW_CHECK(t, p.evaluations <= 80, "prop %s: %d evaluations", f[1], p.evaluations);
            if (!why) CW_CHECK(t, p.effect == p.p2 - p.p1, "effect is not p2 - p1");
        }
        const char *ctx = "%s %s %s %s strict=%s alpha=%s n=%s delta=%s sd=%s p1=%s p2=%s power=%s";
        char where[256];
        snprintf(where, sizeof where, ctx, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8],
                 f[9], f[10], f[11]);
        rows++;
        if (isnan(want)) { /* R has no answer the core should give: it must say why */
            CW_CHECK(t, why != NULL && isnan(got), "%s: expected unavailable, got %.17g", where,
                     got);
            continue;
        }
        CW_CHECK(t, why == NULL, "%s: unavailable: %s", where, why ? why : "");
        CW_CHECK(t, cw_close(got, want, 1e-9), "%s: got %.17g want %.17g (rel %.2e)", where, got,
                 want, fabs(got - want) / fabs(want));
        char name[32];
        snprintf(name, sizeof name, "%s %s", f[0], f[1]);
        note(find_tally(ts, name), got, want);
        /* R's printed value: within uniroot's default tolerance of ours */
        double tol_r = pow(DBL_EPSILON, 0.25);
        CW_CHECK(t, fabs(got - r_default) <= tol_r + 4 * DBL_EPSILON * fabs(got) + 1e-9 * fabs(got),
                 "%s: R default %.17g is %.3g from ours", where, r_default, fabs(got - r_default));
        if (!cw_close(r_default, want, 1e-9)) loose_default++;
    }
    CW_CHECK(t, rows > 5000, "only %d fixture rows checked", rows);
    CW_CHECK(t, loose_default > 0, "R's default tolerance never mattered: %d rows", loose_default);
}

/* Answers that need no oracle: round trips, the unavailable reasons, NaN in the equations. */
static void own_checks(cw_test *t) {
    cw_power_opts o = {CW_SOLVE_N, CW_TWO_SAMPLE, 0, 0, 0};
    cw_power_means m = {0, 0.5, 1.0, 0.05, 0.8, 0, 0}, back;
    cw_power_t(&m, &o, &m);
    CW_CHECK(t, m.unavailable == NULL && m.n > 63 && m.n < 64, "n for d = 0.5: %.17g", m.n);
    /* the power at the solved n is the power asked for */
    o.solve = CW_SOLVE_POWER;
    cw_power_t(&m, &o, &back);
    CW_CHECK_CLOSE(t, back.power, 0.8, 1e-14);
    CW_CHECK_CLOSE(t, cw_power_t_power(m.n, 0.5, 1.0, 0.05, &o), 0.8, 1e-14);
    /* and delta at that n and power is 0.5 again */
    o.solve = CW_SOLVE_EFFECT;
    cw_power_t(&m, &o, &back);
    CW_CHECK_CLOSE(t, back.delta, 0.5, 1e-13);

    struct {
        cw_power_solve solve;
        double n, delta, sd, alpha, power;
    } bad[] = {
        {CW_SOLVE_N, 0, 0.5, 1, 0.05, 0.05},     /* power not above alpha */
        {CW_SOLVE_N, 0, 0.5, 1, 0.05, 1.0},      /* power 1 */
        {CW_SOLVE_N, 0, 0.0, 1, 0.05, 0.8},      /* no effect */
        {CW_SOLVE_N, 0, 10.0, 1, 0.05, 0.8},     /* reached with n < 2 (R: 1.67) */
        {CW_SOLVE_N, 0, 0.5, 0, 0.05, 0.8},      /* sd 0 */
        {CW_SOLVE_N, 0, 0.5, 1, 0.0, 0.8},       /* alpha 0 */
        {CW_SOLVE_POWER, 1.5, 0.5, 1, 0.05, 0},  /* n < 2 */
        {CW_SOLVE_EFFECT, 1.0, 0, 1, 0.05, 0.8}, /* n < 2 */
        {CW_SOLVE_EFFECT, 10, 0, 1, 0.05, 0.04}, /* power below alpha */
        {CW_SOLVE_POWER, 10, NAN, 1, 0.05, 0},   /* NaN */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cw_power_opts ob = {bad[i].solve, CW_TWO_SAMPLE, 0, 0, 0};
        cw_power_means b = {bad[i].n, bad[i].delta, bad[i].sd, bad[i].alpha, bad[i].power, 0, 0};
        cw_power_t(&b, &ob, &b);
        double solved = ob.solve == CW_SOLVE_N        ? b.n
                        : ob.solve == CW_SOLVE_EFFECT ? b.delta
                                                      : b.power;
        CW_CHECK(t, b.unavailable != NULL && isnan(solved), "bad means case %zu: %.17g", i, solved);
    }
    /* one-sided, effect in the wrong direction */
    cw_power_opts o1 = {CW_SOLVE_N, CW_TWO_SAMPLE, 1, 0, 0};
    cw_power_means neg = {0, -0.5, 1, 0.05, 0.8, 0, 0};
    cw_power_t(&neg, &o1, &neg);
    CW_CHECK(t, neg.unavailable != NULL, "one-sided negative effect");

    cw_power_opts op = {CW_SOLVE_EFFECT, CW_TWO_SAMPLE, 0, 0, 0};
    cw_power_props p = {10, 0.9, 0, 0, 0.05, 0.9, 0, 0};
    cw_power_prop(&p, &op, &p); /* R: "No p2 in [p1, 1] can be found" */
    CW_CHECK(t, p.unavailable != NULL && isnan(p.p2), "p2 above 1");
    op.decrease = 1;
    p = (cw_power_props){10, 0.9, 0, 0, 0.05, 0.9, 0, 0};
    cw_power_prop(&p, &op, &p);
    CW_CHECK(t, p.unavailable == NULL && p.p2 < 0.9 && p.effect < 0, "p2 below p1: %.17g", p.p2);
    cw_power_opts on = {CW_SOLVE_N, CW_TWO_SAMPLE, 0, 0, 0};
    p = (cw_power_props){0, 0.3, 0.3, 0, 0.05, 0.8, 0, 0};
    cw_power_prop(&p, &on, &p);
    CW_CHECK(t, p.unavailable != NULL, "p1 = p2");
    p = (cw_power_props){0, 0.0, 1.0, 0, 0.05, 0.8, 0, 0};
    cw_power_prop(&p, &on, &p);
    CW_CHECK(t, p.unavailable != NULL, "no variance");

    CW_CHECK(t, isnan(cw_power_t_power(NAN, 1, 1, 0.05, &o)), "NaN n");
    CW_CHECK(t, isnan(cw_power_prop_power(100, 0.1, NAN, 0.05, &o)), "NaN p2");
    CW_CHECK(t, isnan(cw_pnt(NAN, 3, 1, 1, 0)) && isnan(cw_pnt(1, 3, NAN, 1, 0)), "pnt NaN");
    CW_CHECK(t, isnan(cw_pnt(1, 0, 1, 1, 0)), "pnt df 0");
    CW_CHECK(t, cw_pnt(INFINITY, 3, 1, 1, 0) == 1 && cw_pnt(-INFINITY, 3, 1, 1, 0) == 0, "pnt inf");
    CW_CHECK(t, cw_pnt(1.5, 7, 0, 1, 0) == cw_pt(1.5, 7, 1, 0), "pnt ncp 0 is pt");
}

void test_power(cw_test *t) {
    tally ts[] = {{"t power", 0, 0, 0},      {"t n", 0, 0, 0},         {"t delta", 0, 0, 0},
                  {"prop power", 0, 0, 0},   {"prop n", 0, 0, 0},      {"prop p2", 0, 0, 0},
                  {"prop p2_below", 0, 0, 0}, {"pnt upper", 0, 0, 0},  {"pnt lower", 1, 0, 0},
                  {NULL, 0, 0, 0}};
    char path[512];
    size_t len;
    char *text = read_file(fixture_path("power_r.tsv", path, sizeof path), &len);
    CW_CHECK(t, text != NULL, "cannot read %s", path);
    if (text) oracle_rows(t, text, ts);
    free(text);
    own_checks(t);
    if (getenv("CW_POWER_REPORT"))
        for (int i = 0; ts[i].name; i++)
            printf("  %-14s %5d rows, max %s err vs R %.3g\n", ts[i].name, ts[i].rows,
                   ts[i].absolute ? "abs" : "rel", ts[i].worst);
}
