/* summary.c — summary-statistics input (see summary.h). Each row gives n, the sum and either
 * the sum of squares or the sample variance of a metric in one group; it becomes moments
 * (n, mean = sum/n, M2 = sumsq - sum^2/n or var (n - 1)) merged into its arm by Chan, Golub &
 * LeVeque (1979) eq. 2.1b. The sum-of-squares form loses digits when the mean is large against
 * the spread (the reason the core never uses it on raw rows): docs/warehouse.md's queries
 * therefore also offer var_samp, which the warehouses compute stably. */
#include "summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"

static int column(const cw_analysis *a, const char *name, const char *suffix) {
    char want[300];
    snprintf(want, sizeof want, "%s%s", name, suffix);
    for (int i = 0; i < a->ncolumns; i++)
        if (strcmp(a->columns[i], want) == 0) return i;
    return -1;
}

int cw_summary_detect(cw_analysis *a) {
    if (a->summary_mode == 2) return 0;
    int any_raw = 0, all_sum = 1;
    for (int k = 0; k < a->nmetrics; k++) {
        if (column(a, a->metrics[k].name, "") >= 0) any_raw = 1;
        if (column(a, a->metrics[k].name, "_sum") < 0) all_sum = 0;
    }
    if (a->summary_mode == 0 && (any_raw || !all_sum)) return 0;
    int shared_n = column(a, "n", "");
    if (shared_n < 0) shared_n = column(a, "count", "");
    for (int k = 0; k < a->nmetrics; k++) {
        cw_metric *m = &a->metrics[k];
        m->sum_col = column(a, m->name, "_sum");
        m->n_col = column(a, m->name, "_n");
        if (m->n_col < 0) m->n_col = shared_n;
        m->sumsq_col = column(a, m->name, "_sumsq");
        if (m->sumsq_col < 0) m->sumsq_col = column(a, m->name, "_sum_sq");
        m->var_col = column(a, m->name, "_var");
        const char *missing = m->sum_col < 0 ? "_sum" : m->n_col < 0 ? "_n (or a column n)" : NULL;
        if (missing) {
            cw_analysis_fail(a, CW_ERR_COLUMN, 1, 0,
                             "summary input: no column %s%s for the metric '%s' (a summary needs a "
                             "count, the sum, and the sum of squares or the variance)",
                             m->name, missing, m->name);
            return -1;
        }
        if (m->sumsq_col < 0 && m->var_col < 0 && m->declared != CW_KIND_BINARY) {
            cw_analysis_fail(a, CW_ERR_COLUMN, 1, 0,
                             "summary input: the metric '%s' needs %s_sumsq or %s_var (or declare "
                             "it %s:binary, whose variance follows from its rate)",
                             m->name, m->name, m->name, m->name);
            return -1;
        }
    }
    a->summary = 1;
    a->count_col = shared_n >= 0 ? shared_n : a->metrics[0].n_col;
    return 1;
}

static cw_status bad(cw_analysis *a, const cw_row *row, int col, const char *what) {
    size_t n = row->len[col];
    return cw_analysis_fail(a, CW_ERR_VALUES, row->line, col + 1,
                            "summary input: '%.*s' in column '%s' is not %s", (int)(n < 60 ? n : 60),
                            row->text + row->start[col], a->columns[col], what);
}

static int number(const cw_analysis *a, const cw_row *row, int col, double *x) {
    return cw_parse_number(row->text + row->start[col], row->len[col], a->csv.decimal, x) == CW_NUM_OK;
}

/* Counts are whole numbers below 2^53, each and summed over an arm's rows: a double holds them
 * exactly there, and the int64 counters cannot overflow. */
#define COUNT_MAX 9007199254740991.0
#define COUNT "a count (a whole number from 0 to 2^53 - 1)"
#define COUNT_SUM "a count that keeps its arm's total below 2^53"

cw_status cw_summary_row(cw_analysis *a, const cw_row *row, int k) {
    cw_arm *arm = &a->arms.arms[k];
    double rows;
    if (!number(a, row, a->count_col, &rows) || rows < 0 || rows != floor(rows) || rows > COUNT_MAX)
        return bad(a, row, a->count_col, COUNT);
    if ((double)arm->rows + rows > COUNT_MAX) return bad(a, row, a->count_col, COUNT_SUM);
    arm->rows += (int64_t)rows;
    for (int i = 0; i < a->nmetrics; i++) {
        cw_metric *m = &a->metrics[i];
        cw_cell *cell = &arm->cell[i];
        double n, sum, sq = NAN, var = NAN;
        if (!number(a, row, m->n_col, &n) || n < 0 || n != floor(n) || n > COUNT_MAX)
            return bad(a, row, m->n_col, COUNT);
        if ((double)cell->m.n + n > COUNT_MAX) return bad(a, row, m->n_col, COUNT_SUM);
        if (n == 0) continue;
        if (!number(a, row, m->sum_col, &sum)) return bad(a, row, m->sum_col, "a number");
        /* the variance is preferred: warehouses compute var_samp stably (see the file comment) */
        if (m->var_col >= 0) {
            if (n > 1 && !number(a, row, m->var_col, &var)) return bad(a, row, m->var_col, "a number");
            if (n == 1) var = 0.0; /* var_samp of one value is NULL */
        } else if (m->sumsq_col >= 0 && !number(a, row, m->sumsq_col, &sq)) {
            return bad(a, row, m->sumsq_col, "a number");
        }
        double rate = sum / n;
        int counts = sum == floor(sum) && sum >= 0 && sum <= n;
        int is01 = counts && (!isnan(sq) ? sq == sum
                              : !isnan(var) ? fabs(var - (n > 1 ? rate * (1 - rate) * n / (n - 1) : 0.0)) <=
                                                  1e-9 * (var > 1e-300 ? var : 1e-300)
                                            : 1);
        double mean = sum / n, m2;
        if (!isnan(var)) m2 = var * (n - 1);
        else if (!isnan(sq)) m2 = sq - sum * sum / n;
        else m2 = sum - sum * sum / n; /* declared binary: sum of squares of 0/1 values is the sum */
        if (m2 < 0) m2 = 0; /* rounding in the warehouse's sums */
        cw_moments g;
        cw_moments_init(&g);
        g.n = (int64_t)n;
        g.shift = mean;
        g.dmean = 0.0;
        g.m2 = m2;
        cw_moments_merge(&cell->m, &g);
        if (is01) cell->ones += (int64_t)sum;
        else m->nonbinary++;
        m->n += (int64_t)n;
    }
    return CW_OK;
}
