/* adjust.h — p-values adjusted for multiple comparisons, as R's p.adjust: Holm, Bonferroni and
 * Benjamini-Hochberg. */
#ifndef CW_ADJUST_H
#define CW_ADJUST_H

#include <stddef.h>

#include "causeway.h"

typedef enum {
    CW_ADJUST_HOLM,       /* R's "holm" (family-wise error rate; R's default) */
    CW_ADJUST_BONFERRONI, /* R's "bonferroni" */
    CW_ADJUST_BH          /* R's "BH", alias "fdr" (false discovery rate) */
} cw_adjust_method;

/* R's method names "holm", "bonferroni", "BH" and "fdr" (case-sensitive, as R). Returns CW_OK,
 * or CW_ERR_OPTION for any other name (*method untouched). */
cw_status cw_adjust_method_parse(const char *name, cw_adjust_method *method);

/* out[i] = the adjusted p[i], for i < n; out may be p itself (adjusted in place). As R:
 * NaN entries stay NaN and are not counted among the comparisons; with at most one non-NaN
 * entry every value is returned unchanged; adjusted values are capped at 1. Inputs are not
 * checked against [0, 1] (R does not either). Returns CW_OK, CW_ERR_NOMEM (a workspace of
 * 16 bytes per non-NaN entry is allocated and freed inside; out is then untouched) or
 * CW_ERR_OPTION for an unknown method. */
cw_status cw_p_adjust(const double *p, size_t n, cw_adjust_method method, double *out);

#endif
