/* test_dp_interval_wb.c — white-box checks of the pieces of wasm/src/dp_interval.c, below the
 * resolution of the end-to-end oracle (test_dp_interval.c can only see errors larger than the
 * reported widening, ~1e-4 sd(E) or more). The source is compiled a second time inside this file
 * with its public names prefixed, so its static functions can be called; the library copy is
 * the one the other tests use.
 *  - every kernel's masses add up to P(|Z| <= A) (relative 1e-13): the cells partition the
 *    lattice, for Laplace and Gaussian, summed and Euler-Maclaurin, sparse and dense;
 *  - Euler-Maclaurin tails and cells against term-by-term sums of the pmf at sigma 300-1000,
 *    where both are computable (relative 1e-12);
 *  - the Gauss-Legendre cell integral against cw_pnorm differences where those do not cancel
 *    (relative 1e-14), and against the midpoint rule on cells of width 1e-7 (relative 1e-12);
 *  - the Poisson-series variance and normaliser of the discrete Gaussian against direct sums
 *    (relative 1e-14), sigma2 = 1, 2, 3, 7;
 *  - the convolution of two kernels against a naive full convolution (relative 1e-14). */
#define cw_dp_error_variance wb_dp_error_variance
#define cw_dp_error_quantile wb_dp_error_quantile
#define cw_dp_error_two_sided wb_dp_error_two_sided
#define cw_dp_error_quantile_work wb_dp_error_quantile_work
#define cw_dp_error_two_sided_work wb_dp_error_two_sided_work
#define cw_dp_noise_bound wb_dp_noise_bound
#include "dp_interval.c"

#include "test.h"

static cw_dp_noise wb_noise(int gauss, uint64_t a, uint64_t b) {
    cw_dp_noise n;
    memset(&n, 0, sizeof n);
    n.mech = gauss ? CW_MECH_GAUSSIAN : CW_MECH_LAPLACE;
    if (gauss)
        n.sigma2 = a;
    else {
        n.t = a;
        n.s = b;
    }
    return n;
}

/* P(a <= Z < a2) summed pmf by pmf (the reference for the closed forms) */
static double pmf_sum(const noise_info *ni, double a, double a2) {
    double s = 0.0;
    for (double z = a; z < a2; z += 1.0) s += noise_pmf(ni, z);
    return s;
}

static void kernels(cw_test *t) {
    struct {
        int gauss;
        uint64_t a, b;
        double c, h;
    } cases[] = {
        {0, 1, 3, 1.0, 0.5},
        {0, 1, 3, 1.0, 3.0},
        {0, 100, 1, 1.0, 7.3},
        {0, 100, 1, 1.0, 0.37},
        {0, 1000000000, 1, 1e-9, 0.013},
        {1, 1, 0, 1.0, 0.4},
        {1, 14, 0, 0.3, 0.7},
        {1, 2500, 0, 1.0, 3.3},
        {1, 250000, 0, 1.0, 17.0},
        {1, (uint64_t)1 << 62, 0, 1.0, 1.1e7},
        {1, 1000000, 0, 1e-3, 0.0123},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        term_t tm;
        memset(&tm, 0, sizeof tm);
        cw_dp_noise nz = wb_noise(cases[i].gauss, cases[i].a, cases[i].b);
        CW_CHECK(t, noise_init(&nz, &tm.ni) == 0, "case %zu", i);
        tm.c = cases[i].c;
        tm.A = noise_bound(&tm.ni, 1e-13);
        long *kk = NULL;
        double *mm = NULL;
        long n = build_kernel(&tm, cases[i].h, &kk, &mm);
        CW_CHECK(t, n > 0, "case %zu", i);
        if (n > 0) {
            double total = mm[0];
            for (long k = 1; k < n; k++) total += 2.0 * mm[k];
            double want = -expm1(LN2_ + noise_log_tail(&tm.ni, tm.A + 1.0)); /* 1 - P(|Z| > A) */
            CW_CHECK(t, fabs(total - want) <= 1e-13 * want,
                     "case %zu: kernel mass %.17g want %.17g", i, total, want);
            int ok = 1;
            for (long k = 1; k < n; k++) ok &= kk[k] > kk[k - 1] && mm[k] >= 0.0;
            CW_CHECK(t, ok && kk[0] == 0, "case %zu: kernel offsets", i);
        }
        free(kk);
        free(mm);
    }
}

