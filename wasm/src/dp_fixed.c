/* dp_fixed.c — decimal text to an integer count of resolution units and back (DP-SPEC B1), in
 * exact decimal arithmetic on the digit string itself; no double is ever formed.
 *
 * Parsing. The text is scanned once in the grammar of number.c (same trimming, same missing
 * tokens through cw_is_missing); the digits (integer and fraction parts taken as one string
 * D, leading and trailing zeros stripped, so D = S * 10^k with S's first and last digits
 * non-zero) give the position q of the leading digit of v * 10^d, i.e. 10^q <= |v| 10^d <
 * 10^(q+1). Only q decides what happens:
 *   q >= 16        |v| 10^d >= 10^16: out of range, whatever the other digits are;
 *   q <= -2        0 < |v| 10^d < 0.1: the integer part is 0 and the fraction is non-zero and
 *                  below one half, so the result is 0 or -+1 by the mode;
 *   -1 <= q <= 15  the integer part is the first q + 1 digits of S (zero-padded; < 10^16 fits
 *                  int64), and the fraction is compared with one half through the next digit
 *                  alone (it is 5 with nothing after it exactly at a tie, because trailing
 *                  zeros were stripped).
 * So the work is linear in the length of the text and the exponent only enters q, which is
 * computed with the exponent saturated at +-2^59 (any larger exponent gives the same q branch),
 * so no size of exponent or digit count can overflow. Rounding is to nearest with ties to even
 * (IEEE 754 roundTiesToEven, the decimal module's ROUND_HALF_EVEN), floor or ceiling.
 *
 * Formatting writes the digits of |units| from a 128-bit integer; a half unit (half = 1, odd
 * units) is exactly the digits of floor(|units| / 2) followed by a 5 one place further right. */
#include "dp_fixed.h"

#include "number.h"

/* Texts are at most 2^40 bytes (far beyond any CSV field), so every digit count and position
 * is below 2^40 in magnitude; exponents saturate at 2^59, which leaves q on the same side of
 * [-1, 15] as the true exponent would, and e * 10 + 9 never overflows. */
#define MAX_TEXT ((uint64_t)1 << 40)
#define EXP_SAT ((int64_t)1 << 59)

typedef struct {
    const char *ip, *fp; /* integer and fraction digits */
    int64_t ni, nf;      /* their counts */
    int neg;
    int64_t e; /* decimal exponent, saturated at +-EXP_SAT */
} dec_text;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* [+-]? (digits (P digits?)? | P digits) ([eE] [+-]? digits)? over exactly n bytes: 1 when the
 * text has that form (number.c's scan_decimal), with its parts in *x. */
static int scan(const char *s, int64_t n, char point, dec_text *x) {
    int64_t i = 0;
    x->neg = 0;
    x->e = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) x->neg = s[i++] == '-';
    x->ip = s + i;
    while (i < n && is_digit(s[i])) i++;
    x->ni = (int64_t)(s + i - x->ip);
    x->fp = s + i;
    x->nf = 0;
    if (i < n && s[i] == point) {
        x->fp = s + ++i;
        while (i < n && is_digit(s[i])) i++;
        x->nf = (int64_t)(s + i - x->fp);
    }
    if (x->ni + x->nf == 0) return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        int eneg = 0;
        int64_t e = 0, ed = 0;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
        for (; i < n && is_digit(s[i]); i++, ed++)
            if (e < EXP_SAT) e = e * 10 + (s[i] - '0');
        if (ed == 0) return 0;
        if (e > EXP_SAT) e = EXP_SAT;
        x->e = eneg ? -e : e;
    }
    return i == n;
}

/* Digit k of the integer digits followed by the fraction digits. */
static int digit_at(const dec_text *x, int64_t k) {
    return k < x->ni ? x->ip[k] - '0' : x->fp[k - x->ni] - '0';
}

