/* test_ols.c — the streaming least-squares core (wasm/src/ols.c) against R, and its degenerate
 * cases. tests/fixtures/ols_r.tsv (written by tests/oracle/make_ols_fixtures.R from lm,
 * sandwich and lmtest) describes each case by the CSV file, the response and the design's terms;
 * this test builds the same rows from the same file with the same arithmetic, runs pass 1,
 * solve, pass 2, and compares every value of the fixture.
 *
 * Tolerance 1e-10 relative for every value (the brief allowed 1e-9 for coefficients and SEs).
 * R solves by Householder QR of the n x p rows, we from centred cross-products; the two
 * roundings can differ by up to about cond(centred X)^2 * 1e-16, and R's own error grows with
 * cond(X) of the raw design. Measured (CW_OLS_VERBOSE=1 prints it per case): coefficients and
 * SEs of every type agree to 1e-12 or better except the 1e9-offset case (1e-11, against an
 * exactly shifted R fit, see the script); t, intervals and Wald statistics to 3e-12 (1.3e-11
 * offset). 1e-10 is 8x above the worst of these and far below what a real defect moves (a wrong
 * adjustment factor, n/(n-p) or G/(G-1), is off by 1e-3 or more). p-values are compared on log p,
 * |log p - log p_R| <= 1e-10 max(1, |log p_R|): a relative error e in t moves log p by about
 * t^2 e, so small p-values (R's reach 1e-300) would otherwise only measure the amplification. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ols.h"
#include "test.h"
#include "util.h"

#define REL 1e-10

/* ---- a CSV file as rows of field pointers ------------------------------------------------ */
typedef struct {
    char *text;
    int ncol;
    char **names;  /* [ncol] */
    long nrow;
    char **cells;  /* [nrow * ncol] */
} table;

static void table_free(table *tb) {
    free(tb->text);
    free(tb->names);
    free(tb->cells);
    memset(tb, 0, sizeof *tb);
}

/* Split one line in place at commas. A field may be quoted ("6) $750 - $1,000" in
 * hillstrom.csv), with "" for a quote inside; the quotes are removed. */
static int split_line(char *line, char **out, int max) {
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max) return -1;
        out[n++] = p;
        if (*p == '"') {
            char *w = p;
            for (char *r = p + 1;; r++) {
                if (*r == '\0') return -1;
                if (*r == '"' && r[1] == '"') *w++ = *r++;
                else if (*r == '"') {
                    *w = '\0';
                    p = r + 1;
                    break;
                } else *w++ = *r;
            }
            if (*p == '\0') break;
            if (*p != ',') return -1;
            p++;
            continue;
        }
        char *comma = strchr(p, ',');
        if (!comma) break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

static int table_read(const char *path, table *tb) {
    memset(tb, 0, sizeof *tb);
    size_t len;
    tb->text = read_file(path, &len);
    if (!tb->text) return 0;
    long lines = 0;
    for (size_t i = 0; i < len; i++) lines += tb->text[i] == '\n';
    char *line = tb->text, *next = strchr(line, '\n');
    if (!next) return 0;
    *next++ = '\0';
    char *hdr[64];
    tb->ncol = split_line(line, hdr, 64);
    if (tb->ncol < 1) return 0;
    tb->names = malloc((size_t)tb->ncol * sizeof *tb->names);
    tb->cells = malloc((size_t)(lines + 1) * (size_t)tb->ncol * sizeof *tb->cells);
    if (!tb->names || !tb->cells) return 0;
    memcpy(tb->names, hdr, (size_t)tb->ncol * sizeof *hdr);
    for (line = next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r') line[l - 1] = '\0';
        if (split_line(line, tb->cells + (size_t)tb->nrow * tb->ncol, tb->ncol) != tb->ncol) return 0;
        tb->nrow++;
    }
    return 1;
}

static int column_of(const table *tb, const char *name, size_t len) {
    for (int c = 0; c < tb->ncol; c++)
        if (strlen(tb->names[c]) == len && strncmp(tb->names[c], name, len) == 0) return c;
    return -1;
}

