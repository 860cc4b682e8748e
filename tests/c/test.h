/* test.h — a tiny test harness for the C core (after antirez's testhelp.h): checks count
 * into an explicit state struct, failures print where and why, main prints "N passed, N failed". */
#ifndef CW_TEST_H
#define CW_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    int passed;
    int failed;
    const char *suite;
} cw_test;

#define CW_CHECK(t, cond, ...)                                                    \
    do {                                                                          \
        if (cond) {                                                               \
            (t)->passed++;                                                        \
        } else {                                                                  \
            (t)->failed++;                                                        \
            fprintf(stderr, "FAIL %s %s:%d: %s — ", (t)->suite, __FILE__, __LINE__, \
                    #cond);                                                       \
            fprintf(stderr, __VA_ARGS__);                                         \
            fputc('\n', stderr);                                                  \
        }                                                                         \
    } while (0)

/* |got - want| <= rel * |want| (or both the same non-finite value); rel is chosen per test. */
static inline int cw_close(double got, double want, double rel) {
    if (isnan(want)) return isnan(got);
    if (isinf(want)) return got == want;
    if (want == 0.0) return fabs(got) <= rel;
    return fabs(got - want) <= rel * fabs(want);
}

#define CW_CHECK_CLOSE(t, got, want, rel)                                          \
    CW_CHECK(t, cw_close((got), (want), (rel)), "got %.17g want %.17g (rel err %.3g, tol %.3g)", \
             (double)(got), (double)(want),                                        \
             (want) != 0 ? fabs(((got) - (want)) / (want)) : fabs(got), (double)(rel))

/* Suites: each test_*.c defines one of these; test_main.c lists them. */
void test_csv(cw_test *t);
void test_reserve(cw_test *t);
void test_json(cw_test *t);
void test_moments(cw_test *t);
void test_analysis(cw_test *t);
void test_oracle(cw_test *t);
void test_dist(cw_test *t);
void test_counts(cw_test *t);
void test_boot(cw_test *t);
void test_power(cw_test *t);
void test_number(cw_test *t);
void test_ols(cw_test *t);
void test_did(cw_test *t);
void test_dp_sample(cw_test *t);
void test_dp_fixed(cw_test *t);
void test_dp_budget(cw_test *t);
void test_dp_interval(cw_test *t);
void test_dp_interval_wb(cw_test *t);
void test_private(cw_test *t);
void test_dp_tester(cw_test *t);
void test_dp_coverage(cw_test *t);
void test_adjust(cw_test *t);

#endif
