/* pnt.h — the non-central t distribution function (to be merged into dist.h). */
#ifndef CW_PNT_H
#define CW_PNT_H

/* P[T <= t] (or P[T > t]) for T ~ t_df(ncp), df > 0 (non-integer allowed), any finite ncp;
 * ncp = 0 is cw_pt. As R's pt(t, df, ncp), including R's normal approximation for df > 4e5
 * and |ncp| > 37.62 (see pnt.c). */
double cw_pnt(double t, double df, double ncp, int lower_tail, int log_p);

#endif
