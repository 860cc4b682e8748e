/* summary.h — pre-aggregated input: one row per arm (or per arm x segment x day ...) with, for
 * each metric M, a count (M_n, or a shared n / count column), M_sum, and M_var (preferred) or
 * M_sumsq, as a
 * warehouse query produces them (docs/warehouse.md). Rows of one arm are merged with Chan et
 * al.'s formula; the result is the same as from the raw rows, up to the warehouse's rounding. */
#ifndef CW_SUMMARY_H
#define CW_SUMMARY_H

#include "analysis.h"

/* After the header: 1 when the columns are a summary for the requested metrics (M missing,
 * M_sum present), with the columns resolved; 0 when not; -1 on an error set on a. */
int cw_summary_detect(cw_analysis *a);

/* One summary row (after the variant column has been resolved to arm index k). */
cw_status cw_summary_row(cw_analysis *a, const cw_row *row, int k);

#endif
