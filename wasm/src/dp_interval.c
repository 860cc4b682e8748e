/* dp_interval.c — quantiles and p-values of E = N(0, v) + sum_j c_j Z_j, the error of a noisy
 * estimate (DP-SPEC B5; contracts in dp_interval.h), by a rigorous grid convolution.
 *
 * Noise laws. Discrete Laplace (CKS20 Alg. 2): P(z) = tanh(r/2) e^{-r|z|}, r = s/t, so
 * P(Z >= a) = e^{-ra}/(1 + e^{-r}) (a >= 1), Var = 2q/(1-q)^2. Discrete Gaussian (CKS20 Alg. 3):
 * P(z) = e^{-z^2/(2 s2)}/C with, by Poisson summation (the Jacobi theta identity),
 * C = sigma sqrt(2 pi) theta, theta = sum_k e^{-2 pi^2 s2 k^2}, and
 * Var = s2 (1 - 4 pi^2 s2 sum_k k^2 e^{-2 pi^2 s2 k^2} / theta) (k over Z; exact series).
 * Gaussian tails P(Z >= a): summed term by term for sigma < 300; for sigma >= 300 by the
 * midpoint Euler-Maclaurin formula (Abramowitz & Stegun 23.1.32 with B_n(1/2))
 *   sum_{x >= a} f(x) = int_{a-1/2}^inf f - B2(1/2)/2! f' - B4(1/2)/4! f''' - B6(1/2)/6! f^(5),
 * i.e. T(a) = Phi_up(u) - phi(u)[He1(u)/(24 s2) - 7 He3(u)/(5760 s2^2) + 31 He5(u)/(967680 s2^3)],
 * u = (a - 1/2)/sigma; the first omitted term is 127/154828800 He7(u) phi(u)/s2^4, below 1e-13
 * of T for u <= 40 at sigma >= 300. Cell masses take the integral part by Gauss-Legendre
 * (phi_integral), never as a difference of two tails.
 *
 * Grid (as in the header). Everything is divided by a power of two Lambda (exact), so the
 * largest component scale is in [1/2, 1). Each c_j Z_j is rounded to the nearest multiple of a
 * common step h: one lattice point per grid point when |c_j| >= h ("sparse"; the rounding error
 * is measured), else cells of consecutive lattice points with closed-form masses ("dense";
 * error <= h/2). Each noise is cut where P(|Z_j| > A_j) <= cut/16, and after each convolution
 * the running law's tails (total <= cut/16) are cut too, cut = 1e-12 (tail/1e4 for quantiles
 * of tails below 1e-8); all cut mass is added to every tail probability. The step h is the
 * smallest whose predicted work fits the budget (CW_DP_WORK_DEFAULT: <= ~15 ms natively and in
 * WebAssembly), but no finer than a widening of 1e-4 sd(E); it is then stretched to |c_j|/m
 * when that makes a sparse term's lattice exact and lowers the total widening W. Convolution is
 * direct, on symmetric halves, four kernel entries per pass; every sum has non-negative terms,
 * so its relative error is at most its length in ulps, which is added (fp_rel). Then
 *   P(E > x) <= P(N(0, v) + Y' > x - W) (1 + fp_rel) + cut,
 * Y' the grid law. With v = 0 the quantile is the smallest grid point that passes, plus W;
 * with v > 0 the root is bracketed by Y' in [-K h, K h] and found by the Illinois method
 * (Dowell & Jarratt 1971, BIT 11:168) to a relative 2e-14, P(N + Y' > x) summed with
 * Phi_up = cw_pnorm (Cody 1993), or, when h/sd <= 0.01, from tables of Phi_up and phi on the
 * grid and a five-term Taylor step in Hermite form (remainder <= 0.0034 (h/2sd)^6, added).
 * Phi_up is taken as 1 or 0 beyond |u| > 9 (further for tiny tails; the error is added).
 *
 * Guarantee: q_exact <= q <= q_exact + 2 W + (the added probability)/(density of E), checked
 * against an independent oracle (tests/oracle/make_dp_interval_fixtures.py). Two-sided
 * p-values include the 1e-12 cut, so they do not resolve values below about 2e-12. Widening
 * at the default budget: 1e-4 sd(E) for one noise, ~0.2-0.8% of sd(E) for 2-4 comparable
 * large noises, 0.8-1.8% for 8; tails below 1e-250 are refused. */
#include "dp_interval.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist/dist.h"
#include "dp_sample.h"

#define PI_ 3.14159265358979323846
#define INV_SQRT_2PI 0.39894228040143267794
#define SQRT_2PI 2.50662827463100050242
#define LN2_ 0.69314718055994530942
#define EM_SIGMA 300.0        /* Gaussian tails by Euler-Maclaurin from this sigma on */
#define CUT_TOTAL 1e-12       /* probability cut from the tails, at most, per law */
#define CUT_PARTS 16.0        /* <= 8 noises + 7 truncations share it */
#define BOUND_MARGIN 1e-12    /* noise bounds keep a relative margin on alpha */
#define PHI_CUT 9.0           /* Phi_up(9) = 1.13e-19; larger for tiny tails */
#define WIDEN_FLOOR 1e-4      /* no finer grid than a widening of 1e-4 sd(E) */
#define K_MAX 262144L         /* grid half-length limit (2 MB per vector) */
/* Work model, in units of one entry-point of convolve() (~0.2-0.3 ns natively, measured): an
 * exp costs about 20 of them, a normal tail with its density (or a Gaussian cell) about 200. */
