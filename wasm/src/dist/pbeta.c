/* pbeta.c — the regularised incomplete beta function I_x(a, b): cw_pbeta (R's pbeta).
 *
 * Method: A. R. DiDonato and A. H. Morris (1992), "Algorithm 708: Significant digit computation
 * of the incomplete beta function ratios", ACM TOMS 18(3), 360-373 (BRATIO), with R's
 * extension to the log scale. BRATIO chooses among
 *   - BPSER, the power series I_x(a,b) = x^a/(a B(a,b)) [1 + a sum_j (1-b)_j x^j / (j! (a+j))]
 *     for b x small or min(a, b) <= 1 (DiDonato & Morris eq. 2.1 and section 3);
 *   - BUP, the finite sum I_x(a,b) - I_x(a+n,b) (their eq. 2.3), to shift a parameter;
 *   - BFRAC, the continued fraction (their section 4, eq. 4.1) for a, b > 1;
 *   - BGRAT, the asymptotic expansion in incomplete gamma functions for large a and b <= 1
 *     (their section 9, eqs. 9.1-9.6; Q(b, z)/r from their GRAT1);
 *   - BASYM, Temme's uniform asymptotic expansion in erfc for large a and b near the mean
 *     (their section 6, eqs. 6.1-6.8);
 *   - FPSER and APSER for a or b below machine epsilon (their sections 10-11);
 * always computing the tail it can get to full relative accuracy and the other as its
 * complement. The prefactor x^a y^b / B(a,b) is formed without cancellation: for a, b >= 8 as
 * exp(-(a phi(-lambda/a) + b phi(lambda/b))) sqrt(b x0 / 2 pi) exp(-bcorr) with
 * phi(t) = t - log(1+t) (their BRCOMP), otherwise from log Gamma(1+a), 1/Gamma(1+a) - 1 and
 * log(Gamma(b)/Gamma(a+b)) (lgamma.c), each accurate to a few ulp, where TOMS 708 used
 * 14-15-digit rational approximations.
 * The decision tree and the formulas that combine large logarithms follow BRATIO as R uses it,
 * so that far tails (p ~ 1e-300, where one ulp of the exponent is 1e-13 of the result) round
 * the same way as R's.
 * Accuracy: DiDonato & Morris report 14 significant digits in the worst case; against R 4.2 on
 * tests/fixtures/dist_grid.tsv the agreement is within 1e-13 relative (see tests/c/test_dist.c).
 */
#include "dist.h"
#include "dpq.h"

/* "rlog1" of TOMS 708: t - log(1 + t). */
static double rlog1(double t) { return -cwd_log1pmx(t); }

static double fpser(double a, double b, double x, double eps, int log_p);
static double apser(double a, double b, double x, double eps);
static double bpser(double a, double b, double x, double eps, int log_p);
static double bup(double a, double b, double x, double y, int n, double eps, int give_log);
static double bfrac(double a, double b, double x, double y, double lambda, double eps,
                    int log_p);
static double brcomp(double a, double b, double x, double y, int log_p);
static int bgrat(double a, double b, double x, double y, double *w, double eps, int log_w);
static double grat_r(double a, double x, double log_r, double eps);
static double basym(double a, double b, double lambda, double eps, int log_p);

/* log(1/Gamma(b) * Gamma(a + b)) for 0 < a < 1 and 0 < b < 8, without large intermediate
 * logs: shift b into [1, 2) with exact-ratio products, then two small log Gammas. */
static double lgamma_ratio_small(double a, double b) {
    double prod = 1.0;
    while (b >= 2.0) {
        b -= 1.0;
        prod *= (a + b) / b;
    }
    if (b < 1.0) {
        prod *= b / (a + b);
        /* Gamma(a+b)/Gamma(b) = (b/(a+b)) Gamma(a+b+1)/Gamma(b+1) */
        return log(prod) + (cwd_lgamma1p(a + b) - cwd_lgamma1p(b));
    }
    return log(prod) + (cwd_lgamma1p(a + b - 1.0) - cwd_lgamma1p(b - 1.0));
}

