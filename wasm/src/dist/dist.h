/* dist.h — probability distributions for the Causeway core, after R's nmath: one family per
 * file, arguments in R's order (x or p, parameters, lower_tail, log_p), NaN propagated,
 * upper tails computed directly. Every function here is pure: no state, no I/O. */
#ifndef CW_DIST_H
#define CW_DIST_H

/* Standard normal and N(mu, sigma). */
double cw_pnorm(double x, double mu, double sigma, int lower_tail, int log_p);
double cw_qnorm(double p, double mu, double sigma, int lower_tail, int log_p);

/* Student t with df > 0 degrees of freedom (non-integer df allowed, df = +Inf is the normal). */
double cw_pt(double x, double df, int lower_tail, int log_p);
double cw_qt(double p, double df, int lower_tail, int log_p);

/* Chi-square and F. */
double cw_pchisq(double x, double df, int lower_tail, int log_p);
double cw_qchisq(double p, double df, int lower_tail, int log_p);
double cw_pf(double x, double df1, double df2, int lower_tail, int log_p);
double cw_qf(double p, double df1, double df2, int lower_tail, int log_p);

/* Regularised incomplete beta I_x(a, b) and gamma P(a, x), with their upper tails. */
double cw_pbeta(double x, double a, double b, int lower_tail, int log_p);
double cw_qbeta(double p, double a, double b, int lower_tail, int log_p);
double cw_pgamma(double x, double shape, double scale, int lower_tail, int log_p);
double cw_qgamma(double p, double shape, double scale, int lower_tail, int log_p);

/* log Gamma(x) for x > 0 and log Beta(a, b). */
double cw_lgamma(double x);
double cw_lbeta(double a, double b);

#endif
