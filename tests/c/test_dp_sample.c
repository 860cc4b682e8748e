/* test_dp_sample.c — the exact DP noise samplers (dp_sample.h) and their random sources
 * (dp_random.h), after DP-SPEC (c)1-3 and (c)12.
 *
 *  1. Entropy plumbing: getentropy works through the 256-byte chunking (70,000 bytes, every
 *     fill <= 256 bytes, byte histograms uniform); the seeded source is RFC 8439 ChaCha20; every
 *     sampler fails closed (status CW_DP_ERR_ENTROPY, output 0) on a failing source, after a
 *     single failure of a flaky one (sticky), on every too-short prefix of a tape, and on a
 *     stuck (constant-byte) source, which hits a loop cap instead of hanging; bad parameters
 *     give CW_DP_ERR_PARAM.
 *  2. Exact enumeration (a proof about the algorithm, not a sample):
 *     - uniform_below(m): every tape of w-bit words, m = 1..300 for w = 8 and 16 (and edge m up
 *       to 65536), m = 1..70 for w = 1, 2, 4: each word value v is accepted exactly when
 *       v < M - (M mod m), with output v mod m, else rejected; so every output has exactly
 *       floor(M/m) words. Plus 64-bit and 128-bit edge tapes.
 *     - bernoulli(a/d): P(1) = a/d exactly over every tape.
 *     - probability trees (see "probability trees" below): bernoulli_exp, the geometric, the
 *       discrete Laplace (and one-sidedly the discrete Gaussian); every output's explored mass
 *       must lie in [pmf - unexplored mass, pmf].
 *     - the Gaussian's 256-bit exponent split against independent 32-bit-limb arithmetic, and
 *       its acceptance rate (>= 0.54) behind the loop cap.
 *  3. Goodness of fit with the seeded source (and a subset on getentropy; everything on
 *     getentropy when built without DP_TEST_RNG): Wilson intervals for bernoulli_exp at
 *     gamma in {0, 1e-9, 1/3, 1, 4/3, 7, 30}; for the discrete Laplace at scale 1/3, 1, 10/3,
 *     100, 1e5 and the discrete Gaussian at sigma2 = 1, 2, 14, 2500, 1e8: Pearson chi-square
 *     against the exact pmf (tails merged until every expected count is >= 5) and z-tests of
 *     the mean (0), the variance (exact, from the pmf), P(0) and the sign balance. Every test
 *     has a false-alarm rate of 1e-6 (z = 4.89); the seeds are fixed, so a pass is reproducible.
 *     The Laplace variance and tail helpers are checked against sums of the pmf.
 *  12. Reproducibility: a fixed seed gives pinned samples (regression pins recorded from this
 *     implementation, identical natively and in WASM; not an oracle).
 *
 * Build: -DDP_TEST_RNG on this file and on dp_random.c and dp_sample.c (the seeded source and the
 * draw-tree hook). Without it this file still builds and passes: the statistical tests then
 * run on getentropy, and the draw trees, ChaCha20 and pinned-sample checks are skipped. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dist/dist.h"
#include "dp_random.h"
#include "dp_sample.h"
#include "test.h"


typedef cw_dp_u128 u128;

#define Z_CRIT 4.891638475698 /* two-sided normal quantile for alpha = 1e-6 */
#define ALPHA 1e-6

/* ---- test-only sources --------------------------------------------------------------------- */
typedef struct { /* fails every time */
    cw_dp_source base;
    long calls;
} failing_source;

static int failing_fill(cw_dp_source *self, uint8_t *buf, size_t len) {
    (void)buf;
    (void)len;
    ((failing_source *)self)->calls++;
    return -1;
}

typedef struct { /* constant bytes forever: a stuck generator */
    cw_dp_source base;
    uint8_t value;
} stuck_source;

static int stuck_fill(cw_dp_source *self, uint8_t *buf, size_t len) {
    memset(buf, ((stuck_source *)self)->value, len);
    return 0;
}

typedef struct { /* deterministic bytes; fails exactly on call number fail_at, works again after */
    cw_dp_source base;
    long calls, fail_at;
    uint64_t state;
} flaky_source;

static uint64_t splitmix(uint64_t *s) { /* test inputs only */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int flaky_fill(cw_dp_source *self, uint8_t *buf, size_t len) {
    flaky_source *f = (flaky_source *)self;
    if (++f->calls == f->fail_at) return -1;
    for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)splitmix(&f->state);
    return 0;
}

typedef struct { /* forwards to the secure source and records how it is called */
    cw_dp_source base;
    cw_dp_secure *inner;
    size_t calls, max_len, total;
} spy_source;

static int spy_fill(cw_dp_source *self, uint8_t *buf, size_t len) {
    spy_source *s = (spy_source *)self;
    s->calls++;
    s->total += len;
    if (len > s->max_len) s->max_len = len;
    return s->inner->base.fill(&s->inner->base, buf, len);
}

/* Upper tail of chi-square for the byte histogram of buf (255 df). */
static double byte_chisq_p(const uint8_t *buf, size_t n) {
    double count[256] = {0}, x2 = 0.0, e = (double)n / 256.0;
    for (size_t i = 0; i < n; i++) count[buf[i]] += 1.0;
    for (int i = 0; i < 256; i++) x2 += (count[i] - e) * (count[i] - e) / e;
    return cw_pchisq(x2, 255.0, 0, 0);
}

