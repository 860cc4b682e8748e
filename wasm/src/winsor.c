/* winsor.c — the bounded heap behind exact winsorizing quantiles (see winsor.h). A binary heap
 * (Williams 1964, CACM 7(6) algorithm 232) whose root is the least extreme value kept. */
#include "winsor.h"

#include <math.h>
#include <stdlib.h>

/* Rank (0-based, ascending) of the lower of the two order statistics the quantile needs, from
 * R's index = 1 + (n - 1) p. */
static int64_t low_rank(int64_t n, double p) { return (int64_t)floor(1.0 + (double)(n - 1) * p) - 1; }

int cw_wheap_init(cw_wheap *h, int64_t n, double p, int lower) {
    int64_t lo = low_rank(n, p);
    h->lower = lower;
    h->size = 0;
    h->k = lower ? lo + 2 : n - lo; /* ranks lo and lo + 1 from the kept end */
    if (h->k > n) h->k = n;
    if (h->k < 1) h->k = 1;
    h->v = malloc((size_t)h->k * sizeof *h->v);
    return h->v ? 0 : -1;
}

void cw_wheap_free(cw_wheap *h) {
    free(h->v);
    h->v = NULL;
}

/* "a is less extreme than b": nearer the middle of the data, so it leaves the heap first. */
static int inner(const cw_wheap *h, double a, double b) { return h->lower ? a > b : a < b; }

static void sift_down(cw_wheap *h, int64_t i) {
    for (;;) {
        int64_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->size && inner(h, h->v[l], h->v[m])) m = l;
        if (r < h->size && inner(h, h->v[r], h->v[m])) m = r;
        if (m == i) return;
        double t = h->v[i];
        h->v[i] = h->v[m];
        h->v[m] = t;
        i = m;
    }
}

void cw_wheap_push(cw_wheap *h, double x) {
    if (h->size < h->k) {
        int64_t i = h->size++;
        h->v[i] = x;
        while (i > 0 && inner(h, h->v[i], h->v[(i - 1) / 2])) {
            double t = h->v[i];
            h->v[i] = h->v[(i - 1) / 2];
            h->v[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
        return;
    }
    if (!inner(h, h->v[0], x)) return; /* not more extreme than the least extreme kept */
    h->v[0] = x;
    sift_down(h, 0);
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double cw_wheap_quantile(cw_wheap *h, int64_t n, double p) {
    if (n <= 0 || h->size == 0) return NAN;
    qsort(h->v, (size_t)h->size, sizeof *h->v, ascending);
    int64_t lo = low_rank(n, p);
    double g = (1.0 + (double)(n - 1) * p) - (double)(lo + 1);
    /* index in the sorted heap of ascending rank lo */
    int64_t at = h->lower ? lo : lo - (n - h->size);
    double a = h->v[at], b = at + 1 < h->size ? h->v[at + 1] : a;
    return g > 0.0 && b != a ? (1.0 - g) * a + g * b : a; /* R's quantile(type = 7) arithmetic */
}
