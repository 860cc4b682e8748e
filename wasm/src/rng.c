/* rng.c — xoshiro256** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 47(4)), splitmix64 seeding, unbiased bounded integers, and binomial
 * variates (see rng.h for the algorithms' sources). */
#include "rng.h"

#include <math.h>

#include "dist/dist.h"

uint64_t cw_splitmix64(uint64_t x) {
    uint64_t z = x + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void cw_rng_seed(cw_rng *r, uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) {
        r->s[i] = cw_splitmix64(x);
        x += 0x9e3779b97f4a7c15ull;
    }
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t cw_rng_next(cw_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double cw_rng_uniform(cw_rng *r) { return (double)(cw_rng_next(r) >> 11) * 0x1.0p-53; }

uint32_t cw_rng_below(cw_rng *r, uint32_t n) {
    uint64_t m = (uint64_t)(uint32_t)(cw_rng_next(r) >> 32) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while (low < threshold) {
            m = (uint64_t)(uint32_t)(cw_rng_next(r) >> 32) * n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

/* BINV: walk the pmf from 0 with the recurrence f(x) = f(x-1) * (a/x - s). */
static int64_t binv(cw_rng *r, int64_t n, double p) {
    double q = 1.0 - p, s = p / q, a = (double)(n + 1) * s, f0 = pow(q, (double)n);
    for (;;) {
        double u = cw_rng_uniform(r), f = f0;
        int64_t x = 0;
        while (u > f) {
            u -= f;
            x++;
            if (x > n) break; /* rounding left mass over: draw again */
            f *= a / (double)x - s;
        }
        if (x <= n) return x;
    }
}

/* BTRS, for n*p >= 10 and p <= 1/2, with the constants of Hörmann (1993), §2. */
static int64_t btrs(cw_rng *r, int64_t n, double p) {
    double q = 1.0 - p, spq = sqrt((double)n * p * q);
    double b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * p, c = (double)n * p + 0.5;
    double vr = 0.92 - 4.2 / b, alpha = (2.83 + 5.1 / b) * spq, lpq = log(p / q);
    double m = floor((double)(n + 1) * p);
    double h = cw_lgamma(m + 1.0) + cw_lgamma((double)n - m + 1.0);
    for (;;) {
        double u = cw_rng_uniform(r) - 0.5, v = cw_rng_uniform(r);
        double us = 0.5 - fabs(u);
        double k = floor((2.0 * a / us + b) * u + c);
        if (k < 0.0 || k > (double)n) continue;
        if (us >= 0.07 && v <= vr) return (int64_t)k;
        v = log(v * alpha / (a / (us * us) + b));
        if (v <= h - cw_lgamma(k + 1.0) - cw_lgamma((double)n - k + 1.0) + (k - m) * lpq) return (int64_t)k;
    }
}

int64_t cw_rbinom(cw_rng *r, int64_t n, double p) {
    if (n <= 0 || p <= 0.0) return 0;
    if (p >= 1.0) return n;
    if (p > 0.5) return n - cw_rbinom(r, n, 1.0 - p);
    return (double)n * p < 10.0 ? binv(r, n, p) : btrs(r, n, p);
}
