/* private.h — the "share privately" mode of an analysis (DP-SPEC, docs/privacy.md): declared arms,
 * bounds, resolution and budget; rows ingested as integers (dp_fixed.h), clamped and summed
 * exactly per arm; one noisy release of those sums (dp_budget.h, dp_sample.h); everything shown
 * derived from the release alone (private_report.c). Private to the core: analysis.c forwards the
 * options and rows here when --dp-epsilon is given.
 *
 * Unit of privacy: one row, or with --unit COL one id (its rows are combined first: a binary metric
 * is 1 when any of the id's rows is 1, a numeric metric is the sum of the id's values, clamped
 * after summing; an id seen in two arms is dropped). Neighbouring datasets differ by one unit
 * (added or removed). Released per arm g and metric:
 *   binary:  the table cells c_g (value 1) and f_g (value 0), L1 = L2 sensitivity 1 in total;
 *   numeric: the count n_g (sensitivity 1), T_g = sum of y = 2x - (L + U) (sensitivity R = U - L)
 *            and, unless the conservative interval is chosen, W_g = sum of (y_w^2 - floor(R_w^2/2))
 *            with y_w = y / 2^shift rounded half to even (sensitivity ceil(R_w^2/2)); the shift
 *            keeps R_w <= 2^14, so the noise stays within the samplers' limits at any resolution,
 *            and W only feeds the variance estimate.
 * Arms hold disjoint units: parallel composition, the release costs what one arm's statistics
 * cost. Metrics and statistics on the same units compose sequentially: the budget is split
 * equally across metrics, then count : sum : sum of squares = 1 : 2 : 1 within a numeric metric.
 */
#ifndef CW_PRIVATE_H
#define CW_PRIVATE_H

#include <stdint.h>

#include "causeway.h"
#include "csv.h"
#include "dp_budget.h"
#include "dp_fixed.h"
#include "dp_random.h"

#define CW_PRIV_MAX_ARMS 50      /* declared arms */
#define CW_PRIV_MAX_METRICS 16
#define CW_PRIV_W_BITS 14        /* R_w <= 2^14 */
#define CW_PRIV_MAX_UNITS (4u << 20) /* distinct ids combined with --unit */

typedef enum { CW_PRIV_CONVOLUTION, CW_PRIV_WALD, CW_PRIV_CONSERVATIVE } cw_priv_interval;

/* True aggregates of one metric in one arm (never written anywhere). */
typedef struct {
    int64_t n;      /* units with a usable value */
    int64_t c;      /* binary: units with value 1 */
    cw_dp_i128 t;   /* numeric: sum of y */
    cw_dp_i128 w;   /* numeric: sum of y_w^2 - floor(R_w^2 / 2) */
} cw_priv_cell;

/* The release of one metric in one arm: true aggregate + integer noise. */
typedef struct {
    cw_dp_i128 c, f; /* binary table cells */
    cw_dp_i128 n;    /* numeric count */
    cw_dp_i128 t, w;
} cw_priv_released;

typedef struct {
    char *name;
    int col;                 /* column index, set by analysis.c's header */
    int binary;              /* 1: binary; 0: numeric with bounds */
    char *lo_text, *hi_text; /* the bounds as declared */
    int64_t lo, hi;          /* in resolution units, rounded outward */
    int64_t range;           /* R = hi - lo */
    int wshift;              /* y_w = y / 2^wshift */
    int64_t range_w;         /* R_w */
    /* noise plans: binary uses tab; numeric uses n, t and (unless conservative) w */
    cw_dp_noise tab, n, t, w;
    int has_w;
    uint64_t units;          /* the metric's share of the budget (epsilon or rho units) */
} cw_priv_metric;

/* The noises a metric's release draws (binary: the table's; numeric: count, sum and, unless the
 * interval is conservative, sum of squares); unused entries NULL. */
static inline void cw_priv_noises(const cw_priv_metric *m, const cw_dp_noise *nz[3]) {
    nz[0] = m->binary ? &m->tab : &m->n;
    nz[1] = m->binary ? NULL : &m->t;
    nz[2] = m->has_w ? &m->w : NULL;
}

/* Per-id state with --unit: the arm (-2 once seen in two arms) and each metric's combined value. */
typedef struct {
    uint64_t *key;           /* 0 = empty */
    int32_t *arm;
    cw_dp_i128 *sum;         /* cap * nmetrics: numeric sums of units / binary "any 1" */
    uint8_t *has;            /* cap * nmetrics: 1 when a usable value was seen */
    size_t cap, n;
} cw_priv_units;