void cwd_bratio(double a, double b, double x, double y, double *w, double *w1, int log_p) {
    double eps = 1e-15; /* max(DBL_EPSILON, 1e-15), as in R's BRATIO */
    double a0, b0, x0, y0, lambda;
    int do_swap, n;

    *w = cwd_d0(log_p);
    *w1 = cwd_d0(log_p);
    if (isnan(x) || isnan(y) || isnan(a) || isnan(b)) {
        *w = *w1 = NAN;
        return;
    }
    if (a < 0 || b < 0 || (a == 0 && b == 0) || x < 0 || x > 1 || y < 0 || y > 1) {
        *w = *w1 = NAN;
        return;
    }
    if (x == 0.0) {
        if (a == 0.0) {
            *w = *w1 = NAN;
            return;
        }
        *w = cwd_d0(log_p);
        *w1 = cwd_d1(log_p);
        return;
    }
    if (y == 0.0) {
        if (b == 0.0) {
            *w = *w1 = NAN;
            return;
        }
        *w = cwd_d1(log_p);
        *w1 = cwd_d0(log_p);
        return;
    }
    if (a == 0.0) {
        *w = cwd_d1(log_p);
        *w1 = cwd_d0(log_p);
        return;
    }
    if (b == 0.0) {
        *w = cwd_d0(log_p);
        *w1 = cwd_d1(log_p);
        return;
    }

    if ((a < b ? b : a) < eps * 0.001) {
        /* both tiny: I_x(a, b) = b/(a+b) whatever x */
        if (log_p) {
            if (a < b) {
                *w = log1p(-a / (a + b));
                *w1 = log(a / (a + b));
            } else {
                *w = log(b / (a + b));
                *w1 = log1p(-b / (a + b));
            }
        } else {
            *w = b / (a + b);
            *w1 = a / (a + b);
        }
        return;
    }

    /* Which quantity was computed directly: its tail (0: w, 1: w1) and scale (log or not). */
    enum { FROM_W, FROM_W1, FROM_W1_LOG, DONE } from = DONE;

    if ((a < b ? a : b) <= 1.0) { /* ---- min(a, b) <= 1 ---- */
        do_swap = (x > 0.5);
        if (do_swap) {
            a0 = b; x0 = y; b0 = a; y0 = x;
        } else {
            a0 = a; x0 = x; b0 = b; y0 = y;
        }
        /* now x0 <= 1/2 <= y0 */
        if (b0 < fmin(eps, eps * a0)) {
            *w = fpser(a0, b0, x0, eps, log_p);
            *w1 = log_p ? cwd_log1mexp(*w) : 0.5 - *w + 0.5;
            goto end;
        }
        if (a0 < fmin(eps, eps * b0) && b0 * x0 <= 1.0) {
            *w1 = apser(a0, b0, x0, eps);
            from = FROM_W1;
            goto finish;
        }
        int did_bup = 0, use_bgrat = 0;
        if ((a0 > b0 ? a0 : b0) > 1.0) { /* min(a,b) <= 1 < max(a,b) */
            if (b0 <= 1.0) goto w_bpser;
            if (x0 >= 0.29) goto w1_bpser;
            if (x0 < 0.1 && pow(x0 * b0, a0) <= 0.7) goto w_bpser;
            if (b0 > 15.0) {
                *w1 = 0.0;
                use_bgrat = 1;
            }
        } else { /* a, b <= 1 */
            if (a0 >= fmin(0.2, b0)) goto w_bpser;
            if (pow(x0, a0) <= 0.9) goto w_bpser;
            if (x0 >= 0.3) goto w1_bpser;
        }
        n = 20;
        if (!use_bgrat) {
            *w1 = bup(b0, a0, y0, x0, n, eps, 0);
            did_bup = 1;
            b0 += n;
        }
        int ierr = bgrat(b0, a0, y0, x0, w1, 15 * eps, 0);
        (void)ierr;
        if (*w1 == 0 || (0 < *w1 && *w1 < DBL_MIN)) {
            /* underflow, most likely: redo on the log scale */
            if (did_bup)
                *w1 = bup(b0 - n, a0, y0, x0, n, eps, 1);
            else
                *w1 = -INFINITY;
            bgrat(b0, a0, y0, x0, w1, 15 * eps, 1);
            from = FROM_W1_LOG;
            goto finish;
        }
        from = FROM_W1;
        goto finish;
    } else { /* ---- a, b > 1 ---- */
        /* lambda = a y - b x = (a + b) y - b = a - (a + b) x, in its most accurate form */
        lambda = isfinite(a + b) ? ((a > b) ? (a + b) * y - b : a - (a + b) * x) : a * y - b * x;
        do_swap = (lambda < 0.0);
        if (do_swap) {
            lambda = -lambda;
            a0 = b; x0 = y; b0 = a; y0 = x;
        } else {
            a0 = a; x0 = x; b0 = b; y0 = y;
        }
        if (b0 < 40.0) {
            if (b0 * x0 <= 0.7 || (log_p && lambda > 650.0)) goto w_bpser;
            goto l140;
        } else if (a0 > b0) { /* a0 > b0 >= 40 */
            if (b0 <= 100.0 || lambda > b0 * 0.03) goto w_bfrac;
        } else if (a0 <= 100.0) {
            goto w_bfrac;
        } else if (lambda > a0 * 0.03) {
            goto w_bfrac;
        }
        /* a0, b0 > 100 and lambda small relative to them */
        *w = basym(a0, b0, lambda, eps * 100.0, log_p);
        *w1 = log_p ? cwd_log1mexp(*w) : 0.5 - *w + 0.5;
        goto end;
    }

w_bpser:
    *w = bpser(a0, b0, x0, eps, log_p);
    *w1 = log_p ? cwd_log1mexp(*w) : 0.5 - *w + 0.5;
    goto end;

w1_bpser:
    *w1 = bpser(b0, a0, y0, eps, log_p);
    *w = log_p ? cwd_log1mexp(*w1) : 0.5 - *w1 + 0.5;
    goto end;

w_bfrac:
    *w = bfrac(a0, b0, x0, y0, lambda, eps * 15.0, log_p);
    *w1 = log_p ? cwd_log1mexp(*w) : 0.5 - *w + 0.5;
    goto end;

l140:
    /* b0 := fractional part of b0, in (0, 1] */
    n = (int)b0;
    b0 -= n;
    if (b0 == 0.0) {
        --n;
        b0 = 1.0;
    }
    *w = bup(b0, a0, y0, x0, n, eps, 0);
    if (*w < DBL_MIN && log_p) {
        /* do not trust an underflowed bup: the series on the log scale instead */
        b0 += n;
        goto w_bpser;
    }
    if (x0 <= 0.7) {
        *w += bpser(a0, b0, x0, eps, 0);
        from = FROM_W;
        goto finish;
    }
    if (a0 <= 15.0) {
        n = 20;
        *w += bup(a0, b0, x0, y0, n, eps, 0);
        a0 += n;
    }
    bgrat(a0, b0, x0, y0, w, 15 * eps, 0);
    from = FROM_W;

finish:
    switch (from) {
    case FROM_W:
        if (log_p) {
            *w1 = log1p(-*w);
            *w = log(*w);
        } else {
            *w1 = 0.5 - *w + 0.5;
        }
        break;
    case FROM_W1:
        if (log_p) {
            *w = log1p(-*w1);
            *w1 = log(*w1);
        } else {
            *w = 0.5 - *w1 + 0.5;
        }
        break;
    case FROM_W1_LOG: /* *w1 holds log(w1) */
        if (log_p) {
            *w = cwd_log1mexp(*w1);
        } else {
            *w = -expm1(*w1);
            *w1 = exp(*w1);
        }
        break;
    case DONE:
        break;
    }

end:
    if (do_swap) {
        double t = *w;
        *w = *w1;
        *w1 = t;
    }
}

