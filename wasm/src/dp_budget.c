/* dp_budget.c — privacy accounting in exact integers (DP-SPEC B2, B3; see dp_budget.h).
 *
 * Exactness. Budgets are dyadic rationals: epsilon = s / 2^20, rho = k / 2^40. Every unit count,
 * split, noise parameter and check is integer arithmetic, with unsigned __int128 (and a 256-bit
 * product where three 64-bit factors meet) so nothing wraps; every rounding goes toward more
 * noise / less claimed budget:
 *   eps units     s = floor(eps 2^20), from the double's exact value (ldexp by 2^20 is exact).
 *   split         parts_j = floor(total w_j / sum w) (so sum parts_j <= total).
 *   Laplace       t = sens 2^20, s = units: loss sens s / t = s / 2^20 (OpenDP's discrete
 *                 Laplace map, epsilon = d_in / scale).
 *   Gaussian      sigma2 = ceil(sens^2 2^40 / (2 k)): loss sens^2 / (2 sigma2) <= k / 2^40
 *                 (CKS20, Theorem 14: N_Z(0, sigma2) is (D^2 / (2 sigma2))-zCDP).
 *   Laplace/zCDP  s = isqrt(2 k), the largest s with (s / 2^20)^2 / 2 <= k / 2^40 (pure
 *                 epsilon-DP implies (epsilon^2 / 2)-zCDP, Bun & Steinke 2016, Prop. 1.4).
 *   rho charge    ceil(loss * 2^40), loss as above, by exact integer search.
 *
 * zCDP -> (epsilon, delta): Canonne, Kamath & Steinke 2020, "The Discrete Gaussian for
 * Differential Privacy", Corollary 13. With x = alpha - 1 > 0,
 *     log delta(x) = x ((x + 1) rho - eps) - x log1p(1/x) - log1p(x),
 * whose derivative f(x) = (2x + 1) rho - eps - log1p(1/x) is strictly increasing (f' = 2 rho +
 * 1 / (x (x + 1)) > 0) from -inf (x -> 0) to +inf: log delta is strictly convex in x and its
 * infimum is at the unique root of f. The root is bracketed in [1e-300, max(1, (eps + 1) /
 * (2 rho))] (f > 0 at the right end, shown in bracket_hi) and found by bisection on log x;
 * evaluating log delta at any x gives an upper bound on the infimum, so the value returned is
 * never below the true infimum except by the rounding of one evaluation (each term of log
 * delta is within a small factor of |log delta| at the optimum, so for delta >= 1e-300 the
 * absolute error of log delta, and the relative error of delta, stay below ~1e-13; the tests
 * hold it to 1e-10 against 50-digit mpmath). Working in x rather than alpha keeps the optimum
 * resolvable when it sits at alpha - 1 ~ 1e-9 (large rho, small eps), and log1p keeps both
 * ends accurate. The bisection on x stops when hi / lo - 1 < 1e-13; near the root the
 * objective is flat (quadratic), so that leaves no visible error in delta. */
#include "dp_budget.h"

#include <float.h>
#include <math.h>

#include "dp_sample.h"

__extension__ typedef unsigned __int128 u128;

#define EPS_SCALE ((uint64_t)1 << CW_DP_EPS_BITS)
#define U64_MAX (~(uint64_t)0)

const char *cw_budget_strerror(cw_budget_status st) {
    switch (st) {
    case CW_BUDGET_OK: return "The privacy budget is consistent.";
    case CW_BUDGET_EPS: return "Epsilon must be a finite number above 2^-20 (about 0.00000095) and at most 64.";
    case CW_BUDGET_DELTA: return "Delta must be between 1e-300 and 0.5 (exclusive).";
    case CW_BUDGET_TOO_SMALL:
        return "A statistic's share of the privacy budget rounds to zero: use a larger epsilon or fewer statistics.";
    case CW_BUDGET_SCALE:
        return "The noise needed is outside the samplers' limits: use a coarser resolution, narrower bounds or a "
               "larger epsilon.";
    case CW_BUDGET_WEIGHTS: return "The split weights must number 1 to 64 and not all be zero.";
    }
    return "Unknown privacy-budget status.";
}