static void euler_maclaurin(cw_test *t) {
    uint64_t s2s[] = {90000, 250000, 1000000};
    for (size_t i = 0; i < sizeof s2s / sizeof *s2s; i++) {
        cw_dp_noise nz = wb_noise(1, s2s[i], 0);
        noise_info em, direct;
        noise_init(&nz, &em);
        direct = em;
        direct.em = 0;
        CW_CHECK(t, em.em == 1, "sigma2 %llu uses Euler-Maclaurin", (unsigned long long)s2s[i]);
        double sig = em.sig, as[] = {1.0, 0.5 * sig, sig, 3.0 * sig, 8.0 * sig, 30.0 * sig};
        for (size_t j = 0; j < sizeof as / sizeof *as; j++) {
            double a = floor(as[j]) + 1.0;
            double le = noise_log_tail(&em, a), ld = noise_log_tail(&direct, a);
            CW_CHECK(t, fabs(le - ld) <= 1e-12 * (1.0 + fabs(ld)),
                     "sigma2 %llu: log P(Z >= %g) %.17g vs summed %.17g",
                     (unsigned long long)s2s[i], a, le, ld);
            double b = a + floor(0.37 * sig) + 1.0;
            double re = noise_range(&em, a, b), rd = pmf_sum(&direct, a, b);
            CW_CHECK(t, fabs(re - rd) <= 1e-12 * rd + 1e-300,
                     "sigma2 %llu: P(%g <= Z < %g) %.17g vs %.17g", (unsigned long long)s2s[i], a,
                     b, re, rd);
            double ce = noise_center(&em, a), cd = noise_center(&direct, a);
            CW_CHECK(t, fabs(ce - cd) <= 1e-13, "sigma2 %llu: P(|Z| <= %g) %.17g vs %.17g",
                     (unsigned long long)s2s[i], a, ce, cd);
        }
    }
}

static void gauss_legendre(cw_test *t) {
    double iv[][2] = {{0.0, 1.0}, {1.0, 3.0}, {5.0, 9.0}, {0.0, 0.3}, {2.0, 2.5}, {7.0, 30.0}};
    for (size_t i = 0; i < sizeof iv / sizeof *iv; i++) {
        double got = phi_integral(iv[i][0], iv[i][1]);
        double want = iv[i][0] >= 1.0
                          ? cw_pnorm(iv[i][0], 0, 1, 0, 0) - cw_pnorm(iv[i][1], 0, 1, 0, 0)
                          : cw_pnorm(iv[i][1], 0, 1, 1, 0) - cw_pnorm(iv[i][0], 0, 1, 1, 0);
        CW_CHECK_CLOSE(t, got, want, 1e-14);
    }
    double us[] = {0.0, 1.0, 4.0, 8.0, 20.0};
    for (size_t i = 0; i < sizeof us / sizeof *us; i++) {
        double u = us[i], ub = u + 1e-7, w = ub - u, m = u + 0.5 * w; /* w: the width in fp */
        double want = w * INV_SQRT_2PI * exp(-0.5 * m * m) * (1.0 + w * w * (m * m - 1.0) / 24.0);
        CW_CHECK_CLOSE(t, phi_integral(u, ub), want, 1e-12);
    }
}

static void gauss_moments(cw_test *t) {
    uint64_t s2s[] = {1, 2, 3, 7};
    for (size_t i = 0; i < sizeof s2s / sizeof *s2s; i++) {
        cw_dp_noise nz = wb_noise(1, s2s[i], 0);
        noise_info ni;
        noise_init(&nz, &ni);
        double c = 0.0, v = 0.0, s2 = (double)s2s[i];
        for (double z = floor(60.0 * sqrt(s2)); z >= 1.0; z -= 1.0) { /* small terms first */
            double f = exp(-z * z / (2.0 * s2));
            c += 2.0 * f;
            v += 2.0 * z * z * f;
        }
        c += 1.0;
        CW_CHECK_CLOSE(t, ni.norm, c, 1e-14);
        CW_CHECK_CLOSE(t, ni.var, v / c, 1e-14);
    }
}

static void convolution(cw_test *t) {
    /* a symmetric half-law x (k = 0..7) and sparse kernels of 1 to 7 entries (blocks of four
     * and the rest), against the full convolution written out */
    double x[8] = {0.2, 0.15, 0.1, 0.06, 0.04, 0.02, 0.01, 0.005};
    long kk[7] = {0, 1, 3, 4, 9, 11, 12};
    double mm[7] = {0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.004};
    long kx = 7;
    for (long nk = 1; nk <= 7; nk++) {
        long kt = kk[nk - 1], ky = kx + kt;
        double xp[2 * 7 + 3 * 12 + 1], y[7 + 12 + 1], full[2 * (7 + 12) + 1];
        memset(full, 0, sizeof full);
        for (long i = -kx; i <= kx; i++)
            for (long j = -(nk - 1); j <= nk - 1; j++) {
                if (j < 0 && kk[-j] == 0) continue;
                long d = j < 0 ? -kk[-j] : kk[j];
                full[i + d + ky] += x[i < 0 ? -i : i] * mm[j < 0 ? -j : j];
            }
        convolve(x, kx, kk, mm, nk, xp, y);
        int ok = 1;
        for (long k = 0; k <= ky; k++)
            ok &= fabs(y[k] - full[k + ky]) <= 1e-14 * full[k + ky] + 1e-300;
        CW_CHECK(t, ok, "convolve() with %ld entries against the full convolution", nk);
    }
}

void test_dp_interval_wb(cw_test *t) {
    kernels(t);
    euler_maclaurin(t);
    gauss_legendre(t);
    gauss_moments(t);
    convolution(t);
}