/* I_x(a, b) for b < min(eps, eps a) and x <= 1/2 (DiDonato & Morris section 10). */
static double fpser(double a, double b, double x, double eps, int log_p) {
    double ans, c, s, t, an, tol;
    if (log_p) {
        ans = a * log(x);
    } else if (a > eps * 0.001) {
        t = a * log(x);
        if (t < -708.39) return 0.0; /* exp(t) underflows */
        ans = exp(t);
    } else {
        ans = 1.0;
    }
    /* 1/B(a, b) ~= b here */
    if (log_p)
        ans += log(b) - log(a);
    else
        ans *= b / a;
    tol = eps / a;
    an = a + 1.0;
    t = x;
    s = t / an;
    do {
        an += 1.0;
        t = x * t;
        c = t / an;
        s += c;
    } while (fabs(c) > tol);
    if (log_p)
        ans += log1p(a * s);
    else
        ans *= a * s + 1.0;
    return ans;
}

/* I_{1-x}(b, a) for a <= min(eps, eps b), b x <= 1, x <= 1/2 (DiDonato & Morris section 11). */
static double apser(double a, double b, double x, double eps) {
    const double g = CWD_EULER;
    double bx = b * x, t = x - bx, c;
    if (b * eps <= 0.02)
        c = log(x) + cwd_psi(b) + g + t;
    else /* psi(b) ~= log(b) */
        c = log(bx) + g + t;
    double tol = eps * 5.0 * fabs(c), j = 1.0, s = 0.0, aj;
    do {
        j += 1.0;
        t *= x - bx / j;
        aj = t / j;
        s += aj;
    } while (fabs(aj) > tol);
    return -a * (c + s);
}

