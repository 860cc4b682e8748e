/* test_json.c — the JSON writer: escaping, nesting, and shortest round-trip numbers. */
#include <stdlib.h>

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
}
