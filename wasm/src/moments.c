/* moments.c — numerically stable running moments, gathered in batches.
 * Batch: the corrected two-pass algorithm (Chan, Golub & LeVeque 1983, "Algorithms for
 * computing the sample variance: analysis and recommendations", Am. Stat. 37(3), eq. 1.7):
 *   b = sum(y)/k;  M2 = sum((y - b)^2) - (sum(y - b))^2 / k.
 * Merge of a batch or another accumulator: Chan, Golub & LeVeque (1979), "Updating formulae and
 * a pairwise algorithm for computing sample variances", eq. 2.1b:
 *   delta = b - mean;  mean += delta * k/n;  M2 += M2_b + delta^2 * n_a * k / n.
 * Shift: every value is taken as y = x - K with K the first value (same paper, 1983, §3), so data
 * far from zero with a small spread (prices near 1e9, timestamps) lose no digits to the offset.
 * Batching removes the division-per-value dependency chain of Welford's update (Welford 1962)
 * while keeping its stability; the result does not depend on how the input was chunked.
 * Values exactly 0 or 1 are only counted (n0, n1 of c = n0 + n1), and their moments are exact
 * closed forms, merged in once by the flush with eq. 2.1b: mean n1/c, M2 = n0 n1 / c. */
#include "moments.h"

#include <math.h>

void cw_moments_init(cw_moments *m) {
    m->n = 0;
    m->n01[0] = m->n01[1] = 0;
    m->started = 0;
    m->shift = 0.0;
    m->dmean = 0.0;
    m->m2 = 0.0;
    m->min = INFINITY;
    m->max = -INFINITY;
    m->nbatch = 0;
}

/* Merge a group of k values with mean b and M2 m2b (in the shifted frame): eq. 2.1b. */
static void add_group(cw_moments *m, int64_t k, double b, double m2b) {
    if (m->n == 0) {
        m->dmean = b;
        m->m2 = m2b;
    } else {
        double na = (double)m->n, kd = (double)k, n = na + kd, delta = b - m->dmean;
        m->dmean += delta * (kd / n);
        m->m2 += m2b + delta * delta * (na * kd / n);
    }
    m->n += k;
}

void cw_moments_add_batch(cw_moments *m) {
    int k = m->nbatch;
    if (k == 0) return;
    double s = 0.0;
    for (int i = 0; i < k; i++) s += m->batch[i];
    double b = s / k, ss = 0.0, c = 0.0;
    for (int i = 0; i < k; i++) {
        double d = m->batch[i] - b;
        ss += d * d;
        c += d;
    }
    add_group(m, k, b, ss - c * c / k);
    m->nbatch = 0;
}

/* The counted 0/1 values as one group (y = x - shift): n0 of -shift and n1 of 1 - shift, mean
 * n1/c - shift (written so that shift 0 or 1 costs one rounding), M2 = n0 n1 / c. */
void cw_moments_add_counts(cw_moments *m) {
    int64_t n0 = m->n01[0], n1 = m->n01[1], k = n0 + n1;
    if (k == 0) return;
    double c = (double)k;
    double b = m->shift == 0.0 ? (double)n1 / c : m->shift == 1.0 ? -(double)n0 / c : (double)n1 / c - m->shift;
    add_group(m, k, b, (double)n0 * (double)n1 / c);
    if (n0 && m->min > 0.0) m->min = 0.0;
    if (n0 && m->max < 0.0) m->max = 0.0;
    if (n1 && m->min > 1.0) m->min = 1.0;
    if (n1 && m->max < 1.0) m->max = 1.0;
    m->n01[0] = m->n01[1] = 0;
}

void cw_moments_merge(cw_moments *into, const cw_moments *from) {
    cw_moments f = *from;
    cw_moments_flush(&f);
    cw_moments_flush(into);
    if (f.n == 0) return;
    if (into->n == 0) {
        *into = f;
        into->started = 1;
        return;
    }
    add_group(into, f.n, f.shift - into->shift + f.dmean, f.m2);
    if (f.min < into->min) into->min = f.min;
    if (f.max > into->max) into->max = f.max;
}

double cw_moments_mean(const cw_moments *m) { return m->n > 0 ? m->shift + m->dmean : NAN; }

double cw_moments_var(const cw_moments *m) {
    if (m->n < 2) return NAN;
    return m->m2 / (double)(m->n - 1);
}