#define COST_EXP 20.0
#define COST_PHI 200.0
#define COST_EVALS 12.0
#define TAYLOR_MAX 0.01       /* h/sd at most this: Taylor from tables (error <= 5e-17) */
#define TAYLOR_REM 0.0034     /* >= max|He5 phi| / 720 = 2.3071 / 720 */

typedef struct {
    int gauss;
    double r, q, q1;      /* Laplace: r = s/t, q = e^-r, q1 = 1 + q */
    double s2, sig, norm; /* Gaussian: sigma^2, sigma, C = sum_x e^{-x^2/(2 s2)} */
    int em;               /* Gaussian tails by Euler-Maclaurin */
    double var;           /* Var Z */
} noise_info;

typedef struct {
    noise_info ni;
    double c;   /* |coef| / Lambda: the lattice step in scaled units */
    double A;   /* kept support |z| <= A */
    double var; /* c^2 Var Z */
} term_t;

typedef struct {
    double lambda; /* scale: E = lambda * (scaled error) */
    double sd;     /* scaled sampling sd */
    double sigma;  /* scaled sd(E) */
    double h, widen, slack, fp_rel;
    double ucut;   /* Phi_up is 1 or 0 beyond |u| > ucut */
    double part;   /* the probability each cut may remove */
    long K;        /* grid law on k = -K..K, stored for k >= 0 */
    double *p, *suf; /* p[k], suf[k] = sum_{k' >= k} p[k'] (suf[K+1] = 0) */
} law_t;

/* ---- one noise ------------------------------------------------------------------------------ */

static int noise_init(const cw_dp_noise *nz, noise_info *ni) {
    memset(ni, 0, sizeof *ni);
    if (nz->mech == CW_MECH_LAPLACE) {
        if (nz->t == 0 || nz->s == 0) return -1;
        ni->r = (double)nz->s / (double)nz->t;
        ni->q = exp(-ni->r);
        ni->q1 = 1.0 + ni->q;
        ni->var = cw_dp_laplace_variance(nz->t, nz->s);
        return 0;
    }
    if (nz->mech != CW_MECH_GAUSSIAN || nz->sigma2 == 0) return -1;
    ni->gauss = 1;
    ni->s2 = (double)nz->sigma2;
    ni->sig = sqrt(ni->s2);
    double th0 = 1.0, th2 = 0.0; /* Poisson summation, k = +-1, +-2, ... */
    for (int k = 1; k < 8; k++) {
        double e = exp(-2.0 * PI_ * PI_ * ni->s2 * k * k);
        if (e == 0.0) break;
        th0 += 2.0 * e;
        th2 += 2.0 * k * k * e;
    }
    ni->norm = ni->sig * SQRT_2PI * th0;
    ni->var = ni->s2 * (1.0 - 4.0 * PI_ * PI_ * ni->s2 * th2 / th0);
    ni->em = ni->sig >= EM_SIGMA;
    return 0;
}

/* P(Z = z), z >= 0 */
static double noise_pmf(const noise_info *ni, double z) {
    if (!ni->gauss) return tanh(0.5 * ni->r) * exp(-ni->r * z);
    return exp(-z * z / (2.0 * ni->s2)) / ni->norm;
}

/* The Euler-Maclaurin correction to Phi_up(u) (see the top of the file), per phi(u). */
static double em_corr(double u, double s2) {
    double u2 = u * u, i2 = 1.0 / s2;
    double he1 = u, he3 = u * (u2 - 3.0), he5 = u * (u2 * (u2 - 10.0) + 15.0);
    return -he1 * i2 / 24.0 + 7.0 * he3 * i2 * i2 / 5760.0 - 31.0 * he5 * i2 * i2 * i2 / 967680.0;
}

/* log P(Z >= a) for an integer a >= 1 */
static double noise_log_tail(const noise_info *ni, double a) {
    if (!ni->gauss) return -ni->r * a - log1p(ni->q);
    if (ni->em) {
        double u = (a - 0.5) / ni->sig;
        double lup = cw_pnorm(u, 0.0, 1.0, 0, 1);
        double ratio = exp(-0.5 * u * u - log(SQRT_2PI) - lup); /* phi / Phi_up */
        return lup + log1p(ratio * em_corr(u, ni->s2));
    }
    /* sum_{x >= a} e^{-x^2/(2 s2)} = e^{-a^2/(2 s2)} sum_{d >= 0} e^{-d (2a + d)/(2 s2)} */
    double sum = 0.0;
    for (double d = 0.0;; d += 1.0) {
        double term = exp(-d * (2.0 * a + d) / (2.0 * ni->s2));
        sum += term;
        if (term < 1e-18 * sum) break;
    }
    return -a * a / (2.0 * ni->s2) + log(sum) - log(ni->norm);
}

/* P(|Z| <= b), b >= 0 */
static double noise_center(const noise_info *ni, double b) {
    if (!ni->gauss) /* [(1 - q) + 2 q (1 - q^b)] / (1 + q), all terms positive */
        return (-expm1(-ni->r) + 2.0 * ni->q * -expm1(-ni->r * b)) / ni->q1;
    if (ni->em) {
        double u = (b + 0.5) / ni->sig;
        return erf(u / sqrt(2.0)) - 2.0 * INV_SQRT_2PI * exp(-0.5 * u * u) * em_corr(u, ni->s2);
    }
    double s = noise_pmf(ni, 0.0);
    for (double z = 1.0; z <= b; z += 1.0) s += 2.0 * noise_pmf(ni, z);
    return s;
}

