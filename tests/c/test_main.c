/* test_main.c — runs every C test suite and prints the closing "N passed, N failed" line. */
#include <stdlib.h>

#include "test.h"

int main(void) {
    cw_test t = {0, 0, ""};
    struct {
        const char *name;
        void (*fn)(cw_test *);
    } suites[] = {
        {"json", test_json},         {"number", test_number}, {"csv", test_csv},  {"moments", test_moments},
        {"analysis", test_analysis}, {"oracle", test_oracle}, {"dist", test_dist},
        {"counts", test_counts},     {"boot", test_boot},   {"power", test_power},
        {"ols", test_ols},           {"did", test_did},          {"adjust", test_adjust},
        {"dp_sample", test_dp_sample}, {"dp_fixed", test_dp_fixed}, {"dp_budget", test_dp_budget},
    };
    for (size_t i = 0; i < sizeof suites / sizeof *suites; i++) {
        int before_p = t.passed, before_f = t.failed;
        t.suite = suites[i].name;
        suites[i].fn(&t);
        printf("%-10s %d passed, %d failed\n", suites[i].name, t.passed - before_p, t.failed - before_f);
    }
    printf("%d passed, %d failed\n", t.passed, t.failed);
    return t.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
