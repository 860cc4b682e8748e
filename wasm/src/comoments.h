/* comoments.h — running co-moments of a pair (x, y): count, means, and the centred sums
 * Sxx, Syy, Sxy, for CUPED (Deng, Xu, Kohavi & Walker 2013, "Improving the sensitivity of
 * online controlled experiments by utilizing pre-experiment data", WSDM '13).
 *
 * One row at a time by Welford's update, two accumulators by Chan, Golub & LeVeque's pairwise
 * formula (1979, "Updating formulae and a pairwise algorithm for computing sample variances",
 * extended to the cross term): no sums of products, so a large common offset in x or y
 * (spend in the thousands, say) costs no digits. A zeroed struct is an empty accumulator. */
#ifndef CW_COMOMENTS_H
#define CW_COMOMENTS_H

#include <stdint.h>

typedef struct {
    int64_t n;
    double mx, my;        /* means */
    double sxx, syy, sxy; /* sums of (x - mx)^2, (y - my)^2, (x - mx)(y - my) */
} cw_comoments;

static inline void cw_comoments_add(cw_comoments *c, double x, double y) {
    c->n++;
    double dx = x - c->mx, dy = y - c->my;
    c->mx += dx / (double)c->n;
    c->my += dy / (double)c->n;
    c->sxx += dx * (x - c->mx);
    c->syy += dy * (y - c->my);
    c->sxy += dx * (y - c->my);
}

/* into += from (Chan et al.). */
void cw_comoments_merge(cw_comoments *into, const cw_comoments *from);

#endif
