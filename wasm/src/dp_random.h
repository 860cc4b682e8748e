/* dp_random.h — where the differential-privacy samplers (dp_sample.h) get their random bytes.
 *
 * A source is a struct whose first member is a cw_dp_source: a function pointer that fills a
 * buffer, the word size the samplers draw in, and a sticky failure flag. The samplers only ever
 * read through cw_dp_read(), so the source is always an explicit argument (no global state).
 *
 *  - cw_dp_secure: the only source for releases. getentropy() from <unistd.h> (glibc >= 2.25,
 *    musl, Emscripten >= 2.0.5; in Emscripten it is crypto.getRandomValues in browsers and
 *    crypto.randomBytes in Node), called for 256 bytes at a time (getentropy's limit, DP-SPEC
 *    B4) with its return value checked. Never rand(), random(), emscripten_random() (which is
 *    Math.random) or a seeded generator.
 *  - cw_dp_tape: replays a given byte string and then reports exhaustion (tests: exact
 *    enumeration of every tape, DP-SPEC (c)2).
 *  - cw_dp_chacha: ChaCha20 (RFC 8439, section 2.3) keyed by a 64-bit seed. TEST ONLY: compiled
 *    only when DP_TEST_RNG is defined, so a release build has no seeded entry point
 *    (DP-SPEC (c)12). Build the tests with -DDP_TEST_RNG and never the CLI or the WASM module.
 *
 * Fail closed: the first failed fill sets src->failed, after which every read and every sampler
 * returns CW_DP_ERR_ENTROPY (and writes 0 to its output) — even if the underlying source would
 * work again — so a release can never mix noise drawn before and after a failure.
 *
 * Note for Emscripten 3.1.6 (src/library.js): its getentropy() fills byte by byte from
 * crypto.getRandomValues (browser) or require("crypto").randomBytes (Node), and when neither
 * exists it calls abort("randomDevice"), which throws out of the WASM call rather than
 * returning -1. That is still fail-closed (no sample comes back), but the caller sees a JS
 * exception instead of CW_DP_ERR_ENTROPY. */
#ifndef CW_DP_RANDOM_H
#define CW_DP_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Unsigned 128-bit integers: gcc and clang on 64-bit hosts, and Emscripten's clang on wasm32
 * (compiler-rt supplies __multi3, __udivti3, __umodti3). */
__extension__ typedef unsigned __int128 cw_dp_u128;

/* Status of every function in dp_random.h and dp_sample.h. */
typedef enum {
    CW_DP_OK = 0,
    CW_DP_ERR_ENTROPY,  /* the source failed, ran out, or produced a run that a working source
                         * produces with probability below 2^-1000 (see dp_sample.h) */
    CW_DP_ERR_OVERFLOW, /* an intermediate would not fit in 128 bits (unreachable within the
                         * documented parameter limits; kept as a guard) */
    CW_DP_ERR_PARAM,    /* a parameter outside its documented domain */
    CW_DP_STATUS_COUNT
} cw_dp_status;

/* One sentence per status; never NULL. */
const char *cw_dp_strerror(cw_dp_status status);

/* The most bytes a source's fill() is ever asked for at once (getentropy's limit). */
#define CW_DP_CHUNK 256

typedef struct cw_dp_source cw_dp_source;
struct cw_dp_source {
    /* Write len (1..CW_DP_CHUNK) random bytes to buf; return 0 on success, non-zero on any
     * failure. `self` is the struct this member heads, so implementations keep their state
     * next to it. */
    int (*fill)(cw_dp_source *self, uint8_t *buf, size_t len);
    /* Word size w of the uniform draws (dp_sample.h): 64 in production (0 also means 64);
     * tests set 1, 2, 4, 8, 16 or 32 so that every tape can be enumerated. Words of w < 8 bits
     * take one byte each and use its low w bits; larger words are w/8 bytes, big-endian. */
    unsigned word_bits;
    int failed; /* sticky: set by the first failed fill */
    /* Tests only, NULL otherwise. When dp_sample.c is compiled with DP_TEST_RNG, a non-NULL
     * draw_below supplies every uniform draw below m >= 2 directly (return 0 and *out < m, or
     * non-zero to fail), so a test can walk the probability tree of the draws' outcomes instead
     * of raw bits. When a > 0 the sampler only asks whether the draw is below a (a Bernoulli
     * (a/m) draw), so the test may answer one representative per class (0 for "below", a for
     * "not below") with weights a/m and 1 - a/m; a = 0 means the value itself is used. A release
     * build refuses a source that sets it (CW_DP_ERR_PARAM). */
    int (*draw_below)(cw_dp_source *self, cw_dp_u128 m, cw_dp_u128 a, cw_dp_u128 *out);
};

/* Fill buf[0..len) through src->fill in chunks of at most CW_DP_CHUNK bytes. On failure (or if
 * the source had already failed) buf is zeroed and CW_DP_ERR_ENTROPY returned. */
cw_dp_status cw_dp_read(cw_dp_source *src, void *buf, size_t len);

/* ---- the secure source (getentropy) ------------------------------------------------------ */
typedef struct {
    cw_dp_source base;
    uint8_t buf[CW_DP_CHUNK]; /* one getentropy() block; bytes are zeroed as they are handed out */
    size_t pos;               /* next unread byte of buf (CW_DP_CHUNK: empty) */
} cw_dp_secure;

void cw_dp_secure_init(cw_dp_secure *s);
/* Zero whatever unread entropy is still buffered (call when a release is done). */
void cw_dp_secure_wipe(cw_dp_secure *s);

/* ---- the tape source (tests) ------------------------------------------------------------- */
typedef struct {
    cw_dp_source base;
    const uint8_t *bytes; /* not owned: must outlive the tape */
    size_t len, pos;      /* pos = bytes handed out so far */
    int exhausted;        /* a read asked for more than was left (that read got nothing) */
} cw_dp_tape;

void cw_dp_tape_init(cw_dp_tape *t, const uint8_t *bytes, size_t len, unsigned word_bits);

/* ---- the seeded source (tests only) ------------------------------------------------------ */
#ifdef DP_TEST_RNG
/* ChaCha20 keystream with key = seed (8 bytes little-endian, then 24 zero bytes), nonce 0 and
 * block counter 0, 1, 2, ... (RFC 8439 layout). After 2^32 blocks it reports exhaustion
 * rather than repeat. NOT for privacy: anyone who knows the seed knows the noise. */
typedef struct {
    cw_dp_source base;
    uint32_t key[8];
    uint64_t counter; /* next block */
    uint8_t block[64];
    size_t pos;       /* next unread byte of block (64: empty) */
} cw_dp_chacha;

void cw_dp_chacha_init(cw_dp_chacha *c, uint64_t seed);
/* The RFC 8439 section 2.3 block function (exposed for its test vector). */
void cw_dp_chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
                          uint8_t out[64]);
#endif

#endif
