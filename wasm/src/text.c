/* text.c — UTF-8 checking and Windows-1252 to UTF-8 (see text.h). */
#include "text.h"

#include <stdint.h>
#include <string.h>

/* Code points of Windows-1252's bytes 0x80-0x9F (WHATWG Encoding Standard, index-windows-1252;
 * 0x81, 0x8D, 0x8F, 0x90 and 0x9D map to the C1 controls of the same number). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static unsigned cp1252_code(unsigned char b) { return b < 0xA0 ? cp1252_high[b - 0x80] : b; }

/* Whether the 8 bytes at p are all ASCII. */
static int ascii8(const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return (w & UINT64_C(0x8080808080808080)) == 0;
}

/* The offset of the first byte >= 0x80 in p[i..n), or n: a word at a time, and within the word
 * that has one, its place from the word's lowest set high bit (WebAssembly and x86 are
 * little-endian: the lowest address is the lowest byte). */
static size_t next_high(const unsigned char *p, size_t i, size_t n) {
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        w &= UINT64_C(0x8080808080808080);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        if (w) return i + ((size_t)__builtin_ctzll(w) >> 3);
#else
        if (w) break;
#endif
    }
    while (i < n && p[i] < 0x80) i++;
    return i;
}

/* RFC 3629's table of well-formed sequences (also the Unicode Standard's Table 3-7): the lead
 * byte fixes the length and the range of the second byte; later bytes are 0x80-0xBF. */
size_t cw_utf8_check(const unsigned char *p, size_t n, int *cut, int *multibyte) {
    *cut = 0;
    for (size_t i = next_high(p, 0, n); i < n; i = next_high(p, i, n)) {
        unsigned char b = p[i], lo = 0x80, hi = 0xBF;
        size_t len;
        if (b >= 0xC2 && b <= 0xDF) len = 2;
        else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            if (b == 0xE0) lo = 0xA0;      /* no overlong forms */
            else if (b == 0xED) hi = 0x9F; /* no surrogates */
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            if (b == 0xF0) lo = 0x90;      /* no overlong forms */
            else if (b == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
        } else {
            return i; /* a continuation byte without a lead, or 0xC0, 0xC1, 0xF5-0xFF */
        }
        for (size_t k = 1; k < len; k++) {
            if (i + k >= n) {
                *cut = 1;
                return i;
            }
            unsigned char c = p[i + k];
            if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return i;
        }
        *multibyte = 1;
        i += len;
    }
    return n;
}

void cw_utf8_repair(char *s) {
    unsigned char *p = (unsigned char *)s;
    size_t n = strlen(s), to = 0;
    for (size_t at = 0; at < n;) {
        int cut, multibyte = 0;
        size_t good = cw_utf8_check(p + at, n - at, &cut, &multibyte);
        memmove(p + to, p + at, good);
        to += good;
        at += good + (at + good < n); /* the byte that is not UTF-8 is dropped */
    }
    p[to] = '\0';
}

size_t cw_cp1252_extra(const unsigned char *p, size_t n) {
    size_t extra = 0;
    for (size_t i = next_high(p, 0, n); i < n; i = next_high(p, i + 1, n))
        extra += cp1252_code(p[i]) < 0x800 ? 1 : 2;
    return extra;
}

void cw_cp1252_to_utf8(unsigned char *p, size_t n, size_t extra) {
    size_t to = n + extra;
    for (size_t i = n; i-- > 0 && to > i + 1;) {
        if (i >= 8 && ascii8(p + i - 7)) { /* eight ASCII bytes move as one word */
            memmove(p + to - 8, p + i - 7, 8);
            to -= 8;
            i -= 7;
            continue;
        }
        unsigned char b = p[i];
        if (b < 0x80) {
            p[--to] = b;
            continue;
        }
        unsigned code = cp1252_code(b);
        if (code < 0x800) {
            p[--to] = (unsigned char)(0x80 | (code & 0x3F));
            p[--to] = (unsigned char)(0xC0 | (code >> 6));
        } else {
            p[--to] = (unsigned char)(0x80 | (code & 0x3F));
            p[--to] = (unsigned char)(0x80 | ((code >> 6) & 0x3F));
            p[--to] = (unsigned char)(0xE0 | (code >> 12));
        }
    }
}