/* ---- 1. sources and failure ---------------------------------------------------------------- */
static void test_sources(cw_test *t) {
    /* tape: hands bytes out in order, then reports exhaustion, zeroes the buffer, stays failed */
    const uint8_t bytes[5] = {1, 2, 3, 4, 5};
    uint8_t got[8];
    cw_dp_tape tape;
    cw_dp_tape_init(&tape, bytes, sizeof bytes, 8);
    CW_CHECK(t, cw_dp_read(&tape.base, got, 3) == CW_DP_OK && got[0] == 1 && got[2] == 3, "tape read");
    memset(got, 0xAA, sizeof got);
    CW_CHECK(t, cw_dp_read(&tape.base, got, 3) == CW_DP_ERR_ENTROPY && tape.exhausted && tape.pos == 3,
             "over-read: exhausted, pos %zu", tape.pos);
    CW_CHECK(t, got[0] == 0 && got[1] == 0 && got[2] == 0, "a failed read hands back zeros, not %d %d %d",
             got[0], got[1], got[2]);
    CW_CHECK(t, cw_dp_read(&tape.base, got, 1) == CW_DP_ERR_ENTROPY, "a failed source stays failed");

    /* the secure source, 70,000 bytes in one read: through chunks of <= 256, all of it random */
    enum { BIG = 70000 };
    uint8_t *a = malloc(BIG), *b = malloc(BIG);
    cw_dp_secure sec;
    cw_dp_secure_init(&sec);
    spy_source spy = {.base = {.fill = spy_fill, .word_bits = 64}, .inner = &sec};
    cw_dp_status st = cw_dp_read(&spy.base, a, BIG);
    CW_CHECK(t, st == CW_DP_OK, "getentropy through the chunking: %s", cw_dp_strerror(st));
    CW_CHECK(t, spy.total == BIG && spy.max_len <= CW_DP_CHUNK && spy.calls == (BIG + 255) / 256,
             "fill asked for %zu bytes in %zu calls, largest %zu", spy.total, spy.calls, spy.max_len);
    st = cw_dp_read(&sec.base, b, BIG);
    CW_CHECK(t, st == CW_DP_OK, "getentropy direct: %s", cw_dp_strerror(st));
    double pa = byte_chisq_p(a, BIG), pb = byte_chisq_p(b, BIG), ptail = byte_chisq_p(a + BIG - 2560, 2560);
    CW_CHECK(t, pa > ALPHA && pb > ALPHA && ptail > ALPHA, "byte histograms: p = %.3g, %.3g, last 2560: %.3g",
             pa, pb, ptail);
    CW_CHECK(t, memcmp(a, b, BIG) != 0, "two reads of getentropy are equal");
    int64_t y = 0;
    st = cw_dp_laplace(&sec.base, 3, 1, &y);
    CW_CHECK(t, st == CW_DP_OK, "Laplace from getentropy: %s", cw_dp_strerror(st));
    st = cw_dp_gaussian(&sec.base, 2500, &y);
    CW_CHECK(t, st == CW_DP_OK, "Gaussian from getentropy: %s", cw_dp_strerror(st));
    cw_dp_secure_wipe(&sec);
    int wiped = 1;
    for (size_t i = 0; i < sizeof sec.buf; i++) wiped &= sec.buf[i] == 0;
    CW_CHECK(t, wiped && sec.pos == CW_DP_CHUNK, "wipe leaves buffered entropy");

#ifdef DP_TEST_RNG
    /* RFC 8439 section 2.3.2 test vector */
    static const uint8_t want[64] = {
        0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4,
        0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e,
        0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2,
        0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e};
    uint8_t key[32], nonce[12] = {0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0}, block[64];
    for (int i = 0; i < 32; i++) key[i] = (uint8_t)i;
    cw_dp_chacha20_block(key, 1, nonce, block);
    CW_CHECK(t, memcmp(block, want, 64) == 0, "ChaCha20 block differs from RFC 8439 2.3.2");
    /* the seeded stream is the keystream of key = seed (LE), nonce 0, from counter 0 (checked
     * against Python's cryptography package: seed 1 starts c5d30a7c) */
    cw_dp_chacha c1, c2;
    cw_dp_chacha_init(&c1, 1);
    cw_dp_read(&c1.base, got, 4);
    CW_CHECK(t, got[0] == 0xc5 && got[1] == 0xd3 && got[2] == 0x0a && got[3] == 0x7c, "seed 1 stream %02x%02x%02x%02x",
             got[0], got[1], got[2], got[3]);
    /* same seed, any read sizes: the same stream; another seed: another stream */
    cw_dp_chacha_init(&c1, 7);
    cw_dp_chacha_init(&c2, 7);
    cw_dp_read(&c1.base, a, 1000);
    for (size_t off = 0, n = 1; off < 1000; off += n, n = n % 97 + 1)
        cw_dp_read(&c2.base, b + off, off + n > 1000 ? 1000 - off : n);
    CW_CHECK(t, memcmp(a, b, 1000) == 0, "seeded stream depends on read sizes");
    cw_dp_chacha_init(&c2, 8);
    cw_dp_read(&c2.base, b, 1000);
    CW_CHECK(t, memcmp(a, b, 1000) != 0, "seeds 7 and 8 give the same stream");
#endif
    free(a);
    free(b);
}

/* Run every sampler once on src; count how many did not return `want` or left a non-zero output. */
static int all_samplers(cw_dp_source *src, cw_dp_status want) {
    int bad = 0, b = 7;
    uint64_t u = 7;
    int64_t y = 7;
    u128 w = 7;
    bad += cw_dp_uniform_below(src, 1000, &u) != want || (want != CW_DP_OK && u != 0);
    bad += cw_dp_uniform_below_u128(src, (u128)1 << 100, &w) != want || (want != CW_DP_OK && w != 0);
    bad += cw_dp_bernoulli(src, 1, 3, &b) != want || (want != CW_DP_OK && b != 0);
    b = 7;
    bad += cw_dp_bernoulli_exp(src, 1, 3, &b) != want || (want != CW_DP_OK && b != 0);
    b = 7;
    bad += cw_dp_bernoulli_exp(src, 7, 2, &b) != want || (want != CW_DP_OK && b != 0);
    bad += cw_dp_geometric(src, 10, 3, &u) != want || (want != CW_DP_OK && u != 0);
    bad += cw_dp_laplace(src, 10, 3, &y) != want || (want != CW_DP_OK && y != 0);
    y = 7;
    bad += cw_dp_gaussian(src, 14, &y) != want || (want != CW_DP_OK && y != 0);
    return bad;
}