/* ---- terms: summand(+summand)*, summand factor(*factor)*, factor 1 | number | COL | COL=LABEL */
typedef struct {
    int col;           /* -1: the constant value */
    double value;
    const char *label; /* indicator: 1 when the field equals label */
    size_t label_len;
} factor;

typedef struct {
    int nsum;
    int nfac[8];
    factor f[8][8];
} term;

static int term_parse(const table *tb, const char *s, term *t) {
    memset(t, 0, sizeof *t);
    const char *p = s;
    for (;;) {
        if (t->nsum == 8) return 0;
        int si = t->nsum++;
        for (;;) {
            size_t len = strcspn(p, "+*");
            if (t->nfac[si] == 8 || len == 0) return 0;
            factor *f = &t->f[si][t->nfac[si]++];
            const char *eq = memchr(p, '=', len);
            if (eq) {
                f->col = column_of(tb, p, (size_t)(eq - p));
                f->label = eq + 1;
                f->label_len = len - (size_t)(eq - p) - 1;
                if (f->col < 0) return 0;
            } else if ((f->col = column_of(tb, p, len)) < 0) {
                char buf[64], *end;
                if (len >= sizeof buf) return 0;
                memcpy(buf, p, len);
                buf[len] = '\0';
                f->value = strtod(buf, &end);
                if (*end) return 0;
            }
            p += len;
            if (*p != '*') break;
            p++;
        }
        if (*p != '+') break;
        p++;
    }
    return *p == '\0';
}

/* The value of term t on row r; 0 when a field it names is empty or not a number. */
static int term_eval(const table *tb, long r, const term *t, double *out) {
    double total = 0.0;
    for (int s = 0; s < t->nsum; s++) {
        double v = 0.0;
        for (int i = 0; i < t->nfac[s]; i++) {
            const factor *f = &t->f[s][i];
            double fv = f->value;
            if (f->col >= 0) {
                const char *cell = tb->cells[(size_t)r * tb->ncol + f->col];
                if (!*cell) return 0;
                if (f->label) {
                    fv = strlen(cell) == f->label_len && strncmp(cell, f->label, f->label_len) == 0;
                } else {
                    char *end;
                    fv = strtod(cell, &end);
                    if (*end) return 0;
                }
            }
            v = i == 0 ? fv : v * fv;
        }
        total = s == 0 ? v : total + v;
    }
    *out = total;
    return 1;
}

/* ---- the fixture ----------------------------------------------------------------------- */
typedef struct {
    char *f[5]; /* case section name field value */
} frow;

typedef struct {
    const char *name;
    int k;
    const char *terms[CW_OLS_MAX_K];
    double maxerr;     /* over every value */
    char worst[200];   /* where */
    double maxcore;    /* over coefficients and standard errors */
    int checked;
} ctx;

static int term_index(const ctx *c, const char *name) {
    for (int j = 0; j < c->k; j++)
        if (strcmp(c->terms[j], name) == 0) return j;
    return -1;
}

static int is_p(const char *field) { return !strncmp(field, "p_", 2); }

static void check_close(cw_test *t, ctx *c, const char *what, const char *field, double got, double want) {
    double rel;
    if (is_p(field) && want > 0.0 && got > 0.0) { /* on log p: see the header */
        rel = fabs(log(got) - log(want)) / fmax(1.0, fabs(log(want)));
    } else if (is_p(field) && want == 0.0) { /* R underflowed */
        rel = got < 1e-300 ? 0.0 : 1.0;
    } else {
        rel = want != 0.0 ? fabs(got - want) / fabs(want) : fabs(got);
    }
    if (isnan(got)) rel = INFINITY;
    if (rel > c->maxerr) {
        c->maxerr = rel;
        snprintf(c->worst, sizeof c->worst, "%s %s", what, field);
    }
    if ((!strcmp(field, "estimate") || !strcmp(field, "se")) && rel > c->maxcore) c->maxcore = rel;
    c->checked++;
    CW_CHECK(t, rel <= REL, "%s %s %s: got %.17g want %.17g (rel %.3g)", c->name, what, field, got,
             want, rel);
}

