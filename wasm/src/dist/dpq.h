/* dpq.h — private to wasm/src/dist: the (lower_tail, log_p) bookkeeping of R's nmath dpq.h,
 * written as inline functions, plus the internal special functions that several
 * distribution files share. Nothing here is part of the public API (dist.h is); the
 * internal functions carry the prefix cwd_ and are defined in the file named beside them.
 * Everything is pure: no state, no I/O. */
#ifndef CW_DPQ_H
#define CW_DPQ_H

#include <float.h>
#include <math.h>

#define CWD_LN2 0.693147180559945309417232121458          /* log(2) */
#define CWD_LN_SQRT_2PI 0.918938533204672741780329736406  /* log(sqrt(2 pi)) */
#define CWD_LN_SQRT_PId2 0.225791352644727432363097614947 /* log(sqrt(pi / 2)) */
#define CWD_1_SQRT_2PI 0.398942280401432677939946059934   /* 1 / sqrt(2 pi) */
#define CWD_SQRT_32 5.656854249492380195206754896838      /* sqrt(32) */
#define CWD_PI 3.141592653589793238462643383280
#define CWD_SQRT2 1.414213562373095048801688724210
#define CWD_SQRT_PI 1.772453850905516027298167483341
#define CWD_EULER 0.577215664901532860606512090082 /* Euler's gamma */

/* ---- probabilities on the four scales (R's R_D__0, R_DT_0, R_D_Lval, ...) ---- */

static inline double cwd_d0(int log_p) { return log_p ? -INFINITY : 0.0; }
static inline double cwd_d1(int log_p) { return log_p ? 0.0 : 1.0; }
/* P = 0 and P = 1 on the requested tail and scale. */
static inline double cwd_dt0(int lower, int log_p) { return lower ? cwd_d0(log_p) : cwd_d1(log_p); }
static inline double cwd_dt1(int lower, int log_p) { return lower ? cwd_d1(log_p) : cwd_d0(log_p); }

/* log(1 - exp(x)) for x <= 0, without cancellation on either side of -log 2
 * (Maechler 2012, "Accurately computing log(1 - exp(-|a|))"). */
static inline double cwd_log1mexp(double x) {
    return x > -CWD_LN2 ? log(-expm1(x)) : log1p(-exp(x));
}

/* Lower-tail, non-log value of a probability given on any scale. */
/* A quantile's boundary cases (after R's R_Q_P01_boundaries): p outside [0, 1] is NaN, and the
 * probabilities 0 and 1 (on the log or the plain scale, either tail) map to the support's ends
 * left and right. Returns 1 with *out set when p is such a case. */
static inline int cwd_q_boundaries(double p, int lower, int log_p, double left, double right, double *out) {
    if (log_p) {
        if (p > 0) return *out = NAN, 1;
        if (p == 0) return *out = lower ? right : left, 1;
        if (p == -INFINITY) return *out = lower ? left : right, 1;
    } else {
        if (p < 0 || p > 1) return *out = NAN, 1;
        if (p == 0) return *out = lower ? left : right, 1;
        if (p == 1) return *out = lower ? right : left, 1;
    }
    return 0;
}

static inline double cwd_dt_qiv(double p, int lower, int log_p) {
    return log_p ? (lower ? exp(p) : -expm1(p)) : (lower ? p : 0.5 - p + 0.5);
}
/* Upper-tail, non-log value of a probability given on any scale. */
static inline double cwd_dt_civ(double p, int lower, int log_p) {
    return log_p ? (lower ? -expm1(p) : exp(p)) : (lower ? 0.5 - p + 0.5 : p);
}
/* A lower-tail, non-log value x returned on the requested tail and scale. */
static inline double cwd_dt_val(double x, int lower, int log_p) {
    if (lower) return log_p ? log(x) : x;
    return log_p ? log1p(-x) : 0.5 - x + 0.5;
}

/* ---- lgamma.c ---- */

/* log Gamma(1 + a) for -0.5 <= a <= 1.5, to full relative accuracy (also near a = 0, 1). */
double cwd_lgamma1p(double a);
/* 1/Gamma(1 + a) - 1 for -0.5 <= a <= 1.5, to full relative accuracy. */
double cwd_gam1(double a);
/* The Stirling remainder del(x) = log Gamma(x) - ((x - 1/2) log x - x + log sqrt(2 pi)),
 * for x >= 8. Equal to Loader's stirlerr(x). */
double cwd_stirl_del(double x);
/* Loader's stirlerr(n) = log(n!) - log(sqrt(2 pi n) (n/e)^n) for any n >= 0. */
double cwd_stirlerr(double n);
/* del(a) + del(b) - del(a + b) for a, b >= 8 (BCORR of DiDonato & Morris 1992). */
double cwd_bcorr(double a, double b);
/* log(Gamma(b) / Gamma(a + b)) for b >= 8 (ALGDIV of DiDonato & Morris 1992). */
double cwd_algdiv(double a, double b);
/* log(1 + x) - x, accurate also for small |x| (x > -1). */
double cwd_log1pmx(double x);
/* Digamma psi(x) for x > 0. */
double cwd_psi(double x);
/* Loader's deviance term bd0(x, np) = x log(x/np) + np - x, without cancellation. */
double cwd_bd0(double x, double np);

/* ---- pnorm.c ---- */

/* Both tails of the standard normal at x: *cum = P[X <= x], *ccum = P[X > x]
 * (i_tail 0: only *cum is needed, 1: only *ccum, 2: both), on the log scale if log_p. */
void cwd_pnorm_both(double x, double *cum, double *ccum, int i_tail, int log_p);
/* exp(x^2) erfc(x) for x >= 0 (the scaled complementary error function). */
double cwd_erfcx(double x);
double cwd_dnorm(double x, int give_log);

/* ---- pbeta.c ---- */

/* pbeta for 0 < x < 1 and a, b >= 0 (no argument checks). */
double cwd_pbeta_raw(double x, double a, double b, int lower_tail, int log_p);
/* Both tails I_x(a, b) and 1 - I_x(a, b) (TOMS 708 BRATIO), y = 1 - x given separately. */
void cwd_bratio(double a, double b, double x, double y, double *w, double *w1, int log_p);

/* ---- qbeta.c ---- */

/* qb[0] = qbeta(alpha, p, q, lower_tail, log_p) and qb[1] = 1 - qb[0], each to full relative
 * accuracy (so 1 - qbeta near 1 keeps its digits). */
void cwd_qbeta_both(double alpha, double p, double q, int lower_tail, int log_p, double *qb);

/* ---- pt.c ---- */

double cwd_dt(double x, double n, int give_log);

/* ---- pgamma.c ---- */

/* pgamma with scale 1 for x >= 0, alph > 0 (no argument checks). */
double cwd_pgamma_raw(double x, double alph, int lower_tail, int log_p);
double cwd_dgamma(double x, double shape, double scale, int give_log);
/* Poisson probability lambda^x exp(-lambda) / Gamma(x + 1) for real x (Loader 2000). */
double cwd_dpois_raw(double x, double lambda, int give_log);

#endif