/* The power series for I_x(a, b), for b <= 1 or b x <= 0.7. */
static double bpser(double a, double b, double x, double eps, int log_p) {
    double ans, z, a0, b0;
    if (x == 0.0) return cwd_d0(log_p);

    /* the factor x^a / (a B(a, b)) */
    a0 = fmin(a, b);
    if (a0 >= 1.0) {
        z = a * log(x) - cw_lbeta(a, b);
        ans = log_p ? z - log(a) : exp(z) / a;
    } else {
        b0 = fmax(a, b);
        if (b0 < 8.0) {
            if (b0 <= 1.0) { /* a0 < 1, b0 <= 1 */
                if (log_p) {
                    ans = a * log(x);
                } else {
                    ans = pow(x, a);
                    if (ans == 0.0) return ans;
                }
                /* 1/(a B(a,b)) = (b/(a+b)) Gamma(a+b+1) / (Gamma(a+1) Gamma(b+1)) */
                double apb = a + b;
                double lc = cwd_lgamma1p(apb) - cwd_lgamma1p(a) - cwd_lgamma1p(b);
                if (log_p)
                    ans += lc + log(b / apb);
                else
                    ans *= exp(lc) * (b / apb);
            } else { /* a0 < 1 < b0 < 8 */
                /* 1/(a B(a,b)) = (a0/a) Gamma(a0+b0) / (Gamma(a0+1) Gamma(b0)) */
                double u = cwd_lgamma1p(a0) - lgamma_ratio_small(a0, b0);
                z = a * log(x) - u;
                if (log_p)
                    ans = z + log(a0 / a);
                else
                    ans = exp(z) * (a0 / a);
            }
        } else { /* a0 < 1 < 8 <= b0 */
            double u = cwd_lgamma1p(a0) + cwd_algdiv(a0, b0);
            z = a * log(x) - u;
            if (log_p)
                ans = z + log(a0 / a);
            else
                ans = a0 / a * exp(z);
        }
    }
    if (ans == cwd_d0(log_p) || (!log_p && a <= eps * 0.1)) return ans;

    /* the series */
    double tol = eps / a, n = 0.0, sum = 0.0, c = 1.0, w;
    do { /* alternating while n < b */
        n += 1.0;
        c *= (0.5 - b / n + 0.5) * x;
        w = c / (a + n);
        sum += w;
    } while (n < 1e7 && fabs(w) > tol);

    if (log_p) {
        if (a * sum > -1.0)
            ans += log1p(a * sum);
        else
            ans = -INFINITY;
    } else if (a * sum > -1.0) {
        ans *= (a * sum + 1.0);
    } else {
        ans = 0.0;
    }
    return ans;
}

