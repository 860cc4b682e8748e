/* adjust.c — multiple-comparison adjustment of p-values, as R's p.adjust (R 4.2 stats).
 * With m the number of non-NaN p-values and p_(1) <= ... <= p_(m) their order statistics:
 *   Bonferroni:  min(1, m p_i).
 *   Holm (1979, Scand J Statist 6:65-70, the step-down procedure):
 *       adj p_(i) = min(1, max_{j <= i} (m - j + 1) p_(j)).
 *   Benjamini & Hochberg (1995, JRSS B 57:289-300, the step-up procedure of their sec. 3):
 *       adj p_(i) = min(1, min_{j >= i} (m / j) p_(j)),  formed as (m / j) * p, R's order.
 * Ties get equal adjusted values whatever their order (the running max/min absorbs the
 * different multipliers), so the unstable qsort is enough: indices break ties only to make the
 * order deterministic. NaN handling follows R, where `n = length(p)` is evaluated after the NAs
 * are dropped: NaN stays NaN and is not counted in m; m <= 1 returns p unchanged.
 */
#include "adjust.h"

#include <math.h>
#include <stdlib.h>

cw_status cw_adjust_method_parse(const char *name, cw_adjust_method *method) {
    static const struct {
        const char *name;
        cw_adjust_method method;
    } names[] = {{"holm", CW_ADJUST_HOLM},
                 {"bonferroni", CW_ADJUST_BONFERRONI},
                 {"BH", CW_ADJUST_BH},
                 {"fdr", CW_ADJUST_BH}};
    for (size_t i = 0; name && i < sizeof names / sizeof *names; i++) {
        const char *a = name, *b = names[i].name;
        while (*a && *a == *b) a++, b++;
        if (*a == *b) {
            *method = names[i].method;
            return CW_OK;
        }
    }
    return CW_ERR_OPTION;
}

typedef struct {
    double p;
    size_t i;
} item;

static int by_p(const void *a, const void *b) {
    const item *x = a, *y = b;
    if (x->p < y->p) return -1;
    if (x->p > y->p) return 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

cw_status cw_p_adjust(const double *p, size_t n, cw_adjust_method method, double *out) {
    if (method != CW_ADJUST_HOLM && method != CW_ADJUST_BONFERRONI && method != CW_ADJUST_BH)
        return CW_ERR_OPTION;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) m += !isnan(p[i]);
    if (m <= 1) {
        for (size_t i = 0; i < n; i++) out[i] = p[i];
        return CW_OK;
    }
    item *s = malloc(m * sizeof *s);
    if (!s) return CW_ERR_NOMEM;
    for (size_t i = 0, j = 0; i < n; i++)
        if (!isnan(p[i])) s[j++] = (item){p[i], i};
    qsort(s, m, sizeof *s, by_p);
    double dm = (double)m;
    /* Every index is read into s before out is written: out may alias p. */
    switch (method) {
    case CW_ADJUST_BONFERRONI:
        for (size_t j = 0; j < m; j++) {
            double v = dm * s[j].p;
            out[s[j].i] = v < 1.0 ? v : 1.0;
        }
        break;
    case CW_ADJUST_HOLM: {
        double run = -INFINITY;
        for (size_t j = 0; j < m; j++) { /* ascending: i = j + 1, multiplier m - i + 1 */
            double v = (double)(m - j) * s[j].p;
            if (v > run) run = v;
            out[s[j].i] = run < 1.0 ? run : 1.0;
        }
        break;
    }
    case CW_ADJUST_BH: {
        double run = INFINITY;
        for (size_t j = m; j-- > 0;) { /* descending: rank i = j + 1 */
            double v = dm / (double)(j + 1) * s[j].p;
            if (v < run) run = v;
            out[s[j].i] = run < 1.0 ? run : 1.0;
        }
        break;
    }
    }
    free(s);
    for (size_t i = 0; i < n; i++)
        if (isnan(p[i])) out[i] = p[i];
    return CW_OK;
}