static void test_fail_closed(cw_test *t) {
    failing_source fs = {.base = {.fill = failing_fill, .word_bits = 64}};
    CW_CHECK(t, all_samplers(&fs.base, CW_DP_ERR_ENTROPY) == 0, "a failing source must fail every sampler");
    CW_CHECK(t, fs.base.failed && fs.calls == 1, "sticky after the first failure (%ld fills)", fs.calls);
    /* even the calls that need no entropy refuse once the source has failed */
    int b = 7;
    uint64_t u = 7;
    CW_CHECK(t, cw_dp_bernoulli(&fs.base, 0, 5, &b) == CW_DP_ERR_ENTROPY && b == 0, "bernoulli(0) after failure");
    CW_CHECK(t, cw_dp_uniform_below(&fs.base, 1, &u) == CW_DP_ERR_ENTROPY && u == 0, "uniform_below(1) after failure");

    /* a source that fails once and then works again stays refused */
    for (long fail_at = 1; fail_at <= 40; fail_at++) {
        flaky_source fl = {.base = {.fill = flaky_fill, .word_bits = 64}, .fail_at = fail_at, .state = 99};
        int64_t y = 0;
        cw_dp_status st = CW_DP_OK;
        for (int i = 0; i < 20 && st == CW_DP_OK; i++) st = cw_dp_gaussian(&fl.base, 14, &y);
        CW_CHECK(t, st == CW_DP_ERR_ENTROPY && y == 0, "flaky source failing at fill %ld: %s, y = %lld", fail_at,
                 cw_dp_strerror(st), (long long)y);
        CW_CHECK(t, all_samplers(&fl.base, CW_DP_ERR_ENTROPY) == 0, "flaky source at %ld: a later call succeeded",
                 fail_at);
    }

    /* every prefix of a tape: a sample or a clean exhaustion, and a completed sample never
     * depends on bytes after the ones it used */
    enum { LEN = 1000 };
    uint8_t tape_bytes[LEN];
    uint64_t s = 5;
    for (int i = 0; i < LEN; i++) tape_bytes[i] = (uint8_t)splitmix(&s);
    cw_dp_tape full;
    cw_dp_tape_init(&full, tape_bytes, LEN, 64);
    int64_t want = 0;
    cw_dp_status st0 = cw_dp_gaussian(&full.base, 14, &want);
    int bad = 0;
    for (size_t n = 0; n <= LEN; n++) {
        cw_dp_tape tp;
        cw_dp_tape_init(&tp, tape_bytes, n, 64);
        int64_t y = 99;
        cw_dp_status st = cw_dp_gaussian(&tp.base, 14, &y);
        if (n < full.pos) bad += !(st == CW_DP_ERR_ENTROPY && tp.exhausted && y == 0);
        else bad += !(st == CW_DP_OK && y == want && tp.pos == full.pos);
    }
    CW_CHECK(t, st0 == CW_DP_OK && bad == 0, "tape prefixes: %d bad (full tape used %zu bytes)", bad, full.pos);

    /* a stuck generator (constant bytes) gives an error at a loop cap, not a hang */
    stuck_source zero = {.base = {.fill = stuck_fill, .word_bits = 64}, .value = 0x00},
                 ones = {.base = {.fill = stuck_fill, .word_bits = 64}, .value = 0xff};
    int64_t y = 7;
    CW_CHECK(t, cw_dp_bernoulli_exp(&zero.base, 1, 3, &b) == CW_DP_ERR_ENTROPY, "all-zero bytes: bernoulli_exp");
    zero.base.failed = 0;
    CW_CHECK(t, cw_dp_laplace(&zero.base, 10, 3, &y) == CW_DP_ERR_ENTROPY && y == 0, "all-zero bytes: Laplace");
    zero.base.failed = 0;
    CW_CHECK(t, cw_dp_gaussian(&zero.base, 14, &y) == CW_DP_ERR_ENTROPY && y == 0, "all-zero bytes: Gaussian");
    CW_CHECK(t, cw_dp_uniform_below(&ones.base, 3, &u) == CW_DP_ERR_ENTROPY && ones.base.failed,
             "all-one bytes: uniform_below(3), and the source is marked failed");
    ones.base.failed = 0;
    CW_CHECK(t, cw_dp_laplace(&ones.base, 10, 3, &y) == CW_DP_ERR_ENTROPY && y == 0, "all-one bytes: Laplace");

    /* parameters outside the domain */
    cw_dp_tape tp;
    cw_dp_tape_init(&tp, tape_bytes, LEN, 64);
    int64_t z;
    u128 w;
    CW_CHECK(t, cw_dp_uniform_below(&tp.base, 0, &u) == CW_DP_ERR_PARAM, "m = 0");
    CW_CHECK(t, cw_dp_uniform_below_u128(&tp.base, 0, &w) == CW_DP_ERR_PARAM, "m = 0 (128)");
    CW_CHECK(t, cw_dp_bernoulli(&tp.base, 1, 0, &b) == CW_DP_ERR_PARAM, "d = 0");
    CW_CHECK(t, cw_dp_bernoulli(&tp.base, 4, 3, &b) == CW_DP_ERR_PARAM, "a > d");
    CW_CHECK(t, cw_dp_bernoulli_exp(&tp.base, 1, 0, &b) == CW_DP_ERR_PARAM, "exp: d = 0");
    CW_CHECK(t, cw_dp_laplace(&tp.base, 0, 1, &z) == CW_DP_ERR_PARAM, "t = 0");
    CW_CHECK(t, cw_dp_laplace(&tp.base, 1, 0, &z) == CW_DP_ERR_PARAM, "s = 0");
    CW_CHECK(t, cw_dp_laplace(&tp.base, ((uint64_t)1 << 50) + 1, 1, &z) == CW_DP_ERR_PARAM, "scale > 2^50");
    CW_CHECK(t, cw_dp_laplace(&tp.base, (uint64_t)1 << 50, 1, &z) == CW_DP_OK, "scale = 2^50");
    CW_CHECK(t, cw_dp_geometric(&tp.base, UINT64_MAX, 1, &u) == CW_DP_ERR_PARAM, "geometric scale 2^64");
    CW_CHECK(t, cw_dp_gaussian(&tp.base, 0, &z) == CW_DP_ERR_PARAM, "sigma2 = 0");
    CW_CHECK(t, cw_dp_gaussian(&tp.base, CW_DP_SIGMA2_MAX + 1, &z) == CW_DP_ERR_PARAM, "sigma2 > 2^62");
    CW_CHECK(t, cw_dp_gaussian(&tp.base, CW_DP_SIGMA2_MAX, &z) == CW_DP_OK, "sigma2 = 2^62");
    cw_dp_tape_init(&tp, tape_bytes, LEN, 3);
    CW_CHECK(t, cw_dp_uniform_below(&tp.base, 5, &u) == CW_DP_ERR_PARAM, "word size 3");
    for (int i = 0; i < CW_DP_STATUS_COUNT + 1; i++)
        CW_CHECK(t, cw_dp_strerror((cw_dp_status)i) != NULL, "strerror(%d)", i);
}

/* ---- 2. exact enumeration -------------------------------------------------------------------- */

/* Write word value v (w bits) as tape bytes at p; returns the bytes used. */
static size_t put_word(uint8_t *p, unsigned w, u128 v) {
    if (w < 8) {
        p[0] = (uint8_t)v;
        return 1;
    }
    size_t n = w / 8;
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    return n;
}

/* Every tape of k words for uniform_below(m): tape value v must be accepted exactly when
 * v < M - (M mod m), with output v mod m, else rejected (the tape runs out at its end); so
 * every output gets exactly floor(M/m) tapes. */
static void uniform_exact(cw_test *t, unsigned w, uint64_t m) {
    unsigned k = 0;
    while (k == 0 || (w * k < 64 && ((uint64_t)1 << (w * k)) < m)) k++;
    if (m == 1) k = 0; /* m = 1 draws nothing */
    uint64_t M = (uint64_t)1 << (w * k), limit = M - M % m, mask = (w < 64) ? ((uint64_t)1 << w) - 1 : ~0ull;
    uint64_t *count = calloc(m, sizeof *count), wrong = 0;
    uint8_t buf[64];
    for (uint64_t v = 0; v < M; v++) {
        size_t len = 0;
        for (unsigned i = 0; i < k; i++) len += put_word(buf + len, w, (v >> (w * (k - 1 - i))) & mask);
        cw_dp_tape tp;
        cw_dp_tape_init(&tp, buf, len, w);
        uint64_t out = UINT64_MAX;
        cw_dp_status st = cw_dp_uniform_below(&tp.base, m, &out);
        if (v < limit) {
            wrong += !(st == CW_DP_OK && out == v % m && tp.pos == len);
            if (st == CW_DP_OK && out < m) count[out]++;
        } else {
            wrong += !(st == CW_DP_ERR_ENTROPY && tp.exhausted && tp.pos == len);
        }
    }
    uint64_t unequal = 0;
    for (uint64_t i = 0; i < m; i++) unequal += count[i] != M / m;
    CW_CHECK(t, wrong == 0 && unequal == 0, "uniform_below(%llu), %u-bit words: %llu tapes wrong, %llu counts unequal",
             (unsigned long long)m, w, (unsigned long long)wrong, (unsigned long long)unequal);
    free(count);
}

