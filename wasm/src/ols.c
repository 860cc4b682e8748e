/* ols.c — least squares from two streamed passes; covariances, coefficient tables, Wald tests.
 *
 * Pass 1: centred co-moments of z = (x, y), shifted and batched.
 *   Every row is taken as z - K with K the first row (the shifted-data approach, Chan, Golub &
 *   LeVeque 1983, "Algorithms for computing the sample variance: analysis and
 *   recommendations", Am. Stat. 37(3):242-247, §3), so covariates near 1e9 with a spread of
 *   1e3 lose no digits to the offset. Rows wait in a batch of CW_OLS_BATCH; a full batch gets
 *   its mean b and co-moments by the corrected two-pass algorithm (same paper, eq. 1.7, applied
 *   entrywise: C = sum (z-b)(z-b)' - c c'/m with c = sum (z-b)), and is merged into the running
 *   mean and co-moments by the pairwise update of Chan, Golub & LeVeque (1979, "Updating
 *   formulae and a pairwise algorithm for computing sample variances", eq. 2.1b) written for
 *   co-moments (Pébay 2008, Sandia report SAND2008-6212):
 *     delta = b - mean;  mean += delta m/n;  C += C_batch + delta delta' n_a m / n.
 *   The merge adds into the co-moments with Neumaier's compensated summation (Neumaier 1974,
 *   ZAMM 54:39-51), so their rounding error stays near a few ulps instead of growing like
 *   sqrt(n) ulps: the collinearity test below compares squared norms near tol^2 = 1e-14, where
 *   plain running sums over 64,000 rows are already noisy.
 *   Why not Welford's per-row update (Welford 1962): the same stability, a division a row, and
 *   a long chain of dependent updates; batching is faster and its within-batch sums are
 *   two-pass exact-centred.
 *
 * Solve: a factor of the centred statistics, then a QR with R's rule for collinear columns.
 *   1. The centred co-moment matrix M of (x, y), scaled to unit diagonal, is factored by
 *      Cholesky with complete (diagonal) pivoting over the x columns (Higham, "Accuracy and
 *      Stability of Numerical Algorithms", 2nd ed. 2002, §10.3; LAPACK dpstrf), y eliminated
 *      last; it stops when the largest remaining pivot is below tau = max(tol^2, k eps): the
 *      rest is rounding noise and, with the scaling, no column R's lm would keep is lost
 *      (a remainder below tol^2 of a column's centred square norm is below tol^2 of its raw
 *      square norm). Result: U with U'U = M, and y's remaining square norm.
 *   2. A = [sqrt(n) mean'; U; 0 ... 0 sqrt(rss_c)] has A'A = [X y]'[X y] exactly in exact
 *      arithmetic (the rank-one update of a factor, Gill, Golub, Murray & Saunders 1974,
 *      Math. Comp. 28:505-535). A Householder QR of A (Golub & Van Loan, "Matrix
 *      Computations", 4th ed., Alg. 5.1.1 and §5.2.2) takes the x columns in the order given
 *      and drops a column whose remaining norm is below tol times its original norm, the rule
 *      of LINPACK dqrdc2 as modified for R (src/appl/dqrdc2.f), which is what lm(tol = 1e-7)
 *      reports as NA. A column whose remaining part has a single nonzero is moved into place by
 *      a row swap, not a reflection, so an intercept given first costs the centred part no
 *      digits.
 *      Then beta = R^-1 Q'y, RSS = the rest of Q'y squared, (X'X)^-1 = R^-1 R^-T.
 *   Conditioning, stated: cross-products square the condition number, so a kept column whose
 *   part unexplained by the others is a fraction r of its centred norm leaves about
 *   16 + 2 log10(r) correct digits (fit->centred_ratio, warning below 1e-4). For the rule
 *   itself the compensated co-moments matter: exactly collinear columns (a + b rounded,
 *   0.1 a + 3.7 b, a dummy trap) over 1e6 rows come out at ratios below 1e-13, far under
 *   tol = 1e-7, and a column at a true ratio of 1e-6 is kept, as lm keeps it.
 *
 * Pass 2: residuals e_i = y_i - x_i'beta and w_i = R^-T x_i, so h_ii = w_i'w_i (the leverage)
 *   and every sandwich is R^-1 [sum c_i w_i w_i'] R^-T = (X'X)^-1 [sum c_i x_i x_i'] (X'X)^-1:
 *   the meats are gathered in the orthonormalised coordinates w, where they are well scaled,
 *   and mapped back once. c_i = e_i^2 (HC0, White 1980, Econometrica 48:817-838; HC1 times
 *   n/(n-p)), e_i^2/(1-h_ii) (HC2) and e_i^2/(1-h_ii)^2 (HC3) (MacKinnon & White 1985, J.
 *   Econometrics 29:305-325; Long & Ervin 2000, Am. Stat. 54:217-224). Clustered (Liang & Zeger
 *   1986, Biometrika 73:13-22; Cameron & Miller 2015, "A practitioner's guide to cluster-robust inference",
 *   J. Human Resources 50:317-372):
 *   sum_g u_g u_g' with u_g = sum_{i in g} w_i e_i, CR1 = G/(G-1) (n-1)/(n-p) times CR0: Stata's
 *   regress vce(cluster), statsmodels' default, and sandwich::vcovCL(type = "HC1",
 *   cadjust = TRUE), whose meatCL (sandwich 3.0-2) multiplies by G/(G-1) and then by
 *   (n-1)/(n-k) with k the number of non-aliased coefficients. An observation with
 *   h_ii > 1 - 1e-10 has leverage 1 (its residual is 0 and HC2/HC3 divide 0 by 0): they are
 *   then unavailable, not Inf or NaN.
 *
 * Tests: t = b/se with two-sided p = 2 pt(-|t|, df) and b -+ qt(1 - alpha/2, df) se, df = n - p
 *   or, clustered, G - 1 (Stata's choice, discussed by Cameron & Miller 2015). Wald:
 *   W = b'V^-1 b by a Cholesky of V scaled to unit diagonal, F = W/q on (q, df), and chi2(q).
 *
 * ACCURACY against R 4.2.2 (lm, sandwich 3.0-2, lmtest 0.9-40), tests/fixtures/ols_r.tsv:
 *   largest relative error of coefficients and SEs of every type / of every value (t, p on
 *   log scale, intervals, Wald statistics):
 *     LaLonde re78 ~ 10 columns           n = 445      9.4e-14 / 2.8e-13
 *     Hillstrom spend ~ 8 columns         n = 64,000   9.1e-13 / 2.1e-12
 *     Card-Krueger DiD, CR0/CR1 by store  n = 794/768  5.7e-14 / 3.2e-12
 *     collinear columns, dummy trap       n = 445/64k  1.0e-12 / 1.8e-12 (same columns dropped)
 *     offsets of 1e9 on y and 2 columns   n = 445      1.0e-11 / 1.3e-11 (against an exactly
 *       shifted R fit; R's own raw-design lm and sandwich are off by 9e-10 and 1e-4 there)
 *   Speed (gcc -O2, one core of a loaded 2-core machine): pass 1 about 70-100 ns a row at
 *   k = 10, pass 2 with every meat and clusters about 250 ns; both grow as k^2. */
