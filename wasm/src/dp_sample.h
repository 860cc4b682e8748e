/* dp_sample.h — exact integer noise for differential privacy: the samplers of C. Canonne,
 * G. Kamath & T. Steinke, "The Discrete Gaussian for Differential Privacy", NeurIPS 2020
 * (arXiv:2004.00010), as specified in DP-SPEC B4:
 *
 *   uniform_below(m)        rejection from w-bit words: accept u < 2^w - (2^w mod m), return
 *                           u mod m (no modulo bias; OpenDP's sample_uniform_uint_below)
 *   bernoulli(a/d)          [uniform_below(d) < a]
 *   bernoulli_exp(a/d)      Bernoulli(exp(-a/d)), CKS20 Algorithm 1
 *   geometric(t, s)         P(Y = y) = (1 - q) q^y, q = exp(-s/t), y >= 0  (CKS20 Algorithm 2,
 *                           the part before the sign)
 *   laplace(t, s)           discrete Laplace, scale t/s: P(x) = (1-q)/(1+q) q^|x|, CKS20 Alg. 2
 *   gaussian(sigma2)        discrete Gaussian N_Z(0, sigma2), P(x) ∝ exp(-x^2 / (2 sigma2)),
 *                           CKS20 Algorithm 3 with t = isqrt(sigma2) + 1
 *
 * Exactness. Every parameter is a non-negative integer (rationals as numerator/denominator);
 * no floating point is used anywhere in sampling, so the output law is exactly the stated pmf.
 * Products that can pass 2^64 use unsigned __int128 (supported by gcc/clang on 64-bit hosts and
 * by Emscripten's clang on wasm32, with compiler-rt's __multi3/__udivti3); the Gaussian's
 * acceptance exponent (|Y| t - sigma2)^2 / (2 sigma2 t^2) is split exactly into an integer part
 * and a remainder with a 256-bit intermediate, so nothing is ever rounded or rejected for
 * overflow. Two implementation choices, both exact in law:
 *  - Bernoulli(gamma/K) in Algorithm 1 is drawn as Bernoulli(1/K) AND Bernoulli(gamma), which
 *    never forms the product d*K;
 *  - gamma > 1 is split as floor(gamma) draws of Bernoulli(exp(-1)) and one
 *    Bernoulli(exp(-frac(gamma))) for every gamma (CKS20's gamma > 1 branch; for gamma <= 1 the
 *    first loop is empty and this is the gamma <= 1 branch).
 *
 * Loop caps (fail closed, never a wrong sample). Every loop of the algorithms is unbounded in
 * principle; each is capped at CW_DP_LOOP_CAP iterations and returns CW_DP_ERR_ENTROPY when the
 * cap is reached, which a working source does with probability below 2^-1000 per call (uniform
 * rejection <= 1/2 per try; Algorithm 1's K passes k with prob <= 1/(k-1)!; the run of
 * Bernoulli(exp(-1)) successes reaches v with prob e^-v; the U loop of Algorithm 2 rejects with
 * prob <= 1/e; the discrete Laplace rejects with prob <= 1/2; the Gaussian accepts with prob
 * >= 0.54, the minimum being at sigma2 = 1 and the rate near 0.76 for large sigma2, checked
 * numerically in tests/c/test_dp_sample.c). Reaching a cap also marks the source failed. So a
 * stuck source (e.g. all-zero bytes) gives an error instead of a hang, and conditional on
 * CW_DP_OK the law differs from the exact one by at most the probability of such an error
 * (below 2^-1000 times the number of loops a call runs) in total variation.
 *
 * Parameter limits. Laplace and geometric: t, s >= 1 and scale t/s <= 2^CW_DP_SCALE_MAX_LOG2;
 * with the run cap this bounds |output| < 2^62, so no output overflows int64. Gaussian:
 * 1 <= sigma2 <= CW_DP_SIGMA2_MAX = 2^62 (sigma < 2^31), so 2 sigma2 t^2 < 2^126. Larger sigma2
 * (e.g. the squared-sum statistic W at fine resolutions under zCDP) needs a coarser resolution
 * or a bignum version of this file.
 *
 * Timing. The running time grows with |noise| (Jin et al. 2022): a known side channel, out of
 * scope under DP-SPEC B0.
 *
 * Every sampler returns a cw_dp_status and writes its sample through the last pointer; on any
 * error the output is set to 0. A source that has failed before the call makes every sampler
 * fail, even ones that would need no entropy. */