static void bernoulli_exact(cw_test *t, unsigned w, uint64_t a, uint64_t d) {
    unsigned k = 1;
    while (((uint64_t)1 << (w * k)) < d) k++;
    uint64_t M = (uint64_t)1 << (w * k), mask = ((uint64_t)1 << w) - 1, accepted = 0, ones = 0, other = 0;
    uint8_t buf[16];
    for (uint64_t v = 0; v < M; v++) {
        size_t len = 0;
        for (unsigned i = 0; i < k; i++) len += put_word(buf + len, w, (v >> (w * (k - 1 - i))) & mask);
        cw_dp_tape tp;
        cw_dp_tape_init(&tp, buf, len, w);
        int b = -1;
        cw_dp_status st = cw_dp_bernoulli(&tp.base, a, d, &b);
        if (st == CW_DP_OK) {
            accepted++;
            ones += (uint64_t)b;
            other += (a == 0 || a == d) && tp.pos != 0; /* certain outcomes draw nothing */
        } else {
            other += !(st == CW_DP_ERR_ENTROPY && tp.exhausted);
        }
    }
    /* P(1) = ones / accepted must equal a / d exactly */
    CW_CHECK(t, other == 0 && accepted > 0 && ones * d == a * accepted,
             "bernoulli(%llu/%llu), %u-bit words: %llu of %llu accepted tapes give 1 (%llu odd)", (unsigned long long)a,
             (unsigned long long)d, w, (unsigned long long)ones, (unsigned long long)accepted, (unsigned long long)other);
}

static void test_exact_small(cw_test *t) {
    for (uint64_t m = 1; m <= 300; m++) uniform_exact(t, 8, m);
    for (uint64_t m = 1; m <= 300; m++) uniform_exact(t, 16, m);
    static const uint64_t m16[] = {65535, 65536, 32767, 32768, 32769, 43691};
    for (size_t i = 0; i < sizeof m16 / sizeof *m16; i++) uniform_exact(t, 16, m16[i]);
    for (unsigned w = 1; w <= 4; w *= 2)
        for (uint64_t m = 1; m <= 70; m++) uniform_exact(t, w, m);
    /* sub-byte words ignore the byte's high bits */
    {
        uint8_t hi[2] = {0xF6, 0x01};
        cw_dp_tape tp;
        cw_dp_tape_init(&tp, hi, 2, 4);
        uint64_t out = 0;
        CW_CHECK(t, cw_dp_uniform_below(&tp.base, 10, &out) == CW_DP_OK && out == 6 && tp.pos == 1,
                 "4-bit word from 0xF6: %llu", (unsigned long long)out);
    }

    /* production 64-bit words at the edges, and the two-word 128-bit draw */
    struct {
        uint64_t m;
        u128 first, second; /* the first word is rejected exactly when second != first */
    } edge[] = {
        {UINT64_MAX, UINT64_MAX, 1},                         /* 2^64 mod m = 1: only 2^64-1 rejected */
        {3, UINT64_MAX, UINT64_MAX - 1},                     /* limit 2^64-1 */
        {((uint64_t)1 << 63) + 1, ((uint64_t)1 << 63) + 1, (uint64_t)1 << 63},
        {(uint64_t)1 << 63, UINT64_MAX, UINT64_MAX},         /* power of two: never rejects */
    };
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
        uint8_t buf[16];
        put_word(buf, 64, edge[i].first);
        put_word(buf + 8, 64, edge[i].second);
        cw_dp_tape tp;
        cw_dp_tape_init(&tp, buf, 16, 64);
        uint64_t out = 0;
        cw_dp_status st = cw_dp_uniform_below(&tp.base, edge[i].m, &out);
        int rejected_first = edge[i].first != edge[i].second;
        u128 want = (rejected_first ? edge[i].second : edge[i].first) % edge[i].m;
        CW_CHECK(t, st == CW_DP_OK && out == (uint64_t)want && tp.pos == (rejected_first ? 16u : 8u),
                 "64-bit edge %zu: out %llu, used %zu bytes", i, (unsigned long long)out, tp.pos);
    }
    {
        /* m = 2^64 + 1: 2^128 mod m = 1, so only the all-ones 128-bit word is rejected */
        uint8_t buf[32];
        memset(buf, 0xFF, 16);
        memset(buf + 16, 0, 16);
        buf[31] = 5;
        cw_dp_tape tp;
        cw_dp_tape_init(&tp, buf, 32, 64);
        u128 out = 0, m = ((u128)1 << 64) + 1;
        CW_CHECK(t, cw_dp_uniform_below_u128(&tp.base, m, &out) == CW_DP_OK && out == 5 && tp.pos == 32,
                 "128-bit rejection");
        buf[0] = 0xFE; /* 2^128 - 2^120 - 1 is accepted */
        cw_dp_tape_init(&tp, buf, 32, 64);
        u128 v = ~(u128)0 - ((u128)1 << 120);
        CW_CHECK(t, cw_dp_uniform_below_u128(&tp.base, m, &out) == CW_DP_OK && out == v % m && tp.pos == 16,
                 "128-bit accept");
        /* m = 2^127 + 3 in 16-bit words (8 a draw): the limit is m itself, so v is rejected */
        cw_dp_tape_init(&tp, buf, 32, 16);
        m = ((u128)1 << 127) + 3;
        CW_CHECK(t, cw_dp_uniform_below_u128(&tp.base, m, &out) == CW_DP_OK && out == 5 && tp.pos == 32,
                 "128-bit rejection from 16-bit words");
        buf[0] = 0x7E; /* v - 2^127 < m: accepted */
        cw_dp_tape_init(&tp, buf, 32, 16);
        v -= (u128)1 << 127;
        CW_CHECK(t, cw_dp_uniform_below_u128(&tp.base, m, &out) == CW_DP_OK && out == v && tp.pos == 16,
                 "128-bit value from 16-bit words");
        /* m = 2^64 exactly: one 64-bit word, never rejected, returned as it is */
        cw_dp_tape_init(&tp, buf, 32, 64);
        m = (u128)1 << 64;
        CW_CHECK(t, cw_dp_uniform_below_u128(&tp.base, m, &out) == CW_DP_OK && out == (v >> 64) && tp.pos == 8,
                 "m = 2^64");
    }

    /* Bernoulli(a/d): exact on every tape */
    for (uint64_t d = 1; d <= 40; d++)
        for (uint64_t a = 0; a <= d; a++) bernoulli_exact(t, 8, a, d);
    static const uint64_t dd[] = {255, 256, 257, 300};
    for (size_t i = 0; i < 4; i++) {
        uint64_t d = dd[i], as[] = {0, 1, d / 2, d - 1, d};
        for (size_t j = 0; j < 5; j++) bernoulli_exact(t, 8, as[j], d);
    }
    for (uint64_t d = 1; d <= 12; d++)
        for (uint64_t a = 0; a <= d; a++) bernoulli_exact(t, 1, a, d);
}

/* ---- probability trees ------------------------------------------------------------------------
 * Two walks over every tape, depth first, each node run from scratch on its prefix:
 *  - bit trees: the real byte path (tape source, 1-bit or 8-bit words), each tape byte a branch
 *    of weight 2^-bits, exact dyadic masses; cheap only to moderate depth, since rejection
 *    loops make the bit cost heavy-tailed.
 *  - draw trees: each uniform draw below m is a branch of m children of weight 1/m each
 *    (draw_below hook, DP_TEST_RNG builds). Sound because uniform_below is proven exactly
 *    uniform on fresh words above; it reaches far smaller unexplored masses. Weights are
 *    doubles (relative error < 1e-14 here, far below the tolerances).
 * A sample must complete on exactly the entries it read (with fewer, its parent had finished).
 * The check: for each tracked output, mass <= pmf <= mass + unexplored (+1e-12). */
typedef cw_dp_status (*tree_fn)(cw_dp_source *src, const uint64_t *p, int64_t *out);