#include "ols.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist/dist.h"

#define LEVERAGE_ONE 1e-10 /* h_ii > 1 - this is leverage 1 */
#define WALD_SINGULAR 1e-10 /* Cholesky pivot of the tested correlation matrix below this: singular */

const char *cw_ols_strerror(cw_ols_status status) {
    switch (status) {
    case CW_OLS_OK: return "no error";
    case CW_OLS_ERR_ARG: return "invalid argument (columns must number 1 to 64, tol lie in [0, 1), "
                                "alpha in (0, 1), and tested columns be distinct and in range)";
    case CW_OLS_ERR_NOMEM: return "out of memory";
    case CW_OLS_ERR_NONFINITE: return "the row holds a missing (NaN) or infinite value; it was not added";
    case CW_OLS_ERR_CLUSTER:
        return "cluster ids must be 0, 1, 2, ... (a negative or impossibly large id was given)";
    case CW_OLS_ERR_STATE: return "call out of order: pass 2 needs a fit with coefficients, must see the "
                                  "same rows as pass 1 and must gather the meat a covariance asks for";
    default: return "unknown status";
    }
}

const char *cw_ols_type_name(cw_ols_type type) {
    static const char *const names[CW_OLS_TYPE_COUNT] = {"classical", "HC0", "HC1", "HC2",
                                                        "HC3", "CR0", "CR1"};
    return (unsigned)type < CW_OLS_TYPE_COUNT ? names[type] : NULL;
}

/* Packed upper triangle of a d x d symmetric matrix, row by row: element (i, j), j >= i. */
static size_t tri(int d) { return (size_t)d * (size_t)(d + 1) / 2; }
static size_t pk(int d, int i, int j) { return (size_t)(i * (2 * d - i + 1) / 2 + (j - i)); }

/* Element (i, j) of a row-major matrix with n columns. */
static size_t ix(int i, int j, int n) { return (size_t)i * (size_t)n + (size_t)j; }

/* s + x into (s, c), Neumaier's variant of Kahan summation. */
static void nsum(double *s, double *c, double x) {
    double t = *s + x;
    if (fabs(*s) >= fabs(x)) *c += (*s - t) + x;
    else *c += (x - t) + *s;
    *s = t;
}

/* ---- pass 1 ------------------------------------------------------------------------------ */

cw_ols_status cw_ols_pass1_init(cw_ols_pass1 *s, int k) {
    memset(s, 0, sizeof *s);
    if (k < 1 || k > CW_OLS_MAX_K) return CW_OLS_ERR_ARG;
    int d = k + 1;
    size_t total = 2 * (size_t)d + 2 * tri(d) + (size_t)d * (size_t)CW_OLS_BATCH;
    double *mem = calloc(total, sizeof *mem);
    if (!mem) return CW_OLS_ERR_NOMEM;
    s->k = k;
    s->shift = mem;
    s->mean = s->shift + d;
    s->com = s->mean + d;
    s->comp = s->com + tri(d);
    s->batch = s->comp + tri(d);
    return CW_OLS_OK;
}

