/* ols.h — ordinary least squares from streamed sufficient statistics, with classical,
 * heteroskedasticity-robust (HC0-HC3) and cluster-robust (CR0, CR1) covariances, coefficient
 * tables and joint Wald tests. The algorithms and their accuracy are described in ols.c.
 *
 * Two passes over the same rows, x[k] (the caller's design row, intercept included as a column
 * of ones when wanted) and y:
 *   pass 1   cw_ols_pass1_add() for every row     n, means and centred co-moments of (x, y)
 *   solve    cw_ols_solve()                        beta, dropped (collinear) columns, sigma^2,
 *                                                  (X'X)^-1 and the bread
 *   pass 2   cw_ols_pass2_add() for the same rows  residuals, leverages and the "meats"
 *            (any order; a cluster id per row when clustered errors are wanted)
 *   then     cw_ols_covariance() per covariance type, cw_ols_coefs() for the table,
 *            cw_ols_wald_test() for a joint test of several coefficients.
 * The classical covariance needs no pass 2.
 *
 * Collinear columns are dropped as R's lm drops them: columns are taken in the order given and
 * one is dropped when the part of it that the kept earlier columns do not explain has a norm
 * below tol times its own norm (tol = CW_OLS_TOL = 1e-7, lm's default). Everything indexed by
 * coefficient below (beta, the p x p matrices, coefficient tables) lists the KEPT columns only,
 * in the order given; fit->kept[] maps them to the caller's column numbers.
 *
 * Memory: pass 1 holds O(k^2) doubles ((k+1)(k+2) for the co-moments and their compensation,
 * 64 (k+1) for a batch of rows); a fit four p x p matrices; pass 2 three packed p x p meats and,
 * with clusters, p + 1 numbers per cluster (O(G p)), grown as larger ids arrive.
 *
 * Ownership: cw_ols_pass1_init, cw_ols_solve, cw_ols_pass2_init and cw_ols_covariance allocate
 * the arrays inside the struct the caller provides (on the stack or anywhere); the matching
 * *_free (cw_ols_pass1_free, cw_ols_fit_free, cw_ols_pass2_free, cw_ols_vcov_free) releases
 * them and may be called on a zeroed or already-freed struct; never free the arrays one by one
 * (they may share a block). A pass 2 borrows its fit (the fit must outlive it); a
 * vcov owns its matrix and needs nothing else afterwards. A pass 1 stays usable after a solve:
 * more rows may be added and solved again.
 *
 * Errors are values: functions return a cw_ols_status (cw_ols_strerror gives a sentence) for
 * misuse and memory; a statistic that is undefined for these data (no residual degrees of
 * freedom, leverage 1 for HC2/HC3, fewer than 2 clusters, a singular covariance) is reported
 * with status CW_OLS_OK and a sentence in the result's `unavailable` field, its numbers NaN. */
#ifndef CW_OLS_H
#define CW_OLS_H

#include <stdint.h>

#define CW_OLS_MAX_K 64 /* columns of x */
#define CW_OLS_BATCH 64 /* rows gathered before they are merged into the co-moments */
#define CW_OLS_TOL 1e-7 /* R's lm(tol = 1e-7) */

typedef enum {
    CW_OLS_OK = 0,
    CW_OLS_ERR_ARG,       /* k outside 1..CW_OLS_MAX_K, tol outside [0, 1), alpha outside (0, 1),
                           * a column number out of range or repeated */
    CW_OLS_ERR_NOMEM,     /* out of memory */
    CW_OLS_ERR_NONFINITE, /* the row holds NaN or an infinity; it was not added */
    CW_OLS_ERR_CLUSTER,   /* a negative cluster id, or more clusters than memory allows */
    CW_OLS_ERR_STATE,     /* pass 2 on a fit without coefficients; a covariance from a pass 2
                           * that did not gather it, or that saw a different number of rows
                           * than pass 1; merging accumulators with different k */
    CW_OLS_STATUS_COUNT
} cw_ols_status;

const char *cw_ols_strerror(cw_ols_status status);

/* ---- pass 1 ---------------------------------------------------------------------------- */
typedef struct {
    int k;          /* columns of x; the statistics cover z = (x, y), d = k + 1 values a row */
    int64_t n;      /* rows merged so far (cw_ols_pass1_count adds the waiting batch) */
    double *shift;  /* [d] the first row: every statistic is of z - shift */
    double *mean;   /* [d] mean of z - shift over the merged rows */
    double *com;    /* [d(d+1)/2] packed upper triangle, row by row: sum of (z - mean)(z - mean)' */
    double *comp;   /* [d(d+1)/2] running compensation of com (Neumaier), added when read */
    double *batch;  /* [CW_OLS_BATCH * d] waiting rows as z - shift, row by row */
    int nbatch;
} cw_ols_pass1;