static const char *type_names[CW_OLS_TYPE_COUNT] = {"classical", "HC0", "HC1", "HC2", "HC3", "CR0", "CR1"};

static double coef_field(const cw_ols_coef *co, const char *f) {
    if (!strcmp(f, "estimate")) return co->estimate;
    if (!strcmp(f, "se")) return co->se;
    if (!strcmp(f, "t")) return co->t;
    if (!strcmp(f, "p_value")) return co->p_value;
    if (!strcmp(f, "ci_low")) return co->ci_low;
    if (!strcmp(f, "ci_high")) return co->ci_high;
    if (!strcmp(f, "df")) return co->df;
    return NAN;
}

static double wald_field(const cw_ols_wald *w, const char *f) {
    if (!strcmp(f, "W")) return w->wald;
    if (!strcmp(f, "F")) return w->f;
    if (!strcmp(f, "df1")) return w->df1;
    if (!strcmp(f, "df2")) return w->df2;
    if (!strcmp(f, "p_chisq")) return w->p_chisq;
    if (!strcmp(f, "p_f")) return w->p_f;
    return NAN;
}

/* Cluster labels to 0, 1, 2, ... in order of appearance. */
static int64_t cluster_id(const char **labels, int64_t *nlabels, const char *s) {
    for (int64_t i = 0; i < *nlabels; i++)
        if (!strcmp(labels[i], s)) return i;
    labels[*nlabels] = s;
    return (*nlabels)++;
}

