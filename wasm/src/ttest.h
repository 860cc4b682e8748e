/* ttest.h — two-sample comparisons of means from summary moments: Welch and Student t. */
#ifndef CW_TTEST_H
#define CW_TTEST_H

#include "moments.h"

typedef struct {
    double difference, se, df, t, p_value, ci_low, ci_high;
    const char *unavailable; /* NULL, or why every field but difference is unavailable */
} cw_ttest;

/* treatment minus control, two-sided, (1 - alpha) interval. */
void cw_welch(const cw_moments *treat, const cw_moments *ctrl, double alpha, cw_ttest *out);
void cw_student(const cw_moments *treat, const cw_moments *ctrl, double alpha, cw_ttest *out);

/* t interval for one mean: mean +- qt(1 - alpha/2, n - 1) * sd / sqrt(n). */
typedef struct {
    double sd, se, ci_low, ci_high;
    const char *unavailable;    /* why sd, se and the interval are unavailable (n < 2) */
    const char *ci_unavailable; /* why only the interval is (zero spread) */
} cw_mean_ci;
void cw_mean_interval(const cw_moments *m, double alpha, cw_mean_ci *out);

#endif