cw_ols_status cw_ols_pass1_init(cw_ols_pass1 *s, int k);
void cw_ols_pass1_free(cw_ols_pass1 *s);
/* Add one row. A row holding NaN or an infinity is refused (CW_OLS_ERR_NONFINITE) and leaves
 * the statistics unchanged: the caller decides whether to skip it, and must skip it in pass 2. */
cw_ols_status cw_ols_pass1_add(cw_ols_pass1 *s, const double *x, double y);
/* Rows added so far, including any still waiting in the batch. */
int64_t cw_ols_pass1_count(const cw_ols_pass1 *s);
/* Merge the waiting batch (done by cw_ols_solve and cw_ols_pass1_merge; harmless anytime). */
void cw_ols_pass1_flush(cw_ols_pass1 *s);
/* into += from (rows of two chunks, workers or files): same result, up to rounding, as adding
 * from's rows to into. Flushes both; from is otherwise unchanged. */
cw_ols_status cw_ols_pass1_merge(cw_ols_pass1 *into, cw_ols_pass1 *from);

/* ---- solve ----------------------------------------------------------------------------- */
typedef struct {
    int k;                         /* columns given */
    int p;                         /* columns kept: the rank */
    int64_t n;
    double tol;
    int kept[CW_OLS_MAX_K];        /* caller's numbers of the kept columns, increasing */
    int ndropped;
    int dropped[CW_OLS_MAX_K];     /* caller's numbers of the collinear columns (lm: NA) */
    double beta[CW_OLS_MAX_K];     /* [p] coefficients of the kept columns */
    double rss;                    /* residual sum of squares */
    double df_resid;               /* n - p */
    double sigma2;                 /* rss / (n - p); NaN when n <= p (see sigma_unavailable) */
    double *r;                     /* [p*p] row-major upper triangular R with X'X = R'R (kept
                                    * columns), from which (X'X)^-1 = R^-1 R^-T */
    double *rinv;                  /* [p*p] R^-1, upper triangular */
    double *xtx_inv;               /* [p*p] (X'X)^-1 */
    double *bread;                 /* [p*p] n (X'X)^-1, what sandwich::bread() returns for lm */
    double min_ratio;              /* smallest ||part of a kept column the earlier kept columns do
                                    * not explain|| / ||column||: the quantity compared with tol */
    double centred_ratio;          /* the same against the column's centred norm, over kept
                                    * non-constant columns (1 when there are none): the fit's
                                    * conditioning as the centred cross-products see it */
    int warn_column;               /* the column where centred_ratio is attained, or -1 */
    const char *warning;           /* non-NULL when centred_ratio < CW_OLS_WARN_RATIO */
    const char *unavailable;       /* non-NULL: no coefficients at all (no rows; every column zero) */
    const char *sigma_unavailable; /* non-NULL: sigma^2 and every covariance undefined (n <= p) */
} cw_ols_fit;

/* Below this centred_ratio, cross-products carry about -2 log10(ratio) fewer correct digits
 * into the coefficients than a QR of the rows would: 1e-4 leaves about 8. */
#define CW_OLS_WARN_RATIO 1e-4

/* Flushes s; tol = CW_OLS_TOL matches R's lm. Fills *out (free it with cw_ols_fit_free, also
 * after an error). */
cw_ols_status cw_ols_solve(cw_ols_pass1 *s, double tol, cw_ols_fit *out);
void cw_ols_fit_free(cw_ols_fit *f);

/* ---- pass 2 ---------------------------------------------------------------------------- */
/* Which meats to gather (each costs about p^2/2 multiply-adds a row). */
enum {
    CW_OLS_WANT_HC01 = 1,    /* HC0 and HC1 */
    CW_OLS_WANT_HC2 = 2,
    CW_OLS_WANT_HC3 = 4,
    CW_OLS_WANT_CLUSTER = 8, /* CR0 and CR1: cluster ids must be given */
    CW_OLS_WANT_ALL = 15
};