static void run_case(cw_test *t, frow *rows, int nrows, const char *name) {
    ctx c;
    memset(&c, 0, sizeof c);
    c.name = name;
    const char *file = NULL, *yspec = NULL, *filter = NULL, *cluster = NULL;
    double alpha = 0.05;
    for (int i = 0; i < nrows; i++) {
        frow *r = &rows[i];
        if (strcmp(r->f[0], name) || strcmp(r->f[1], "spec")) continue;
        if (!strcmp(r->f[3], "file")) file = r->f[4];
        else if (!strcmp(r->f[3], "y")) yspec = r->f[4];
        else if (!strcmp(r->f[3], "term") && c.k < CW_OLS_MAX_K) c.terms[c.k++] = r->f[4];
        else if (!strcmp(r->f[3], "filter")) filter = r->f[4];
        else if (!strcmp(r->f[3], "cluster")) cluster = r->f[4];
        else if (!strcmp(r->f[3], "alpha")) alpha = strtod(r->f[4], NULL);
    }
    CW_CHECK(t, file && yspec && c.k > 0, "%s: incomplete spec", name);
    if (!file || !yspec || c.k == 0) return;
    table tb;
    int ok = table_read(file, &tb);
    CW_CHECK(t, ok, "%s: cannot read %s", name, file);
    term terms[CW_OLS_MAX_K], yterm;
    int tok = term_parse(&tb, yspec, &yterm);
    for (int j = 0; j < c.k; j++) tok = tok && term_parse(&tb, c.terms[j], &terms[j]);
    int fcol = -1, ccol = -1;
    const char *fval = NULL;
    if (filter) {
        const char *eq = strchr(filter, '=');
        fcol = eq ? column_of(&tb, filter, (size_t)(eq - filter)) : -1;
        fval = eq ? eq + 1 : NULL;
        tok = tok && fcol >= 0;
    }
    if (cluster) tok = tok && (ccol = column_of(&tb, cluster, strlen(cluster))) >= 0;
    CW_CHECK(t, ok && tok, "%s: bad spec for %s", name, file);
    if (!ok || !tok) {
        table_free(&tb);
        return;
    }

    /* Build the rows once (listwise deletion), then stream them twice. */
    double *X = malloc((size_t)tb.nrow * (size_t)c.k * sizeof *X), *Y = malloc((size_t)tb.nrow * sizeof *Y);
    int64_t *G = malloc((size_t)tb.nrow * sizeof *G);
    const char **labels = malloc((size_t)tb.nrow * sizeof *labels);
    int64_t n = 0, nlabels = 0;
    for (long r = 0; X && Y && G && labels && r < tb.nrow; r++) {
        const char **cell = (const char **)tb.cells + (size_t)r * tb.ncol;
        if (fcol >= 0 && strcmp(cell[fcol], fval)) continue;
        if (ccol >= 0 && !*cell[ccol]) continue;
        int use = term_eval(&tb, r, &yterm, &Y[n]);
        for (int j = 0; use && j < c.k; j++) use = term_eval(&tb, r, &terms[j], &X[(size_t)n * c.k + j]);
        if (!use) continue;
        G[n] = ccol >= 0 ? cluster_id(labels, &nlabels, cell[ccol]) : 0;
        n++;
    }

    cw_ols_pass1 p1;
    cw_ols_fit fit;
    cw_ols_pass2 p2;
    cw_ols_status st = cw_ols_pass1_init(&p1, c.k);
    for (int64_t i = 0; st == CW_OLS_OK && i < n; i++) st = cw_ols_pass1_add(&p1, X + (size_t)i * c.k, Y[i]);
    CW_CHECK(t, st == CW_OLS_OK, "%s: pass 1: %s", name, cw_ols_strerror(st));
    st = cw_ols_solve(&p1, CW_OLS_TOL, &fit);
    CW_CHECK(t, st == CW_OLS_OK && !fit.unavailable, "%s: solve: %s %s", name, cw_ols_strerror(st),
             fit.unavailable ? fit.unavailable : "");
    cw_ols_status st2 = cw_ols_pass2_init(&p2, &fit, CW_OLS_WANT_ALL);
    for (int64_t i = 0; st2 == CW_OLS_OK && i < n; i++)
        st2 = cw_ols_pass2_add(&p2, X + (size_t)i * c.k, Y[i], G[i]);
    CW_CHECK(t, st2 == CW_OLS_OK, "%s: pass 2: %s", name, cw_ols_strerror(st2));

    if (st == CW_OLS_OK && st2 == CW_OLS_OK && !fit.unavailable) {
        /* The pass-1 solution against the rows themselves: one refinement step moves no
         * coefficient by more than 1e-10 of its classical SE, and the residuals' sum of squares
         * matches the one from the cross-products. */
        double delta[CW_OLS_MAX_K];
        cw_ols_vcov cl;
        cw_ols_covariance(&fit, NULL, CW_OLS_CLASSICAL, &cl);
        CW_CHECK(t, cw_ols_pass2_correction(&p2, delta) == CW_OLS_OK, "%s: correction", name);
        for (int a = 0; a < fit.p && cl.v; a++)
            CW_CHECK(t, fabs(delta[a]) <= 1e-10 * sqrt(cl.v[(size_t)a * fit.p + a]),
                     "%s: refinement moves %s by %.3g SE", name, c.terms[fit.kept[a]],
                     fabs(delta[a]) / sqrt(cl.v[(size_t)a * fit.p + a]));
        cw_ols_vcov_free(&cl);
        CW_CHECK_CLOSE(t, p2.rss, fit.rss, 1e-10);

        int ndropped_want = 0;
        for (int i = 0; i < nrows; i++) {
            frow *r = &rows[i];
            if (strcmp(r->f[0], name) || strcmp(r->f[1], "fit")) continue;
            const char *f = r->f[3];
            double want = strtod(r->f[4], NULL);
            if (!strcmp(f, "n"))
                CW_CHECK(t, fit.n == (int64_t)want, "%s: n %lld want %s", name, (long long)fit.n, r->f[4]);
            else if (!strcmp(f, "rank"))
                CW_CHECK(t, fit.p == (int)want, "%s: rank %d want %s", name, fit.p, r->f[4]);
            else if (!strcmp(f, "df"))
                CW_CHECK(t, fit.df_resid == want, "%s: df %g want %s", name, fit.df_resid, r->f[4]);
            else if (!strcmp(f, "rss")) check_close(t, &c, "fit", f, fit.rss, want);
            else if (!strcmp(f, "sigma")) check_close(t, &c, "fit", f, sqrt(fit.sigma2), want);
            else if (!strcmp(f, "clusters")) {
                cw_ols_vcov v;
                cw_ols_covariance(&fit, &p2, CW_OLS_CR1, &v);
                CW_CHECK(t, v.clusters == (int64_t)want, "%s: G %lld want %s", name, (long long)v.clusters,
                         r->f[4]);
                cw_ols_vcov_free(&v);
            } else if (!strcmp(f, "dropped")) {
                int j = term_index(&c, r->f[4]);
                CW_CHECK(t, ndropped_want < fit.ndropped && fit.dropped[ndropped_want] == j,
                         "%s: R drops %s, we do not (or not in that order)", name, r->f[4]);
                ndropped_want++;
            }
        }
        CW_CHECK(t, fit.ndropped == ndropped_want, "%s: we drop %d columns, R %d", name, fit.ndropped,
                 ndropped_want);

        for (int ty = 0; ty < CW_OLS_TYPE_COUNT; ty++) {
            cw_ols_vcov v;
            cw_ols_coef coef[CW_OLS_MAX_K];
            int present = 0;
            char wsec[32];
            snprintf(wsec, sizeof wsec, "wald:%s", type_names[ty]);
            for (int i = 0; i < nrows; i++)
                present |= !strcmp(rows[i].f[0], name) &&
                           (!strcmp(rows[i].f[1], type_names[ty]) || !strcmp(rows[i].f[1], wsec));
            if (!present) continue;
            st = cw_ols_covariance(&fit, &p2, (cw_ols_type)ty, &v);
            CW_CHECK(t, st == CW_OLS_OK, "%s %s: %s", name, type_names[ty], cw_ols_strerror(st));
            if (st == CW_OLS_OK) st = cw_ols_coefs(&fit, &v, alpha, coef);
            for (int i = 0; st == CW_OLS_OK && i < nrows; i++) {
                frow *r = &rows[i];
                if (strcmp(r->f[0], name)) continue;
                if (!strcmp(r->f[1], type_names[ty])) {
                    if (!strcmp(r->f[3], "unavailable")) {
                        CW_CHECK(t, v.unavailable && strstr(v.unavailable, r->f[4]),
                                 "%s %s: R's value is meaningless (%s), ours is not marked unavailable",
                                 name, type_names[ty], r->f[4]);
                        continue;
                    }
                    int j = term_index(&c, r->f[2]), a = -1;
                    for (int q = 0; q < fit.p; q++)
                        if (fit.kept[q] == j) a = q;
                    CW_CHECK(t, a >= 0, "%s: term %s not kept", name, r->f[2]);
                    if (a < 0) continue;
                    char what[160];
                    snprintf(what, sizeof what, "%s %s", type_names[ty], r->f[2]);
                    CW_CHECK(t, !v.unavailable, "%s: unavailable: %s", what, v.unavailable);
                    check_close(t, &c, what, r->f[3], coef_field(&coef[a], r->f[3]), strtod(r->f[4], NULL));
                } else if (!strcmp(r->f[1], wsec)) {
                    int cols[CW_OLS_MAX_K], q = 0;
                    char names[512];
                    snprintf(names, sizeof names, "%s", r->f[2]);
                    for (char *tk = strtok(names, ";"); tk && q < CW_OLS_MAX_K; tk = strtok(NULL, ";"))
                        cols[q++] = term_index(&c, tk);
                    cw_ols_wald w;
                    st = cw_ols_wald_test(&fit, &v, cols, q, &w);
                    CW_CHECK(t, st == CW_OLS_OK && !w.unavailable, "%s %s: %s", name, wsec,
                             w.unavailable ? w.unavailable : cw_ols_strerror(st));
                    char what[600];
                    snprintf(what, sizeof what, "%s %s", wsec, r->f[2]);
                    check_close(t, &c, what, r->f[3], wald_field(&w, r->f[3]), strtod(r->f[4], NULL));
                    st = CW_OLS_OK;
                }
            }
            cw_ols_vcov_free(&v);
        }
    }
    CW_CHECK(t, c.checked > 20, "%s: only %d values checked", name, c.checked);
    if (getenv("CW_OLS_VERBOSE"))
        printf("ols %-22s n=%-6lld p=%-2d values=%-4d max rel err vs R: coefficients and SEs %.2g, "
               "every value %.2g (%s)\n", name, (long long)n, fit.p, c.checked, c.maxcore, c.maxerr, c.worst);
    cw_ols_pass2_free(&p2);
    cw_ols_fit_free(&fit);
    cw_ols_pass1_free(&p1);
    free(X);
    free(Y);
    free(G);
    free(labels);
    table_free(&tb);
}

