/* test_main.c — runs every C test suite and prints the closing "N passed, N failed" line. */
#include <stdlib.h>

#include "test.h"

/* With arguments, only the suites named (e.g. build/test_c dp_tester dp_coverage). */
static int wanted(int argc, char **argv, const char *name) {
    if (argc < 2) return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

int main(int argc, char **argv) {
    cw_test t = {0, 0, ""};
    struct {
        const char *name;
        void (*fn)(cw_test *);
    } suites[] = {
        {"json", test_json},         {"number", test_number}, {"csv", test_csv},  {"reserve", test_reserve}, {"moments", test_moments},
        {"analysis", test_analysis}, {"oracle", test_oracle}, {"dist", test_dist},
        {"counts", test_counts},     {"boot", test_boot},   {"power", test_power},
        {"ols", test_ols},           {"did", test_did},          {"adjust", test_adjust},
        {"dp_sample", test_dp_sample}, {"dp_fixed", test_dp_fixed}, {"dp_budget", test_dp_budget},
        {"dp_interval", test_dp_interval}, {"dp_int_wb", test_dp_interval_wb},
        {"private", test_private},   {"dp_tester", test_dp_tester}, {"dp_coverage", test_dp_coverage},
    };
    for (size_t i = 0; i < sizeof suites / sizeof *suites; i++) {
        if (!wanted(argc, argv, suites[i].name)) continue;
        int before_p = t.passed, before_f = t.failed;
        t.suite = suites[i].name;
        suites[i].fn(&t);
        printf("%-10s %d passed, %d failed\n", suites[i].name, t.passed - before_p, t.failed - before_f);
    }
    printf("%d passed, %d failed\n", t.passed, t.failed);
    return t.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