static cw_dp_status tree_bern_exp(cw_dp_source *src, const uint64_t *p, int64_t *out) {
    int b = 0;
    cw_dp_status st = cw_dp_bernoulli_exp(src, p[0], p[1], &b);
    *out = b;
    return st;
}
static cw_dp_status tree_geometric(cw_dp_source *src, const uint64_t *p, int64_t *out) {
    uint64_t y = 0;
    cw_dp_status st = cw_dp_geometric(src, p[0], p[1], &y);
    *out = (int64_t)y;
    return st;
}
static cw_dp_status tree_laplace(cw_dp_source *src, const uint64_t *p, int64_t *out) {
    return cw_dp_laplace(src, p[0], p[1], out);
}
#ifdef DP_TEST_RNG
static cw_dp_status tree_gaussian(cw_dp_source *src, const uint64_t *p, int64_t *out) {
    return cw_dp_gaussian(src, p[0], out);
}
#endif

enum { TREE_SPAN = 64, TREE_DEPTH = 200 };
typedef struct {
    tree_fn fn;
    const uint64_t *p;
    int draws;        /* 0: bit tree; 1: draw tree */
    unsigned w, bits; /* bit trees: word size and bits per tape byte = min(w, 8) */
    int depth;        /* bit trees: tape bytes explored */
    double cutoff;    /* draw trees: nodes lighter than this are left unexplored */
    int64_t lo;       /* outputs lo .. lo + TREE_SPAN - 1 are tracked one by one */
    double mass[TREE_SPAN], other, unexplored;
    long runs, bad;
    uint8_t tape[TREE_DEPTH];
    u128 vals[TREE_DEPTH];
} tree;

typedef struct {
    cw_dp_source base;
    const u128 *vals;
    size_t len, pos;
    u128 pending, pending_a; /* m and a of the draw that found the tape empty */
    int exhausted;
} draw_tape;

static int no_bytes(cw_dp_source *self, uint8_t *buf, size_t len) { /* raw bytes must not be used */
    (void)self;
    (void)buf;
    (void)len;
    return -1;
}

static int draw_tape_below(cw_dp_source *self, u128 m, u128 a, u128 *out) {
    draw_tape *d = (draw_tape *)self;
    if (d->pos == d->len) {
        d->exhausted = 1;
        d->pending = m;
        d->pending_a = a;
        return -1;
    }
    *out = d->vals[d->pos++];
    return 0;
}

static void tree_add(tree *T, int64_t out, double weight) {
    if (out >= T->lo && out < T->lo + TREE_SPAN) T->mass[out - T->lo] += weight;
    else T->other += weight;
}

static void tree_walk(tree *T, int d, double weight) {
    int64_t out = 0;
    cw_dp_status st;
    size_t used;
    int exhausted;
    u128 m = 0, a = 0;
    T->runs++;
    if (T->draws) {
        draw_tape tp = {.base = {.fill = no_bytes, .word_bits = 64, .draw_below = draw_tape_below},
                        .vals = T->vals, .len = (size_t)d};
        st = T->fn(&tp.base, T->p, &out);
        used = tp.pos;
        exhausted = tp.exhausted;
        m = tp.pending;
        a = tp.pending_a;
    } else {
        cw_dp_tape tp;
        cw_dp_tape_init(&tp, T->tape, (size_t)d, T->w);
        st = T->fn(&tp.base, T->p, &out);
        used = tp.pos;
        exhausted = tp.exhausted;
    }
    if (st == CW_DP_OK) {
        if (used != (size_t)d) T->bad++;
        tree_add(T, out, weight);
    } else if (st == CW_DP_ERR_ENTROPY && exhausted) {
        if (T->draws && a > 0) { /* a Bernoulli(a/m) draw: two classes */
            if (d + 1 >= TREE_DEPTH || weight < T->cutoff) {
                T->unexplored += weight;
            } else {
                T->vals[d] = 0;
                tree_walk(T, d + 1, weight * ((double)a / (double)m));
                T->vals[d] = a;
                tree_walk(T, d + 1, weight * ((double)(m - a) / (double)m));
            }
        } else if (T->draws) { /* a value: m children */
            if (d + 1 >= TREE_DEPTH || weight < T->cutoff) {
                T->unexplored += weight;
            } else {
                for (u128 v = 0; v < m; v++) {
                    T->vals[d] = v;
                    tree_walk(T, d + 1, weight / (double)m);
                }
            }
        } else if (d == T->depth) {
            T->unexplored += weight;
        } else {
            for (unsigned v = 0; v < (1u << T->bits); v++) {
                T->tape[d] = (uint8_t)v;
                tree_walk(T, d + 1, ldexp(weight, -(int)T->bits));
            }
        }
    } else {
        T->bad++;
    }
}

/* draws = 0: bit tree with w-bit words to `depth` bytes; draws = 1: draw tree, cutoff 10^-depth.
 * max_unexplored keeps the check meaningful (it fails if the sampler starts to need much more
 * randomness than it does now). */
static void tree_check(cw_test *t, const char *name, tree_fn fn, const uint64_t *p, int draws, unsigned w, int depth,
                       int64_t lo, double (*pmf)(int64_t, const uint64_t *), double max_unexplored) {
    tree *T = calloc(1, sizeof *T);
    T->fn = fn;
    T->p = p;
    T->draws = draws;
    T->w = w;
    T->bits = w < 8 ? w : 8;
    T->depth = depth;
    T->cutoff = pow(10.0, -depth);
    T->lo = lo;
    tree_walk(T, 0, 1.0);
    double u = T->unexplored, total = T->other + u;
    for (int i = 0; i < TREE_SPAN; i++) total += T->mass[i];
    CW_CHECK(t, T->bad == 0 && fabs(total - 1.0) < 1e-12, "%s: %ld runs misbehaved; masses add to 1 %+.3g", name,
             T->bad, total - 1.0);
    int wrong = 0;
    double tracked = 0.0, worst = 0.0;
    for (int i = 0; i < TREE_SPAN; i++) {
        double m = T->mass[i], want = pmf(lo + i, p);
        tracked += want;
        if (m > want + 1e-12 || want > m + u + 1e-12) {
            wrong++;
            if (fabs(m - want) > worst) worst = fabs(m - want);
        }
    }
    CW_CHECK(t, wrong == 0 && T->other <= 1.0 - tracked + 1e-12,
             "%s: %d outputs off their exact mass by up to %.3g (unexplored %.3g); untracked %.3g vs %.3g", name,
             wrong, worst, u, T->other, 1.0 - tracked);
    CW_CHECK(t, u <= max_unexplored, "%s: unexplored mass %.3g > %.3g (%ld runs)", name, u, max_unexplored, T->runs);
    free(T);
}

static double pmf_bern_exp(int64_t x, const uint64_t *p) {
    double g = (double)p[0] / (double)p[1];
    return x == 1 ? exp(-g) : x == 0 ? -expm1(-g) : 0.0;
}
static double pmf_geometric(int64_t x, const uint64_t *p) {
    double r = (double)p[1] / (double)p[0];
    return x < 0 ? 0.0 : -expm1(-r) * exp(-r * (double)x);
}
static double pmf_laplace(int64_t x, const uint64_t *p) {
    double r = (double)p[1] / (double)p[0];
    return -expm1(-r) / (1.0 + exp(-r)) * exp(-r * (double)llabs(x));
}
#ifdef DP_TEST_RNG
static double pmf_gaussian(int64_t x, const uint64_t *p) {
    double s2 = (double)p[0], z = 0.0;
    for (int64_t k = -(int64_t)(40 * sqrt(s2)) - 40; k <= (int64_t)(40 * sqrt(s2)) + 40; k++)
        z += exp(-(double)(k * k) / (2 * s2));
    return exp(-(double)(x * x) / (2 * s2)) / z;
}
#endif

