/* help.c — the words every face shares: version, --help text and the status sentences. */
#include "causeway.h"

const char *cw_version(void) { return CW_VERSION; }

const char *cw_help_text(void) {
    return "causeway " CW_VERSION " — private analysis of A/B tests and experiments\n"
           "\n"
           "Usage:\n"
           "  causeway analyze FILE --variant COL --control LABEL --metric COL[:KIND][,COL...] [options]\n"
           "  causeway power [--type means|proportions] TWO OF --n N, --delta D (or --p2 P2), --power P\n"
           "                 [--sd S] [--p1 P1] [--alpha A] [--sample two|one|paired]\n"
           "                 [--alternative two-sided|one-sided] [--strict yes|no] [--solve n|effect|power]\n"
           "  causeway did FILE --outcome COL --group COL --treated LABEL --period COL\n"
           "               (--post LABEL | --start LABEL [--order P1,P2,...]) [--unit COL] [--balanced]\n"
           "               [--covariates C1,C2] [--alpha A]\n"
           "  causeway --help | --version\n"
           "\n"
           "analyze reads the CSV file FILE ('-' for standard input) in chunks and prints the\n"
           "result as JSON (schema causeway.result/1, docs/result-schema.md) on standard output.\n"
           "\n"
           "Options:\n"
           "  --variant COL     column that names each row's arm (required)\n"
           "  --control LABEL   the control arm's label in that column (required)\n"
           "  --metric COL[:binary|:continuous][,COL...]\n"
           "                    outcome column(s); may be repeated. Without a kind, a column whose\n"
           "                    values are all 0 or 1 is binary, any other is continuous (required)\n"
           "  --unit COL        column of unit (user) ids: rows that repeat an id, and ids found in\n"
           "                    more than one arm, are counted and reported\n"
           "  --alpha A         significance level, 0 < A < 1; intervals are 1 - A (default 0.05)\n"
           "  --correction M    adjust the p-values of the treatment-vs-control comparisons of each\n"
           "                    metric: holm (default), bonferroni, BH (Benjamini-Hochberg) or none\n"
           "  --split W,W,...   planned traffic split for the sample-ratio-mismatch check, control\n"
           "                    first then the other arms in order of appearance (50,25,25), or by\n"
           "                    label ('A=50,B=25,C=25'); default: equal\n"
           "  --bootstrap R     add a percentile bootstrap interval for each difference, from R\n"
           "                    replicates (100..100000): binomial draws for binary metrics, bucket\n"
           "                    resampling (1024 buckets per arm) for continuous ones\n"
           "  --seed S          the bootstrap's seed (default 1): the same seed gives the same result\n"
           "  --winsorize P     cap every continuous metric at its pooled P quantile (0.75 <= P < 1,\n"
           "                    R's type 7) before any statistic; reads FILE three times, so FILE\n"
           "                    cannot be standard input\n"
           "  --winsorize-tail upper|lower|both\n"
           "                    which tail to cap (default upper; lower caps at the 1 - P quantile)\n"
           "  --covariates C1,C2,...\n"
           "                    also report each difference adjusted for these columns by least\n"
           "                    squares (a text column: one indicator per level but the first; rows\n"
           "                    missing the metric or a covariate are left out and counted); reads\n"
           "                    FILE three times, so not standard input\n"
           "  --adjust lin|additive\n"
           "                    with --covariates: lin (default; Lin 2013: arm x centred covariate\n"
           "                    interactions, HC2 errors) or additive (arm + covariates, HC1 and\n"
           "                    HC2 errors)\n"
           "  --pre-metric COL  CUPED (Deng et al. 2013): adjust each metric by its pre-experiment\n"
           "                    value in COL (theta = pooled cov/var), Welch test on the adjusted\n"
           "                    values; rows missing either are left out of it\n"
           "  --fisher auto|always\n"
           "                    Fisher's exact test for binary metrics when an expected count is\n"
           "                    below 5 (auto, the default) or always\n"
           "\n"
           "Share privately (differential privacy, docs/privacy.md): with --dp-epsilon the result\n"
           "is a private release (schema causeway.private/1): only noisy per-arm counts and sums\n"
           "and what follows from them. Everything it needs is declared, never read from the data:\n"
           "  --dp-epsilon E    the privacy budget epsilon of this release (e.g. 1; 2^-20 to 64)\n"
           "  --dp-delta D      optional: (epsilon, delta)-DP through zCDP and the discrete Gaussian\n"
           "                    (0 < D <= 0.01, far below 1/number of people); default pure epsilon-DP\n"
           "                    with the discrete Laplace\n"
           "  --arms A,B,...    the arm labels (the control among them); rows of other arms are dropped\n"
           "  --bounds COL=L:U[,COL=L:U]\n"
           "                    the range of each numeric metric: values are clamped into it (the\n"
           "                    intervals are for the mean of the clamped outcome); a metric without\n"
           "                    bounds must be declared COL:binary (exactly 0 or 1, else dropped)\n"
           "  --resolution R    numbers are read as whole multiples of R, a power of ten (default 0.01)\n"
           "  --dp-interval convolution|wald|conservative\n"
           "                    intervals covering sampling error and noise: the exact noise law\n"
           "                    convolved with the normal (default), the normal approximation, or a\n"
           "                    finite-sample union bound (no sum of squares released)\n"
           "  --unit COL        in a private release: one person per id, their rows combined first\n"
           "\n"
           "  --delimiter D     field delimiter: , ; | or tab (default: sniffed from the first lines)\n"
           "  --decimal P       decimal point of numbers: . or , (default: ',' when the delimiter is\n"
           "                    not ',' and the numbers look like 12,5)\n"
           "  --header auto|yes|no, --no-header\n"
           "                    whether the first row names the columns (auto: unless every field\n"
           "                    of it is a number); without names the columns are V1, V2, ...\n"
           "  --help            print this help\n"
           "  --version         print the version\n"
           "\n"
           "power solves for the one of n per group, the effect (delta with --sd, or p2 with --p1)\n"
           "and power that is not given, as R's power.t.test and power.prop.test (--type follows\n"
           "from --p1 unless given); --strict yes also counts the wrong tail, as R's strict = TRUE.\n"
           "\n"
           "did compares the change in the outcome from the other period to --post between the\n"
           "--treated group and the rest (two periods, long data: a row per unit and period): the\n"
           "four cell means, their difference in differences, and the regression y ~ treated +\n"
           "post + treated:post with classical, HC1 and, with --unit, unit-clustered (CR1, t(G-1))\n"
           "errors; --balanced keeps the units with the outcome in every period. With --start\n"
           "(the first treated period; periods ordered as first seen, or by --order) it is an\n"
           "event study: treated x period effects relative to the last pre-period, and a joint\n"
           "Wald test that the pre-period effects are zero (the pre-trend test).\n"
           "\n"
           "Each treatment arm is compared with the control. Continuous metrics: difference in\n"
           "means with Welch's (and Student's) t interval and p-value, relative lift with a\n"
           "delta-method interval. Binary metrics: difference in rates with Newcombe's and Wald's\n"
           "intervals, the pooled two-proportion z test, chi-square with and without Yates'\n"
           "correction, Fisher's exact test, relative lift. Every result also has the arms x\n"
           "outcome chi-square and a sample-ratio-mismatch check (flagged when p < 0.001).\n"
           "\n"
           "Errors go to standard error as 'error: FILE:LINE:COLUMN: message' (LINE is the line\n"
           "in the file, COLUMN the field number); exit status 1 for a data error, 2 for a usage\n"
           "error.\n";
}

const char *cw_strerror(cw_status status) {
    switch (status) {
    case CW_OK: return "success";
    case CW_ERR_NOMEM: return "out of memory";
    case CW_ERR_OPTION: return "invalid option";
    case CW_ERR_STATE: return "call out of order";
    case CW_ERR_ENCODING: return "not CSV text";
    case CW_ERR_EMPTY: return "empty file";
    case CW_ERR_NO_DATA: return "no data rows";
    case CW_ERR_COLUMN: return "no such column";
    case CW_ERR_ROW: return "malformed row";
    case CW_ERR_VALUES: return "no usable values";
    case CW_ERR_ARMS: return "arms do not allow a comparison";
    case CW_AGAIN: return "read the input again";
    case CW_STATUS_COUNT: break;
    }
    return "unknown status";
}
