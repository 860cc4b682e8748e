/* fisher.c — Fisher's exact test for a 2x2 table (Fisher 1935, JRSS 98:39-82; the two-sided
 * p-value as R's fisher.test defines it, by probability ordering: Agresti 2002, Categorical Data
 * Analysis, 2nd ed., sec. 3.5).
 *
 * With the margins fixed — m = n11 + n21, n = n12 + n22, k = n11 + n12 — the count x = n11 is
 * hypergeometric on lo = max(0, k - n) .. hi = min(k, m), f(x) proportional to C(m, x) C(n, k - x).
 * The two-sided p-value is, as in R,
 *     p = sum { f(y) : f(y) <= f(x_obs) (1 + 1e-7) } / sum f(y),
 * the factor 1 + 1e-7 making tables of equal probability count despite rounding.
 *
 * Method. Only ratios of f matter, and consecutive ones are exact rationals of counts:
 *     f(y + 1) / f(y) = (m - y)(k - y) / ((y + 1)(n - k + y + 1)).
 * Starting from f = 1 at the mode, f is carried outward by these four integer factors in
 * double-double arithmetic (Dekker 1971, Numer Math 18:224-242: exact products by splitting,
 * so each step adds a relative error of order 2^-104), with a separate power-of-two exponent so
 * that nothing underflows. Log-gamma differences are not used: at n = 10^6 the log factorials
 * are near 10^7 and their rounding alone (1e-9 absolute) would cost 1e-9 relative accuracy in
 * every f. The walk in each direction stops once the terms (which decrease monotonically past
 * the mode) are below 2^-120 of both the mode's term and the observed one, so the cost is
 * O(min(hi - lo, ~40 sd)) steps and no memory. Only +, -, *, / and the exact ldexp, ilogb and
 * floor are used, so the native and WASM builds agree bit for bit. (No fused multiply-add: the
 * splitting needs each product rounded; C11 mode (-std=c11) keeps gcc from contracting, and
 * WebAssembly has no fma instruction.)
 *
 * Accuracy: each f(y) to about 1e-30 relative; the two sums are compensated (Neumaier), so p has
 * a relative error of a few ulps (checked against 50-digit mpmath: 1e-16 at p = 1.6e-224 and
 * 5.4e-113 for 10^6-row tables). R computes f from dhyper(log = TRUE) (Loader's saddle point) on
 * the log scale, which costs it up to 1.7e-13 relative on those tails; elsewhere the two agree
 * to a few ulps (tests/c/test_counts.c). A 10^8-row table takes ~6 ms natively.
 */
#include "fisher.h"

#include <math.h>

#include "ksum.h"

/* (hi + lo) * 2^e */
typedef struct {
    double hi, lo;
    int e;
} scaled;

/* Dekker's split: a = h + l, each half with at most 26 significant bits. */
static void split(double a, double *h, double *l) {
    double t = 134217729.0 * a; /* 2^27 + 1 */
    *h = t - (t - a);
    *l = a - *h;
}

/* p = fl(a b), *err = a b - p exactly. */
static double two_prod(double a, double b, double *err) {
    double p = a * b, ah, al, bh, bl;
    split(a, &ah, &al);
    split(b, &bh, &bl);
    *err = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    return p;
}

static void mul(scaled *v, double b) {
    double e, p = two_prod(v->hi, b, &e);
    e += v->lo * b;
    double s = p + e;
    v->lo = e - (s - p);
    v->hi = s;
}

static void divide(scaled *v, double b) {
    double q1 = v->hi / b, e, p = two_prod(q1, b, &e);
    double r = ((v->hi - p) - e) + v->lo;
    double q2 = r / b, s = q1 + q2;
    v->lo = q2 - (s - q1);
    v->hi = s;
}

#define RESCALE_BITS 512
static const double two_rescale = 1.3407807929942597e154; /* 2^512 */

static void renormalize(scaled *v) {
    if (v->hi < 1.0 / two_rescale) {
        v->hi *= two_rescale;
        v->lo *= two_rescale;
        v->e -= RESCALE_BITS;
    }
}