void cw_ols_pass1_free(cw_ols_pass1 *s) {
    free(s->shift);
    memset(s, 0, sizeof *s);
}

int64_t cw_ols_pass1_count(const cw_ols_pass1 *s) { return s->n + s->nbatch; }

cw_ols_status cw_ols_pass1_add(cw_ols_pass1 *s, const double *x, double y) {
    int k = s->k;
    if (!isfinite(y)) return CW_OLS_ERR_NONFINITE;
    for (int j = 0; j < k; j++)
        if (!isfinite(x[j])) return CW_OLS_ERR_NONFINITE;
    if (s->n == 0 && s->nbatch == 0) {
        memcpy(s->shift, x, (size_t)k * sizeof *x);
        s->shift[k] = y;
    }
    double *b = s->batch + (size_t)s->nbatch * (size_t)(k + 1);
    for (int j = 0; j < k; j++) b[j] = x[j] - s->shift[j];
    b[k] = y - s->shift[k];
    if (++s->nbatch == CW_OLS_BATCH) cw_ols_pass1_flush(s);
    return CW_OLS_OK;
}

/* Merge m rows with mean bmean (in this accumulator's shifted coordinates) and packed
 * co-moments bcom (+ bcomp, a compensation, or NULL). */
static void merge_stats(cw_ols_pass1 *s, int64_t m, const double *bmean, const double *bcom,
                        const double *bcomp) {
    int d = s->k + 1;
    double na = (double)s->n, nb = (double)m, n = na + nb, f = na * nb / n;
    double delta[CW_OLS_MAX_K + 1];
    for (int j = 0; j < d; j++) {
        delta[j] = bmean[j] - s->mean[j];
        s->mean[j] += delta[j] * (nb / n);
    }
    for (int i = 0, idx = 0; i < d; i++)
        for (int j = i; j < d; j++, idx++) {
            nsum(&s->com[idx], &s->comp[idx], bcom[idx]);
            if (bcomp) nsum(&s->com[idx], &s->comp[idx], bcomp[idx]);
            if (f > 0) nsum(&s->com[idx], &s->comp[idx], delta[i] * delta[j] * f);
        }
    s->n += m;
}

void cw_ols_pass1_flush(cw_ols_pass1 *s) {
    int m = s->nbatch, d = s->k + 1;
    if (m == 0) return;
    double bmean[CW_OLS_MAX_K + 1], c[CW_OLS_MAX_K + 1];
    double bcom[(CW_OLS_MAX_K + 1) * (CW_OLS_MAX_K + 2) / 2];
    /* Corrected two-pass: the batch mean, then sums over the centred rows. */
    for (int j = 0; j < d; j++) bmean[j] = c[j] = 0.0;
    for (int r = 0; r < m; r++) {
        const double *z = s->batch + (size_t)r * (size_t)d;
        for (int j = 0; j < d; j++) bmean[j] += z[j];
    }
    for (int j = 0; j < d; j++) bmean[j] /= m;
    size_t t = tri(d);
    memset(bcom, 0, t * sizeof *bcom);
    for (int r = 0; r < m; r++) {
        double *z = s->batch + (size_t)r * (size_t)d;
        for (int j = 0; j < d; j++) {
            z[j] -= bmean[j];
            c[j] += z[j];
        }
        for (int i = 0, idx = 0; i < d; idx += d - i, i++) { /* rank-one update, packed */
            double zi = z[i], *out = bcom + idx - i;
            for (int j = i; j < d; j++) out[j] += zi * z[j];
        }
    }
    for (int i = 0, idx = 0; i < d; i++)
        for (int j = i; j < d; j++, idx++) bcom[idx] -= c[i] * c[j] / m;
    s->nbatch = 0;
    merge_stats(s, m, bmean, bcom, NULL);
}

cw_ols_status cw_ols_pass1_merge(cw_ols_pass1 *into, cw_ols_pass1 *from) {
    if (into->k != from->k || into->k < 1) return CW_OLS_ERR_STATE;
    cw_ols_pass1_flush(into);
    cw_ols_pass1_flush(from);
    if (from->n == 0) return CW_OLS_OK;
    int d = into->k + 1;
    if (into->n == 0) {
        memcpy(into->shift, from->shift, (size_t)d * sizeof(double));
        memcpy(into->mean, from->mean, (size_t)d * sizeof(double));
        memcpy(into->com, from->com, tri(d) * sizeof(double));
        memcpy(into->comp, from->comp, tri(d) * sizeof(double));
        into->n = from->n;
        return CW_OLS_OK;
    }
    double fmean[CW_OLS_MAX_K + 1];
    for (int j = 0; j < d; j++) fmean[j] = (from->shift[j] - into->shift[j]) + from->mean[j];
    merge_stats(into, from->n, fmean, from->com, from->comp);
    return CW_OLS_OK;
}

/* ---- solve ------------------------------------------------------------------------------- */