static void test_trees(cw_test *t) {
    char name[80];
    /* bit trees: the production byte path end to end */
    static const uint64_t g[][2] = {{0, 1}, {1, 3}, {1, 2}, {1, 1}, {4, 3}, {3, 1}};
    static const int gdepth[] = {1, 26, 26, 24, 22, 20};
    static const double gmax[] = {0, 1e-4, 1e-4, 5e-4, 5e-3, 2e-2};
    for (size_t i = 0; i < sizeof g / sizeof *g; i++) {
        snprintf(name, sizeof name, "bernoulli_exp(%llu/%llu) bit tree", (unsigned long long)g[i][0],
                 (unsigned long long)g[i][1]);
        tree_check(t, name, tree_bern_exp, g[i], 0, 1, gdepth[i], 0, pmf_bern_exp, gmax[i]);
    }
    tree_check(t, "bernoulli_exp(1/3) 8-bit tree", tree_bern_exp, g[1], 0, 8, 2, 0, pmf_bern_exp, 0.2);
    static const uint64_t geo1[2] = {1, 1}, lap1[2] = {1, 1};
    tree_check(t, "geometric(1, 1) bit tree", tree_geometric, geo1, 0, 1, 20, 0, pmf_geometric, 3e-2);
    tree_check(t, "laplace(1, 1) bit tree", tree_laplace, lap1, 0, 1, 18, -TREE_SPAN / 2, pmf_laplace, 0.1);

#ifdef DP_TEST_RNG
    /* draw trees. Rejection loops (the U loop of the geometric when t > 1, the Laplace's
     * "negative zero", the Gaussian's acceptance) restart the tree, so its mass spreads over
     * ever more paths and the unexplored mass falls slowly there; the cut-offs below keep the
     * whole walk near 1.3 million runs. The Gaussian (a restart 46% of the time at sigma2 = 1)
     * is only checked one-sidedly here (no output may carry more mass than its pmf); its
     * acceptance step is Bernoulli(exp(-gamma)) with the exponents checked exactly below (1/8,
     * 9/8, 25/8, 49/8 are its values for |Y| = 0..4 at sigma2 = 1), and its law is checked by
     * the goodness-of-fit tests. */
    static const struct {
        uint64_t a, d;
        int cut;
    } gd[] = {{1, 3, 12},  {1, 2, 12}, {2, 3, 12},  {1, 1, 12},  {4, 3, 12},  {5, 2, 12},  {3, 1, 12},
              {7, 1, 12},  {30, 1, 10}, {1, 1000, 12}, {1, 8, 12}, {9, 8, 12}, {25, 8, 12}, {49, 8, 12}};
    for (size_t i = 0; i < sizeof gd / sizeof *gd; i++) {
        uint64_t p[2] = {gd[i].a, gd[i].d};
        snprintf(name, sizeof name, "bernoulli_exp(%llu/%llu) draw tree", (unsigned long long)p[0],
                 (unsigned long long)p[1]);
        tree_check(t, name, tree_bern_exp, p, 1, 64, gd[i].cut, 0, pmf_bern_exp, 1e-6);
    }
    static const struct {
        tree_fn fn;
        const char *what;
        uint64_t t, s;
        int cut;
        double max_unexplored;
    } dd[] = {
        {tree_geometric, "geometric", 1, 1, 10, 1e-6}, {tree_geometric, "geometric", 1, 3, 10, 1e-6},
        {tree_geometric, "geometric", 2, 1, 8, 3e-4},  {tree_geometric, "geometric", 3, 2, 7, 4e-3},
        {tree_geometric, "geometric", 7, 3, 6, 5e-2},  {tree_laplace, "laplace", 1, 1, 8, 3e-4},
        {tree_laplace, "laplace", 1, 3, 6, 4e-2},      {tree_laplace, "laplace", 3, 2, 6, 7e-2},
        {tree_gaussian, "gaussian", 1, 0, 5, 0.4},     {tree_gaussian, "gaussian", 2, 0, 5, 0.4},
    };
    for (size_t i = 0; i < sizeof dd / sizeof *dd; i++) {
        uint64_t p[2] = {dd[i].t, dd[i].s};
        snprintf(name, sizeof name, "%s(%llu, %llu) draw tree", dd[i].what, (unsigned long long)p[0],
                 (unsigned long long)p[1]);
        tree_check(t, name, dd[i].fn, p, 1, 64, dd[i].cut, dd[i].fn == tree_geometric ? 0 : -TREE_SPAN / 2,
                   dd[i].fn == tree_geometric ? pmf_geometric : dd[i].fn == tree_laplace ? pmf_laplace : pmf_gaussian,
                   dd[i].max_unexplored);
    }
#endif
}

/* The exact 256-bit split of the Gaussian's exponent, checked with independent 32-bit limbs. */
static void limbs_mul(const uint32_t *a, int na, const uint32_t *b, int nb, uint32_t *r /* na + nb */) {
    memset(r, 0, sizeof *r * (size_t)(na + nb));
    for (int i = 0; i < na; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < nb; j++) {
            uint64_t v = (uint64_t)a[i] * b[j] + r[i + j] + carry;
            r[i + j] = (uint32_t)v;
            carry = v >> 32;
        }
        r[i + nb] = (uint32_t)carry;
    }
}
static void limbs_from(u128 v, uint32_t *r, int n) {
    for (int i = 0; i < n; i++) r[i] = i < 4 ? (uint32_t)(v >> (32 * i)) : 0;
}

