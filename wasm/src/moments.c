/* moments.c — numerically stable running moments.
 * Update: Welford (1962), Technometrics 4(3):419-420, in the form of Knuth, TAOCP vol. 2,
 * 3rd ed., §4.2.2 (eq. 15-16): delta = x - mean; mean += delta/n; m2 += delta*(x - mean).
 * Merge: Chan, Golub & LeVeque (1979), "Updating formulae and a pairwise algorithm for computing
 * sample variances", eq. 2.1b: m2 = m2a + m2b + delta^2 * na*nb/n.
 * Shift: the updates run on x - K with K the first value (Chan, Golub & LeVeque 1983, "Algorithms
 * for computing the sample variance", §3), so data far from zero with a small spread (prices near
 * 1e9, timestamps) lose no digits to the offset. */
#include "moments.h"

#include <math.h>

void cw_moments_init(cw_moments *m) {
    m->n = 0;
    m->shift = 0.0;
    m->dmean = 0.0;
    m->m2 = 0.0;
    m->min = INFINITY;
    m->max = -INFINITY;
}

void cw_moments_add(cw_moments *m, double x) {
    if (m->n == 0) m->shift = x;
    m->n++;
    double y = x - m->shift;
    double delta = y - m->dmean;
    m->dmean += delta / (double)m->n;
    m->m2 += delta * (y - m->dmean);
    if (x < m->min) m->min = x;
    if (x > m->max) m->max = x;
}

void cw_moments_merge(cw_moments *into, const cw_moments *from) {
    if (from->n == 0) return;
    if (into->n == 0) {
        *into = *from;
        return;
    }
    double na = (double)into->n, nb = (double)from->n, n = na + nb;
    double delta = (from->shift - into->shift + from->dmean) - into->dmean;
    into->dmean += delta * (nb / n);
    into->m2 += from->m2 + delta * delta * (na * nb / n);
    into->n += from->n;
    if (from->min < into->min) into->min = from->min;
    if (from->max > into->max) into->max = from->max;
}

double cw_moments_mean(const cw_moments *m) { return m->n > 0 ? m->shift + m->dmean : NAN; }

double cw_moments_var(const cw_moments *m) {
    if (m->n < 2) return NAN;
    return m->m2 / (double)(m->n - 1);
}