/* Euclidean norm of a[0], a[stride], ... (n values), scaled against overflow as dnrm2 does. */
static double norm_strided(const double *a, int n, size_t stride) {
    double scale = 0.0;
    for (int i = 0; i < n; i++) scale = fmax(scale, fabs(a[(size_t)i * (size_t)stride]));
    if (scale == 0.0) return 0.0;
    double ss = 0.0;
    for (int i = 0; i < n; i++) {
        double v = a[(size_t)i * (size_t)stride] / scale;
        ss += v * v;
    }
    return scale * sqrt(ss);
}

void cw_ols_fit_free(cw_ols_fit *f) {
    free(f->r);
    f->r = f->rinv = f->xtx_inv = f->bread = NULL;
}

cw_ols_status cw_ols_solve(cw_ols_pass1 *s, double tol, cw_ols_fit *out) {
    memset(out, 0, sizeof *out);
    out->warn_column = -1;
    out->min_ratio = out->centred_ratio = 1.0;
    out->sigma2 = out->rss = out->df_resid = NAN;
    if (s->k < 1 || s->k > CW_OLS_MAX_K || !(tol >= 0.0 && tol < 1.0)) return CW_OLS_ERR_ARG;
    cw_ols_pass1_flush(s);
    int k = s->k, d = k + 1, y = k;
    out->k = k;
    out->n = s->n;
    out->tol = tol;
    if (s->n == 0) {
        out->unavailable = "no rows";
        out->sigma_unavailable = out->unavailable;
        for (int j = 0; j < k; j++) out->dropped[out->ndropped++] = j;
        return CW_OLS_OK;
    }
    double n = (double)s->n;
    int mrows = k + 2; /* mean row, at most k pivot rows, y's residual row */
    double *work = malloc(((size_t)d * (size_t)d + (size_t)mrows * (size_t)d + (size_t)d) * sizeof *work);
    if (!work) return CW_OLS_ERR_NOMEM;
    double *S = work, *A = S + (size_t)d * (size_t)d, *sc = A + (size_t)mrows * (size_t)d;
#define S_(i, j) S[ix(i, j, d)]
#define A_(i, j) A[ix(i, j, d)]

    /* 1. Pivoted Cholesky of the scaled centred co-moments. */
    for (int i = 0; i < d; i++) {
        double mii = s->com[pk(d, i, i)] + s->comp[pk(d, i, i)];
        sc[i] = mii > 0.0 ? sqrt(mii) : 0.0;
    }
    for (int i = 0; i < d; i++)
        for (int j = i; j < d; j++) {
            double v = (sc[i] > 0.0 && sc[j] > 0.0)
                           ? (s->com[pk(d, i, j)] + s->comp[pk(d, i, j)]) / sc[i] / sc[j]
                           : 0.0;
            if (i == j && sc[i] > 0.0) v = 1.0;
            S_(i, j) = S_(j, i) = v;
        }
    memset(A, 0, (size_t)mrows * (size_t)d * sizeof *A);
    int cand[CW_OLS_MAX_K + 1], ncand = 0; /* x columns still to pivot, then y when it varies */
    for (int j = 0; j < k; j++)
        if (sc[j] > 0.0) cand[ncand++] = j;
    int nx = ncand;
    if (sc[y] > 0.0) cand[ncand++] = y;
    double tau = fmax(tol * tol, k * DBL_EPSILON);
    int rank = 0;
    while (nx > 0) {
        int best = 0;
        for (int c = 1; c < nx; c++)
            if (S_(cand[c], cand[c]) > S_(cand[best], cand[best])) best = c;
        int piv = cand[best];
        double pv = S_(piv, piv);
        if (!(pv > tau)) break;
        for (int c = best; c < ncand - 1; c++) cand[c] = cand[c + 1];
        ncand--;
        nx--;
        double l = sqrt(pv), *row = &A_(1 + rank, 0);
        row[piv] = l;
        for (int c = 0; c < ncand; c++) row[cand[c]] = S_(piv, cand[c]) / l;
        for (int a = 0; a < ncand; a++)
            for (int b = a; b < ncand; b++) {
                int ia = cand[a], ib = cand[b];
                S_(ia, ib) -= row[ia] * row[ib];
                S_(ib, ia) = S_(ia, ib);
            }
        rank++;
    }
    int m = rank + 2, yrow = rank + 1;
    A_(yrow, y) = sc[y] > 0.0 ? sqrt(fmax(S_(y, y), 0.0)) : 0.0;
    for (int i = 1; i <= yrow; i++) /* undo the scaling */
        for (int j = 0; j < d; j++) A_(i, j) *= sc[j];
    double sqn = sqrt(n);
    for (int j = 0; j < d; j++) A_(0, j) = sqn * (s->shift[j] + s->mean[j]);

    /* 2. Householder QR with lm's rule for collinear columns. */
    double orig[CW_OLS_MAX_K];
    for (int j = 0; j < k; j++) orig[j] = norm_strided(&A_(0, j), m, (size_t)d);
    int p = 0;
    for (int j = 0; j < k; j++) {
        double res = p < m ? norm_strided(&A_(p, j), m - p, (size_t)d) : 0.0;
        if (!(res > 0.0) || res < tol * orig[j]) {
            out->dropped[out->ndropped++] = j;
            continue;
        }
        if (res / orig[j] < out->min_ratio) out->min_ratio = res / orig[j];
        if (sc[j] > 0.0 && res / sc[j] < out->centred_ratio) {
            out->centred_ratio = res / sc[j];
            out->warn_column = j;
        }
        int nonzero = 0, at = p;
        for (int i = p; i < m; i++)
            if (A_(i, j) != 0.0) {
                nonzero++;
                at = i;
            }
        if (nonzero == 1 && at != p) { /* a row swap: exact */
            for (int c = j; c < d; c++) {
                double t = A_(p, c);
                A_(p, c) = A_(at, c);
                A_(at, c) = t;
            }
        } else if (nonzero > 1) { /* reflection, LAPACK dlarfg's convention */
            double alpha = A_(p, j), beta = alpha >= 0.0 ? -res : res;
            double tauh = (beta - alpha) / beta, scale = 1.0 / (alpha - beta);
            for (int i = p + 1; i < m; i++) A_(i, j) *= scale; /* v = (1, A(p+1..m-1, j)) */
            for (int c = j + 1; c < d; c++) {
                double t = A_(p, c);
                for (int i = p + 1; i < m; i++) t += A_(i, j) * A_(i, c);
                t *= tauh;
                A_(p, c) -= t;
                for (int i = p + 1; i < m; i++) A_(i, c) -= t * A_(i, j);
            }
            A_(p, j) = beta;
            for (int i = p + 1; i < m; i++) A_(i, j) = 0.0;
        }
        out->kept[p++] = j;
    }
    out->p = p;
    if (out->centred_ratio > 1.0) out->centred_ratio = 1.0;
    if (p == 0) {
        free(work);
        out->unavailable = "every column is zero";
        out->sigma_unavailable = out->unavailable;
        return CW_OLS_OK;
    }
    double rss = 0.0;
    for (int i = p; i < m; i++) rss += A_(i, y) * A_(i, y);
    out->rss = rss;
    out->df_resid = n - p;
    if (s->n > p) out->sigma2 = rss / (n - p);
    else out->sigma_unavailable = "there are no more rows than coefficients (n <= p), so there is no "
                                  "residual degree of freedom to estimate a variance from";
    if (out->centred_ratio < CW_OLS_WARN_RATIO)
        out->warning = "nearly collinear columns: a column is almost explained by the others, so its "
                       "coefficient may have fewer than 8 correct digits";

    size_t pp = (size_t)p * (size_t)p;
    double *mat = calloc(4 * pp, sizeof *mat);
    if (!mat) {
        free(work);
        return CW_OLS_ERR_NOMEM;
    }
    out->r = mat;
    out->rinv = mat + pp;
    out->xtx_inv = mat + 2 * pp;
    out->bread = mat + 3 * pp;
    double *R = out->r, *Ri = out->rinv;
    for (int a = 0; a < p; a++)
        for (int b = a; b < p; b++) R[ix(a, b, p)] = A_(a, out->kept[b]);
    for (int a = p - 1; a >= 0; a--) { /* beta = R^-1 Q'y */
        double t = A_(a, y);
        for (int b = a + 1; b < p; b++) t -= R[ix(a, b, p)] * out->beta[b];
        out->beta[a] = t / R[ix(a, a, p)];
    }
    for (int j = 0; j < p; j++) { /* R^-1, column by column */
        Ri[ix(j, j, p)] = 1.0 / R[ix(j, j, p)];
        for (int i = j - 1; i >= 0; i--) {
            double t = 0.0;
            for (int l = i + 1; l <= j; l++) t += R[ix(i, l, p)] * Ri[ix(l, j, p)];
            Ri[ix(i, j, p)] = -t / R[ix(i, i, p)];
        }
    }
    for (int i = 0; i < p; i++)
        for (int j = i; j < p; j++) {
            double t = 0.0;
            for (int l = j; l < p; l++) t += Ri[ix(i, l, p)] * Ri[ix(j, l, p)];
            out->xtx_inv[ix(i, j, p)] = out->xtx_inv[ix(j, i, p)] = t;
            out->bread[ix(i, j, p)] = out->bread[ix(j, i, p)] = n * t;
        }
#undef S_
#undef A_
    free(work);
    return CW_OLS_OK;
}

