/* dp_interval.h — confidence intervals that cover both the sampling error and the privacy
 * noise (DP-SPEC B5). A derived estimate (an arm's rate or mean, a difference, a relative lift)
 * is linearised by the delta method; its error is then modelled as
 *     E = N(0, var_sampling) + sum_j coef_j * Z_j,
 * where the Z_j are the independent, exactly known integer noises added to the released
 * statistics (discrete Laplace or discrete Gaussian, dp_budget.h) and coef_j the derivatives.
 * E is symmetric about 0. Everything here is post-processing of released values and public
 * parameters, so it costs no privacy budget; doubles are fine.
 *
 * The convolution quantile is computed, not simulated: each coef_j * Z_j is put on a common grid
 * of step h by rounding to the nearest grid point (so the total rounding error is at most
 * nterms * h / 2 in absolute value, which is added to the quantile: the interval can only get
 * wider), the lattice laws are convolved, the tails beyond 1e-13 mass are cut and their mass
 * added to the tail probability (wider again), and P(E > x) = sum_k P(grid = k) * Phi_upper((x -
 * k h)/sd) is solved for x by bisection. h is chosen so that the grid has at most a few thousand
 * points per term; the widening is reported. */
#ifndef CW_DP_INTERVAL_H
#define CW_DP_INTERVAL_H

#include "dp_budget.h"

#define CW_DP_MAX_TERMS 8

typedef struct {
    double coef;       /* derivative of the estimate with respect to the released statistic */
    cw_dp_noise noise; /* the statistic's noise */
} cw_dp_term;

typedef struct {
    double var_sampling; /* delta-method sampling variance (>= 0) */
    int nterms;
    cw_dp_term term[CW_DP_MAX_TERMS];
} cw_dp_error;

/* var_sampling + sum coef_j^2 Var(Z_j): the variance of E (for the Wald interval). */
double cw_dp_error_variance(const cw_dp_error *e);

/* The smallest q (up to the documented widening) with P(E > q) <= tail, 0 < tail < 0.5: the
 * interval estimate +- q has coverage >= 1 - 2 tail under the model. Returns 0, or -1 when the
 * inputs are not finite or out of range (then *q is NaN). *widen (may be NULL) gets the
 * discretisation allowance included in q. */
int cw_dp_error_quantile(const cw_dp_error *e, double tail, double *q, double *widen);

/* P(|E| >= x) for x >= 0 under the model, computed on the same grid, conservatively (the
 * discretisation allowance is subtracted from x). For two-sided p-values of H0: effect = 0. */
int cw_dp_error_two_sided(const cw_dp_error *e, double x, double *p);

/* The same two with an explicit work budget, in multiply-adds (the two above use
 * CW_DP_WORK_DEFAULT: at most ~15 ms natively or in WebAssembly (Node 20), e.g. 8 large terms). A
 * smaller budget gives a coarser grid and so a larger *widen (still never narrower than the
 * exact quantile): for many intervals at once (coverage simulations) and for tests under
 * sanitizers. Returns -1 also when work is not finite and positive. */
#define CW_DP_WORK_DEFAULT 4.5e7
int cw_dp_error_quantile_work(const cw_dp_error *e, double tail, double work, double *q,
                              double *widen);
int cw_dp_error_two_sided_work(const cw_dp_error *e, double x, double work, double *p);

/* The smallest integer a >= 0 with P(|Z| >= a + 1) <= alpha for a single noise Z, i.e. Z lies
 * in [-a, a] with probability >= 1 - alpha (exact for Laplace from its tail formula; for the
 * Gaussian from its pmf summed outward, conservatively). For the conservative (union-bound)
 * intervals. */
int cw_dp_noise_bound(const cw_dp_noise *nz, double alpha, uint64_t *a);

#endif
