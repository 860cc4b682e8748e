/* power.h — power and sample size for comparing two means (t test) or two proportions, as R's
 * power.t.test and power.prop.test: given all but one of n, effect and power at a significance
 * level, solve for the one left. The effect solved for is the minimum detectable effect:
 * delta for means, p2 - p1 for proportions. */
#ifndef CW_POWER_H
#define CW_POWER_H

typedef enum {
    CW_SOLVE_POWER,  /* power from n and the effect */
    CW_SOLVE_N,      /* n per group (pairs when paired) from the effect and power */
    CW_SOLVE_EFFECT  /* delta (means) or p2 (proportions) from n and power */
} cw_power_solve;

typedef enum {
    CW_TWO_SAMPLE, /* n in each group; df = 2 (n - 1), ncp = sqrt(n/2) delta/sd */
    CW_ONE_SAMPLE, /* df = n - 1, ncp = sqrt(n) delta/sd */
    CW_PAIRED      /* as one sample: n pairs, sd of the within-pair differences */
} cw_power_sample;

typedef struct {
    cw_power_solve solve;
    cw_power_sample sample; /* means only */
    int one_sided;          /* 0: two-sided (R's default alternative) */
    int strict;             /* two-sided only: 1 also counts rejections in the wrong tail
                               (R's strict = TRUE); 0 counts only the tail of the effect (R's
                               default), so the power at zero effect is alpha/2, not alpha */
    int decrease;           /* proportions, CW_SOLVE_EFFECT: look for p2 in [0, p1] instead of
                               [p1, 1] (R looks only above p1) */
} cw_power_opts;

/* Means. In: n, delta, sd, sig_level and power, except the one opts->solve names (ignored).
 * Two-sided, delta is taken as |delta|, as R does. */
typedef struct {
    double n, delta, sd, sig_level, power;
    int evaluations;         /* power-function evaluations the solver used */
    const char *unavailable; /* NULL, or why there is no answer; the solved field is then NaN */
} cw_power_means;

/* Proportions. In: n, p1, p2, sig_level and power, except the one solved (p2 for
 * CW_SOLVE_EFFECT). Out: the same, with effect = p2 - p1. */
typedef struct {
    double n, p1, p2, effect, sig_level, power;
    int evaluations;
    const char *unavailable;
} cw_power_props;

/* Solve. given and out may be the same struct. Never fails silently: either every field is a
 * number and unavailable is NULL, or unavailable says why (bad input, power not above alpha,
 * n needed below R's search start — 2 for means, 1 for proportions — no p2 in range, ...). */
void cw_power_t(const cw_power_means *given, const cw_power_opts *opts, cw_power_means *out);
void cw_power_prop(const cw_power_props *given, const cw_power_opts *opts, cw_power_props *out);

/* The power equations themselves (R's p.body), for power curves: NaN for arguments outside
 * their domain, NaN in gives NaN out. opts->solve and opts->decrease are not used. */
double cw_power_t_power(double n, double delta, double sd, double sig_level,
                        const cw_power_opts *opts);
double cw_power_prop_power(double n, double p1, double p2, double sig_level,
                           const cw_power_opts *opts);

#endif