/* Phi_up(ua) - Phi_up(ub), 0 <= ua <= ub, as the integral of phi by 6-point Gauss-Legendre on
 * pieces of width w with w max(ub, 3) <= 1/2, so it keeps its relative accuracy however narrow
 * the cell: the error term (A&S 25.4.30) is w^13 (6!)^4 / (13 (12!)^3) max|He12 phi|, below
 * 1e-16 of the value on such pieces (a difference of two tails would lose |log| digits). */
static double phi_integral(double ua, double ub) {
    static const double xg[3] = {0.2386191860831969, 0.6612093864662645, 0.9324695142031521};
    static const double wg[3] = {0.4679139345726910, 0.3607615730481386, 0.1713244923791704};
    double n = ceil((ub - ua) * fmax(ub, 3.0) / 0.5), w = (ub - ua) / n, s = 0.0;
    for (double i = 0.0; i < n; i += 1.0) {
        double m = ua + (i + 0.5) * w, part = 0.0;
        for (int g = 0; g < 3; g++) {
            double d = 0.5 * w * xg[g], lo = m - d, hi = m + d;
            part += wg[g] * (exp(-0.5 * lo * lo) + exp(-0.5 * hi * hi));
        }
        s += 0.5 * w * part;
    }
    return s * INV_SQRT_2PI;
}

/* P(a <= Z < a2), 1 <= a <= a2 */
static double noise_range(const noise_info *ni, double a, double a2) {
    if (a2 <= a) return 0.0;
    if (!ni->gauss) return exp(-ni->r * a) * -expm1(-ni->r * (a2 - a)) / ni->q1;
    if (ni->em) { /* T(a) - T(a2) with the integral part taken directly */
        double ua = (a - 0.5) / ni->sig, ub = (a2 - 0.5) / ni->sig;
        return phi_integral(ua, ub) + INV_SQRT_2PI * (exp(-0.5 * ua * ua) * em_corr(ua, ni->s2) -
                                                      exp(-0.5 * ub * ub) * em_corr(ub, ni->s2));
    }
    double s = 0.0;
    for (double z = a; z < a2; z += 1.0) s += noise_pmf(ni, z);
    return s;
}

/* The smallest integer a >= 0 with P(|Z| >= a + 1) <= alpha (1 - BOUND_MARGIN), by an
 * expanding then bisecting search from the closed form (Laplace) or the continuous normal
 * (Gaussian); past 4.5e15 the closed form as computed, and +Inf past 9.2e18 otherwise. */
static double noise_bound(const noise_info *ni, double alpha) {
    if (alpha >= 1.0) return 0.0;
    double la = log(alpha) + log1p(-BOUND_MARGIN) - LN2_, a0;
    if (!ni->gauss) {
        a0 = ceil((-la - log1p(ni->q)) / ni->r) - 1.0;
    } else {
        double u = cw_qnorm(la, 0.0, 1.0, 0, 1);
        a0 = floor(ni->sig * u);
    }
    if (!(a0 >= 0.0)) a0 = 0.0;
    if (a0 > 4.5e15) return a0; /* beyond integer resolution: the closed form as it is */
    double lo, hi, step = 1.0;
    if (noise_log_tail(ni, a0 + 1.0) <= la) { /* true at a0: search down */
        hi = a0;
        lo = a0 - 1.0;
        while (lo >= 0.0 && noise_log_tail(ni, lo + 1.0) <= la) {
            hi = lo;
            step *= 2.0;
            lo = hi - step;
        }
        if (lo < -1.0) lo = -1.0;
    } else {
        lo = a0;
        hi = a0 + 1.0;
        while (noise_log_tail(ni, hi + 1.0) > la) {
            lo = hi;
            step *= 2.0;
            hi = lo + step;
            if (hi > 9.2e18) return INFINITY;
        }
    }
    while (hi - lo > 1.0) { /* predicate false at lo (or lo = -1), true at hi */
        double mid = lo + floor((hi - lo) / 2.0);
        if (mid >= 0.0 && noise_log_tail(ni, mid + 1.0) <= la) hi = mid;
        else lo = mid;
    }
    return hi;
}

/* ---- the plan: the grid step ---------------------------------------------------------------- */

static double term_K(const term_t *t, double h) { return floor(t->c * t->A / h + 0.5); }

static double term_nnz(const term_t *t, double h) {
    return t->c >= h ? 2.0 * t->A + 1.0 : 2.0 * term_K(t, h) + 1.0;
}

/* Work to build one term's kernel: an exp per entry (sparse), two per cell (Laplace), a normal
 * tail per cell (Euler-Maclaurin Gaussian), or an exp per lattice point (summed Gaussian). */
static double term_build_cost(const term_t *t, double h) {
    double half = 0.5 * (term_nnz(t, h) + 1.0);
    if (t->c >= h) return COST_EXP * half;
    if (!t->ni.gauss) return 2.0 * COST_EXP * half;
    if (t->ni.em) return COST_PHI * half;
    return COST_EXP * (t->A + 1.0) + half;
}

/* The order of the convolution: the term with the most entries starts, the rest follow by
 * increasing size. */
static void term_order(const term_t *tm, int n, double h, int *ord) {
    double key[CW_DP_MAX_TERMS];
    for (int i = 0; i < n; i++) {
        ord[i] = i;
        key[i] = term_nnz(&tm[i], h);
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && key[ord[j]] < key[ord[j - 1]]; j--) {
            int s = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = s;
        }
}