/* ---- without R: degenerate cases and invariances ----------------------------------------- */

static void fit_rows(const double *x, const double *y, int n, int k, cw_ols_pass1 *p1, cw_ols_fit *fit) {
    cw_ols_pass1_init(p1, k);
    for (int i = 0; i < n; i++) cw_ols_pass1_add(p1, x + (size_t)i * k, y[i]);
    cw_ols_solve(p1, CW_OLS_TOL, fit);
}

static void test_degenerate(cw_test *t) {
    cw_ols_pass1 p1;
    cw_ols_fit fit;
    cw_ols_pass2 p2;
    cw_ols_vcov v;

    CW_CHECK(t, cw_ols_pass1_init(&p1, 0) == CW_OLS_ERR_ARG, "k = 0 accepted");
    CW_CHECK(t, cw_ols_pass1_init(&p1, CW_OLS_MAX_K + 1) == CW_OLS_ERR_ARG, "k = 65 accepted");
    cw_ols_pass1_free(&p1);

    /* No rows. */
    cw_ols_pass1_init(&p1, 2);
    CW_CHECK(t, cw_ols_solve(&p1, CW_OLS_TOL, &fit) == CW_OLS_OK && fit.unavailable, "no rows: no reason");
    CW_CHECK(t, cw_ols_pass2_init(&p2, &fit, CW_OLS_WANT_ALL) == CW_OLS_ERR_STATE, "pass 2 without a fit");
    cw_ols_pass2_free(&p2);
    cw_ols_fit_free(&fit);
    /* A NaN is refused and leaves the statistics alone. */
    double bad[2] = {1.0, NAN};
    CW_CHECK(t, cw_ols_pass1_add(&p1, bad, 1.0) == CW_OLS_ERR_NONFINITE, "NaN accepted");
    CW_CHECK(t, cw_ols_pass1_count(&p1) == 0, "NaN row counted");
    cw_ols_pass1_free(&p1);

    /* n = p: an exact fit, coefficients but no variance. */
    double x3[] = {1, 0, 1, 1, 1, 2}, y3[] = {1, 3, 4};
    fit_rows(x3, y3, 2, 2, &p1, &fit);
    CW_CHECK(t, fit.p == 2 && !fit.unavailable && fit.sigma_unavailable, "n = p: want a reason for sigma");
    CW_CHECK_CLOSE(t, fit.beta[0], 1.0, 1e-15);
    CW_CHECK_CLOSE(t, fit.beta[1], 2.0, 1e-15);
    cw_ols_pass2_init(&p2, &fit, CW_OLS_WANT_ALL);
    for (int i = 0; i < 2; i++) cw_ols_pass2_add(&p2, x3 + 2 * i, y3[i], 0);
    for (int ty = 0; ty < CW_OLS_TYPE_COUNT; ty++) {
        CW_CHECK(t, cw_ols_covariance(&fit, &p2, (cw_ols_type)ty, &v) == CW_OLS_OK && v.unavailable && !v.v,
                 "n = p: %s must be unavailable", cw_ols_type_name((cw_ols_type)ty));
        cw_ols_vcov_free(&v);
    }
    cw_ols_pass2_free(&p2);
    cw_ols_fit_free(&fit);
    cw_ols_pass1_free(&p1);

    /* Three rows, intercept and slope; one cluster; leverage 1 from a one-row indicator. */
    double x[] = {1, 0, 0, 1, 1, 0, 1, 2, 0, 1, 3, 1}, y[] = {1.0, 2.5, 2.9, 7.0};
    fit_rows(x, y, 4, 3, &p1, &fit);
    CW_CHECK(t, fit.p == 3 && !fit.sigma_unavailable, "4 rows, 3 columns");
    cw_ols_pass2_init(&p2, &fit, CW_OLS_WANT_ALL);
    CW_CHECK(t, cw_ols_pass2_add(&p2, x, y[0], -1) == CW_OLS_ERR_CLUSTER, "negative cluster id accepted");
    for (int i = 0; i < 4; i++) cw_ols_pass2_add(&p2, x + 3 * i, y[i], 7);
    CW_CHECK(t, p2.leverage_one == 3, "leverage-1 row %lld, want 3", (long long)p2.leverage_one);
    cw_ols_covariance(&fit, &p2, CW_OLS_HC2, &v);
    CW_CHECK(t, v.unavailable && strstr(v.unavailable, "leverage"), "HC2 with leverage 1");
    cw_ols_vcov_free(&v);
    cw_ols_covariance(&fit, &p2, CW_OLS_HC1, &v);
    CW_CHECK(t, !v.unavailable && v.v, "HC1 with leverage 1 is defined");
    cw_ols_vcov_free(&v);
    cw_ols_covariance(&fit, &p2, CW_OLS_CR1, &v);
    CW_CHECK(t, v.unavailable && v.clusters == 1, "one cluster: CR1 must be unavailable");
    cw_ols_vcov_free(&v);
    cw_ols_pass2_free(&p2);
    /* A pass 2 that saw fewer rows, or did not gather a meat, cannot give a covariance. */
    cw_ols_pass2_init(&p2, &fit, CW_OLS_WANT_HC01);
    for (int i = 0; i < 3; i++) cw_ols_pass2_add(&p2, x + 3 * i, y[i], 0);
    CW_CHECK(t, cw_ols_covariance(&fit, &p2, CW_OLS_HC1, &v) == CW_OLS_ERR_STATE, "short pass 2 accepted");
    cw_ols_vcov_free(&v);
    cw_ols_pass2_add(&p2, x + 9, y[3], 0);
    CW_CHECK(t, cw_ols_covariance(&fit, &p2, CW_OLS_HC3, &v) == CW_OLS_ERR_STATE, "HC3 without its meat");
    cw_ols_vcov_free(&v);
    cw_ols_pass2_free(&p2);
    cw_ols_fit_free(&fit);
    cw_ols_pass1_free(&p1);

    /* A constant response fitted exactly: zero standard errors are reported, not t = NaN. */
    double xc[] = {1, 0, 1, 1, 1, 2, 1, 5}, yc[] = {3, 3, 3, 3};
    fit_rows(xc, yc, 4, 2, &p1, &fit);
    cw_ols_covariance(&fit, NULL, CW_OLS_CLASSICAL, &v);
    cw_ols_coef co[2];
    CW_CHECK(t, cw_ols_coefs(&fit, &v, 0.05, co) == CW_OLS_OK && co[0].unavailable && co[1].unavailable,
             "exact fit: zero SE needs a reason");
    CW_CHECK_CLOSE(t, co[0].estimate, 3.0, 1e-15);
    CW_CHECK(t, fabs(co[1].estimate) < 1e-15, "slope %g", co[1].estimate);
    /* Wald: bad arguments; a dropped column; q = 1 is t^2 elsewhere (in the R cases). */
    cw_ols_wald w;
    int cols2[] = {1, 1};
    CW_CHECK(t, cw_ols_wald_test(&fit, &v, cols2, 2, &w) == CW_OLS_ERR_ARG, "repeated column accepted");
    cw_ols_vcov_free(&v);
    cw_ols_fit_free(&fit);
    cw_ols_pass1_free(&p1);

    /* An all-zero column is dropped (lm: NA), and testing it says why. */
    double xz[] = {1, 0, 0, 1, 0, 1, 1, 0, 2, 1, 0, 4}, yz[] = {1, 2, 2, 5};
    fit_rows(xz, yz, 4, 3, &p1, &fit);
    CW_CHECK(t, fit.p == 2 && fit.ndropped == 1 && fit.dropped[0] == 1, "zero column not dropped");
    cw_ols_covariance(&fit, NULL, CW_OLS_CLASSICAL, &v);
    int col1[] = {1};
    CW_CHECK(t, cw_ols_wald_test(&fit, &v, col1, 1, &w) == CW_OLS_OK && w.unavailable,
             "test of a dropped column");
    cw_ols_vcov_free(&v);
    cw_ols_fit_free(&fit);
    cw_ols_pass1_free(&p1);
}