/* I_x(a, b) - I_x(a + n, b) for a positive integer n (DiDonato & Morris eq. 2.3). */
static double bup(double a, double b, double x, double y, int n, double eps, int give_log) {
    double apb = a + b, ap1 = a + 1.0, ret;
    double lbr = brcomp(a, b, x, y, 1) - log(a); /* log(x^a y^b / (a B(a,b))) */
    int scaled = lbr < -700.0;                   /* the prefactor may underflow: stay in logs */
    if (give_log || scaled)
        ret = lbr;
    else
        ret = brcomp(a, b, x, y, 0) / a;
    if (n == 1 || ret == -INFINITY || (!give_log && !scaled && ret == 0.0)) {
        if (!give_log && scaled) return exp(ret);
        return ret;
    }
    int nm1 = n - 1, k = 0;
    double w = 1.0, d = 1.0;
    /* k: index of the largest term */
    if (b > 1.0) {
        if (y > 1e-4) {
            double r = (b - 1.0) * x / y - a;
            if (r >= 1.0) k = (r < nm1) ? (int)r : nm1;
        } else {
            k = nm1;
        }
        for (int i = 0; i < k; i++) { /* the increasing terms */
            double l = (double)i;
            d *= (apb + l) / (ap1 + l) * x;
            w += d;
        }
    }
    for (int i = k; i < nm1; i++) { /* the decreasing ones, to relative convergence */
        double l = (double)i;
        d *= (apb + l) / (ap1 + l) * x;
        w += d;
        if (d <= eps * w) break;
    }
    if (give_log) return ret + log(w);
    if (scaled) return exp(ret + log(w));
    return ret * w;
}

/* The continued fraction for I_x(a, b), a, b > 1, lambda = (a + b) y - b
 * (DiDonato & Morris eq. 4.1, evaluated by the forward recurrence with rescaling). */
static double bfrac(double a, double b, double x, double y, double lambda, double eps,
                    int log_p) {
    if (!isfinite(lambda)) return NAN;
    double brc = brcomp(a, b, x, y, log_p);
    if (isnan(brc)) return NAN;
    if (!log_p && brc == 0.0) return 0.0;

    double c = lambda + 1.0, c0 = b / a, c1 = 1.0 / a + 1.0, yp1 = y + 1.0;
    double n = 0.0, p = 1.0, s = a + 1.0, an = 0.0, bn = 1.0, anp1 = 1.0, bnp1 = c / c1;
    double r = c1 / c, r0, t, e, w, alpha, beta;
    do {
        n += 1.0;
        t = n / a;
        w = n * (b - n) * x;
        e = a / s;
        alpha = p * (p + c0) * e * e * (w * x);
        e = (t + 1.0) / (c1 + t + t);
        beta = n + w / s + e * (c + n * yp1);
        p = t + 1.0;
        s += 2.0;

        t = alpha * an + beta * anp1;
        an = anp1;
        anp1 = t;
        t = alpha * bn + beta * bnp1;
        bn = bnp1;
        bnp1 = t;

        r0 = r;
        r = anp1 / bnp1;
        if (fabs(r - r0) <= eps * r) break;
        /* rescale */
        an /= bnp1;
        bn /= bnp1;
        anp1 = r;
        bnp1 = 1.0;
    } while (n < 10000);
    return log_p ? brc + log(r) : brc * r;
}

