/* rng.h — a seeded pseudo-random generator for resampling (never for privacy: the DP code takes
 * its randomness from getentropy()). xoshiro256** seeded through splitmix64; state is a struct
 * passed explicitly, so a seed gives the same stream on every platform. */
#ifndef CW_RNG_H
#define CW_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
} cw_rng;

void cw_rng_seed(cw_rng *r, uint64_t seed);
uint64_t cw_rng_next(cw_rng *r);
/* Uniform on [0, 1) with 53 random bits. */
double cw_rng_uniform(cw_rng *r);
/* Uniform integer in [0, n), n >= 1, without modulo bias (Lemire 2019, "Fast random integer
 * generation in an interval", ACM TOMACS 29(1), by rejection on the low word). */
uint32_t cw_rng_below(cw_rng *r, uint32_t n);
/* splitmix64 (Steele, Lea & Flood 2014): a good 64-bit mix, also used to hash row numbers. */
uint64_t cw_splitmix64(uint64_t x);

/* Binomial(n, p) variate: inversion (BINV, Kachitvichyanukul & Schmeiser 1988, CACM 31(2)) when
 * n*min(p, 1-p) < 10, else Hörmann's transformed rejection with squeeze (BTRS, Hörmann 1993,
 * J. Stat. Comput. Simul. 46:101-110). */
int64_t cw_rbinom(cw_rng *r, int64_t n, double p);

#endif
