/* sha256.h — SHA-256 (FIPS 180-4) over data given in pieces: the private release's session
 * fingerprint of its true aggregates (private.c), never written into any output. */
#ifndef CW_SHA256_H
#define CW_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t bytes;       /* message length so far */
    uint8_t block[64];
    size_t used;          /* bytes waiting in block */
} cw_sha256;

void cw_sha256_init(cw_sha256 *s);
void cw_sha256_update(cw_sha256 *s, const void *data, size_t len);
void cw_sha256_final(cw_sha256 *s, uint8_t out[32]);

#endif