static void test_gaussian_gamma(cw_test *t) {
    uint64_t s = 11;
    int bad = 0;
    for (int i = 0; i < 3000; i++) {
        uint64_t r1 = splitmix(&s), r2 = splitmix(&s);
        uint64_t sigma2 = i < 1000 ? r1 % 10000 + 1 : (r1 >> (r2 % 61 + 2)) + 1; /* up to 2^62 */
        /* isqrt, independently: the double estimate, corrected in 128-bit integers */
        uint64_t tt = (uint64_t)sqrt((double)sigma2);
        while ((u128)tt * tt > sigma2) tt--;
        while ((u128)(tt + 1) * (tt + 1) <= sigma2) tt++;
        tt += 1;
        /* proposals up to the sampler's bound 2^12 t, and a few beyond it */
        int64_t y = (int64_t)(splitmix(&s) % (4096 * tt));
        if (i % 2) y = -y;
        uint64_t whole;
        u128 num, den;
        cw_dp_status st = cw_dp_gaussian_gamma(sigma2, y, &whole, &num, &den);
        u128 yt = (u128)(uint64_t)llabs(y) * tt, x = yt >= sigma2 ? yt - sigma2 : sigma2 - yt;
        uint32_t xl[4], dl[4], wl[2] = {(uint32_t)whole, (uint32_t)(whole >> 32)}, x2[8], wd[6], lhs[8];
        limbs_from(x, xl, 4);
        limbs_from(den, dl, 4);
        limbs_mul(xl, 4, xl, 4, x2);
        limbs_mul(wl, 2, dl, 4, wd);
        /* whole * den + num == x^2, num < den, den == 2 sigma2 t^2 */
        uint64_t carry = 0;
        for (int k = 0; k < 8; k++) {
            uint64_t v = (uint64_t)(k < 6 ? wd[k] : 0) + (k < 4 ? (uint32_t)(num >> (32 * k)) : 0) + carry;
            lhs[k] = (uint32_t)v;
            carry = v >> 32;
        }
        bad += !(st == CW_DP_OK && num < den && den == 2 * (u128)sigma2 * tt * tt && memcmp(lhs, x2, sizeof lhs) == 0 &&
                 whole < ((uint64_t)1 << 25));
    }
    CW_CHECK(t, bad == 0, "gaussian_gamma: %d of 3000 splits wrong", bad);
    uint64_t whole;
    u128 num, den;
    CW_CHECK(t, cw_dp_gaussian_gamma(1, INT64_MAX, &whole, &num, &den) == CW_DP_ERR_OVERFLOW && whole == 0,
             "gamma beyond 64 bits is refused");
    CW_CHECK(t, cw_dp_gaussian_gamma(CW_DP_SIGMA2_MAX, INT64_MIN, &whole, &num, &den) == CW_DP_OK && num < den,
             "gamma at the extremes");

    /* the acceptance rate behind the Gaussian's loop cap (dp_sample.h): >= 0.54 */
    double worst = 1.0;
    uint64_t worst_at = 0;
    for (uint64_t ss = 1; ss <= 400; ss += (ss < 100 ? 1 : 37)) {
        uint64_t tt = (uint64_t)sqrt((double)ss) + 1;
        double q = exp(-1.0 / (double)tt), c = (1 - q) / (1 + q), acc = 0.0;
        for (int64_t y = -(int64_t)(80 * tt); y <= (int64_t)(80 * tt); y++) {
            double dev = (double)llabs(y) - (double)ss / (double)tt;
            acc += c * pow(q, (double)llabs(y)) * exp(-dev * dev / (2.0 * (double)ss));
        }
        if (acc < worst) {
            worst = acc;
            worst_at = ss;
        }
    }
    CW_CHECK(t, worst >= 0.54, "Gaussian acceptance rate %.4f at sigma2 = %llu", worst, (unsigned long long)worst_at);
}

/* ---- 3. goodness of fit ------------------------------------------------------------------------ */
static int wilson_covers(double p, long k, long n) {
    double ph = (double)k / (double)n, z2 = Z_CRIT * Z_CRIT, nn = (double)n;
    double centre = (ph + z2 / (2 * nn)) / (1 + z2 / nn);
    double half = Z_CRIT / (1 + z2 / nn) * sqrt(ph * (1 - ph) / nn + z2 / (4 * nn * nn));
    return fabs(p - centre) <= half;
}

static void fit_bern_exp(cw_test *t, cw_dp_source *src, uint64_t a, uint64_t d, long n) {
    long ones = 0, bad = 0;
    for (long i = 0; i < n; i++) {
        int b = 0;
        bad += cw_dp_bernoulli_exp(src, a, d, &b) != CW_DP_OK;
        ones += b;
    }
    double p = exp(-(double)a / (double)d);
    if (a == 0)
        CW_CHECK(t, ones == n && bad == 0, "bernoulli_exp(0): %ld of %ld", ones, n);
    else
        CW_CHECK(t, bad == 0 && wilson_covers(p, ones, n), "bernoulli_exp(%llu/%llu): %ld of %ld, p = %.6g",
                 (unsigned long long)a, (unsigned long long)d, ones, n, p);
}

/* Samples of an integer law against its exact pmf on [-K, K] (tails beyond K in the end bins),
 * cells of width bw. kind 0: Laplace(t/s); kind 1: Gaussian(sigma2). */
typedef struct {
    int kind;
    uint64_t t, s, sigma2;
} law;

static double law_pmf(const law *L, int64_t x, double z) {
    if (L->kind == 0) {
        double r = (double)L->s / (double)L->t;
        return -expm1(-r) / (1.0 + exp(-r)) * exp(-r * (double)llabs(x));
    }
    return exp(-(double)x * (double)x / (2.0 * (double)L->sigma2)) / z;
}

static void fit_law(cw_test *t, cw_dp_source *src, const law *L, long n, const char *name) {
    double scale = L->kind == 0 ? (double)L->t / (double)L->s : sqrt((double)L->sigma2);
    int64_t K = (int64_t)(L->kind == 0 ? 25.0 * scale : 8.0 * scale) + 10; /* mass beyond K: < 1e-10 */
    int64_t bw = (int64_t)(scale / 16.0) + 1, cells = (2 * K + 1 + bw - 1) / bw;
    double *expect = calloc((size_t)cells + 2, sizeof *expect), *obs = calloc((size_t)cells + 2, sizeof *obs);
    double z = 1.0, m2 = 0.0, m4 = 0.0, p0 = 0.0;
    if (L->kind == 1) {
        z = 0.0;
        for (int64_t x = -(int64_t)(40 * scale) - 40; x <= (int64_t)(40 * scale) + 40; x++) z += law_pmf(L, x, 1.0);
    }
    /* cell 0: x < -K; cells 1..cells: [-K + (c-1) bw, ...]; cell cells+1: x > last */
    double inside = 0.0;
    for (int64_t x = -K; x <= -K + cells * bw - 1; x++) {
        double p = law_pmf(L, x, z);
        expect[1 + (x + K) / bw] += p;
        inside += p;
    }
    double tail = (1.0 - inside) / 2.0; /* symmetric laws */
    expect[0] = tail;
    expect[cells + 1] = tail;
    for (int64_t x = -(int64_t)(60 * scale) - 60; x <= (int64_t)(60 * scale) + 60; x++) {
        double p = law_pmf(L, x, z), xx = (double)x * (double)x;
        m2 += p * xx;
        m4 += p * xx * xx;
    }
    p0 = law_pmf(L, 0, z);

    double sum = 0.0, sum2 = 0.0;
    long zeros = 0, positive = 0, nonzero = 0, bad = 0;
    for (long i = 0; i < n; i++) {
        int64_t y = 0;
        cw_dp_status st = L->kind == 0 ? cw_dp_laplace(src, L->t, L->s, &y) : cw_dp_gaussian(src, L->sigma2, &y);
        bad += st != CW_DP_OK;
        double dy = (double)y;
        sum += dy;
        sum2 += dy * dy;
        zeros += y == 0;
        positive += y > 0;
        nonzero += y != 0;
        int64_t c = y < -K ? 0 : y > -K + cells * bw - 1 ? cells + 1 : 1 + (y + K) / bw;
        obs[c] += 1.0;
    }
    CW_CHECK(t, bad == 0, "%s: %ld samples failed", name, bad);
    /* Pearson chi-square, neighbouring cells merged until each expected count is >= 5 */
    double x2 = 0.0, o = 0.0, e = 0.0, last_o = 0.0, last_e = 0.0;
    int bins = 0;
    for (int64_t c = 0; c <= cells + 1; c++) {
        o += obs[c];
        e += (double)n * expect[c];
        if (e >= 5.0) {
            x2 += (o - e) * (o - e) / e;
            bins++;
            last_o = o;
            last_e = e;
            o = e = 0.0;
        }
    }
    if ((e > 0.0 || o > 0.0) && bins > 0) { /* a short last run joins the last full bin */
        x2 -= (last_o - last_e) * (last_o - last_e) / last_e;
        last_o += o;
        last_e += e;
        x2 += (last_o - last_e) * (last_o - last_e) / last_e;
    }
    double pv = cw_pchisq(x2, bins - 1, 0, 0);
    CW_CHECK(t, bins >= 2 && pv > ALPHA, "%s: chi-square %.2f on %d df, p = %.3g", name, x2, bins - 1, pv);
    double nn = (double)n, zm = sum / sqrt(m2 * nn), zv = (sum2 / nn - m2) / sqrt((m4 - m2 * m2) / nn);
    double z0 = ((double)zeros / nn - p0) / sqrt(p0 * (1 - p0) / nn);
    double zs = ((double)positive - (double)nonzero / 2.0) / sqrt((double)nonzero / 4.0);
    CW_CHECK(t, fabs(zm) < Z_CRIT && fabs(zv) < Z_CRIT && fabs(z0) < Z_CRIT && fabs(zs) < Z_CRIT,
             "%s: z of mean %.2f, variance %.2f (exact %.6g), P(0) %.2f, sign balance %.2f", name, zm, zv, m2, z0, zs);
    if (L->kind == 0) {
        double v = cw_dp_laplace_variance(L->t, L->s);
        CW_CHECK_CLOSE(t, v, m2, 1e-9);
    } else {
        CW_CHECK(t, m2 <= (double)L->sigma2 * (1 + 1e-12), "%s: variance %.17g above sigma2", name, m2);
    }
    free(expect);
    free(obs);
}