cw_budget_status cw_dp_eps_units(double eps, uint64_t *s) {
    *s = 0;
    if (!(eps > 0) || !(eps <= CW_DP_EPS_MAX)) return CW_BUDGET_EPS; /* also NaN */
    /* eps * 2^20 is exact (a power-of-two scaling of a normal double that cannot overflow or
     * become subnormal here), and so is floor of it; the result is below 2^27. */
    double u = floor(ldexp(eps, CW_DP_EPS_BITS));
    if (u < 1) return CW_BUDGET_EPS;
    *s = (uint64_t)u;
    return CW_BUDGET_OK;
}

/* ---- zCDP -> (epsilon, delta) ------------------------------------------------------------ */

static double log_delta_at(double rho, double eps, double x) {
    return x * ((x + 1) * rho - eps) - x * log1p(1 / x) - log1p(x);
}

static double dlog_delta(double rho, double eps, double x) { return (2 * x + 1) * rho - eps - log1p(1 / x); }

/* At x = max(1, (eps + 1) / (2 rho)) the derivative is positive: if that is 1 then 2 rho >=
 * eps + 1 and f(1) = 3 rho - eps - log 2 >= (eps + 3) / 2 - log 2 > 0; otherwise x >= 1 and
 * f(x) = 1 + rho - log1p(1/x) >= 1 - log 2 > 0. */
static double bracket_hi(double rho, double eps) {
    double x = (eps + 1) / (2 * rho);
    return x > 1 ? x : 1;
}

double cw_dp_zcdp_delta(double rho, double eps) {
    if (isnan(rho) || isnan(eps) || rho < 0 || eps < 0) return NAN;
    if (rho == 0 || isinf(eps)) return 0;
    if (isinf(rho)) return 1;
    double lo = 1e-300, hi = bracket_hi(rho, eps);
    if (isinf(hi)) hi = DBL_MAX; /* rho below ~1e-308: delta underflows anyway */
    if (dlog_delta(rho, eps, lo) >= 0) {
        /* The optimum is at x < 1e-300, where log delta is within ~1e-297 of 0: delta is 1 to
         * double precision (the value at lo is still an upper bound on the infimum). */
        double v = exp(log_delta_at(rho, eps, lo));
        return v < 1 ? v : 1;
    }
    for (int it = 0; it < 200 && hi / lo - 1 > 1e-13; it++) {
        double mid = sqrt(lo) * sqrt(hi); /* geometric midpoint; the product could overflow */
        if (!(mid > lo && mid < hi)) break;
        if (dlog_delta(rho, eps, mid) < 0) lo = mid;
        else hi = mid;
    }
    double a = log_delta_at(rho, eps, lo), b = log_delta_at(rho, eps, hi);
    double v = exp(a < b ? a : b);
    return v < 1 ? v : 1;
}

double cw_dp_zcdp_epsilon(double rho, double delta) {
    if (isnan(rho) || isnan(delta) || rho < 0 || !(delta > 0) || delta > 1) return NAN;
    if (rho == 0 || delta == 1) return 0;
    if (isinf(rho)) return INFINITY;
    if (cw_dp_zcdp_delta(rho, 0) <= delta) return 0;
    /* delta(eps) is strictly decreasing in eps: double an upper end (Bun & Steinke's
     * eps = rho + 2 sqrt(rho log(1/delta)) is already one, CKS20 being tighter), then bisect. */
    double lo = 0, hi = rho + 2 * sqrt(rho * -log(delta));
    if (!(hi > 0)) hi = 1;
    for (int it = 0; it < 2000 && cw_dp_zcdp_delta(rho, hi) > delta; it++) lo = hi, hi *= 2;
    for (int it = 0; it < 200 && hi - lo > 1e-13 * hi; it++) {
        double mid = lo + (hi - lo) / 2;
        if (!(mid > lo && mid < hi)) break;
        if (cw_dp_zcdp_delta(rho, mid) <= delta) hi = mid;
        else lo = mid;
    }
    return hi;
}

