/* dp_random.c — random byte sources for the DP samplers (see dp_random.h): getentropy() for
 * releases, a replayed tape for exhaustive tests, and ChaCha20 (D. J. Bernstein 2008; RFC 8439
 * section 2.3) as a seeded generator for tests only (DP_TEST_RNG). */
#define _DEFAULT_SOURCE /* getentropy() in <unistd.h> under -std=c11 (glibc and musl) */
#include "dp_random.h"

#include <string.h>
#include <unistd.h>

const char *cw_dp_strerror(cw_dp_status status) {
    switch (status) {
    case CW_DP_OK: return "ok";
    case CW_DP_ERR_ENTROPY:
        return "the random source failed or ran out (or produced a run no working source would): "
               "no noise was drawn, nothing may be released";
    case CW_DP_ERR_OVERFLOW: return "an intermediate value of the noise sampler would overflow";
    case CW_DP_ERR_PARAM: return "a noise parameter is outside its supported range";
    default: return "unknown DP sampler status";
    }
}

cw_dp_status cw_dp_read(cw_dp_source *src, void *buf, size_t len) {
    uint8_t *p = buf;
    size_t done = 0;
    while (!src->failed && done < len) {
        size_t n = len - done < CW_DP_CHUNK ? len - done : CW_DP_CHUNK;
        if (src->fill(src, p + done, n) != 0) src->failed = 1;
        else done += n;
    }
    if (src->failed) { /* never hand back a partly filled buffer */
        memset(buf, 0, len);
        return CW_DP_ERR_ENTROPY;
    }
    return CW_DP_OK;
}

/* ---- getentropy ----------------------------------------------------------------------------- */
static int secure_fill(cw_dp_source *self, uint8_t *buf, size_t len) {
    cw_dp_secure *s = (cw_dp_secure *)self; /* base is the first member */
    while (len > 0) {
        if (s->pos >= CW_DP_CHUNK) {
            /* getentropy fails (EIO) above 256 bytes on glibc; ask for exactly one block */
            if (getentropy(s->buf, CW_DP_CHUNK) != 0) return -1;
            s->pos = 0;
        }
        size_t n = CW_DP_CHUNK - s->pos < len ? CW_DP_CHUNK - s->pos : len;
        memcpy(buf, s->buf + s->pos, n);
        memset(s->buf + s->pos, 0, n); /* a byte handed out is never kept */
        s->pos += n;
        buf += n;
        len -= n;
    }
    return 0;
}

void cw_dp_secure_init(cw_dp_secure *s) {
    memset(s, 0, sizeof *s);
    s->base.fill = secure_fill;
    s->base.draw_below = NULL;
    s->base.word_bits = 64;
    s->pos = CW_DP_CHUNK;
}

void cw_dp_secure_wipe(cw_dp_secure *s) {
    memset(s->buf, 0, sizeof s->buf);
    s->pos = CW_DP_CHUNK;
}

/* ---- tape ----------------------------------------------------------------------------------- */
static int tape_fill(cw_dp_source *self, uint8_t *buf, size_t len) {
    cw_dp_tape *t = (cw_dp_tape *)self;
    if (len > t->len - t->pos) { /* report exhaustion; hand out nothing */
        t->exhausted = 1;
        return -1;
    }
    memcpy(buf, t->bytes + t->pos, len);
    t->pos += len;
    return 0;
}

void cw_dp_tape_init(cw_dp_tape *t, const uint8_t *bytes, size_t len, unsigned word_bits) {
    t->base.fill = tape_fill;
    t->base.word_bits = word_bits;
    t->base.failed = 0;
    t->base.draw_below = NULL;
    t->bytes = bytes;
    t->len = bytes ? len : 0;
    t->pos = 0;
    t->exhausted = 0;
}

/* ---- ChaCha20, tests only ----------------------------------------------------------------- */
#ifdef DP_TEST_RNG
static uint32_t rotl32(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static uint32_t load32le(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define CW_QR(a, b, c, d)                                                                          \
    do {                                                                                           \
        a += b; d ^= a; d = rotl32(d, 16);                                                         \
        c += d; b ^= c; b = rotl32(b, 12);                                                         \
        a += b; d ^= a; d = rotl32(d, 8);                                                          \
        c += d; b ^= c; b = rotl32(b, 7);                                                          \
    } while (0)

static void chacha_core(const uint32_t in[16], uint8_t out[64]) {
    uint32_t x[16];
    memcpy(x, in, sizeof x);
    for (int i = 0; i < 10; i++) { /* 20 rounds: column round, then diagonal round */
        CW_QR(x[0], x[4], x[8], x[12]);
        CW_QR(x[1], x[5], x[9], x[13]);
        CW_QR(x[2], x[6], x[10], x[14]);
        CW_QR(x[3], x[7], x[11], x[15]);
        CW_QR(x[0], x[5], x[10], x[15]);
        CW_QR(x[1], x[6], x[11], x[12]);
        CW_QR(x[2], x[7], x[8], x[13]);
        CW_QR(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++) {
        uint32_t v = x[i] + in[i];
        out[4 * i] = (uint8_t)v;
        out[4 * i + 1] = (uint8_t)(v >> 8);
        out[4 * i + 2] = (uint8_t)(v >> 16);
        out[4 * i + 3] = (uint8_t)(v >> 24);
    }
}
#undef CW_QR

static void chacha_state(uint32_t st[16], const uint32_t key[8], uint32_t counter, const uint32_t nonce[3]) {
    st[0] = 0x61707865u; /* "expand 32-byte k" */
    st[1] = 0x3320646eu;
    st[2] = 0x79622d32u;
    st[3] = 0x6b206574u;
    memcpy(st + 4, key, 8 * sizeof *key);
    st[12] = counter;
    st[13] = nonce[0];
    st[14] = nonce[1];
    st[15] = nonce[2];
}

void cw_dp_chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12], uint8_t out[64]) {
    uint32_t k[8], n[3], st[16];
    for (int i = 0; i < 8; i++) k[i] = load32le(key + 4 * i);
    for (int i = 0; i < 3; i++) n[i] = load32le(nonce + 4 * i);
    chacha_state(st, k, counter, n);
    chacha_core(st, out);
}

static int chacha_fill(cw_dp_source *self, uint8_t *buf, size_t len) {
    cw_dp_chacha *c = (cw_dp_chacha *)self;
    const uint32_t nonce[3] = {0, 0, 0};
    while (len > 0) {
        if (c->pos >= sizeof c->block) {
            if (c->counter > UINT32_MAX) return -1; /* keystream used up: never repeat it */
            uint32_t st[16];
            chacha_state(st, c->key, (uint32_t)c->counter, nonce);
            chacha_core(st, c->block);
            c->counter++;
            c->pos = 0;
        }
        size_t n = sizeof c->block - c->pos < len ? sizeof c->block - c->pos : len;
        memcpy(buf, c->block + c->pos, n);
        c->pos += n;
        buf += n;
        len -= n;
    }
    return 0;
}

void cw_dp_chacha_init(cw_dp_chacha *c, uint64_t seed) {
    memset(c, 0, sizeof *c);
    c->base.fill = chacha_fill;
    c->base.draw_below = NULL;
    c->base.word_bits = 64;
    c->key[0] = (uint32_t)seed;
    c->key[1] = (uint32_t)(seed >> 32);
    c->pos = sizeof c->block;
}
#endif