/* Merging accumulators of two parts, split inside a batch, equals one accumulator; so does
 * feeding the rows in another order (up to rounding). */
static void test_merge(cw_test *t) {
    enum { N = 1000, K = 4 };
    static double x[N * K], y[N];
    uint64_t s = 12345;
    for (int i = 0; i < N; i++) {
        double u[3];
        for (int j = 0; j < 3; j++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            u[j] = (double)(s >> 11) / 9007199254740992.0;
        }
        x[i * K] = 1.0;
        x[i * K + 1] = u[0] < 0.5;
        x[i * K + 2] = 1e6 + 100.0 * u[1];
        x[i * K + 3] = x[i * K + 1] * u[2];
        y[i] = 3.0 + 2.0 * x[i * K + 1] - 0.01 * x[i * K + 2] + u[2] * u[0];
    }
    cw_ols_pass1 all, a, b;
    cw_ols_fit fa, fm;
    fit_rows(x, y, N, K, &all, &fa);
    cw_ols_pass1_init(&a, K);
    cw_ols_pass1_init(&b, K);
    for (int i = 0; i < 437; i++) cw_ols_pass1_add(&a, x + i * K, y[i]);
    for (int i = N - 1; i >= 437; i--) cw_ols_pass1_add(&b, x + i * K, y[i]);
    CW_CHECK(t, cw_ols_pass1_merge(&a, &b) == CW_OLS_OK && a.n == N, "merge");
    cw_ols_solve(&a, CW_OLS_TOL, &fm);
    CW_CHECK(t, fm.p == K && fa.p == K, "ranks %d %d", fm.p, fa.p);
    for (int j = 0; j < K && fm.p == K && fa.p == K; j++) CW_CHECK_CLOSE(t, fm.beta[j], fa.beta[j], 1e-11);
    CW_CHECK_CLOSE(t, fm.rss, fa.rss, 1e-11);
    cw_ols_fit_free(&fa);
    cw_ols_fit_free(&fm);
    cw_ols_pass1_free(&all);
    cw_ols_pass1_free(&a);
    cw_ols_pass1_free(&b);
}