/* Work of solving for the quantile on a law of half-length kr (see law_solve). */
static double eval_cost(double kr, double sd, double h) {
    if (sd == 0.0) return 2.0 * kr;
    double d = h / sd, window = fmin(2.0 * kr + 1.0, 2.0 * PHI_CUT / d + 3.0);
    if (d <= TAYLOR_MAX) /* tables of half the span, then ~40 cheap evaluations */
        return 0.5 * fmin(4.0 * kr + 8.0, window + 2.0 * kr) * (COST_PHI + COST_EXP) +
               40.0 * 8.0 * window;
    return COST_EVALS * COST_PHI * window;
}

/* Predicted work (multiply-adds) at step h; +Inf when a vector would pass K_MAX. */
static double plan_cost(const term_t *tm, int n, double sd, double h) {
    int ord[CW_DP_MAX_TERMS];
    term_order(tm, n, h, ord);
    double work = 0.0, kr = 0.0, kmax = 0.0, vsum = 0.0;
    for (int step = 0; step < n; step++) {
        int j = step == 0 ? ord[n - 1] : ord[step - 1];
        double K = term_K(&tm[j], h), nnz = term_nnz(&tm[j], h);
        if (K > K_MAX) return INFINITY;
        work += term_build_cost(&tm[j], h);
        vsum += tm[j].var;
        if (K > kmax) kmax = K;
        if (step == 0) {
            kr = K;
        } else if (K > 0.0) {
            work += 0.5 * (nnz + 1.0) * (kr + 0.5 * K + 1.0); /* convolve(): range per entry */
            kr = fmin(kr + K, kmax + ceil(8.0 * sqrt(vsum) / h));
        }
    }
    if (kr > K_MAX) return INFINITY;
    return work + eval_cost(kr, sd, h);
}

/* The summed rounding error W at step h (scaled units), with floating-point allowances. */
static double plan_widen(const term_t *tm, int n, double h) {
    double w = 0.0;
    for (int j = 0; j < n; j++) {
        const term_t *t = &tm[j];
        double g = t->c / h, e = 0.0;
        if (t->c >= h) {
            /* the largest |g z - round(g z)|, z = 1..A: exact when g is within 1/(4A) of an
             * integer gi (then round(g z) = gi z), else scanned up to 4096 points, else 1/2 */
            double gi = floor(g + 0.5), dev = fabs(g - gi);
            if (dev * t->A < 0.25) {
                e = dev * t->A;
            } else if (t->A > 4096.0) {
                e = 0.5;
            } else {
                for (double z = 1.0; z <= t->A && e < 0.5; z += 1.0) {
                    double d = fabs(g * z - floor(g * z + 0.5));
                    if (d > e) e = d;
                }
            }
            w += h * (e + 4.0 * DBL_EPSILON * (g * t->A + 1.0));
        } else if (term_K(t, h) == 0.0) {
            w += t->c * t->A * (1.0 + 4.0 * DBL_EPSILON);
        } else {
            w += h * (0.5 + 4.0 * DBL_EPSILON * (g * t->A + 1.0));
        }
    }
    return w;
}

/* The step: the smallest (to 0.1%) within the work budget, not below the floor; then stretched
 * to |c_j| / m for a sparse term j (exact lattice) when that gives a smaller widening, the
 * coarsest such step among those within 1e-9 of the best. */
static double plan_step(const term_t *tm, int n, double sd, double sigma, double work) {
    double xmax = 0.0;
    for (int j = 0; j < n; j++) xmax = fmax(xmax, tm[j].c * tm[j].A);
    double lo = 2.0 * WIDEN_FLOOR * sigma / n, hi = 4.0 * xmax + lo, h;
    if (plan_cost(tm, n, sd, lo) <= work) {
        h = lo;
    } else {
        for (int it = 0; it < 64 && plan_cost(tm, n, sd, hi) > work; it++)
            hi *= 2.0; /* all terms at 0 already: only fixed costs left */
        for (int it = 0; it < 60 && hi > lo * (1.0 + 1e-3); it++) {
            double mid = sqrt(lo * hi);
            if (plan_cost(tm, n, sd, mid) <= work) hi = mid;
            else lo = mid;
        }
        h = hi;
    }
    double cand[CW_DP_MAX_TERMS * 64 + 1], wc[CW_DP_MAX_TERMS * 64 + 1], wmin;
    int nc = 0;
    cand[nc] = h;
    wc[nc++] = wmin = plan_widen(tm, n, h);
    for (int j = 0; j < n; j++) {
        if (tm[j].c < h) continue;
        for (double m = floor(tm[j].c / h); m >= 1.0 && nc < CW_DP_MAX_TERMS * 64 + 1;
             m = floor(m / 2.0)) {
            double h2 = tm[j].c / m;
            if (h2 < h || plan_cost(tm, n, sd, h2) > work) continue;
            cand[nc] = h2;
            wc[nc] = plan_widen(tm, n, h2);
            if (wc[nc] < wmin) wmin = wc[nc];
            nc++;
        }
    }
    double best = 0.0;
    for (int i = 0; i < nc; i++)
        if (wc[i] <= wmin + 1e-9 * sigma && cand[i] > best) best = cand[i];
    return best;
}

/* ---- kernels and convolution ---------------------------------------------------------------- */

/* The law of round(c Z / h) on k >= 0 (symmetric), as entries (kk[i], mm[i]), kk[0] = 0.
 * Returns the number of entries, or -1 when out of memory. */