cw_fix_kind cw_fix_parse(const char *s, size_t len, char point, int d, cw_round mode, int64_t *out) {
    *out = 0;
    size_t n = len;
    const char *t = cw_trim(s, &n);
    dec_text x;
    if (n == 0 || (uint64_t)n > MAX_TEXT || !scan(t, (int64_t)n, point, &x))
        return cw_is_missing(t, n) ? CW_FIX_MISSING : CW_FIX_INVALID;
    if (d < CW_FIX_MIN_D || d > CW_FIX_MAX_D) return CW_FIX_INVALID; /* a caller's error, not data */
    int64_t total = x.ni + x.nf, lz = 0, tz = 0;
    while (lz < total && digit_at(&x, lz) == 0) lz++;
    if (lz == total) return CW_FIX_OK; /* zero, any sign and exponent */
    while (digit_at(&x, total - 1 - tz) == 0) tz++;
    int64_t sig = total - lz - tz; /* S = digits lz .. lz + sig - 1 */
    /* The leading digit of S has weight 10^(ni - lz - 1 + e) in v, 10^q in v 10^d. */
    int64_t q = x.ni - lz - 1 + (int64_t)d + x.e;
    if (q >= 16) return CW_FIX_RANGE;
    uint64_t whole = 0;
    int frac; /* 0: none, 1: below half, 2: exactly half, 3: above half */
    if (q <= -2) {
        frac = 1;
    } else {
        int64_t k = 0;
        for (; k <= q; k++) whole = whole * 10 + (uint64_t)(k < sig ? digit_at(&x, lz + k) : 0);
        if (k >= sig) {
            frac = 0;
        } else {
            int next = digit_at(&x, lz + k);
            frac = next < 5 ? 1 : next > 5 ? 3 : k + 1 < sig ? 3 : 2;
        }
    }
    switch (mode) {
    case CW_ROUND_HALF_EVEN:
        whole += frac == 3 || (frac == 2 && (whole & 1));
        break;
    case CW_ROUND_FLOOR: /* toward -inf: the magnitude grows for negatives */
        whole += x.neg && frac != 0;
        break;
    case CW_ROUND_CEIL:
        whole += !x.neg && frac != 0;
        break;
    default:
        return CW_FIX_INVALID;
    }
    if (whole > (uint64_t)CW_FIX_MAX_UNITS) return CW_FIX_RANGE;
    *out = x.neg ? -(int64_t)whole : (int64_t)whole;
    return CW_FIX_OK;
}

int cw_fix_resolution(const char *s, size_t len, int *d) {
    int64_t lo, hi;
    /* At the finest resolution 10^-9 the admissible texts are 10^0 .. 10^15 units exactly. */
    if (cw_fix_parse(s, len, '.', CW_FIX_MAX_D, CW_ROUND_FLOOR, &lo) != CW_FIX_OK ||
        cw_fix_parse(s, len, '.', CW_FIX_MAX_D, CW_ROUND_CEIL, &hi) != CW_FIX_OK || lo != hi || lo < 1)
        return -1;
    int k = 0;
    while (lo % 10 == 0) lo /= 10, k++;
    if (lo != 1) return -1;
    *d = CW_FIX_MAX_D - k;
    return 0;
}

size_t cw_fix_format(cw_dp_i128 units, int d, int half, char *buf, size_t size) {
    __extension__ typedef unsigned __int128 u128;
    if (size == 0) return 0;
    buf[0] = '\0';
    if (d < CW_FIX_MIN_D || d > CW_FIX_MAX_D || (half != 0 && half != 1)) return 0;
    int neg = units < 0;
    u128 m = neg ? (u128)(-(units + 1)) + 1 : (u128)units; /* |units|, also for the minimum */
    char dig[48];
    int nd = 0, scale = d;
    if (half && (m & 1)) { /* m/2 = floor(m/2) + 0.5: digits of floor(m/2), then a 5 */
        dig[nd++] = '5';
        scale++;
    }
    if (half) m >>= 1;
    while (m) { /* least significant first */
        dig[nd++] = (char)('0' + (int)(m % 10));
        m /= 10;
    }
    if (nd > 0) {
        /* drop trailing zeros of the fraction; scale < 0 appends zeros instead */
        int drop = 0;
        while (drop < scale && dig[drop] == '0') drop++;
        char tmp[80];
        size_t p = 0;
        if (neg) tmp[p++] = '-';
        int ndig = nd - drop, sc = scale - drop; /* value = digits(dig[drop..nd)) * 10^-sc */
        if (sc <= 0) {
            for (int i = nd - 1; i >= drop; i--) tmp[p++] = dig[i];
            for (int i = 0; i < -sc; i++) tmp[p++] = '0';
        } else if (ndig > sc) {
            for (int i = nd - 1; i >= drop; i--) {
                tmp[p++] = dig[i];
                if (i - drop == sc) tmp[p++] = '.';
            }
        } else {
            tmp[p++] = '0';
            tmp[p++] = '.';
            for (int i = 0; i < sc - ndig; i++) tmp[p++] = '0';
            for (int i = nd - 1; i >= drop; i--) tmp[p++] = dig[i];
        }
        if (p + 1 > size) return 0;
        for (size_t i = 0; i < p; i++) buf[i] = tmp[i];
        buf[p] = '\0';
        return p;
    }
    if (size < 2) return 0;
    buf[0] = '0';
    buf[1] = '\0';
    return 1;
}