void test_ols(cw_test *t) {
    char path[512];
    size_t len;
    char *text = read_file(fixture_path("ols_r.tsv", path, sizeof path), &len);
    CW_CHECK(t, text != NULL, "cannot read %s", path);
    if (text) {
        int cap = 0, nrows = 0;
        frow *rows = NULL;
        for (char *line = text, *next; line && *line; line = next) {
            next = strchr(line, '\n');
            if (next) *next++ = '\0';
            if (line[0] == '#' || !strncmp(line, "case\t", 5)) continue;
            if (nrows == cap) {
                cap = cap ? 2 * cap : 1024;
                frow *nr = realloc(rows, (size_t)cap * sizeof *rows);
                if (!nr) break;
                rows = nr;
            }
            frow *r = &rows[nrows];
            int nf;
            char *p = line;
            for (nf = 0; nf < 5 && p; nf++) {
                r->f[nf] = p;
                p = strchr(p, '\t');
                if (p) *p++ = '\0';
            }
            CW_CHECK(t, nf == 5 && !p, "malformed fixture line");
            if (nf == 5 && !p) nrows++;
        }
        const char *done[64];
        int ndone = 0;
        for (int i = 0; i < nrows; i++) {
            int seen = 0;
            for (int j = 0; j < ndone; j++) seen |= !strcmp(done[j], rows[i].f[0]);
            if (seen || ndone == 64) continue;
            done[ndone++] = rows[i].f[0];
            run_case(t, rows, nrows, rows[i].f[0]);
        }
        CW_CHECK(t, ndone >= 9, "only %d cases in the fixture", ndone);
        free(rows);
        free(text);
    }
    test_degenerate(t);
    test_merge(t);
}