static long build_kernel(const term_t *t, double h, long **kkp, double **mmp) {
    double g = t->c / h;
    long n = t->c >= h ? (long)t->A + 1 : (long)term_K(t, h) + 1;
    long *kk = malloc((size_t)n * sizeof *kk);
    double *mm = malloc((size_t)n * sizeof *mm);
    *kkp = kk;
    *mmp = mm;
    if (!kk || !mm) return -1;
    const noise_info *ni = &t->ni;
    if (t->c >= h) { /* one lattice point per grid point */
        for (long z = 0; z < n; z++) {
            kk[z] = (long)floor(g * (double)z + 0.5);
            mm[z] = noise_pmf(ni, (double)z);
        }
        return n;
    }
    long K = n - 1;
    kk[0] = 0;
    if (K == 0) {
        mm[0] = noise_center(ni, t->A);
        return 1;
    }
    /* cell k >= 1 holds z in [ceil((k - 1/2)/g), ceil((k + 1/2)/g)), the last one up to A */
    double a = fmin(ceil(0.5 / g), t->A);
    mm[0] = noise_center(ni, a - 1.0);
    for (long k = 1; k <= K; k++) {
        double a2 = k == K ? t->A + 1.0 : fmin(ceil(((double)k + 0.5) / g), t->A + 1.0);
        if (a2 < a) a2 = a;
        kk[k] = k;
        mm[k] = noise_range(ni, a, a2);
        a = a2;
    }
    return n;
}

/* y[0..kx+kt] = (x * kernel) on k >= 0, both symmetric, with xp scratch of 2 kx + 3 kt + 1:
 * the mirrored x padded with zeros, so every entry d adds m (x[k - d] + x[k + d]) over one
 * contiguous range of k, four entries per pass over y (y is read and written a quarter as
 * often: the loop is memory-bound). The entry d = 0 adds m x[k] as (m/2)(x[k] + x[k]). */
static void convolve(const double *x, long kx, const long *kk, const double *mm, long nk,
                     double *xp, double *y) {
    long kt = kk[nk - 1], ky = kx + kt, P = kx + kt; /* xp[P + i] = x[|i|], |i| <= kx */
    memset(xp, 0, (size_t)(2 * kx + 3 * kt + 1) * sizeof *xp);
    for (long k = 0; k <= kx; k++) xp[P + k] = xp[P - k] = x[k];
    memset(y, 0, (size_t)(ky + 1) * sizeof *y);
    long i = 0;
    for (; i + 4 <= nk; i += 4) { /* kk increases: the block's range is that of its ends */
        const long *d = kk + i;
        const double *m = mm + i;
        double m0 = d[0] == 0 ? 0.5 * m[0] : m[0], m1 = m[1], m2 = m[2], m3 = m[3];
        const double *a0 = xp + P - d[0], *b0 = xp + P + d[0], *a1 = xp + P - d[1];
        const double *b1 = xp + P + d[1], *a2 = xp + P - d[2], *b2 = xp + P + d[2];
        const double *a3 = xp + P - d[3], *b3 = xp + P + d[3];
        long lo = d[0] - kx < 0 ? 0 : d[0] - kx, hi = d[3] + kx < ky ? d[3] + kx : ky;
        for (long k = lo; k <= hi; k++)
            y[k] += m0 * (a0[k] + b0[k]) + m1 * (a1[k] + b1[k]) + m2 * (a2[k] + b2[k]) +
                    m3 * (a3[k] + b3[k]);
    }
    for (; i < nk; i++) {
        long d = kk[i];
        double m = d == 0 ? 0.5 * mm[i] : mm[i];
        const double *a = xp + P - d, *b = xp + P + d;
        long lo = d - kx < 0 ? 0 : d - kx, hi = d + kx < ky ? d + kx : ky;
        for (long k = lo; k <= hi; k++) y[k] += m * (a[k] + b[k]);
    }
}

/* Cut both tails of a symmetric half-law to total mass <= cut; returns the new half-length. */
static long truncate_law(const double *y, long ky, double cut, double *cut_mass) {
    double acc = 0.0;
    while (ky > 0 && acc + 2.0 * y[ky] <= cut) acc += 2.0 * y[ky--];
    *cut_mass += acc;
    return ky;
}

static void law_free(law_t *L) {
    free(L->p);
    free(L->suf);
    L->p = L->suf = NULL;
}

/* Validate e and build its grid law. Returns 0, or -1 (invalid input, overflow, memory). A
 * law with K = -1 means E has no noise term (then p is NULL). */