cw_budget_status cw_dp_zcdp_rho_units(double eps, double delta, uint64_t *k) {
    *k = 0;
    uint64_t s;
    cw_budget_status st = cw_dp_eps_units(eps, &s);
    if (st != CW_BUDGET_OK) return st;
    if (!(delta >= 1e-300) || !(delta < 0.5)) return CW_BUDGET_DELTA;
    double eps_used = ldexp((double)s, -CW_DP_EPS_BITS), target = delta * (1 - 1e-9);
#define FEASIBLE(kk) (cw_dp_zcdp_delta(ldexp((double)(kk), -CW_DP_RHO_BITS), eps_used) <= target)
    if (!FEASIBLE(1)) return CW_BUDGET_TOO_SMALL;
    /* lo feasible, hi not: delta(rho) -> 1 > target as rho grows, and eps <= 64 keeps rho below
     * ~64 = 2^46 units, so doubling ends long before 2^62. */
    uint64_t lo = 1, hi = 2;
    while (FEASIBLE(hi)) {
        if (hi >= ((uint64_t)1 << 62)) return CW_BUDGET_EPS;
        lo = hi;
        hi *= 2;
    }
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (FEASIBLE(mid)) lo = mid;
        else hi = mid;
    }
#undef FEASIBLE
    *k = lo;
    return CW_BUDGET_OK;
}

/* ---- splits and plans -------------------------------------------------------------------- */

cw_budget_status cw_dp_split(uint64_t total, const uint32_t *w, int m, uint64_t *parts) {
    if (m < 1 || m > CW_DP_MAX_STATS) return CW_BUDGET_WEIGHTS;
    uint64_t sum = 0; /* at most 64 * (2^32 - 1) */
    for (int j = 0; j < m; j++) sum += w[j];
    for (int j = 0; j < m; j++) parts[j] = 0;
    if (sum == 0) return CW_BUDGET_WEIGHTS;
    cw_budget_status st = CW_BUDGET_OK;
    for (int j = 0; j < m; j++) {
        parts[j] = (uint64_t)((u128)total * w[j] / sum);
        if (w[j] > 0 && parts[j] == 0) st = CW_BUDGET_TOO_SMALL;
    }
    return st;
}

/* floor(sqrt(v)) for v < 2^128, exactly: a double estimate, then corrected by whole steps. */
static uint64_t isqrt128(u128 v) {
    double e = sqrt((double)v);
    uint64_t r = e >= 18446744073709551615.0 ? U64_MAX : (uint64_t)e;
    while (r > 0 && (u128)r * r > v) r--;
    while (r < U64_MAX && (u128)(r + 1) * (r + 1) <= v) r++;
    return r;
}

static cw_budget_status laplace_plan(uint64_t sens, uint64_t s, uint64_t units, cw_dp_noise *nz) {
    if (sens == 0 || sens >= ((uint64_t)1 << (64 - CW_DP_EPS_BITS))) return CW_BUDGET_SCALE; /* t in [1, 2^64) */
    uint64_t t = sens << CW_DP_EPS_BITS;
    if ((u128)t > ((u128)s << CW_DP_SCALE_MAX_LOG2)) return CW_BUDGET_SCALE; /* t/s <= 2^50 */
    nz->mech = CW_MECH_LAPLACE;
    nz->sens = sens;
    nz->units = units;
    nz->t = t;
    nz->s = s;
    return CW_BUDGET_OK;
}

