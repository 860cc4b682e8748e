/* dp_budget.h — privacy accounting for private releases, in exact rationals (DP-SPEC B2, B3):
 * the user's epsilon (and delta) as dyadic rationals rounded toward less privacy loss, the split
 * of a budget across statistics, the noise of each statistic (discrete Laplace for pure DP,
 * discrete Gaussian under zCDP) with every rounding toward more noise, an exact check that the
 * loss used is within what was allotted, and the tight zCDP -> (epsilon, delta) conversion of
 * Canonne, Kamath & Steinke 2020, Corollary 13:
 *     delta(eps) = inf_{alpha > 1} exp((alpha - 1)(alpha rho - eps)) / (alpha - 1)
 *                                  * (1 - 1/alpha)^alpha.
 * Composition: statistics on the same rows add (epsilons, or rhos); arms are disjoint sets of
 * rows, so they compose in parallel and cost as one. */
#ifndef CW_DP_BUDGET_H
#define CW_DP_BUDGET_H

#include <stdint.h>

#define CW_DP_EPS_BITS 20 /* epsilon is used as s / 2^20 (OpenDP-style exact rationals) */
#define CW_DP_RHO_BITS 40 /* rho is used as k / 2^40 */
#define CW_DP_EPS_MAX 64.0 /* larger epsilons are refused (no meaningful privacy, and t/s limits) */
#define CW_DP_MAX_STATS 64 /* statistics one release may split its budget over */

typedef enum { CW_MECH_LAPLACE, CW_MECH_GAUSSIAN } cw_dp_mech;

/* The noise of one released statistic of integer sensitivity `sens` (in resolution units).
 *  Laplace:  discrete Laplace of scale t/s with t = sens * 2^20 and s = its epsilon units, so the
 *            loss is sens * s / t = s / 2^20 exactly (epsilon-DP; also (eps^2/2)-zCDP).
 *  Gaussian: discrete Gaussian with integer sigma2 = ceil(sens^2 * 2^40 / (2 k)), k its rho
 *            units, so the loss sens^2 / (2 sigma2) <= k / 2^40 (zCDP). */
typedef struct {
    cw_dp_mech mech;
    uint64_t sens;   /* sensitivity, >= 1 */
    uint64_t units;  /* the budget allotted: s (epsilon * 2^20) or k (rho * 2^40), >= 1 */
    uint64_t t, s;   /* Laplace scale t/s */
    uint64_t sigma2; /* Gaussian variance parameter */
} cw_dp_noise;

/* Status of the functions below (0 = fine). */
typedef enum {
    CW_BUDGET_OK = 0,
    CW_BUDGET_EPS,      /* epsilon not finite, <= 0, > CW_DP_EPS_MAX, or below 2^-20 */
    CW_BUDGET_DELTA,    /* delta not in (0, 0.5) or smaller than 1e-300 */
    CW_BUDGET_TOO_SMALL,/* a statistic's share rounds to 0 units */
    CW_BUDGET_SCALE,    /* the noise would exceed the samplers' limits (t >= 2^64, scale > 2^50,
                         * or sigma2 > 2^62): a coarser resolution, narrower bounds or a larger
                         * epsilon is needed */
    CW_BUDGET_WEIGHTS   /* weights all zero, or more than CW_DP_MAX_STATS */
} cw_budget_status;

/* One sentence per status. */
const char *cw_budget_strerror(cw_budget_status st);

/* epsilon -> s = floor(eps * 2^20) (so s / 2^20 <= eps; computed exactly from the double). */
cw_budget_status cw_dp_eps_units(double eps, uint64_t *s);

/* The tight conversion above for rho > 0, eps >= 0 (minimised over alpha numerically; the
 * result is accurate to a relative 1e-12 and never below the true infimum by more than that). */
double cw_dp_zcdp_delta(double rho, double eps);
/* The smallest eps with cw_dp_zcdp_delta(rho, eps) <= delta (bisection to relative 1e-13). */
double cw_dp_zcdp_epsilon(double rho, double delta);
/* The largest k with rho = k / 2^40 satisfying cw_dp_zcdp_delta(rho, eps_used) <= delta, where
 * eps_used = floor(eps * 2^20) / 2^20 is what the release will claim; re-checked at the final
 * k with a relative safety margin of 1e-9 on delta. */
cw_budget_status cw_dp_zcdp_rho_units(double eps, double delta, uint64_t *k);

/* parts[j] = floor(total * w[j] / sum(w)) for j < m (exact, 128-bit), so sum(parts) <= total.
 * Returns CW_BUDGET_WEIGHTS when m is not in 1..CW_DP_MAX_STATS or every weight is 0, and
 * CW_BUDGET_TOO_SMALL (parts still written) when a positive weight gets 0 units. */
cw_budget_status cw_dp_split(uint64_t total, const uint32_t *w, int m, uint64_t *parts);

/* Fill *nz for a statistic of sensitivity sens given `units` of budget (epsilon units for
 * CW_MECH_LAPLACE, rho units for CW_MECH_GAUSSIAN). Laplace under zCDP: callers that hold rho
 * units k and want Laplace noise (e.g. when sigma2 would pass 2^62) use
 * cw_dp_laplace_from_rho, which picks s = floor(sqrt(2 k / 2^40) * 2^20) rounded down exactly,
 * so that (s/2^20)^2 / 2 <= k / 2^40. */
cw_budget_status cw_dp_noise_plan(cw_dp_mech mech, uint64_t sens, uint64_t units, cw_dp_noise *nz);
cw_budget_status cw_dp_laplace_from_rho(uint64_t sens, uint64_t rho_units, cw_dp_noise *nz);

/* Exact checks in integer arithmetic (no rounding): for Laplace, sens * s <= units_eps * t / 2^20
 * i.e. the loss sens*s/t <= s/2^20; for Gaussian, sens^2 * 2^40 <= 2 * sigma2 * k. Returns 1
 * when the noise delivers at most the loss it was allotted. `rho_units` gives the zCDP charge of
 * the noise in rho units, rounded up: Laplace (s/2^20)^2/2, Gaussian sens^2/(2 sigma2). */
int cw_dp_noise_check(const cw_dp_noise *nz);
uint64_t cw_dp_noise_rho_units(const cw_dp_noise *nz);

/* Noise moments for intervals (post-processing, doubles): the variance (Laplace 2q/(1-q)^2 with
 * q = exp(-s/t); Gaussian: the exact variance of N_Z(0, sigma2), from its pmf, which is <=
 * sigma2), and the scale as a double (t/s, or sqrt(sigma2)). */
double cw_dp_noise_variance(const cw_dp_noise *nz);
double cw_dp_noise_scale(const cw_dp_noise *nz);

#endif