/* x^a y^b / B(a, b) (DiDonato & Morris, BRCOMP). */
static double brcomp(double a, double b, double x, double y, int log_p) {
    if (x == 0.0 || y == 0.0) return cwd_d0(log_p);
    double a0 = fmin(a, b);
    if (a0 < 8.0) {
        double lnx, lny;
        if (x <= 0.375) {
            lnx = log(x);
            lny = log1p(-x);
        } else if (y > 0.375) {
            lnx = log(x);
            lny = log(y);
        } else {
            lnx = log1p(-y);
            lny = log(y);
        }
        double z = a * lnx + b * lny;
        if (a0 >= 1.0) {
            z -= cw_lbeta(a, b);
            return log_p ? z : exp(z);
        }
        double b0 = fmax(a, b);
        if (b0 >= 8.0) {
            double u = cwd_lgamma1p(a0) + cwd_algdiv(a0, b0);
            return log_p ? log(a0) + (z - u) : a0 * exp(z - u);
        }
        if (b0 <= 1.0) {
            /* 1/B(a,b) = a0 (b0/(a0+b0)) Gamma(a+b+1) / (Gamma(a+1) Gamma(b+1)) */
            double e_z = log_p ? z : exp(z);
            if (!log_p && e_z == 0.0) return 0.0;
            double lc = cwd_lgamma1p(a + b) - cwd_lgamma1p(a) - cwd_lgamma1p(b);
            return log_p ? e_z + log(a0) + lc - log1p(a0 / b0)
                         : e_z * (a0 * exp(lc)) / (a0 / b0 + 1.0);
        }
        /* a0 < 1 < b0 < 8: 1/B(a0,b0) = a0 Gamma(a0+b0) / (Gamma(a0+1) Gamma(b0)) */
        double u = cwd_lgamma1p(a0) - lgamma_ratio_small(a0, b0);
        z -= u;
        return log_p ? log(a0) + z : a0 * exp(z);
    }
    /* a, b >= 8 */
    double h, x0, y0, lambda, e, u, v, z;
    if (a <= b) {
        h = a / b;
        x0 = h / (h + 1.0);
        y0 = 1.0 / (h + 1.0);
        lambda = a - (a + b) * x;
    } else {
        h = b / a;
        x0 = 1.0 / (h + 1.0);
        y0 = h / (h + 1.0);
        lambda = (a + b) * y - b;
    }
    e = -lambda / a;
    if (fabs(e) > 0.6)
        u = e - log(x / x0);
    else
        u = rlog1(e);
    e = lambda / b;
    if (fabs(e) <= 0.6)
        v = rlog1(e);
    else
        v = e - log(y / y0);
    z = log_p ? -(a * u + b * v) : exp(-(a * u + b * v));
    return log_p ? -CWD_LN_SQRT_2PI + 0.5 * log(b * x0) + z - cwd_bcorr(a, b)
                 : CWD_1_SQRT_2PI * sqrt(b * x0) * z * exp(-cwd_bcorr(a, b));
}

/* Adds I_x(a, b) to *w for a >= 15, b <= 1: the expansion of DiDonato & Morris section 9,
 *   I_x(a,b) = M sum_n d_n J_n,  with  T = a + (b-1)/2,  u = -T log x,
 * d_n the coefficients of (sinh(t/2)/(t/2))^(b-1) in powers of t^2/4 (by the J.C.P. Miller
 * power recurrence), J_n from J_0 = Q(b, u)/r by the stable upward recurrence of the
 * incomplete gamma function, and M = Gamma(a+b)/(Gamma(a) T^b) r, r = exp(-u) u^b / Gamma(b).
 * If log_w, *w is a log on entry and exit. Returns 0, or an error code (expansion failed). */
static int bgrat(double a, double b, double x, double y, double *w, double eps, int log_w) {
    enum { NTERMS = 30 };
    double c[NTERMS], d[NTERMS];
    double bm1 = b - 0.5 - 0.5, nu = a + bm1 * 0.5;
    double lnx = (y > 0.375) ? log(x) : log1p(-y);
    double z = -nu * lnx;
    if (b * z == 0.0) return 1;

    /* log r = log(exp(-z) z^b / Gamma(b)), with 1/Gamma(b) = b / Gamma(b+1) */
    double log_r = log(b) - cwd_lgamma1p(b) + b * log(z) + nu * lnx;
    /* log M = log r - log(Gamma(a) / Gamma(a+b)) - b log(nu) */
    double log_u = log_r - (cwd_algdiv(b, a) + b * log(nu));
    double u = exp(log_u);
    if (log_u == -INFINITY) return 2;
    int u_0 = (u == 0.0);
    double l = log_w ? ((*w == -INFINITY) ? 0.0 : exp(*w - log_u))
                     : ((*w == 0.0) ? 0.0 : exp(log(*w) - log_u));
    double q_r = grat_r(b, z, log_r, eps);
    double v = 0.25 / (nu * nu), t2 = lnx * 0.25 * lnx, j = q_r, sum = j, t = 1.0, cn = 1.0,
           n2 = 0.0;
    for (int n = 1; n <= NTERMS; n++) {
        double bp2n = b + n2;
        j = (bp2n * (bp2n + 1.0) * j + (z + bp2n + 1.0) * t) * v;
        n2 += 2.0;
        t *= t2;
        cn /= n2 * (n2 + 1.0);
        int nm1 = n - 1;
        c[nm1] = cn;
        double s = 0.0;
        if (n > 1) {
            double coef = b - n;
            for (int i = 1; i <= nm1; i++) {
                s += coef * c[i - 1] * d[nm1 - i];
                coef += b;
            }
        }
        d[nm1] = bm1 * cn + s / n;
        double dj = d[nm1] * j;
        sum += dj;
        if (sum <= 0.0) return 3;
        if (fabs(dj) <= eps * (sum + l)) break;
    }
    if (log_w) {
        double lt = log_u + log(sum); /* log-space addition */
        if (*w == -INFINITY)
            *w = lt;
        else
            *w = fmax(*w, lt) + log1p(exp(-fabs(*w - lt)));
    } else {
        *w += (u_0 ? exp(log_u + log(sum)) : u * sum);
    }
    return 0;
}

