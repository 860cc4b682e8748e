/* test_json.c — the JSON writer: escaping, nesting, and shortest round-trip numbers. */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "test.h"

void test_json(cw_test *t) {
    cw_json j;
    cw_json_init(&j);
    cw_json_begin_object(&j);
    cw_json_key(&j, "a");
    cw_json_begin_array(&j);
    cw_json_number(&j, 0.1);
    cw_json_number(&j, 1.0 / 3.0);
    cw_json_number(&j, -0.0);
    cw_json_number(&j, 1e-300);
    cw_json_number(&j, NAN);
    cw_json_int(&j, -42);
    cw_json_end_array(&j);
    cw_json_key(&j, "s");
    cw_json_string(&j, "q\"b\\n\n\t\x01é");
    cw_json_key(&j, "e");
    cw_json_begin_object(&j);
    cw_json_end_object(&j);
    cw_json_key(&j, "t");
    cw_json_bool(&j, 1);
    cw_json_end_object(&j);
    char *s = cw_json_take(&j);
    const char *want =
        "{\"a\":[0.1,0.3333333333333333,-0,1e-300,null,-42],\"s\":\"q\\\"b\\\\n\\n\\t\\u0001é\","
        "\"e\":{},\"t\":true}";
    CW_CHECK(t, s && strcmp(s, want) == 0, "got %s", s ? s : "(null)");
    free(s);

    /* Every formatted double reads back exactly: the "full precision" promise of the schema. */
    double xs[] = {5e-324, 2.2250738585072014e-308, 0.1 + 0.2, 123456789.123456789, 1e22, 9007199254740993.0,
                   -7.0 / 3.0};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        char b[32];
        cw_format_double(xs[i], b);
        CW_CHECK(t, strtod(b, NULL) == xs[i], "%.17g printed as %s", xs[i], b);
    }

    /* The search for the shortest text (16 and 15 first) prints what trying every precision from
     * 1 prints (the definition), on doubles of every exponent: random bit patterns, values with
     * few digits, and values near powers of two and ten. */
    uint64_t state = 0x9E3779B97F4A7C15u;
    int same = 1;
    char first[96] = "";
    for (int i = 0; i < 30000; i++) {
        state ^= state << 13, state ^= state >> 7, state ^= state << 17;
        double x;
        switch (i % 4) {
        case 0: memcpy(&x, &state, sizeof x); break;
        case 1: x = (double)(state % 100000) / 1000.0; break;
        case 2: x = ldexp(1.0, (int)(state % 2000) - 1000) * (state & 1 ? 1.0 : -1.0); break;
        default: x = pow(10.0, (double)(state % 600) - 300.0) * (1.0 + (double)(state >> 60) * 1e-15); break;
        }
        if (!isfinite(x)) continue;
        char got[32], ref[32];
        cw_format_double(x, got);
        if (x == floor(x) && fabs(x) < 1e15) snprintf(ref, sizeof ref, "%.0f", x);
        else
            for (int p = 1; p <= 17; p++) {
                snprintf(ref, sizeof ref, "%.*g", p, x);
                if (strtod(ref, NULL) == x) break;
            }
        if (strcmp(got, ref) != 0 && same) {
            same = 0;
            snprintf(first, sizeof first, "%.17g: %s, not %s", x, got, ref);
        }
        if (strtod(got, NULL) != x) same = 0;
    }
    CW_CHECK(t, same, "shortest text differs: %s", first);
}
