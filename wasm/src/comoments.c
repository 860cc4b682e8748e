/* comoments.c — the pairwise merge of two co-moment accumulators (see comoments.h). */
#include "comoments.h"

void cw_comoments_merge(cw_comoments *into, const cw_comoments *from) {
    if (from->n == 0) return;
    if (into->n == 0) {
        *into = *from;
        return;
    }
    double na = (double)into->n, nb = (double)from->n, n = na + nb;
    double dx = from->mx - into->mx, dy = from->my - into->my, w = na * nb / n;
    into->sxx += from->sxx + dx * dx * w;
    into->syy += from->syy + dy * dy * w;
    into->sxy += from->sxy + dx * dy * w;
    into->mx += dx * nb / n;
    into->my += dy * nb / n;
    into->n += from->n;
}
