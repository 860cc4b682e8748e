/* text.h — the text encodings the CSV reader takes: UTF-8, checked as it arrives, and
 * Windows-1252 (what Excel's plain "CSV" export writes on Western-European Windows), turned into
 * UTF-8 so that everything after the reader sees UTF-8 only. */
#ifndef CW_TEXT_H
#define CW_TEXT_H

#include <stddef.h>

/* The offset of the first byte of p[0..n) that does not begin a whole, valid UTF-8 sequence
 * (RFC 3629, section 4: no overlong forms, no surrogates, nothing above U+10FFFF), or n when
 * there is none. At that offset, *cut is 1 when the bytes are the valid beginning of a sequence
 * that p's end cuts short (more bytes may complete it), else 0. *multibyte is set to 1 when a
 * valid sequence of two or more bytes lies before it (left alone otherwise). */
size_t cw_utf8_check(const unsigned char *p, size_t n, int *cut, int *multibyte);

/* s, NUL-terminated, with every byte that is not part of a valid UTF-8 sequence dropped, in
 * place: text cut to a byte length (a value quoted in a message, a long name) may end in half a
 * character, and what leaves the core must be UTF-8. */
void cw_utf8_repair(char *s);

/* How many bytes longer Windows-1252 text p[0..n) is in UTF-8 (WHATWG Encoding's
 * index-windows-1252: 0x80-0x9F are the typographic marks and letters of that table, the five
 * unassigned ones the C1 controls; 0xA0-0xFF are U+00A0-U+00FF). */
size_t cw_cp1252_extra(const unsigned char *p, size_t n);

/* p[0..n), Windows-1252, rewritten as UTF-8 in place, from the back: p has room for
 * n + extra bytes, extra being cw_cp1252_extra(p, n). */
void cw_cp1252_to_utf8(unsigned char *p, size_t n, size_t extra);

#endif