static int law_build(const cw_dp_error *e, double cut_total, double work, law_t *L) {
    memset(L, 0, sizeof *L);
    L->K = -1;
    if (!e || e->nterms < 0 || e->nterms > CW_DP_MAX_TERMS) return -1;
    if (!(work > 0.0) || isinf(work)) return -1;
    if (!isfinite(e->var_sampling) || e->var_sampling < 0.0) return -1;
    term_t tm[CW_DP_MAX_TERMS];
    double coef[CW_DP_MAX_TERMS], big = sqrt(e->var_sampling);
    int n = 0;
    for (int j = 0; j < e->nterms; j++) {
        double c = e->term[j].coef;
        if (!isfinite(c)) return -1;
        if (c == 0.0) continue;
        if (noise_init(&e->term[j].noise, &tm[n].ni) != 0) return -1;
        double raw = fabs(c) * sqrt(tm[n].ni.var);
        if (!isfinite(raw)) return -1;
        coef[n] = fabs(c);
        if (raw > big) big = raw;
        n++;
    }
    L->lambda = 1.0;
    if (big == 0.0) return 0; /* E = 0 (a noise of variance 0 has r = +Inf: Z = 0) */
    int ex;
    frexp(big, &ex);
    L->lambda = ldexp(1.0, ex); /* a power of two: the scaling is exact */
    L->sd = sqrt(e->var_sampling) / L->lambda;
    double var = L->sd * L->sd, part = cut_total / CUT_PARTS;
    L->part = part;
    int m = 0;
    for (int j = 0; j < n; j++) {
        tm[m] = tm[j];
        tm[m].c = coef[j] / L->lambda;
        tm[m].var = tm[m].c * tm[m].c * tm[m].ni.var;
        if (tm[m].var == 0.0) continue; /* 2^-1000 of a larger term, or a zero noise */
        tm[m].A = noise_bound(&tm[m].ni, part);
        if (!isfinite(tm[m].A)) return -1;
        var += tm[m].var;
        L->slack += part;
        m++;
    }
    n = m;
    L->sigma = sqrt(var);
    if (n == 0) return 0;

    double h = plan_step(tm, n, L->sd, L->sigma, work);
    L->h = h;
    L->widen = plan_widen(tm, n, h);
    int ord[CW_DP_MAX_TERMS];
    term_order(tm, n, h, ord);

    double *x = NULL, *xf = NULL;
    long kx = 0, total_nnz = 0;
    int rc = 0;
    for (int step = 0; step < n && rc == 0; step++) {
        int j = step == 0 ? ord[n - 1] : ord[step - 1];
        long *kk = NULL;
        double *mm = NULL;
        long nk = build_kernel(&tm[j], h, &kk, &mm);
        if (nk < 0) {
            rc = -1;
        } else if (step == 0) {
            kx = kk[nk - 1];
            x = calloc((size_t)kx + 2, sizeof *x);
            if (!x) rc = -1;
            for (long i = 0; rc == 0 && i < nk; i++) x[kk[i]] += mm[i];
        } else if (kk[nk - 1] == 0) { /* all its kept mass at 0 */
            for (long k = 0; k <= kx; k++) x[k] *= mm[0];
        } else {
            long ky = kx + kk[nk - 1];
            double *xf2 = realloc(xf, (size_t)(2 * kx + 3 * kk[nk - 1] + 1) * sizeof *xf);
            double *y = malloc((size_t)(ky + 2) * sizeof *y);
            if (xf2) xf = xf2;
            if (!xf2 || !y) {
                free(y);
                rc = -1;
            } else {
                convolve(x, kx, kk, mm, nk, xf, y);
                free(x);
                x = y;
                kx = truncate_law(x, ky, part, &L->slack);
            }
        }
        total_nnz += 2 * (nk > 0 ? nk : 0);
        free(kk);
        free(mm);
    }
    free(xf);
    if (rc != 0) {
        free(x);
        return -1;
    }
    L->p = x;
    L->K = kx;
    L->suf = malloc((size_t)(kx + 2) * sizeof *L->suf);
    if (!L->suf) {
        law_free(L);
        return -1;
    }
    L->suf[kx + 1] = 0.0;
    for (long k = kx; k >= 0; k--) L->suf[k] = L->suf[k + 1] + x[k];
    /* all sums are of non-negative terms: relative error <= (terms summed) ulps, plus a few ulps
     * per noise probability (cells of the Euler-Maclaurin Gaussian: absolute, per cell) */
    L->fp_rel = 2.0 * DBL_EPSILON * ((double)total_nnz + 4.0 * (double)kx + 64.0 * n + 200.0);
    if (L->sd > 0.0) { /* Phi_up is taken as 1 or 0 beyond |u| > ucut */
        L->ucut = fmax(PHI_CUT, cw_qnorm(0.25 * part, 0.0, 1.0, 0, 0));
        L->slack += 2.0 * cw_pnorm(L->ucut, 0.0, 1.0, 0, 0);
    }
    return 0;
}

/* ---- evaluation ----------------------------------------------------------------------------- */

/* P(N(0, sd^2) + Y' > x) for x >= 0 (scaled), without allowances, by direct evaluation. With
 * sd = 0, P(Y' > x), or P(Y' >= x) when ge is set. */
static double law_upper(const law_t *L, double x, int ge) {
    const double *p = L->p;
    long K = L->K;
    double h = L->h;
    if (L->sd == 0.0) {
        double kd = ge ? ceil(x / h) : floor(x / h) + 1.0;
        if (ge)
            while (kd > 0.0 && (kd - 1.0) * h >= x) kd -= 1.0;
        if (kd > (double)K) return 0.0;
        return L->suf[kd < 0.0 ? 0 : (long)kd];
    }
    double sd = L->sd, s = 0.0;
    /* k >= 0: u = (x - k h)/sd; Phi_up = 1 above the window, 0 below */
    double ka = ceil((x - L->ucut * sd) / h), kb = floor((x + L->ucut * sd) / h);
    long a = ka < 0.0 ? 0 : (ka > (double)K ? K + 1 : (long)ka);
    long b = kb > (double)K ? K : (long)kb;
    if (b < 0) b = -1;
    s += L->suf[b + 1];
    for (long k = a; k <= b; k++) s += p[k] * cw_pnorm((x - (double)k * h) / sd, 0.0, 1.0, 0, 0);
    /* k = -j < 0: u = (x + j h)/sd >= x/sd */
    double jb = floor((L->ucut * sd - x) / h);
    long nb = jb > (double)K ? K : (jb < 1.0 ? 0 : (long)jb);
    for (long j = 1; j <= nb; j++) s += p[j] * cw_pnorm((x + (double)j * h) / sd, 0.0, 1.0, 0, 0);
    return s;
}