typedef struct {
    const cw_ols_fit *fit; /* borrowed */
    unsigned want;
    int p;
    int64_t n;             /* rows added */
    double rss;            /* sum of squared residuals, recomputed row by row */
    double max_leverage;
    int64_t leverage_one;  /* first row (0-based, in pass-2 order) with h_ii = 1, or -1 */
    double *lt;            /* [p*p] R' (lower triangular, row-major), to map x to w = R^-T x */
    double *w;             /* [p] scratch */
    double *we;            /* [p] sum of w_i e_i = R^-T X'e, zero up to rounding */
    double *meat0, *meat2, *meat3; /* packed [p(p+1)/2] sums of e^2 w w', e^2/(1-h) w w',
                                    * e^2/(1-h)^2 w w' (w = R^-T x; see ols.c) */
    double *u;             /* [gcap * p] per cluster: sum of w_i e_i */
    int64_t *gn;           /* [gcap] rows per cluster */
    int64_t gcap, gmax;    /* allocated clusters; 1 + the largest id seen */
} cw_ols_pass2;

/* fit must have coefficients (fit->unavailable NULL) and outlive the pass. */
cw_ols_status cw_ols_pass2_init(cw_ols_pass2 *s, const cw_ols_fit *fit, unsigned want);
void cw_ols_pass2_free(cw_ols_pass2 *s);
/* One row, the same x (all k columns) and y as in pass 1. cluster: 0..G-1, assigned by the
 * caller (ignored unless CW_OLS_WANT_CLUSTER); storage grows to the largest id, so keep ids
 * dense. */
cw_ols_status cw_ols_pass2_add(cw_ols_pass2 *s, const double *x, double y, int64_t cluster);
/* One step of iterative refinement of beta from the pass-2 residuals, delta[p] =
 * (X'X)^-1 X'e: how far the pass-1 coefficients are from the exact least-squares solution of
 * the rows (to first order). Requires s->n == fit->n. */
cw_ols_status cw_ols_pass2_correction(const cw_ols_pass2 *s, double *delta);

/* ---- covariances, tables, tests -------------------------------------------------------- */
typedef enum {
    CW_OLS_CLASSICAL, /* sigma^2 (X'X)^-1 */
    CW_OLS_HC0,       /* White (1980) */
    CW_OLS_HC1,       /* HC0 * n/(n-p) */
    CW_OLS_HC2,       /* e_i^2 / (1 - h_ii) */
    CW_OLS_HC3,       /* e_i^2 / (1 - h_ii)^2 */
    CW_OLS_CR0,       /* sum_g u_g u_g', no adjustment */
    CW_OLS_CR1,       /* CR0 * G/(G-1) * (n-1)/(n-p): Stata, statsmodels, sandwich::vcovCL(type = "HC1") */
    CW_OLS_TYPE_COUNT
} cw_ols_type;

/* "classical", "HC0", ..., "CR1"; NULL for an unknown type. */
const char *cw_ols_type_name(cw_ols_type type);

typedef struct {
    cw_ols_type type;
    int p;
    double *v;          /* [p*p] row-major, kept columns; NULL when unavailable */
    double df;          /* for t and F: n - p, or G - 1 for CR0/CR1 */
    int64_t clusters;   /* G, clusters with at least one row (CR0/CR1), else 0 */
    double adjust;      /* the factor applied to the sandwich (1, n/(n-p), G/(G-1) (n-1)/(n-p)) */
    const char *unavailable;
} cw_ols_vcov;

/* pass2 may be NULL for CW_OLS_CLASSICAL. Free *out with cw_ols_vcov_free (also on error). */
cw_ols_status cw_ols_covariance(const cw_ols_fit *fit, const cw_ols_pass2 *pass2, cw_ols_type type,
                          cw_ols_vcov *out);
void cw_ols_vcov_free(cw_ols_vcov *v);

typedef struct {
    int column;               /* the caller's column number */
    double estimate, se, t, p_value, ci_low, ci_high, df;
    const char *unavailable;  /* why everything but the estimate is NaN */
} cw_ols_coef;

/* out[fit->p]: two-sided t tests and (1 - alpha) intervals, t(df) with the covariance's df. */
cw_ols_status cw_ols_coefs(const cw_ols_fit *fit, const cw_ols_vcov *v, double alpha, cw_ols_coef *out);

typedef struct {
    int q;
    double wald;     /* W = b' V^-1 b over the q coefficients */
    double f;        /* W / q */
    double df1, df2; /* q and the covariance's df */
    double p_chisq;  /* P(chi2(q) > W) */
    double p_f;      /* P(F(q, df2) > F) */
    const char *unavailable;
} cw_ols_wald;

/* Joint test that the coefficients of the caller's columns[0..q) are all zero. */
cw_ols_status cw_ols_wald_test(const cw_ols_fit *fit, const cw_ols_vcov *v, const int *columns, int q,
                          cw_ols_wald *out);

#endif