/* Q(a, x) / r with r = exp(-x) x^a / Gamma(a) = exp(log_r), for a <= 1 (after GRAT1 of
 * DiDonato & Morris 1986): Taylor series for x < 1.1, Legendre's continued fraction beyond. */
static double grat_r(double a, double x, double log_r, double eps) {
    if (a * x == 0.0) return (x <= a) ? exp(-log_r) : 0.0;
    if (a == 0.5 && x >= 0.25) {
        /* Q(1/2, x) = erfc(sqrt x), so Q/r = sqrt(pi/x) exp(x) erfc(sqrt x) */
        double sx = sqrt(x);
        return cwd_erfcx(sx) / sx * CWD_SQRT_PI;
    }
    if (x < 1.1) {
        /* P(a,x) = x^a/Gamma(a+1) (1 - J), J = a x (1/(a+1) - x/(2 (a+2)) + ...) */
        double an = 3.0, c = x, sum = x / (a + 3.0), tol = eps * 0.1 / (a + 1.0), t;
        do {
            an += 1.0;
            c *= -(x / an);
            t = c / (a + an);
            sum += t;
        } while (fabs(t) > tol);
        double j = a * x * ((sum / 6.0 - 0.5 / (a + 2.0)) * x + 1.0 / (a + 1.0));
        double z = a * log(x), h = cwd_gam1(a), g = h + 1.0;
        if ((x >= 0.25 && (a < x / 2.59)) || (z > -0.13394)) {
            /* x^a/Gamma(a+1) is near 1: Q = ((L+1) J - L) g - h with L = x^a - 1 */
            double el = expm1(z), q = ((el + 0.5 + 0.5) * j - el) * g - h;
            if (q <= 0.0) return 0.0;
            return q * exp(-log_r);
        }
        double p = exp(z) * g * (0.5 - j + 0.5);
        return (0.5 - p + 0.5) * exp(-log_r);
    }
    /* x >= 1.1: Q/r = 1/(x + (1-a)/(1 + 1/(x + (2-a)/(1 + 2/(x + ...))))) */
    double a2n_1 = 1.0, a2n = 1.0, b2n_1 = x, b2n = x + (1.0 - a), c = 1.0, am0, an0;
    do {
        a2n_1 = x * a2n + c * a2n_1;
        b2n_1 = x * b2n + c * b2n_1;
        am0 = a2n_1 / b2n_1;
        c += 1.0;
        double c_a = c - a;
        a2n = a2n_1 + c_a * a2n;
        b2n = b2n_1 + c_a * b2n;
        an0 = a2n / b2n;
    } while (fabs(an0 - am0) >= eps * an0);
    return an0;
}

/* I_x(a, b) for large a, b >= 15 near the mean: Temme's uniform expansion as in DiDonato &
 * Morris section 6 (BASYM), lambda = (a + b) y - b >= 0, eps the truncation tolerance. */
