/* dp_sample.c — exact integer noise samplers after Canonne, Kamath & Steinke 2020 (CKS20,
 * arXiv:2004.00010, Algorithms 1-3), DP-SPEC B4; contracts and limits in dp_sample.h. Only
 * integer arithmetic is used to sample; double appears only in the post-processing moments at
 * the end of the file. */
#include "dp_sample.h"

#include <math.h>

typedef cw_dp_u128 u128;

/* ---- small integer helpers ------------------------------------------------------------------ */
static unsigned bitlen128(u128 x) {
    uint64_t hi = (uint64_t)(x >> 64), lo = (uint64_t)x;
    if (hi) return 128u - (unsigned)__builtin_clzll(hi);
    if (lo) return 64u - (unsigned)__builtin_clzll(lo);
    return 0;
}

static int word_bits_ok(unsigned w) {
    return w == 1 || w == 2 || w == 4 || w == 8 || w == 16 || w == 32 || w == 64 || w == 128;
}

/* floor(sqrt(n)), digit by digit (no floating point). */
static uint64_t isqrt64(uint64_t n) {
    uint64_t r = 0, bit = (uint64_t)1 << 62;
    while (bit > n) bit >>= 2;
    while (bit) {
        if (n >= r + bit) {
            n -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

/* a * b as a 256-bit value (hi, lo), schoolbook on 64-bit halves. */
static void mul128x128(u128 a, u128 b, u128 *hi, u128 *lo) {
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64), b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
    u128 p00 = (u128)a0 * b0, p01 = (u128)a0 * b1, p10 = (u128)a1 * b0, p11 = (u128)a1 * b1;
    u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10; /* < 3 * 2^64 */
    *lo = (u128)(uint64_t)p00 | ((u128)(uint64_t)mid << 64);
    *hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
}

/* (hi 2^128 + lo) = q den + r with r < den, den >= 1; returns 0, or -1 when q >= 2^64.
 * Restoring long division over the 128 low bits, starting from the remainder of hi. */
static int divmod256(u128 hi, u128 lo, u128 den, uint64_t *q, u128 *r) {
    if (hi >= den) return -1; /* q >= 2^128 */
    u128 rem = hi, quo = 0;
    for (int i = 127; i >= 0; i--) {
        unsigned carry = (unsigned)(rem >> 127); /* rem << 1 would need 129 bits */
        rem = (rem << 1) | ((lo >> i) & 1u);
        quo <<= 1;
        if (carry || rem >= den) { /* with a carry the true value is >= 2^128 > den */
            rem -= den;
            quo |= 1u;
        }
    }
    if (quo >> 64) return -1;
    *q = (uint64_t)quo;
    *r = rem;
    return 0;
}

/* ---- primitives (no sticky-flag check: the public entry points do that) ---------------------- */

/* A loop cap was reached: a working source does this with probability < 2^-1000, so the source
 * is treated as broken from now on. */
static cw_dp_status stuck(cw_dp_source *src) {
    src->failed = 1;
    return CW_DP_ERR_ENTROPY;
}

/* One w-bit word: one byte's low w bits for w < 8, else w/8 bytes big-endian. */
static cw_dp_status draw_word(cw_dp_source *src, unsigned w, u128 *x) {
    uint8_t b[16];
    size_t n = w < 8 ? 1 : w / 8;
    cw_dp_status st = cw_dp_read(src, b, n);
    if (st != CW_DP_OK) return st;
    if (w < 8) {
        *x = b[0] & ((1u << w) - 1u);
    } else {
        u128 v = 0;
        for (size_t i = 0; i < n; i++) v = (v << 8) | b[i];
        *x = v;
    }
    return CW_DP_OK;
}

/* DP-SPEC B4.1 with M = 2^(k w), the fewest whole words with M >= m. `below` > 0 says the
 * caller only compares the result with it (for the test hook only). */
static cw_dp_status uniform_below(cw_dp_source *src, u128 m, u128 below, u128 *out) {
    unsigned w = src->word_bits ? src->word_bits : 64;
    if (m == 0 || !word_bits_ok(w)) return CW_DP_ERR_PARAM;
    if (m == 1) {
        *out = 0;
        return CW_DP_OK;
    }
#ifdef DP_TEST_RNG
    if (src->draw_below) { /* enumerating tests: the outcome comes from the test */
        if (src->draw_below(src, m, below, out) != 0) {
            src->failed = 1;
            return CW_DP_ERR_ENTROPY;
        }
        return *out < m ? CW_DP_OK : stuck(src);
    }
#else
    (void)below;
    if (src->draw_below) return CW_DP_ERR_PARAM; /* a test hook has no place in a release */
#endif
    unsigned k = (bitlen128(m - 1) + w - 1) / w, total = k * w; /* total <= 128 */
    u128 rem, limit; /* M mod m, and M - rem (mod 2^128) */
    int small = total <= 64 && m <= UINT64_MAX; /* m = 2^64 has total = 64 too */
    if (small) { /* 64-bit arithmetic: the common case, and 128-bit % is slow on wasm32 */
        uint64_t m64 = (uint64_t)m, r64 = total == 64 ? (0 - m64) % m64 : ((uint64_t)1 << total) % m64;
        rem = r64;
        limit = ((u128)1 << total) - r64;
    } else {
        rem = total == 128 ? (0 - m) % m : ((u128)1 << total) % m;
        limit = (total == 128 ? (u128)0 : (u128)1 << total) - rem;
    }
    for (int tries = 0; tries < CW_DP_LOOP_CAP; tries++) {
        u128 u = 0;
        for (unsigned i = 0; i < k; i++) {
            u128 x;
            cw_dp_status st = draw_word(src, w, &x);
            if (st != CW_DP_OK) return st;
            u = i == 0 ? x : (u << w) | x;
        }
        if (rem == 0 || u < limit) {
            *out = small ? (u128)((uint64_t)u % (uint64_t)m) : u % m;
            return CW_DP_OK;
        }
    }
    return stuck(src);
}

/* Bernoulli(a/d), 0 <= a <= d. */
static cw_dp_status bernoulli(cw_dp_source *src, u128 a, u128 d, int *out) {
    if (d == 0 || a > d) return CW_DP_ERR_PARAM;
    if (a == 0 || a == d) {
        *out = a != 0;
        return CW_DP_OK;
    }
    u128 u;
    cw_dp_status st = uniform_below(src, d, a, &u);
    if (st == CW_DP_OK) *out = u < a;
    return st;
}

/* Bernoulli(exp(-num/den)) for 0 <= num <= den: CKS20 Algorithm 1, gamma <= 1. K counts how
 * many Bernoulli(gamma/K) came up 1 in a row, plus one; the answer is whether K is odd
 * (P = sum_k (-gamma)^k / k! = exp(-gamma)). Bernoulli(gamma/K) = Bernoulli(1/K) AND
 * Bernoulli(gamma), independent, so d*K is never formed. */
static cw_dp_status bern_exp_le1(cw_dp_source *src, u128 num, u128 den, int *out) {
    if (num == 0) {
        *out = 1;
        return CW_DP_OK;
    }
    uint64_t K = 1;
    for (;;) {
        int c;
        cw_dp_status st;
        if (K > 1) {
            if ((st = bernoulli(src, 1, K, &c)) != CW_DP_OK) return st;
            if (!c) break;
        }
        if ((st = bernoulli(src, num, den, &c)) != CW_DP_OK) return st;
        if (!c) break;
        if (++K > CW_DP_LOOP_CAP) return stuck(src);
    }
    *out = (int)(K & 1u);
    return CW_DP_OK;
}

/* Bernoulli(exp(-(whole + num/den))), num < den (num <= den also fine): CKS20 Algorithm 1,
 * gamma > 1 — whole draws of Bernoulli(exp(-1)), stopping at the first 0, then the fraction. */
static cw_dp_status bern_exp(cw_dp_source *src, uint64_t whole, u128 num, u128 den, int *out) {
    for (uint64_t i = 0; i < whole; i++) {
        int c;
        cw_dp_status st = bern_exp_le1(src, 1, 1, &c);
        if (st != CW_DP_OK) return st;
        if (!c) {
            *out = 0;
            return CW_DP_OK;
        }
    }
    return bern_exp_le1(src, num, den, out);
}

static int scale_ok(uint64_t t, uint64_t s) {
    return t >= 1 && s >= 1 && (u128)t <= ((u128)s << CW_DP_SCALE_MAX_LOG2);
}

/* CKS20 Algorithm 2 without the sign: X = U + t V is geometric with ratio exp(-1/t) (U uniform
 * below t, kept with probability exp(-U/t); V a run of Bernoulli(exp(-1)) successes), and
 * floor(X/s) is geometric with ratio exp(-s/t). Under scale_ok and the run cap the result is
 * < 2^CW_DP_SCALE_MAX_LOG2 * CW_DP_LOOP_CAP = 2^62. */
static cw_dp_status geometric(cw_dp_source *src, uint64_t t, uint64_t s, uint64_t *out) {
    u128 U = 0;
    int kept = 0;
    cw_dp_status st;
    for (int tries = 0; !kept; tries++) {
        if (tries == CW_DP_LOOP_CAP) return stuck(src);
        if ((st = uniform_below(src, t, 0, &U)) != CW_DP_OK) return st;
        if ((st = bern_exp_le1(src, U, t, &kept)) != CW_DP_OK) return st;
    }
    uint64_t V = 0;
    for (;;) {
        int c;
        if ((st = bern_exp_le1(src, 1, 1, &c)) != CW_DP_OK) return st;
        if (!c) break;
        if (++V == CW_DP_LOOP_CAP) return stuck(src);
    }
    u128 y = ((u128)V * t + U) / s;
    if (y > INT64_MAX) return CW_DP_ERR_OVERFLOW; /* unreachable under scale_ok */
    *out = (uint64_t)y;
    return CW_DP_OK;
}

/* DP-SPEC B4.5: a fair sign, and a "negative zero" is rejected so 0 is not counted twice. */
static cw_dp_status laplace(cw_dp_source *src, uint64_t t, uint64_t s, int64_t *out) {
    for (int tries = 0; tries < CW_DP_LOOP_CAP; tries++) {
        uint64_t y;
        int positive;
        cw_dp_status st = geometric(src, t, s, &y);
        if (st == CW_DP_OK) st = bernoulli(src, 1, 2, &positive);
        if (st != CW_DP_OK) return st;
        if (positive || y != 0) {
            *out = positive ? (int64_t)y : -(int64_t)y;
            return CW_DP_OK;
        }
    }
    return stuck(src);
}

static cw_dp_status gaussian_gamma(uint64_t sigma2, uint64_t t, uint64_t absy, uint64_t *whole, u128 *num, u128 *den) {
    u128 yt = (u128)absy * t; /* < 2^63 * 2^32 */
    u128 x = yt >= sigma2 ? yt - sigma2 : sigma2 - yt, hi, lo;
    *den = 2 * (u128)sigma2 * ((u128)t * t); /* < 2^126 for sigma2 <= 2^62 */
    mul128x128(x, x, &hi, &lo);
    return divmod256(hi, lo, *den, whole, num) == 0 ? CW_DP_OK : CW_DP_ERR_OVERFLOW;
}

/* ---- public entry points ------------------------------------------------------------------ */
#define CW_DP_ENTER(src, out)                                                                  \
    do {                                                                                       \
        *(out) = 0;                                                                            \
        if ((src)->failed) return CW_DP_ERR_ENTROPY;                                           \
    } while (0)

cw_dp_status cw_dp_uniform_below_u128(cw_dp_source *src, u128 m, u128 *out) {
    CW_DP_ENTER(src, out);
    u128 u = 0;
    cw_dp_status st = uniform_below(src, m, 0, &u);
    if (st == CW_DP_OK) *out = u;
    return st;
}

cw_dp_status cw_dp_uniform_below(cw_dp_source *src, uint64_t m, uint64_t *out) {
    CW_DP_ENTER(src, out);
    u128 u = 0;
    cw_dp_status st = uniform_below(src, m, 0, &u);
    if (st == CW_DP_OK) *out = (uint64_t)u;
    return st;
}

cw_dp_status cw_dp_bernoulli(cw_dp_source *src, uint64_t a, uint64_t d, int *out) {
    CW_DP_ENTER(src, out);
    int b = 0;
    cw_dp_status st = bernoulli(src, a, d, &b);
    if (st == CW_DP_OK) *out = b;
    return st;
}

cw_dp_status cw_dp_bernoulli_exp(cw_dp_source *src, uint64_t a, uint64_t d, int *out) {
    CW_DP_ENTER(src, out);
    if (d == 0) return CW_DP_ERR_PARAM;
    int b = 0;
    cw_dp_status st = bern_exp(src, a / d, a % d, d, &b);
    if (st == CW_DP_OK) *out = b;
    return st;
}

cw_dp_status cw_dp_geometric(cw_dp_source *src, uint64_t t, uint64_t s, uint64_t *out) {
    CW_DP_ENTER(src, out);
    if (!scale_ok(t, s)) return CW_DP_ERR_PARAM;
    uint64_t y = 0;
    cw_dp_status st = geometric(src, t, s, &y);
    if (st == CW_DP_OK) *out = y;
    return st;
}

cw_dp_status cw_dp_laplace(cw_dp_source *src, uint64_t t, uint64_t s, int64_t *out) {
    CW_DP_ENTER(src, out);
    if (!scale_ok(t, s)) return CW_DP_ERR_PARAM;
    int64_t y = 0;
    cw_dp_status st = laplace(src, t, s, &y);
    if (st == CW_DP_OK) *out = y;
    return st;
}

cw_dp_status cw_dp_gaussian_gamma(uint64_t sigma2, int64_t y, uint64_t *whole, u128 *num, u128 *den) {
    *whole = 0;
    *num = 0;
    *den = 1;
    if (sigma2 == 0 || sigma2 > CW_DP_SIGMA2_MAX) return CW_DP_ERR_PARAM;
    uint64_t absy = y < 0 ? (uint64_t)0 - (uint64_t)y : (uint64_t)y;
    cw_dp_status st = gaussian_gamma(sigma2, isqrt64(sigma2) + 1, absy, whole, num, den);
    if (st != CW_DP_OK) {
        *whole = 0;
        *num = 0;
    }
    return st;
}

/* CKS20 Algorithm 3: propose Y ~ discrete Laplace with scale t, accept with probability
 * exp(-(|Y| - sigma2/t)^2 / (2 sigma2)). The law is N_Z(0, sigma2) for any t >= 1; t =
 * floor(sigma) + 1 makes the acceptance rate >= 0.54 (about 0.76 for large sigma2). */
cw_dp_status cw_dp_gaussian(cw_dp_source *src, uint64_t sigma2, int64_t *out) {
    CW_DP_ENTER(src, out);
    if (sigma2 == 0 || sigma2 > CW_DP_SIGMA2_MAX) return CW_DP_ERR_PARAM;
    uint64_t t = isqrt64(sigma2) + 1; /* <= 2^31 + 1 */
    for (int tries = 0; tries < CW_DP_LOOP_CAP; tries++) {
        int64_t y;
        uint64_t whole;
        u128 num, den;
        int keep;
        cw_dp_status st = laplace(src, t, 1, &y);
        if (st != CW_DP_OK) return st;
        /* |y| < 2^12 t, so (|y| t - sigma2)^2 < 2^148 and whole < 2^25 */
        if ((st = gaussian_gamma(sigma2, t, y < 0 ? (uint64_t)-y : (uint64_t)y, &whole, &num, &den)) != CW_DP_OK)
            return st;
        if ((st = bern_exp(src, whole, num, den, &keep)) != CW_DP_OK) return st;
        if (keep) {
            *out = y;
            return CW_DP_OK;
        }
    }
    return stuck(src);
}

/* ---- moments (post-processing) ----------------------------------------------------------- */
double cw_dp_laplace_variance(uint64_t t, uint64_t s) {
    if (t == 0 || s == 0) return NAN;
    double r = (double)s / (double)t, q = exp(-r), one_minus_q = -expm1(-r);
    return 2.0 * q / (one_minus_q * one_minus_q);
}

double cw_dp_laplace_tail(uint64_t t, uint64_t s, uint64_t a) {
    if (t == 0 || s == 0) return NAN;
    if (a == 0) return 1.0;
    double r = (double)s / (double)t;
    return 2.0 * exp(-(double)a * r) / (1.0 + exp(-r));
}