/* floor(log2(v)) for v > 0. */
static int mag(const scaled *v) { return v->e + ilogb(v->hi); }

/* The margins and the walk's position. */
typedef struct {
    double m, n, k;
} margins;

/* f(y) -> f(y + 1), y < hi. */
static void step_up(scaled *v, const margins *g, double y) {
    mul(v, g->m - y);
    mul(v, g->k - y);
    divide(v, y + 1.0);
    divide(v, g->n - g->k + y + 1.0);
    renormalize(v);
}

/* f(y) -> f(y - 1), y > lo. */
static void step_down(scaled *v, const margins *g, double y) {
    mul(v, y);
    mul(v, g->n - g->k + y);
    divide(v, g->m - y + 1.0);
    divide(v, g->k - y + 1.0);
    renormalize(v);
}


/* Adds f(y) = v to the total and, when f(y) <= f_obs (1 + 1e-7), to the tail (kept in units of
 * 2^obs->e so that a tiny observed probability keeps its digits). */
static void tally(const scaled *v, const scaled *obs, ksum *total, ksum *tail) {
    ksum_add(total, ldexp(v->hi, v->e)); /* terms below 2^-1074 of the mode's cannot matter */
    int de = v->e - obs->e;
    if (de > 64) return; /* far above the observed term */
    double rel = de < -1100 ? 0.0 : ldexp(v->hi, de);
    if (rel <= obs->hi * (1.0 + 1e-7)) ksum_add(tail, rel);
}

void cw_fisher_2x2(int64_t n11, int64_t n12, int64_t n21, int64_t n22, cw_fisher *out) {
    out->p_value = NAN;
    if (n11 < 0 || n12 < 0 || n21 < 0 || n22 < 0) {
        out->unavailable = "a count is negative";
        return;
    }
    out->unavailable = 0;
    int64_t m = n11 + n21, n = n12 + n22, k = n11 + n12;
    int64_t lo = k - n > 0 ? k - n : 0, hi = k < m ? k : m;
    if (lo == hi) { /* a single table has these margins */
        out->p_value = 1.0;
        return;
    }
    margins g = {(double)m, (double)n, (double)k};
    /* The mode floor((k + 1)(m + 1) / (m + n + 2)); being off by one would only cost a step. */
    double md = floor((g.k + 1.0) * (g.m + 1.0) / (g.m + g.n + 2.0));
    int64_t mode = md < (double)lo ? lo : md > (double)hi ? hi : (int64_t)md;

    /* f(x_obs) relative to f(mode) = 1. Below 2^-1200 the p-value (at most 2^53 such terms
     * over a total >= 1) rounds to 0 in double. */
    scaled obs = {1.0, 0.0, 0};
    for (int64_t y = mode; y < n11 && mag(&obs) > -1200; y++) step_up(&obs, &g, (double)y);
    for (int64_t y = mode; y > n11 && mag(&obs) > -1200; y--) step_down(&obs, &g, (double)y);
    if (mag(&obs) <= -1200) {
        out->p_value = 0.0;
        return;
    }
    /* Terms past the stop are each < 2^stop and number < 2^53: below 2^-67 of both sums. */
    int stop = (mag(&obs) < 0 ? mag(&obs) : 0) - 120;
    ksum total = {0.0, 0.0}, tail = {0.0, 0.0};
    scaled v = {1.0, 0.0, 0};
    tally(&v, &obs, &total, &tail);
    for (int64_t y = mode; y < hi; y++) {
        step_up(&v, &g, (double)y);
        tally(&v, &obs, &total, &tail);
        if (mag(&v) < stop) break; /* below 1: past the peak, so decreasing from here */
    }
    v = (scaled){1.0, 0.0, 0};
    for (int64_t y = mode; y > lo; y--) {
        step_down(&v, &g, (double)y);
        tally(&v, &obs, &total, &tail);
        if (mag(&v) < stop) break;
    }
    double p = ldexp((tail.s + tail.c) / (total.s + total.c), obs.e);
    out->p_value = p > 1.0 ? 1.0 : p;
}