/* Tables of Phi_up(m d) and phi(m d), d = h/sd, for m in [m0, m0 + n), for the Taylor
 * evaluation below. */
typedef struct {
    long m0, n, w; /* w: |m| > w is outside the window (|u| > ucut) */
    double d, *up, *ph;
} phi_table;

/* P(N + Y' > x) from the tables: x = j h + eps sd with |eps| <= d/2, and
 * Phi_up(u + eps) = Phi_up(u) - phi(u) [eps - He1 eps^2/2 + He2 eps^3/6 - He3 eps^4/24
 *                   + He4 eps^5/120] + R,  |R| <= max|He5 phi| eps^6/720 <= 0.0033 eps^6
 * (Taylor in the Hermite form of the derivatives of Phi_up). */
static double law_upper_taylor(const law_t *L, const phi_table *T, double x) {
    double jd = floor(x / L->h + 0.5), ep = (x - jd * L->h) / L->sd;
    long j = (long)jd, K = L->K, w = T->w;
    double e2 = ep * ep, e3 = e2 * ep, e4 = e2 * e2, e5 = e4 * ep;
    /* the bracket as a polynomial in u: a0 + a1 u + a2 u^2 + a3 u^3 + a4 u^4 */
    double a0 = ep - e3 / 6.0 + e5 / 40.0, a1 = -e2 / 2.0 + e4 / 8.0, a2 = e3 / 6.0 - e5 / 20.0;
    double a3 = -e4 / 24.0, a4 = e5 / 120.0;
    long hi = j + w < K ? j + w : K, lo = j - w > -K ? j - w : -K;
    double s = L->suf[hi + 1]; /* k > j + w: Phi_up = 1 (j >= 0, so hi >= 0) */
    for (long k = lo; k <= hi; k++) {
        long m = j - k, i = m - T->m0;
        double u = (double)m * T->d;
        double poly = a0 + u * (a1 + u * (a2 + u * (a3 + u * a4)));
        s += L->p[k < 0 ? -k : k] * (T->up[i] - T->ph[i] * poly);
    }
    return s;
}

static double law_bound(const law_t *L, const phi_table *T, double x) {
    if (!T) return law_upper(L, x, 0) * (1.0 + L->fp_rel) + L->slack;
    double e = 0.5 * T->d, e3 = e * e * e;
    return law_upper_taylor(L, T, x) * (1.0 + L->fp_rel) + L->slack + TAYLOR_REM * e3 * e3;
}

/* The smallest x (to a relative 2e-14) with law_bound(x) <= tail, sd > 0: bracketed between
 * the bounds from Y' in [-K h, K h] (or from the normal guess), then the Illinois method. */
static double law_solve(const law_t *L, double tail, int *rc) {
    double h = L->h, sd = L->sd, kh = (double)L->K * h, mass = 2.0 * L->suf[0] - L->p[0];
    double t1 = (tail - L->slack) / (1.0 + L->fp_rel) * (1.0 - 1e-6);
    double z2 = cw_qnorm(fmin(0.5, tail / mass * (1.0 + 1e-6)), 0.0, 1.0, 0, 0);
    double xlo = fmax(0.0, sd * z2 - kh - h);
    double xhi = kh + sd * cw_qnorm(t1, 0.0, 1.0, 0, 0) + h;
    phi_table T = {0, 0, 0, h / sd, NULL, NULL}, *tp = NULL;
    *rc = 0;
    if (T.d <= TAYLOR_MAX && TAYLOR_REM * pow(0.5 * T.d, 6.0) <= L->part) {
        T.w = (long)ceil(L->ucut / T.d) + 1;
        long jlo = (long)floor(xlo / h) - 2, jhi = (long)ceil(xhi / h) + 2;
        long m0 = jlo - L->K > -T.w ? jlo - L->K : -T.w, m1 = jhi + L->K < T.w ? jhi + L->K : T.w;
        if (m1 >= m0 && (double)(m1 - m0) <= 4.0 * (double)L->K + 64.0) {
            T.m0 = m0;
            T.n = m1 - m0 + 1;
            T.up = malloc((size_t)T.n * sizeof *T.up);
            T.ph = malloc((size_t)T.n * sizeof *T.ph);
            if (!T.up || !T.ph) {
                free(T.up);
                free(T.ph);
                *rc = -1;
                return NAN;
            }
            for (long i = 0; i < T.n; i++) { /* Phi_up(-u) = 1 - Phi_up(u): mirrored below */
                long mm = m0 + i;
                if (mm < 0 && -mm <= m1) continue;
                double u = (double)mm * T.d;
                T.up[i] = cw_pnorm(u, 0.0, 1.0, 0, 0);
                T.ph[i] = INV_SQRT_2PI * exp(-0.5 * u * u);
            }
            for (long i = 0; i < T.n && m0 + i < 0; i++)
                if (-(m0 + i) <= m1) {
                    long im = -(m0 + i) - m0;
                    T.up[i] = 1.0 - T.up[im];
                    T.ph[i] = T.ph[im];
                }
            tp = &T;
        }
    }
    double lo = xlo, hi = xhi, flo = law_bound(L, tp, lo) - tail, fhi = law_bound(L, tp, hi) - tail;
    double x = 0.0;
    if (flo <= 0.0) { /* only when lo = 0 and the answer is 0 */
        x = lo;
    } else {
        while (fhi > 0.0 && !tp && isfinite(hi)) { /* cannot happen but for rounding */
            lo = hi;
            flo = fhi;
            hi = hi * 1.25 + h;
            fhi = law_bound(L, tp, hi) - tail;
        }
        /* Illinois: regula falsi that halves the stale end's value; f(lo) > 0 >= f(hi) */
        int side = 0;
        for (int it = 0; it < 400; it++) {
            double tol = 2e-14 * hi + 1e-300;
            if (hi - lo <= tol) break;
            double xn = (flo * hi - fhi * lo) / (flo - fhi);
            if (!(xn > lo + 0.25 * tol)) xn = lo + 0.25 * tol;
            if (!(xn < hi - 0.25 * tol)) xn = hi - 0.25 * tol;
            if (it % 8 == 7) xn = 0.5 * (lo + hi); /* guaranteed progress */
            double fx = law_bound(L, tp, xn) - tail;
            if (fx > 0.0) {
                lo = xn;
                flo = fx;
                if (side == 1) fhi *= 0.5;
                side = 1;
            } else {
                hi = xn;
                fhi = fx;
                if (side == -1) flo *= 0.5;
                side = -1;
            }
        }
        x = hi;
        if (fhi > 0.0) *rc = -1; /* no bracket: cannot happen */
    }
    free(T.up);
    free(T.ph);
    return x;
}

