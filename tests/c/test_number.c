/* test_number.c — field text to double: every accepted text equals strtod's correctly rounded
 * value (the inline fast path, Clinger's path and strtod itself), the missing tokens, and the
 * texts that are not numbers. */
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "rng.h"
#include "test.h"

void test_number(cw_test *t) {
    const char *ok[] = {"0", "-0", "1", "12.5", ".5", "5.", "-3.25", "123456789012345", "1234567890123456789",
                        "0.1", "0.30000000000000004", "1e3", "-2.5E-3", "+7", " 42 ", "9007199254740993",
                        "1.7976931348623157e308", "4.9e-324", "000123.4500"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        double x = NAN, want = strtod(ok[i], NULL);
        cw_num_kind k = cw_parse_number(ok[i], strlen(ok[i]), '.', &x);
        CW_CHECK(t, k == CW_NUM_OK && memcmp(&x, &want, sizeof x) == 0, "'%s': %d %.17g want %.17g", ok[i], k, x, want);
    }
    const char *missing[] = {"", "NA", "n/a", "NaN", "null", "NULL", "None", "-", "#N/A", "  "};
    for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
        double x;
        CW_CHECK(t, cw_parse_number(missing[i], strlen(missing[i]), '.', &x) == CW_NUM_MISSING, "'%s'", missing[i]);
    }
    const char *bad[] = {"abc", "1,5", "0x10", "inf", "1e", "1.2.3", "--1", "1e999", "12abc", "1 000"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        double x;
        CW_CHECK(t, cw_parse_number(bad[i], strlen(bad[i]), '.', &x) == CW_NUM_INVALID, "'%s'", bad[i]);
    }
    double x;
    CW_CHECK(t, cw_parse_number("1,5", 3, ',', &x) == CW_NUM_OK && x == 1.5, "decimal comma");

    /* 200,000 random decimal texts of 1-19 digits, all three paths, against strtod */
    cw_rng r;
    cw_rng_seed(&r, 42);
    int wrong = 0;
    for (int i = 0; i < 200000; i++) {
        char b[64];
        int n = 0, digits = 1 + (int)cw_rng_below(&r, 19), point = (int)cw_rng_below(&r, (uint32_t)digits + 1);
        if (cw_rng_below(&r, 2)) b[n++] = '-';
        for (int d = 0; d < digits; d++) {
            if (d == point && point > 0) b[n++] = '.';
            b[n++] = (char)('0' + cw_rng_below(&r, 10));
        }
        if (cw_rng_below(&r, 4) == 0) n += snprintf(b + n, sizeof b - (size_t)n, "e%d", (int)cw_rng_below(&r, 60) - 30);
        b[n] = '\0';
        double want = strtod(b, NULL), got = NAN;
        if (cw_parse_number(b, (size_t)n, '.', &got) != CW_NUM_OK || memcmp(&got, &want, sizeof got) != 0) {
            if (wrong++ < 5) fprintf(stderr, "'%s': %.17g want %.17g\n", b, got, want);
        }
    }
    CW_CHECK(t, wrong == 0, "%d of 200000 random numbers differ from strtod", wrong);
}