cw_budget_status cw_dp_noise_plan(cw_dp_mech mech, uint64_t sens, uint64_t units, cw_dp_noise *nz) {
    *nz = (cw_dp_noise){mech, sens, units, 0, 0, 0};
    if (units == 0) return CW_BUDGET_TOO_SMALL;
    if (mech == CW_MECH_LAPLACE) return laplace_plan(sens, units, units, nz);
    if (mech != CW_MECH_GAUSSIAN) return CW_BUDGET_SCALE;
    /* sigma2 = ceil(sens^2 2^40 / (2k)). sens >= 2^44 would give sigma2 >= 2^127 / 2^64 > 2^62;
     * below that sens^2 2^40 < 2^128. sens = 0 gives sigma2 = 0, outside the sampler's domain. */
    if (sens == 0 || sens >= ((uint64_t)1 << 44)) return CW_BUDGET_SCALE;
    u128 num = ((u128)sens * sens) << CW_DP_RHO_BITS, den = (u128)units * 2;
    u128 q = num / den + (num % den != 0);
    if (q < 1 || q > CW_DP_SIGMA2_MAX) return CW_BUDGET_SCALE;
    nz->sigma2 = (uint64_t)q;
    return CW_BUDGET_OK;
}

cw_budget_status cw_dp_laplace_from_rho(uint64_t sens, uint64_t rho_units, cw_dp_noise *nz) {
    *nz = (cw_dp_noise){CW_MECH_LAPLACE, sens, 0, 0, 0, 0};
    /* (s / 2^20)^2 / 2 <= k / 2^40  <=>  s^2 <= 2k */
    uint64_t s = isqrt128((u128)rho_units * 2);
    if (s == 0) return CW_BUDGET_TOO_SMALL;
    nz->units = s;
    return laplace_plan(sens, s, s, nz);
}

/* ---- exact checks ------------------------------------------------------------------------ */

/* 256-bit unsigned integers as four 64-bit limbs, least significant first: just enough for the
 * products of up to four 64-bit factors that the checks compare. */
typedef struct {
    uint64_t w[4];
} u256;

static u256 mul128(u128 a, u128 b) {
    uint64_t x[2] = {(uint64_t)a, (uint64_t)(a >> 64)}, y[2] = {(uint64_t)b, (uint64_t)(b >> 64)};
    u256 r = {{0, 0, 0, 0}};
    for (int i = 0; i < 2; i++) {
        u128 carry = 0;
        for (int j = 0; j < 2; j++) {
            u128 p = (u128)x[i] * y[j] + r.w[i + j] + carry;
            r.w[i + j] = (uint64_t)p;
            carry = p >> 64;
        }
        r.w[i + 2] = (uint64_t)carry;
    }
    return r;
}

/* a << k for 0 <= k < 64; 0 on overflow is impossible for the callers (checked bounds). */
static u256 shl256(u256 a, int k) {
    u256 r = a;
    if (k == 0) return r;
    for (int i = 3; i > 0; i--) r.w[i] = (a.w[i] << k) | (a.w[i - 1] >> (64 - k));
    r.w[0] = a.w[0] << k;
    return r;
}

static int cmp256(u256 a, u256 b) {
    for (int i = 3; i >= 0; i--)
        if (a.w[i] != b.w[i]) return a.w[i] < b.w[i] ? -1 : 1;
    return 0;
}