#ifndef CW_DP_SAMPLE_H
#define CW_DP_SAMPLE_H

#include <stdint.h>

#include "dp_random.h"

#define CW_DP_LOOP_CAP 4096
#define CW_DP_SCALE_MAX_LOG2 50
#define CW_DP_SIGMA2_MAX ((uint64_t)1 << 62)

/* Uniform on {0, ..., m-1}, m >= 1 (m = 1 draws nothing). Words of src->word_bits bits; as
 * many words as needed to reach 2^(k w) >= m (one 64-bit word in production, two above 2^64). */
cw_dp_status cw_dp_uniform_below(cw_dp_source *src, uint64_t m, uint64_t *out);
cw_dp_status cw_dp_uniform_below_u128(cw_dp_source *src, cw_dp_u128 m, cw_dp_u128 *out);

/* Bernoulli(a/d), 0 <= a <= d, d >= 1 (a = 0 and a = d draw nothing). *out is 0 or 1. */
cw_dp_status cw_dp_bernoulli(cw_dp_source *src, uint64_t a, uint64_t d, int *out);

/* Bernoulli(exp(-a/d)), a >= 0, d >= 1. */
cw_dp_status cw_dp_bernoulli_exp(cw_dp_source *src, uint64_t a, uint64_t d, int *out);

/* Geometric on {0, 1, ...} with P(y) = (1 - q) q^y, q = exp(-s/t). */
cw_dp_status cw_dp_geometric(cw_dp_source *src, uint64_t t, uint64_t s, uint64_t *out);

/* Discrete Laplace with scale t/s: P(x) = (1 - q)/(1 + q) q^|x|, q = exp(-s/t), x in Z.
 * For a query of integer sensitivity D this is (D s / t)-DP. */
cw_dp_status cw_dp_laplace(cw_dp_source *src, uint64_t t, uint64_t s, int64_t *out);

/* Discrete Gaussian N_Z(0, sigma2), sigma2 an integer. For sensitivity D it is
 * (D^2 / (2 sigma2))-zCDP. */
cw_dp_status cw_dp_gaussian(cw_dp_source *src, uint64_t sigma2, int64_t *out);

/* The Gaussian's acceptance exponent for a proposal y, exactly:
 * (|y| t - sigma2)^2 / (2 sigma2 t^2) = *whole + *num / *den with 0 <= *num < *den,
 * t = isqrt(sigma2) + 1 (exposed for tests). CW_DP_ERR_OVERFLOW if *whole would not fit in
 * 64 bits; for every proposal the sampler can make (|y| < 2^12 t) *whole < 2^25. */
cw_dp_status cw_dp_gaussian_gamma(uint64_t sigma2, int64_t y, uint64_t *whole, cw_dp_u128 *num,
                                  cw_dp_u128 *den);

/* Moments of the discrete Laplace noise, for intervals (post-processing, so double is fine):
 * q = exp(-s/t); variance 2q/(1-q)^2 (<= 2 (t/s)^2); P(|Z| >= a) = 2 q^a / (1 + q) for a >= 1
 * and 1 for a = 0. Relative error a few ulps times (1 + a s/t). NaN when t or s is 0. */
double cw_dp_laplace_variance(uint64_t t, uint64_t s);
double cw_dp_laplace_tail(uint64_t t, uint64_t s, uint64_t a);

#endif