typedef struct {
    /* declarations (public) */
    char *arm[CW_PRIV_MAX_ARMS];
    size_t arm_len[CW_PRIV_MAX_ARMS];
    int narms;
    int control;             /* index in arm[], or -1 until resolved */
    char *bounds_text;       /* "COL=L:U,..." as given */
    double epsilon, delta;   /* delta 0: pure epsilon-DP */
    int have_epsilon;
    char *resolution_text;
    int d;                   /* resolution 10^-d */
    cw_priv_interval interval;
    double alpha;
    /* accounting (after cw_private_plan) */
    int zcdp;
    uint64_t eps_units;      /* pure: floor(epsilon * 2^20) */
    uint64_t rho_units;      /* zCDP: k, rho = k / 2^40 */
    cw_priv_metric metric[CW_PRIV_MAX_METRICS];
    int nmetrics;
    /* data */
    int unit_col;            /* -1: one row is one unit */
    char point;              /* decimal point of the file */
    cw_priv_cell *cell;      /* narms * nmetrics */
    cw_priv_units units;
    cw_priv_released *rel;   /* narms * nmetrics, after cw_private_release */
    int released;
    /* the session fingerprint of the true aggregates (hex SHA-256, salted with the session key
     * the page draws at random): for the page's cache of releases only, never in the JSON */
    char session_key[65];
    char fingerprint[65];
    /* tests only (DP_TEST_RNG builds): a seed for ChaCha20 instead of getentropy */
    int test_seeded;
    uint64_t test_seed;
    char msg[512];
} cw_private;

cw_private *cw_private_new(void);
void cw_private_free(cw_private *p);

/* 1 when name is one of this mode's options: arms, bounds, dp-epsilon, dp-delta, resolution,
 * dp-interval, dp-session-key (and dp-test-seed in test builds). */
int cw_private_is_option(const char *name);
/* Set one of them; on error returns CW_ERR_OPTION with p->msg set. */
cw_status cw_private_set(cw_private *p, const char *name, const char *value);

/* After the options: metric names and kinds from analysis.c (binary when declared so; numeric
 * when bounds are given), the control label and alpha. Resolves bounds, checks every declaration
 * and plans the noise (budget split, mechanisms). Errors in p->msg. */
cw_status cw_private_plan(cw_private *p, const char *const *metric_names, const int *declared_binary,
                          int nmetrics, const char *control, double alpha, int have_unit);

/* One data row: col indexes of variant, unit (or -1) and metrics are given; rows with an
 * undeclared arm or unusable values are dropped silently (a per-row transformation). */
cw_status cw_private_row(cw_private *p, const cw_row *row, int variant_col, int unit_col, const int *metric_col);

/* After the last row: fold the --unit table into the cells. */
cw_status cw_private_close(cw_private *p);

/* Add the noise: src is the secure source in releases. On any sampler failure nothing is
 * released (p->rel stays NULL) and CW_ERR_STATE is returned with the reason. */
cw_status cw_private_release(cw_private *p, cw_dp_source *src);

/* The result JSON of the release (private_report.c); NULL when out of memory. */
char *cw_private_report(const cw_private *p, const char *file, char delimiter, char decimal, int header,
                        const char *unit_col);

/* Estimates derived from the release (post-processing; the JSON shows the same numbers): an
 * arm's rate or mean, or a treatment arm's difference from the control, with the interval of
 * each method (clamped to the feasible range) and, for a difference, the two-sided p-value. */
typedef struct {
    const char *why;  /* NULL, or why there is no estimate (suppressed) */
    double n;         /* the arm's noisy size (arm estimates) */
    double est;       /* unclamped */
    double ci[2];     /* by the release's --dp-interval */
    double conv[2], wald[2], cons[2];
    double p;         /* differences: P(|E| >= |difference|) under the convolution model */
} cw_priv_estimate;

void cw_private_arm_estimate(const cw_private *p, int metric, int arm, cw_priv_estimate *out);
/* with_p: also the p-value (NaN otherwise; each is one more convolution). */
void cw_private_difference(const cw_private *p, int metric, int arm, int with_p, cw_priv_estimate *out);

/* ---- pieces exposed for the tests (sensitivity, DP-violation tester, coverage) -------------- */
/* Add one unit's value (already parsed into units; binary: 0 or 1) to a cell. */
void cw_private_cell_add(const cw_priv_metric *m, cw_priv_cell *cell, int64_t x);
/* Noise for one metric's cell into *out (true values + noise). */
cw_dp_status cw_private_noise_cell(const cw_priv_metric *m, const cw_priv_cell *cell, cw_dp_source *src,
                                   cw_priv_released *out);

#endif