static double basym(double a, double b, double lambda, double eps, int log_p) {
    enum { NUM = 20 }; /* must be even */
    const double e0 = 1.12837916709551257390;    /* 2/sqrt(pi) */
    const double e1 = 0.353553390593273762200;   /* 2^(-3/2) */
    const double ln_e0 = 0.120782237635245222346; /* log(e0) */
    double a0[NUM + 1], b0[NUM + 1], c[NUM + 1], d[NUM + 1];

    double f = a * rlog1(-lambda / a) + b * rlog1(lambda / b), t;
    if (log_p) {
        t = -f;
    } else {
        t = exp(-f);
        if (t == 0.0) return 0.0;
    }
    double z0 = sqrt(f), z = z0 / e1 * 0.5, z2 = f + f, h, r0, r1, w0;
    if (a < b) {
        h = a / b;
        r0 = 1.0 / (h + 1.0);
        r1 = (b - a) / b;
        w0 = 1.0 / sqrt(a * (h + 1.0));
    } else {
        h = b / a;
        r0 = 1.0 / (h + 1.0);
        r1 = (b - a) / a;
        w0 = 1.0 / sqrt(b * (h + 1.0));
    }
    a0[0] = r1 * (2.0 / 3.0);
    c[0] = a0[0] * -0.5;
    d[0] = -c[0];
    double j0 = 0.5 / e0 * cwd_erfcx(z0), j1 = e1, sum = j0 + d[0] * w0 * j1;
    double s = 1.0, h2 = h * h, hn = 1.0, w = w0, znm1 = z, zn = z2;
    for (int n = 2; n <= NUM; n += 2) {
        hn *= h2;
        a0[n - 1] = r0 * 2.0 * (h * hn + 1.0) / (n + 2.0);
        int np1 = n + 1;
        s += hn;
        a0[np1 - 1] = r1 * 2.0 * s / (n + 3.0);
        for (int i = n; i <= np1; i++) {
            double r = (i + 1.0) * -0.5;
            b0[0] = r * a0[0];
            for (int m = 2; m <= i; m++) {
                double bsum = 0.0;
                for (int jj = 1; jj <= m - 1; jj++) {
                    int mmj = m - jj;
                    bsum += (jj * r - mmj) * a0[jj - 1] * b0[mmj - 1];
                }
                b0[m - 1] = r * a0[m - 1] + bsum / m;
            }
            c[i - 1] = b0[i - 1] / (i + 1.0);
            double dsum = 0.0;
            for (int jj = 1; jj <= i - 1; jj++) dsum += d[i - jj - 1] * c[jj - 1];
            d[i - 1] = -(dsum + c[i - 1]);
        }
        j0 = e1 * znm1 + (n - 1.0) * j0;
        j1 = e1 * zn + n * j1;
        znm1 = z2 * znm1;
        zn = z2 * zn;
        w *= w0;
        double t0 = d[n - 1] * w * j0;
        w *= w0;
        double t1 = d[np1 - 1] * w * j1;
        sum += t0 + t1;
        if (fabs(t0) + fabs(t1) <= eps * sum) break;
    }
    if (log_p) return ln_e0 + t - cwd_bcorr(a, b) + log(sum);
    return e0 * t * exp(-cwd_bcorr(a, b)) * sum;
}

double cwd_pbeta_raw(double x, double a, double b, int lower_tail, int log_p) {
    /* limit cases: point masses */
    if (a == 0 || b == 0 || !isfinite(a) || !isfinite(b)) {
        if (a == 0 && b == 0) return log_p ? -CWD_LN2 : 0.5; /* mass 1/2 at 0 and at 1 */
        if (a == 0 || b / a == INFINITY) return cwd_dt1(lower_tail, log_p); /* mass at 0 */
        if (b == 0 || a / b == INFINITY) return cwd_dt0(lower_tail, log_p); /* mass at 1 */
        return x < 0.5 ? cwd_dt0(lower_tail, log_p) : cwd_dt1(lower_tail, log_p); /* at 1/2 */
    }
    if (x >= 1) return cwd_dt1(lower_tail, log_p);
    double x1 = 0.5 - x + 0.5, w, wc;
    cwd_bratio(a, b, x, x1, &w, &wc, log_p);
    return lower_tail ? w : wc;
}

double cw_pbeta(double x, double a, double b, int lower_tail, int log_p) {
    if (isnan(x) || isnan(a) || isnan(b)) return x + a + b;
    if (a < 0 || b < 0) return NAN;
    if (x <= 0) return cwd_dt0(lower_tail, log_p);
    if (x >= 1) return cwd_dt1(lower_tail, log_p);
    return cwd_pbeta_raw(x, a, b, lower_tail, log_p);
}
