/* json.h — a small JSON writer into a growable buffer: the one place the result text is made,
 * so every face of the core prints the same bytes. Numbers use the shortest text that reads
 * back to the same double; non-finite numbers become null (callers give the reason). */
#ifndef CW_JSON_H
#define CW_JSON_H

#include <stddef.h>
#include <stdint.h>

#define CW_JSON_MAX_DEPTH 32

typedef struct {
    char *buf;
    size_t len, cap;
    int failed;                          /* out of memory: the text is incomplete */
    int depth;
    unsigned char first[CW_JSON_MAX_DEPTH]; /* 1 while the container at that depth is empty */
    int after_key;
} cw_json;

void cw_json_init(cw_json *j);
void cw_json_free(cw_json *j);
/* Take ownership of the finished text (NUL-terminated); NULL when writing failed. */
char *cw_json_take(cw_json *j);

void cw_json_begin_object(cw_json *j);
void cw_json_end_object(cw_json *j);
void cw_json_begin_array(cw_json *j);
void cw_json_end_array(cw_json *j);
void cw_json_key(cw_json *j, const char *key);
void cw_json_string(cw_json *j, const char *s);
void cw_json_string_n(cw_json *j, const char *s, size_t n);
void cw_json_number(cw_json *j, double x);
void cw_json_int(cw_json *j, int64_t x);
void cw_json_bool(cw_json *j, int b);
void cw_json_null(cw_json *j);

/* Shortest "%.{p}g" text (p = 1..17) that strtod reads back to x exactly. out needs 32 bytes. */
void cw_format_double(double x, char out[32]);

#endif