/* The smallest r >= 0 with r * den >= num (den >= 1), or UINT64_MAX when that exceeds it. */
static uint64_t ceil_div_sat(u256 num, u128 den) {
    if (cmp256(mul128(U64_MAX, den), num) < 0) return U64_MAX;
    uint64_t lo = 0, hi = U64_MAX; /* hi * den >= num; answer in [lo, hi] */
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (cmp256(mul128(mid, den), num) >= 0) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

int cw_dp_noise_check(const cw_dp_noise *nz) {
    if (nz->sens == 0 || nz->units == 0) return 0;
    if (nz->mech == CW_MECH_LAPLACE) {
        if (nz->t == 0 || nz->s == 0 || (u128)nz->t > ((u128)nz->s << CW_DP_SCALE_MAX_LOG2)) return 0;
        /* sens s / t <= units / 2^20  <=>  sens s 2^20 <= units t  <=>  sens s <= floor(units t / 2^20) */
        u128 lhs = (u128)nz->sens * nz->s, rhs = ((u128)nz->units * nz->t) >> CW_DP_EPS_BITS;
        return lhs <= rhs;
    }
    if (nz->mech == CW_MECH_GAUSSIAN) {
        if (nz->sigma2 == 0 || nz->sigma2 > CW_DP_SIGMA2_MAX) return 0;
        /* sens^2 / (2 sigma2) <= k / 2^40  <=>  sens^2 2^39 <= sigma2 k  <=>  sens^2 <= floor(sigma2 k / 2^39) */
        u128 lhs = (u128)nz->sens * nz->sens, rhs = ((u128)nz->sigma2 * nz->units) >> (CW_DP_RHO_BITS - 1);
        return lhs <= rhs;
    }
    return 0;
}

uint64_t cw_dp_noise_rho_units(const cw_dp_noise *nz) {
    if (nz->mech == CW_MECH_LAPLACE) {
        if (nz->t == 0) return U64_MAX;
        /* rho = (sens s / t)^2 / 2, in units: ceil((sens s)^2 2^39 / t^2). Beyond (sens s) >=
         * 2^108 the charge is >= 2^87 units (t < 2^64): saturate. */
        u128 a = (u128)nz->sens * nz->s;
        if (a >> 108) return U64_MAX;
        return ceil_div_sat(shl256(mul128(a, a), CW_DP_RHO_BITS - 1), (u128)nz->t * nz->t);
    }
    if (nz->mech == CW_MECH_GAUSSIAN) {
        if (nz->sigma2 == 0) return U64_MAX;
        /* rho = sens^2 / (2 sigma2), in units: ceil(sens^2 2^39 / sigma2) */
        return ceil_div_sat(shl256(mul128(nz->sens, nz->sens), CW_DP_RHO_BITS - 1), nz->sigma2);
    }
    return U64_MAX;
}

/* ---- noise moments ----------------------------------------------------------------------- */

/* Variance of N_Z(0, sigma2) from its pmf p(x) ∝ exp(-x^2 / (2 sigma2)). By Poisson summation
 * (CKS20, section 2.2), Var = sigma2 (1 - 8 pi^2 sigma2 S / (1 + 2 T)) with S = sum_{k >= 1}
 * k^2 exp(-2 pi^2 sigma2 k^2) and T = sum_{k >= 1} exp(-2 pi^2 sigma2 k^2): the relative
 * deficit is about 8 pi^2 sigma2 exp(-2 pi^2 sigma2), below 1e-850 for sigma2 >= 100, so there
 * sigma2 is the variance to every digit a double holds. Below 100 the pmf is summed outward
 * over |x| = 1, 2, ... until the terms underflow (|x| <= ~38.6 sigma < 400), added smallest
 * first; all terms are positive, so the relative error is a few ulps. */
static double gaussian_variance(uint64_t sigma2) {
    if (sigma2 >= 100) return (double)sigma2;
    double s2 = (double)sigma2, p[400];
    int n = 0;
    while (n < 400 && (p[n] = exp(-(double)(n + 1) * (n + 1) / (2 * s2))) > 0) n++;
    double num = 0, den = 0;
    for (int x = n; x >= 1; x--) { /* smallest terms first */
        num += 2 * (double)x * x * p[x - 1];
        den += 2 * p[x - 1];
    }
    double v = num / (den + 1);
    return v < s2 ? v : s2; /* Var <= sigma2 exactly (above); only rounding could pass it */
}

double cw_dp_noise_variance(const cw_dp_noise *nz) {
    if (nz->mech == CW_MECH_LAPLACE) return cw_dp_laplace_variance(nz->t, nz->s);
    if (nz->mech == CW_MECH_GAUSSIAN) return nz->sigma2 ? gaussian_variance(nz->sigma2) : NAN;
    return NAN;
}

double cw_dp_noise_scale(const cw_dp_noise *nz) {
    if (nz->mech == CW_MECH_LAPLACE) return nz->s ? (double)nz->t / (double)nz->s : NAN;
    if (nz->mech == CW_MECH_GAUSSIAN) return nz->sigma2 ? sqrt((double)nz->sigma2) : NAN;
    return NAN;
}