/* ---- pass 2 ------------------------------------------------------------------------------ */

void cw_ols_pass2_free(cw_ols_pass2 *s) {
    free(s->lt);
    free(s->u);
    free(s->gn);
    memset(s, 0, sizeof *s);
}

cw_ols_status cw_ols_pass2_init(cw_ols_pass2 *s, const cw_ols_fit *fit, unsigned want) {
    memset(s, 0, sizeof *s);
    s->leverage_one = -1;
    if (want & ~(unsigned)CW_OLS_WANT_ALL) return CW_OLS_ERR_ARG;
    if (fit->unavailable || fit->p < 1 || !fit->r) return CW_OLS_ERR_STATE;
    int p = fit->p;
    size_t pp = (size_t)p * (size_t)p, t = tri(p);
    double *mem = calloc(pp + 2 * (size_t)p + 3 * t, sizeof *mem);
    if (!mem) return CW_OLS_ERR_NOMEM;
    s->fit = fit;
    s->want = want;
    s->p = p;
    s->lt = mem;
    s->w = s->lt + pp;
    s->we = s->w + p;
    double *next = s->we + p;
    if (want & CW_OLS_WANT_HC01) s->meat0 = next, next += t;
    if (want & CW_OLS_WANT_HC2) s->meat2 = next, next += t;
    if (want & CW_OLS_WANT_HC3) s->meat3 = next;
    for (int i = 0; i < p; i++)
        for (int j = 0; j <= i; j++) s->lt[ix(i, j, p)] = fit->r[ix(j, i, p)];
    return CW_OLS_OK;
}