/* ---- public --------------------------------------------------------------------------------- */

double cw_dp_error_variance(const cw_dp_error *e) {
    if (!e || e->nterms < 0 || e->nterms > CW_DP_MAX_TERMS) return NAN;
    if (!isfinite(e->var_sampling) || e->var_sampling < 0.0) return NAN;
    double v = e->var_sampling;
    for (int j = 0; j < e->nterms; j++) {
        double c = e->term[j].coef;
        noise_info ni;
        if (!isfinite(c)) return NAN;
        if (c == 0.0) continue;
        if (noise_init(&e->term[j].noise, &ni) != 0) return NAN;
        v += c * c * ni.var;
    }
    return v;
}

int cw_dp_error_quantile(const cw_dp_error *e, double tail, double *q, double *widen) {
    return cw_dp_error_quantile_work(e, tail, CW_DP_WORK_DEFAULT, q, widen);
}

int cw_dp_error_two_sided(const cw_dp_error *e, double x, double *p) {
    return cw_dp_error_two_sided_work(e, x, CW_DP_WORK_DEFAULT, p);
}

int cw_dp_error_quantile_work(const cw_dp_error *e, double tail, double work, double *q,
                              double *widen) {
    if (q) *q = NAN;
    if (widen) *widen = NAN;
    if (!q || !(tail > 0.0 && tail < 0.5) || tail < 1e-250) return -1;
    law_t L;
    if (law_build(e, tail >= 1e-8 ? CUT_TOTAL : tail * 1e-4, work, &L) != 0) return -1;
    double x;
    int rc = 0;
    if (L.K < 0) { /* no noise: the normal quantile (or 0) */
        x = L.sd * cw_qnorm(tail, 0.0, 1.0, 0, 0);
    } else if (L.sd > 0.0) {
        x = law_solve(&L, tail, &rc) + L.widen;
    } else { /* lattice: the smallest grid point k h with P(Y' > k h) passing */
        long lo = -1, hi = L.K; /* the predicate holds at K (suf = 0) when slack <= tail */
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (L.suf[mid + 1] * (1.0 + L.fp_rel) + L.slack <= tail) hi = mid;
            else lo = mid;
        }
        if (L.slack > tail) rc = -1;
        x = (double)hi * L.h + L.widen;
    }
    double w = L.widen * L.lambda;
    x *= L.lambda;
    law_free(&L);
    if (rc != 0 || !isfinite(x)) return -1;
    *q = x;
    if (widen) *widen = w;
    return 0;
}

int cw_dp_error_two_sided_work(const cw_dp_error *e, double x, double work, double *p) {
    if (p) *p = NAN;
    if (!p || !(x >= 0.0) || isinf(x)) return -1;
    law_t L;
    if (law_build(e, CUT_TOTAL, work, &L) != 0) return -1;
    double xs = x / L.lambda, r;
    if (L.K < 0) {
        r = L.sd > 0.0 ? 2.0 * cw_pnorm(xs / L.sd, 0.0, 1.0, 0, 0) : (xs > 0.0 ? 0.0 : 1.0);
    } else {
        double xw = xs - L.widen;
        if (xw <= 0.0) r = 1.0;
        else r = 2.0 * law_upper(&L, xw, 1) * (1.0 + L.fp_rel) + L.slack;
    }
    law_free(&L);
    *p = r < 1.0 ? r : 1.0;
    return 0;
}

int cw_dp_noise_bound(const cw_dp_noise *nz, double alpha, uint64_t *a) {
    if (a) *a = 0;
    noise_info ni;
    if (!nz || !a || !(alpha > 0.0) || noise_init(nz, &ni) != 0) return -1;
    double b = noise_bound(&ni, alpha);
    if (!(b < 18446744073709551616.0)) return -1;
    *a = (uint64_t)b;
    return 0;
}
