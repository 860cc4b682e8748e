/* analysis.h — the state of one analysis (private to the core): options, the CSV reader, the
 * header, the arms and their moments, data-quality counters, and the result or error. */
#ifndef CW_ANALYSIS_H
#define CW_ANALYSIS_H

#include <stdint.h>

#include "arms.h"
#include "causeway.h"
#include "csv.h"
#include "ols.h"
#include "private.h"
#include "units.h"
#include "winsor.h"

typedef enum { CW_KIND_AUTO, CW_KIND_BINARY, CW_KIND_CONTINUOUS } cw_kind;

typedef struct {
    char *name;
    cw_kind declared;
    cw_kind kind;           /* decided at finish */
    int col;                /* 0-based column index */
    int64_t n, missing, invalid, nonbinary;
    long invalid_line, invalid_col;
    char invalid_text[64];
    /* winsorizing (continuous metrics, with --winsorize): caps from the second read, capped
     * moments in each cell's w from the third */
    int winsorized;
    /* summary input: the columns of this metric's count, sum, sum of squares, variance */
    int n_col, sum_col, sumsq_col, var_col;
    cw_wheap low, high;
    double cap_low, cap_high;   /* -Inf / +Inf for a tail that is not capped */
    int64_t capped_low, capped_high;
    /* covariate adjustment: the regression of this metric (with --covariates; reads 2 and 3) or
     * the CUPED rows (with --pre-metric: the cells' xy co-moments) */
    cw_ols_pass1 p1;
    cw_ols_fit fit;
    cw_ols_pass2 p2;
    int64_t adj_rows;       /* rows in the regression or in CUPED */
} cw_metric;

typedef enum { CW_ADJ_NONE, CW_ADJ_ADDITIVE, CW_ADJ_LIN, CW_ADJ_CUPED } cw_adj_method;

/* A covariate column (or the pre-metric): its name, index, and what read 1 found in it. */
#define CW_MAX_LEVELS 50 /* distinct values a text covariate may have */

typedef struct {
    char *name;
    int col;
    int64_t numeric, invalid;
    long invalid_line;
    char invalid_text[64];
    /* the distinct non-missing values seen in read 1 (up to CW_MAX_LEVELS + 1); a covariate
     * holding text is categorical: one indicator column per level but the first (byte order,
     * as R's factor in the C locale), which is the reference */
    char *levels[CW_MAX_LEVELS + 1];
    int nlevels, categorical;
} cw_covariate;

/* One covariate column of the regression: a numeric covariate, or one level of a text one. */
typedef struct {
    int cov;   /* index in cov[] */
    int level; /* -1: the numeric value; else the indicator of levels[level] */
} cw_dcol;

typedef enum { CW_TAIL_UPPER, CW_TAIL_LOWER, CW_TAIL_BOTH } cw_tail;

typedef struct {
    int64_t count;
    long first_line;
} cw_skip;

/* One planned share of the traffic for the sample-ratio check. */
typedef struct {
    char *label; /* NULL: by position (control first, then arms in order of appearance) */
    double weight;
} cw_split;

#define CW_FAST_ARMS 16 /* arms the fast row path compares directly */

typedef enum { CW_CORR_HOLM, CW_CORR_BONFERRONI, CW_CORR_BH, CW_CORR_NONE } cw_correction;

struct cw_analysis {
    /* options */
    char *variant, *control, *file, *unit;
    double alpha;
    cw_split *split;
    int nsplit;
    cw_correction correction;
    int fisher_always;      /* Fisher's exact test on every 2x2 table, not only small ones */
    double winsorize;       /* quantile of the caps, e.g. 0.99 (0: none) */
    cw_tail tail;
    int pass;               /* which read of the input: 1, then 2 and 3 when winsorizing */
    int64_t rows_again;     /* data rows seen in the current later read */
    int bootstrap;          /* replicates of the percentile bootstrap (0: none) */
    uint64_t seed;          /* its seed */
    cw_metric *metrics;
    int nmetrics;
    cw_adj_method adjust;   /* CW_ADJ_NONE until --covariates or --pre-metric */
    int adjust_given;       /* --adjust was set */
    cw_covariate *cov;      /* --covariates, or the one --pre-metric */
    int ncov;
    int ncols_design;       /* the regression's columns: 1 + (arms - 1) + covariates (+ interactions) */
    cw_dcol dcol[CW_OLS_MAX_K]; /* the covariates' columns in the regression (text ones expanded) */
    int ndcol;
    int control_arm;        /* index of the control in arms, once the first read has found it */
    /* progress */
    int fed, finished;
    cw_status failed;
    cw_csv csv;
    /* header */
    char **columns;
    int ncolumns;
    int variant_col;
    int unit_col;           /* --unit COL, or -1 */
    int header_mode;        /* 0 auto, 1 the first row names the columns, 2 it is data */
    int summary_mode;       /* 0 auto (detected from the header), 1 yes, 2 no */
    int summary;            /* the input is a summary: one row per arm (x group) with sums */
    int count_col;          /* its count column */
    int has_header;
    cw_units units;
    /* data */
    cw_arms arms;
    int64_t rows_read, rows_used;
    cw_skip missing_variant;
    /* share privately (--dp-epsilon and its declarations): NULL otherwise */
    cw_private *priv;
    /* the fast row path (analysis.c, fast_row): the first arms' names (up to 16 bytes) as two
     * zero-padded little-endian words, and a hash table of them (key_slot: arm + 1, 0 empty) */
    int fast_narms;
    size_t fast_len[CW_FAST_ARMS];
    uint64_t fast_key[CW_FAST_ARMS][2];
    unsigned char fast_slot[64];
    size_t *batch_start, *batch_len; /* one row of a batch as a cw_row (ncolumns each) */
    /* output */
    char *result;
    char msg[512];
    long err_line, err_column;
};

/* The analysis fails at (line, col; 0 = none) with the message fmt, cut back to whole UTF-8
 * characters (a value or name cut to a length may end in half of one); returns st. For the
 * analysis's own files (analysis.c, summary.c). */
cw_status cw_analysis_fail(cw_analysis *a, cw_status st, long line, long col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* report.c: the result JSON of a finished analysis (NULL when out of memory). */
char *cw_report(const cw_analysis *a);

#endif