static void rank1(double *meat, int p, const double *w, double c) {
    for (int i = 0, idx = 0; i < p; i++) {
        double ci = c * w[i];
        for (int j = i; j < p; j++, idx++) meat[idx] += ci * w[j];
    }
}

static cw_ols_status grow_clusters(cw_ols_pass2 *s, int64_t id) {
    int p = s->p;
    if (id >= (int64_t)(SIZE_MAX / sizeof(double) / (size_t)(p + 1) / 2)) return CW_OLS_ERR_CLUSTER;
    int64_t cap = s->gcap ? 2 * s->gcap : 64;
    if (cap <= id) cap = id + 1;
    double *u = realloc(s->u, (size_t)cap * (size_t)p * sizeof *u);
    if (!u) return CW_OLS_ERR_NOMEM;
    s->u = u;
    int64_t *gn = realloc(s->gn, (size_t)cap * sizeof *gn);
    if (!gn) return CW_OLS_ERR_NOMEM;
    s->gn = gn;
    memset(u + (size_t)s->gcap * (size_t)p, 0, (size_t)(cap - s->gcap) * (size_t)p * sizeof *u);
    memset(gn + s->gcap, 0, (size_t)(cap - s->gcap) * sizeof *gn);
    s->gcap = cap;
    return CW_OLS_OK;
}

cw_ols_status cw_ols_pass2_add(cw_ols_pass2 *s, const double *x, double y, int64_t cluster) {
    const cw_ols_fit *f = s->fit;
    if (!f) return CW_OLS_ERR_STATE;
    int p = s->p;
    if (!isfinite(y)) return CW_OLS_ERR_NONFINITE;
    for (int j = 0; j < f->k; j++)
        if (!isfinite(x[j])) return CW_OLS_ERR_NONFINITE;
    if (s->want & CW_OLS_WANT_CLUSTER) {
        if (cluster < 0) return CW_OLS_ERR_CLUSTER;
        if (cluster >= s->gcap) {
            cw_ols_status st = grow_clusters(s, cluster);
            if (st != CW_OLS_OK) return st;
        }
    }
    double *w = s->w, fitted = 0.0, h = 0.0;
    for (int i = 0; i < p; i++) { /* w = R^-T x, four partial sums to shorten the chain */
        double xi = x[f->kept[i]], t0 = 0.0, t1 = 0.0, t2 = 0.0, t3 = 0.0;
        const double *li = s->lt + (size_t)i * (size_t)p;
        int j = 0;
        for (; j + 4 <= i; j += 4) {
            t0 += li[j] * w[j];
            t1 += li[j + 1] * w[j + 1];
            t2 += li[j + 2] * w[j + 2];
            t3 += li[j + 3] * w[j + 3];
        }
        for (; j < i; j++) t0 += li[j] * w[j];
        w[i] = (xi - ((t0 + t1) + (t2 + t3))) / li[i];
        h += w[i] * w[i];
        fitted += f->beta[i] * xi;
    }
    double e = y - fitted, e2 = e * e;
    s->rss += e2;
    for (int i = 0; i < p; i++) s->we[i] += w[i] * e;
    if (h > s->max_leverage) s->max_leverage = h;
    if (s->meat0) rank1(s->meat0, p, w, e2);
    if (s->meat2 || s->meat3) {
        double om = 1.0 - h;
        if (om < LEVERAGE_ONE) {
            if (s->leverage_one < 0) s->leverage_one = s->n;
        } else {
            if (s->meat2) rank1(s->meat2, p, w, e2 / om);
            if (s->meat3) rank1(s->meat3, p, w, e2 / om / om);
        }
    }
    if (s->want & CW_OLS_WANT_CLUSTER) {
        double *u = s->u + (size_t)cluster * (size_t)p;
        for (int i = 0; i < p; i++) u[i] += w[i] * e;
        s->gn[cluster]++;
        if (cluster >= s->gmax) s->gmax = cluster + 1;
    }
    s->n++;
    return CW_OLS_OK;
}