static void test_fit(cw_test *t, cw_dp_source *src, long n_bern, long n_law, int full) {
    static const uint64_t g[][2] = {{0, 1}, {1, 1000000000}, {1, 3}, {1, 1}, {4, 3}, {7, 1}, {30, 1}};
    static const law laws[] = {
        {0, 1, 3, 0}, {0, 1, 1, 0}, {0, 10, 3, 0}, {0, 100, 1, 0}, {0, 100000, 1, 0},
        {1, 0, 0, 1}, {1, 0, 0, 2},  {1, 0, 0, 14}, {1, 0, 0, 2500}, {1, 0, 0, 100000000},
    };
    if (full)
        for (size_t i = 0; i < sizeof g / sizeof *g; i++) fit_bern_exp(t, src, g[i][0], g[i][1], n_bern);
    char name[80];
    for (size_t i = 0; i < sizeof laws / sizeof *laws; i++) {
        if (!full && i != 1 && i != 7) continue;
        if (laws[i].kind == 0)
            snprintf(name, sizeof name, "Laplace(%llu/%llu)", (unsigned long long)laws[i].t,
                     (unsigned long long)laws[i].s);
        else
            snprintf(name, sizeof name, "Gaussian(%llu)", (unsigned long long)laws[i].sigma2);
        fit_law(t, src, &laws[i], n_law, name);
    }
}

/* Noise moments for intervals against direct sums of the pmf. */
static void test_moments_helpers(cw_test *t) {
    static const uint64_t sc[][2] = {{1, 3}, {1, 1}, {10, 3}, {100, 1}, {1048576, 524288}, {20, 1}};
    for (size_t i = 0; i < sizeof sc / sizeof *sc; i++) {
        double r = (double)sc[i][1] / (double)sc[i][0], q = exp(-r), c = (1 - q) / (1 + q), var = 0.0;
        for (int64_t x = 1; x < 4000; x++) var += 2.0 * c * (double)x * (double)x * exp(-r * (double)x);
        CW_CHECK_CLOSE(t, cw_dp_laplace_variance(sc[i][0], sc[i][1]), var, 1e-12);
        CW_CHECK(t, cw_dp_laplace_variance(sc[i][0], sc[i][1]) <= 2.0 * (double)sc[i][0] * (double)sc[i][0] /
                                                                     ((double)sc[i][1] * (double)sc[i][1]),
                 "variance above 2 b^2");
        for (uint64_t a = 0; a < 30; a += 7) {
            double tail = 0.0;
            for (int64_t x = (int64_t)a; x < 4000; x++) tail += (x == 0 ? 1.0 : 2.0) * c * exp(-r * (double)x);
            CW_CHECK_CLOSE(t, cw_dp_laplace_tail(sc[i][0], sc[i][1], a), tail, 1e-12);
        }
    }
    CW_CHECK(t, isnan(cw_dp_laplace_variance(0, 1)) && isnan(cw_dp_laplace_tail(1, 0, 3)), "NaN for scale 0 or inf");
}

#ifdef DP_TEST_RNG
/* 12. Pinned samples for seed 2020 (regression pins from this implementation; native and
 * Emscripten builds agree). A change means every golden release moves: say so in the commit. */
static void test_pins(cw_test *t) {
    cw_dp_chacha c;
    cw_dp_chacha_init(&c, 2020);
    int64_t lap[8], gau[8];
    int bex[8];
    for (int i = 0; i < 8; i++) cw_dp_laplace(&c.base, 10, 3, &lap[i]);
    for (int i = 0; i < 8; i++) cw_dp_gaussian(&c.base, 2500, &gau[i]);
    for (int i = 0; i < 8; i++) cw_dp_bernoulli_exp(&c.base, 4, 3, &bex[i]);
    static const int64_t want_lap[8] = {0, 0, -6, -3, 2, 14, 2, 2};
    static const int64_t want_gau[8] = {27, -18, 56, 19, -57, -22, -3, -51};
    static const int want_bex[8] = {1, 1, 1, 0, 0, 0, 0, 0};
    CW_CHECK(t, memcmp(lap, want_lap, sizeof lap) == 0, "Laplace pins: %lld %lld %lld %lld %lld %lld %lld %lld",
             (long long)lap[0], (long long)lap[1], (long long)lap[2], (long long)lap[3], (long long)lap[4],
             (long long)lap[5], (long long)lap[6], (long long)lap[7]);
    CW_CHECK(t, memcmp(gau, want_gau, sizeof gau) == 0, "Gaussian pins: %lld %lld %lld %lld %lld %lld %lld %lld",
             (long long)gau[0], (long long)gau[1], (long long)gau[2], (long long)gau[3], (long long)gau[4],
             (long long)gau[5], (long long)gau[6], (long long)gau[7]);
    CW_CHECK(t, memcmp(bex, want_bex, sizeof bex) == 0, "bernoulli_exp pins: %d %d %d %d %d %d %d %d", bex[0], bex[1],
             bex[2], bex[3], bex[4], bex[5], bex[6], bex[7]);
}
#endif

void test_dp_sample(cw_test *t) {
    test_sources(t);
    test_fail_closed(t);
    test_exact_small(t);
    test_trees(t);
    test_gaussian_gamma(t);
    test_moments_helpers(t);
    cw_dp_secure sec;
    cw_dp_secure_init(&sec);
#ifdef DP_TEST_RNG
    cw_dp_chacha c;
    cw_dp_chacha_init(&c, 20200402);
    test_fit(t, &c.base, 200000, 200000, 1);
    test_fit(t, &sec.base, 0, 100000, 0); /* and a subset on getentropy (not reproducible) */
    test_pins(t);
#else
    test_fit(t, &sec.base, 200000, 200000, 1);
#endif
    cw_dp_secure_wipe(&sec);
}