cw_ols_status cw_ols_pass2_correction(const cw_ols_pass2 *s, double *delta) {
    const cw_ols_fit *f = s->fit;
    if (!f || s->n != f->n) return CW_OLS_ERR_STATE;
    int p = s->p;
    for (int i = 0; i < p; i++) {
        double t = 0.0;
        for (int l = i; l < p; l++) t += f->rinv[ix(i, l, p)] * s->we[l];
        delta[i] = t;
    }
    return CW_OLS_OK;
}

/* ---- covariances ------------------------------------------------------------------------- */

void cw_ols_vcov_free(cw_ols_vcov *v) {
    free(v->v);
    v->v = NULL;
}

/* v = adjust * R^-1 meat R^-T, meat given full (p x p). */
static void sandwich(const cw_ols_fit *f, const double *meat, double adjust, double *v) {
    int p = f->p;
    const double *Ri = f->rinv;
    double *t = v + (size_t)p * (size_t)p; /* scratch after v */
    for (int i = 0; i < p; i++)
        for (int j = 0; j < p; j++) {
            double acc = 0.0;
            for (int l = i; l < p; l++) acc += Ri[ix(i, l, p)] * meat[ix(l, j, p)];
            t[ix(i, j, p)] = acc;
        }
    for (int i = 0; i < p; i++)
        for (int j = i; j < p; j++) {
            double acc = 0.0;
            for (int l = j; l < p; l++) acc += t[ix(i, l, p)] * Ri[ix(j, l, p)];
            v[ix(i, j, p)] = v[ix(j, i, p)] = adjust * acc;
        }
}

static void unpack(const double *packed, int p, double *full) {
    for (int i = 0, idx = 0; i < p; i++)
        for (int j = i; j < p; j++, idx++) full[ix(i, j, p)] = full[ix(j, i, p)] = packed[idx];
}

cw_ols_status cw_ols_covariance(const cw_ols_fit *fit, const cw_ols_pass2 *pass2, cw_ols_type type,
                          cw_ols_vcov *out) {
    memset(out, 0, sizeof *out);
    out->type = type;
    out->df = NAN;
    out->adjust = NAN;
    if ((unsigned)type >= CW_OLS_TYPE_COUNT) return CW_OLS_ERR_ARG;
    if (fit->unavailable || !fit->r) return CW_OLS_ERR_STATE;
    int p = fit->p;
    out->p = p;
    double n = (double)fit->n;
    int clustered = type == CW_OLS_CR0 || type == CW_OLS_CR1;
    if (type != CW_OLS_CLASSICAL) {
        unsigned need = type == CW_OLS_HC2 ? CW_OLS_WANT_HC2
                        : type == CW_OLS_HC3 ? CW_OLS_WANT_HC3
                        : clustered          ? CW_OLS_WANT_CLUSTER
                                             : CW_OLS_WANT_HC01;
        if (!pass2 || pass2->fit != fit || !(pass2->want & need) || pass2->n != fit->n)
            return CW_OLS_ERR_STATE;
    }
    if (fit->sigma_unavailable) {
        out->unavailable = fit->sigma_unavailable;
        return CW_OLS_OK;
    }
    out->df = n - p;
    if (clustered) {
        for (int64_t g = 0; g < pass2->gmax; g++) out->clusters += pass2->gn[g] > 0;
        if (out->clusters < 2) {
            out->unavailable = "cluster-robust errors need at least 2 clusters";
            return CW_OLS_OK;
        }
        out->df = (double)(out->clusters - 1);
    }
    if ((type == CW_OLS_HC2 || type == CW_OLS_HC3) && pass2->leverage_one >= 0) {
        out->unavailable = "an observation has leverage 1 (its own column or combination of columns "
                           "fits it exactly), so HC2 and HC3, which divide by 1 - leverage, are undefined";
        return CW_OLS_OK;
    }
    size_t pp = (size_t)p * (size_t)p;
    double *v = malloc(3 * pp * sizeof *v); /* v, sandwich scratch, meat */
    if (!v) return CW_OLS_ERR_NOMEM;
    double *meat = v + 2 * pp;
    switch (type) {
    case CW_OLS_CLASSICAL:
        out->adjust = 1.0;
        for (size_t i = 0; i < pp; i++) v[i] = fit->sigma2 * fit->xtx_inv[i];
        break;
    case CW_OLS_HC0:
    case CW_OLS_HC1:
        out->adjust = type == CW_OLS_HC1 ? n / (n - p) : 1.0;
        unpack(pass2->meat0, p, meat);
        sandwich(fit, meat, out->adjust, v);
        break;
    case CW_OLS_HC2:
    case CW_OLS_HC3:
        out->adjust = 1.0;
        unpack(type == CW_OLS_HC2 ? pass2->meat2 : pass2->meat3, p, meat);
        sandwich(fit, meat, out->adjust, v);
        break;
    default: { /* CR0, CR1 */
        double G = (double)out->clusters;
        out->adjust = type == CW_OLS_CR1 ? G / (G - 1.0) * ((n - 1.0) / (n - p)) : 1.0;
        memset(meat, 0, pp * sizeof *meat);
        for (int64_t g = 0; g < pass2->gmax; g++) {
            const double *u = pass2->u + (size_t)g * (size_t)p;
            for (int i = 0; i < p; i++)
                for (int j = i; j < p; j++) meat[ix(i, j, p)] += u[i] * u[j];
        }
        for (int i = 0; i < p; i++)
            for (int j = 0; j < i; j++) meat[ix(i, j, p)] = meat[ix(j, i, p)];
        sandwich(fit, meat, out->adjust, v);
        break;
    }
    }
    out->v = v;
    return CW_OLS_OK;
}

/* ---- tables and tests -------------------------------------------------------------------- */

cw_ols_status cw_ols_coefs(const cw_ols_fit *fit, const cw_ols_vcov *v, double alpha, cw_ols_coef *out) {
    if (!(alpha > 0.0 && alpha < 1.0)) return CW_OLS_ERR_ARG;
    if (fit->unavailable || v->p != fit->p) return CW_OLS_ERR_STATE;
    int p = fit->p;
    double q = v->unavailable ? NAN : cw_qt(alpha / 2.0, v->df, 0, 0);
    for (int a = 0; a < p; a++) {
        cw_ols_coef *c = &out[a];
        c->column = fit->kept[a];
        c->estimate = fit->beta[a];
        c->se = c->t = c->p_value = c->ci_low = c->ci_high = NAN;
        c->df = v->df;
        c->unavailable = v->unavailable;
        if (v->unavailable) continue;
        double var = v->v[ix(a, a, p)];
        if (!(var > 0.0)) {
            c->unavailable = "the standard error is zero: the model fits these rows exactly";
            continue;
        }
        c->se = sqrt(var);
        c->t = c->estimate / c->se;
        c->p_value = 2.0 * cw_pt(-fabs(c->t), v->df, 1, 0);
        if (c->p_value > 1.0) c->p_value = 1.0;
        c->ci_low = c->estimate - q * c->se;
        c->ci_high = c->estimate + q * c->se;
    }
    return CW_OLS_OK;
}

cw_ols_status cw_ols_wald_test(const cw_ols_fit *fit, const cw_ols_vcov *v, const int *columns, int q,
                          cw_ols_wald *out) {
    memset(out, 0, sizeof *out);
    out->q = q;
    out->wald = out->f = out->p_chisq = out->p_f = NAN;
    out->df1 = q;
    out->df2 = v->df;
    if (q < 1 || q > fit->k) return CW_OLS_ERR_ARG;
    if (fit->unavailable || v->p != fit->p) return CW_OLS_ERR_STATE;
    int pos[CW_OLS_MAX_K], dropped = 0;
    for (int i = 0; i < q; i++) {
        if (columns[i] < 0 || columns[i] >= fit->k) return CW_OLS_ERR_ARG;
        for (int j = 0; j < i; j++)
            if (columns[j] == columns[i]) return CW_OLS_ERR_ARG;
        pos[i] = -1;
        for (int a = 0; a < fit->p; a++)
            if (fit->kept[a] == columns[i]) pos[i] = a;
        if (pos[i] < 0) dropped = 1;
    }
    if (dropped) {
        out->unavailable = "a tested column was dropped as collinear, so its coefficient is not estimated";
        return CW_OLS_OK;
    }
    if (v->unavailable) {
        out->unavailable = v->unavailable;
        return CW_OLS_OK;
    }
    int p = fit->p;
    /* Cholesky of the tested block scaled to unit diagonal; W = |L^-1 D^-1 b|^2. */
    double L[CW_OLS_MAX_K * CW_OLS_MAX_K], sd[CW_OLS_MAX_K], z[CW_OLS_MAX_K];
    for (int i = 0; i < q; i++) {
        double var = v->v[ix(pos[i], pos[i], p)];
        if (!(var > 0.0)) {
            out->unavailable = "a tested coefficient has zero variance";
            return CW_OLS_OK;
        }
        sd[i] = sqrt(var);
    }
    for (int i = 0; i < q; i++) {
        for (int j = 0; j <= i; j++) {
            double t = v->v[ix(pos[i], pos[j], p)] / sd[i] / sd[j];
            for (int l = 0; l < j; l++) t -= L[i * q + l] * L[j * q + l];
            if (j < i) {
                L[i * q + j] = t / L[j * q + j];
            } else {
                if (!(t > WALD_SINGULAR)) {
                    out->unavailable = "the covariance of the tested coefficients is singular (with "
                                       "clustered errors, test at most G - 1 coefficients)";
                    return CW_OLS_OK;
                }
                L[i * q + i] = sqrt(t);
            }
        }
    }
    double w = 0.0;
    for (int i = 0; i < q; i++) {
        double t = fit->beta[pos[i]] / sd[i];
        for (int l = 0; l < i; l++) t -= L[i * q + l] * z[l];
        z[i] = t / L[i * q + i];
        w += z[i] * z[i];
    }
    out->wald = w;
    out->f = w / q;
    out->p_chisq = cw_pchisq(w, q, 0, 0);
    out->p_f = cw_pf(out->f, q, v->df, 0, 0);
    return CW_OLS_OK;
}
