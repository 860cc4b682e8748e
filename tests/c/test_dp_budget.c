/* test_dp_budget.c — privacy accounting (dp_budget.h): the zCDP -> (epsilon, delta) conversion
 * and its inverses against 50-digit mpmath (tests/fixtures/dp_zcdp.tsv, written by
 * tests/oracle/make_dp_budget_fixtures.py) and OpenDP's asserted values; epsilon units against
 * exact rationals; splits, noise plans and privacy checks by exact integer characterisations
 * (each floor / ceiling is checked as the inequality pair that defines it), with negative
 * controls (under-noised structs must fail the check) and the samplers' limits.
 *
 * Tolerances: delta 1e-10 relative (the brief's bound; the code aims at ~1e-13, limited by
 * evaluating log delta, whose terms are a few times |log delta| <= 690, in doubles), and never
 * below the 50-digit value by more than 1e-12 relative (the conversion must not understate
 * delta); epsilon 1e-10 relative; the discrete Gaussian variance 4e-16, two ulps (a sum of
 * positive terms, smallest first, or sigma2 itself where the rest is below 1e-850); the Laplace variance 1e-12 (dp_sample.h promises a few ulps times 1 + s/t). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp_budget.h"
#include "dp_sample.h"
#include "rng.h"
#include "test.h"
#include "util.h"

__extension__ typedef unsigned __int128 u128;

static double rho_of(uint64_t k) { return ldexp((double)k, -CW_DP_RHO_BITS); }

static void fixture_rows(cw_test *t) {
    char path[512];
    size_t len;
    char *text = read_file(fixture_path("dp_zcdp.tsv", path, sizeof path), &len);
    CW_CHECK(t, text != NULL, "cannot read %s", path);
    if (!text) return;
    int count[6] = {0};
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (line[0] == '#') continue;
        char *f[6] = {0};
        int n = 0;
        for (char *tok = strtok(line, "\t"); tok && n < 6; tok = strtok(NULL, "\t")) f[n++] = tok;
        if (n < 3) continue;
        if (!strcmp(f[0], "delta") && n == 5) {
            double rho = strtod(f[1], NULL), eps = strtod(f[2], NULL), want = strtod(f[3], NULL);
            double got = cw_dp_zcdp_delta(rho, eps);
            if (want >= 1e-300) {
                CW_CHECK(t, cw_close(got, want, 1e-10), "delta(%s, %s) = %.17g want %s", f[1], f[2], got, f[3]);
                CW_CHECK(t, got >= want * (1 - 1e-12), "delta(%s, %s) = %.17g is below the infimum %s", f[1], f[2], got, f[3]);
            } else {
                CW_CHECK(t, got >= 0 && got <= 1e-300, "delta(%s, %s) = %.17g want %s (below 1e-300)", f[1], f[2], got, f[3]);
            }
            count[0]++;
        } else if (!strcmp(f[0], "epsilon") && n == 4) {
            double rho = strtod(f[1], NULL), delta = strtod(f[2], NULL), want = strtod(f[3], NULL);
            double got = cw_dp_zcdp_epsilon(rho, delta);
            CW_CHECK(t, want == 0 ? got == 0 : cw_close(got, want, 1e-10), "epsilon(%s, %s) = %.17g want %s", f[1], f[2], got, f[3]);
            CW_CHECK(t, cw_dp_zcdp_delta(rho, got) <= delta, "delta at epsilon(%s, %s) exceeds delta", f[1], f[2]);
            count[1]++;
        } else if (!strcmp(f[0], "rho") && n == 5) {
            /* k / 2^40 is at most the true largest rho (up to the conversion's 1e-12), and within
             * the 1e-9 safety margin on delta of it (that moves rho by at most ~1e-8 relative
             * where d log delta / d log rho >= 0.1, true on this grid), and k is the exact
             * boundary of the computed conversion at delta (1 - 1e-9). */
            double eps = strtod(f[1], NULL), delta = strtod(f[2], NULL), rho_star = strtod(f[4], NULL);
            uint64_t k = 0, s = 0;
            cw_budget_status st = cw_dp_zcdp_rho_units(eps, delta, &k);
            cw_dp_eps_units(eps, &s);
            double eps_used = ldexp((double)s, -CW_DP_EPS_BITS), target = delta * (1 - 1e-9);
            CW_CHECK(t, st == CW_BUDGET_OK && s == strtoull(f[3], NULL, 10), "rho units(%s, %s): status %d s %llu", f[1], f[2], st,
                     (unsigned long long)s);
            CW_CHECK(t, rho_of(k) <= rho_star * (1 + 1e-12) && rho_of(k) >= rho_star * (1 - 1e-7) - rho_of(1),
                     "rho units(%s, %s): k/2^40 = %.17g, rho* = %s", f[1], f[2], rho_of(k), f[4]);
            CW_CHECK(t, cw_dp_zcdp_delta(rho_of(k), eps_used) <= target && cw_dp_zcdp_delta(rho_of(k + 1), eps_used) > target,
                     "k = %llu is not the boundary for (%s, %s)", (unsigned long long)k, f[1], f[2]);
            count[2]++;
        } else if (!strcmp(f[0], "epsunits") && n == 3) {
            double eps = strtod(f[1], NULL);
            uint64_t want = strtoull(f[2], NULL, 10), got = 99;
            cw_budget_status st = cw_dp_eps_units(eps, &got);
            CW_CHECK(t, want == 0 ? st == CW_BUDGET_EPS && got == 0 : st == CW_BUDGET_OK && got == want,
                     "eps units(%s) = %llu (status %d) want %s", f[1], (unsigned long long)got, st, f[2]);
            count[3]++;
        } else if (!strcmp(f[0], "gvar") && n == 3) {
            cw_dp_noise nz = {CW_MECH_GAUSSIAN, 1, 1, 0, 0, strtoull(f[1], NULL, 10)};
            double got = cw_dp_noise_variance(&nz);
            CW_CHECK_CLOSE(t, got, strtod(f[2], NULL), 4e-16);
            CW_CHECK(t, got <= (double)nz.sigma2, "Gaussian variance %.17g above sigma2 %s", got, f[1]);
            count[4]++;
        } else if (!strcmp(f[0], "lvar") && n == 4) {
            cw_dp_noise nz = {CW_MECH_LAPLACE, 1, 1, strtoull(f[1], NULL, 10), strtoull(f[2], NULL, 10), 0};
            CW_CHECK_CLOSE(t, cw_dp_noise_variance(&nz), strtod(f[3], NULL), 1e-12);
            count[5]++;
        }
    }
    free(text);
    CW_CHECK(t, count[0] == 88 && count[1] == 64 && count[2] == 48 && count[3] >= 20 && count[4] >= 16 && count[5] >= 9,
             "fixture rows: %d %d %d %d %d %d", count[0], count[1], count[2], count[3], count[4], count[5]);
}

/* OpenDP (rust/src/combinators/measure_cast_zcdp/test.rs, test_zCDP_to_approxDP_nontrivial):
 * a Gaussian of scale 4 at sensitivity 1, rho = 1/32, asserts epsilon(1e-3) = 0.6880024554878086
 * (its cdp_epsilon, ~1 ulp conservative) and delta(0) = 0.1508457845622862. */
static void opendp_values(cw_test *t) {
    double eps = cw_dp_zcdp_epsilon(1.0 / 32, 1e-3);
    CW_CHECK(t, fabs(eps - 0.6880024554878086) <= 1e-13, "epsilon(1/32, 1e-3) = %.17g, OpenDP 0.6880024554878086", eps);
    char buf[32];
    snprintf(buf, sizeof buf, "%.3f", eps);
    CW_CHECK(t, !strcmp(buf, "0.688"), "epsilon(1/32, 1e-3) prints %s", buf);
    CW_CHECK_CLOSE(t, cw_dp_zcdp_delta(1.0 / 32, 0), 0.1508457845622862, 1e-13);
    CW_CHECK_CLOSE(t, cw_dp_zcdp_delta(1.0 / 32, 0.6880024554878085), 1e-3, 1e-12);
    CW_CHECK(t, cw_dp_zcdp_epsilon(1.0 / 32, 0.1508457845622862) == 0, "epsilon at delta(0) must be 0");
    /* Bun & Steinke's looser conversion would say 0.96 (DP-SPEC B2): the tight one is below it */
    CW_CHECK(t, eps < 1.0 / 32 + 2 * sqrt(log(1e3) / 32), "tighter than Bun-Steinke");
}

static void conversion_properties(cw_test *t) {
    /* monotone: delta decreases in eps and increases in rho, over fine grids */
    int bad = 0;
    const double rhos[] = {1e-6, 1e-4, 1.0 / 32, 0.5, 3, 20, 200};
    for (size_t i = 0; i < sizeof rhos / sizeof *rhos; i++) {
        double prev = 2;
        for (double eps = 0; eps < 40; eps += 0.05) {
            double dl = cw_dp_zcdp_delta(rhos[i], eps);
            if (!(dl <= prev * (1 + 1e-12)) || !(dl >= 0 && dl <= 1)) bad++;
            prev = dl;
        }
    }
    const double epss[] = {0, 0.1, 1, 5};
    for (size_t i = 0; i < sizeof epss / sizeof *epss; i++) {
        double prev = -1;
        for (double rho = 1e-5; rho < 100; rho *= 1.05) {
            double dl = cw_dp_zcdp_delta(rho, epss[i]);
            if (!(dl >= prev * (1 - 1e-12))) bad++;
            prev = dl;
        }
    }
    CW_CHECK(t, bad == 0, "%d non-monotone steps", bad);
    /* edges */
    CW_CHECK(t, cw_dp_zcdp_delta(0, 1) == 0 && cw_dp_zcdp_delta(1, INFINITY) == 0 && cw_dp_zcdp_delta(INFINITY, 1) == 1,
             "delta edges");
    CW_CHECK(t, isnan(cw_dp_zcdp_delta(-1, 1)) && isnan(cw_dp_zcdp_delta(1, -1)) && isnan(cw_dp_zcdp_delta(NAN, 1)),
             "delta of invalid input is NaN");
    CW_CHECK(t, cw_dp_zcdp_delta(1e6, 0) <= 1 && cw_dp_zcdp_delta(1e6, 0) > 0.999, "huge rho: delta %.17g",
             cw_dp_zcdp_delta(1e6, 0));
    CW_CHECK(t, isnan(cw_dp_zcdp_epsilon(1, 0)) && cw_dp_zcdp_epsilon(0, 1e-6) == 0, "epsilon edges");
    /* round trip through the inverse: epsilon(rho, delta(rho, eps)) = eps */
    cw_rng r;
    cw_rng_seed(&r, 5);
    int wrong = 0;
    for (int i = 0; i < 60; i++) {
        double rho = exp(-8 + 10 * cw_rng_uniform(&r)), eps = 0.05 + 10 * cw_rng_uniform(&r);
        double dl = cw_dp_zcdp_delta(rho, eps);
        if (dl < 1e-250 || dl > 0.9) continue;
        double back = cw_dp_zcdp_epsilon(rho, dl);
        if (!cw_close(back, eps, 1e-9) && wrong++ < 3) fprintf(stderr, "rho %.17g eps %.17g: back %.17g\n", rho, eps, back);
    }
    CW_CHECK(t, wrong == 0, "%d epsilon(delta(eps)) round trips off", wrong);
    /* rho units: errors and the boundary property at random points */
    uint64_t k = 7;
    CW_CHECK(t, cw_dp_zcdp_rho_units(1, 0, &k) == CW_BUDGET_DELTA && k == 0, "delta 0");
    CW_CHECK(t, cw_dp_zcdp_rho_units(1, 0.5, &k) == CW_BUDGET_DELTA, "delta 0.5");
    CW_CHECK(t, cw_dp_zcdp_rho_units(1, 1e-301, &k) == CW_BUDGET_DELTA, "delta below 1e-300");
    CW_CHECK(t, cw_dp_zcdp_rho_units(1, NAN, &k) == CW_BUDGET_DELTA, "delta NaN");
    CW_CHECK(t, cw_dp_zcdp_rho_units(0, 1e-6, &k) == CW_BUDGET_EPS, "eps 0");
    CW_CHECK(t, cw_dp_zcdp_rho_units(64, 1e-300, &k) == CW_BUDGET_OK && k > 0, "the far corner eps 64, delta 1e-300");
    wrong = 0;
    for (int i = 0; i < 30; i++) {
        double eps = exp(-4 + 7 * cw_rng_uniform(&r)), delta = exp(-60 * cw_rng_uniform(&r)) * 0.45;
        if (cw_dp_zcdp_rho_units(eps, delta, &k) != CW_BUDGET_OK) {
            wrong++;
            continue;
        }
        uint64_t s;
        cw_dp_eps_units(eps, &s);
        double e = ldexp((double)s, -CW_DP_EPS_BITS), target = delta * (1 - 1e-9);
        if (!(cw_dp_zcdp_delta(rho_of(k), e) <= target && cw_dp_zcdp_delta(rho_of(k + 1), e) > target)) wrong++;
        if (!(cw_dp_zcdp_delta(rho_of(k), eps) <= delta)) wrong++; /* what is claimed holds for the user's eps */
    }
    CW_CHECK(t, wrong == 0, "%d random rho-unit searches off", wrong);
}

static void eps_units(cw_test *t) {
    uint64_t s = 7;
    CW_CHECK(t, cw_dp_eps_units(1, &s) == CW_BUDGET_OK && s == 1u << 20, "eps 1: %llu", (unsigned long long)s);
    CW_CHECK(t, cw_dp_eps_units(0.1, &s) == CW_BUDGET_OK && s == 104857, "eps 0.1: %llu", (unsigned long long)s);
    CW_CHECK(t, cw_dp_eps_units(64, &s) == CW_BUDGET_OK && s == 64u << 20, "eps 64");
    CW_CHECK(t, cw_dp_eps_units(nextafter(0.75, 0), &s) == CW_BUDGET_OK && s == 786431, "just below 3/4: %llu", (unsigned long long)s);
    const double bad[] = {0, -1, NAN, INFINITY, -INFINITY, nextafter(64, 65), 65, 0x1p-21, nextafter(0x1p-20, 0), 4.9e-324};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        s = 7;
        CW_CHECK(t, cw_dp_eps_units(bad[i], &s) == CW_BUDGET_EPS && s == 0, "eps %.17g must be refused", bad[i]);
    }
    /* every double eps: s / 2^20 <= eps < (s + 1) / 2^20, checked in exact double arithmetic */
    cw_rng r;
    cw_rng_seed(&r, 9);
    int wrong = 0;
    for (int i = 0; i < 20000; i++) {
        double eps = ldexp(cw_rng_uniform(&r) + 0.5, (int)cw_rng_below(&r, 26) - 20);
        cw_budget_status st = cw_dp_eps_units(eps, &s);
        if (eps < 0x1p-20) wrong += st != CW_BUDGET_EPS;
        else if (st != CW_BUDGET_OK || !(ldexp((double)s, -20) <= eps && ldexp((double)s + 1, -20) > eps)) wrong++;
    }
    CW_CHECK(t, wrong == 0, "%d eps units off", wrong);
}

static void splits(cw_test *t) {
    uint64_t parts[CW_DP_MAX_STATS + 1];
    const uint32_t spec[] = {1, 2, 1}; /* DP-SPEC B2: tab 1/4, T 1/2, W 1/4 */
    CW_CHECK(t, cw_dp_split(1u << 20, spec, 3, parts) == CW_BUDGET_OK && parts[0] == 262144 && parts[1] == 524288 && parts[2] == 262144,
             "spec split");
    const uint32_t three[] = {1, 1, 1};
    CW_CHECK(t, cw_dp_split(1048576, three, 3, parts) == CW_BUDGET_OK && parts[0] == 349525 && parts[2] == 349525, "thirds");
    const uint32_t zero[] = {0, 0};
    CW_CHECK(t, cw_dp_split(100, zero, 2, parts) == CW_BUDGET_WEIGHTS, "all zero");
    CW_CHECK(t, cw_dp_split(100, three, 0, parts) == CW_BUDGET_WEIGHTS, "m = 0");
    uint32_t many[CW_DP_MAX_STATS + 1];
    for (int j = 0; j <= CW_DP_MAX_STATS; j++) many[j] = 1;
    CW_CHECK(t, cw_dp_split(100, many, CW_DP_MAX_STATS + 1, parts) == CW_BUDGET_WEIGHTS, "m = 65");
    CW_CHECK(t, cw_dp_split(10, many, CW_DP_MAX_STATS, parts) == CW_BUDGET_TOO_SMALL && parts[0] == 0, "shares of 0 units");
    const uint32_t skip[] = {3, 0, 1};
    CW_CHECK(t, cw_dp_split(8, skip, 3, parts) == CW_BUDGET_OK && parts[0] == 6 && parts[1] == 0 && parts[2] == 2,
             "a zero weight is a statistic not released");
    /* random: each part is the exact floor (p * sum <= total * w < (p + 1) * sum) and they fit */
    cw_rng r;
    cw_rng_seed(&r, 13);
    int wrong = 0;
    for (int i = 0; i < 5000; i++) {
        int m = 1 + (int)cw_rng_below(&r, CW_DP_MAX_STATS);
        uint32_t w[CW_DP_MAX_STATS];
        u128 sum = 0;
        for (int j = 0; j < m; j++) sum += w[j] = cw_rng_below(&r, 4) ? (uint32_t)cw_rng_next(&r) : cw_rng_below(&r, 3);
        uint64_t total = cw_rng_next(&r) >> cw_rng_below(&r, 64);
        cw_budget_status st = cw_dp_split(total, w, m, parts);
        if (sum == 0) {
            wrong += st != CW_BUDGET_WEIGHTS;
            continue;
        }
        u128 used = 0;
        int zero_share = 0;
        for (int j = 0; j < m; j++) {
            u128 lhs = (u128)parts[j] * sum, rhs = (u128)total * w[j];
            wrong += !(lhs <= rhs && rhs < lhs + sum);
            used += parts[j];
            zero_share |= w[j] > 0 && parts[j] == 0;
        }
        wrong += used > total;
        wrong += st != (zero_share ? CW_BUDGET_TOO_SMALL : CW_BUDGET_OK);
    }
    CW_CHECK(t, wrong == 0, "%d random split errors", wrong);
}

static void plans(cw_test *t) {
    cw_dp_noise nz;
    /* exact small cases */
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_LAPLACE, 3, 104857, &nz) == CW_BUDGET_OK && nz.t == 3u << 20 && nz.s == 104857 &&
                    cw_dp_noise_check(&nz),
             "Laplace plan");
    CW_CHECK(t, cw_dp_noise_rho_units(&nz) == ((u128)104857 * 104857 + 1) / 2, "Laplace rho charge ceil(s^2/2): %llu",
             (unsigned long long)cw_dp_noise_rho_units(&nz));
    CW_CHECK_CLOSE(t, cw_dp_noise_scale(&nz), 3.0 * 1048576 / 104857, 1e-15);
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_GAUSSIAN, 1, (uint64_t)1 << 39, &nz) == CW_BUDGET_OK && nz.sigma2 == 1 &&
                    cw_dp_noise_rho_units(&nz) == (uint64_t)1 << 39,
             "rho = 1/2, sens 1: sigma2 = 1");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_GAUSSIAN, 3, 1000, &nz) == CW_BUDGET_OK && nz.sigma2 == (9ull << 39) / 1000 + 1,
             "sigma2 rounds up: %llu", (unsigned long long)nz.sigma2);
    CW_CHECK(t, cw_dp_noise_scale(&nz) == sqrt((double)nz.sigma2), "Gaussian scale");
    /* errors and the samplers' limits */
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_LAPLACE, 1, 0, &nz) == CW_BUDGET_TOO_SMALL, "0 units");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_LAPLACE, 0, 5, &nz) == CW_BUDGET_SCALE, "sens 0 Laplace");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_GAUSSIAN, 0, 5, &nz) == CW_BUDGET_SCALE, "sens 0 Gaussian");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_LAPLACE, (uint64_t)1 << 44, (uint64_t)1 << 40, &nz) == CW_BUDGET_SCALE, "t = 2^64");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_LAPLACE, ((uint64_t)1 << 44) - 1, (uint64_t)1 << 14, &nz) == CW_BUDGET_OK &&
                    nz.t == UINT64_MAX - ((1u << 20) - 1),
             "largest t");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_LAPLACE, ((uint64_t)1 << 44) - 1, ((uint64_t)1 << 14) - 1, &nz) == CW_BUDGET_SCALE,
             "t/s just above 2^50");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_LAPLACE, (uint64_t)1 << 30, 1, &nz) == CW_BUDGET_OK && nz.t == (uint64_t)1 << 50,
             "t/s = 2^50 exactly");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_LAPLACE, ((uint64_t)1 << 30) + 1, 1, &nz) == CW_BUDGET_SCALE, "t/s above 2^50");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_GAUSSIAN, 1u << 20, 1u << 17, &nz) == CW_BUDGET_OK && nz.sigma2 == CW_DP_SIGMA2_MAX,
             "sigma2 = 2^62 exactly");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_GAUSSIAN, 1u << 20, (1u << 17) - 1, &nz) == CW_BUDGET_SCALE, "sigma2 above 2^62");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_GAUSSIAN, ((uint64_t)1 << 44) - 1, UINT64_MAX, &nz) == CW_BUDGET_SCALE, "huge sens");
    CW_CHECK(t, cw_dp_noise_plan(CW_MECH_GAUSSIAN, 1, (uint64_t)1 << 63, &nz) == CW_BUDGET_OK && nz.sigma2 == 1, "huge rho");
    CW_CHECK(t, cw_dp_noise_plan((cw_dp_mech)7, 1, 1, &nz) != CW_BUDGET_OK, "unknown mechanism");

    /* random plans: every plan passes the check with the exact rounding, and the negative
     * controls (t * 0.7, sigma2 - 1 where sigma2 is tight, a unit of budget less) fail */
    cw_rng r;
    cw_rng_seed(&r, 17);
    int made = 0, wrong = 0, tight = 0;
    for (int i = 0; i < 20000; i++) {
        cw_dp_mech mech = cw_rng_below(&r, 2) ? CW_MECH_LAPLACE : CW_MECH_GAUSSIAN;
        uint64_t sens = 1 + (cw_rng_next(&r) >> (20 + cw_rng_below(&r, 44)));
        uint64_t units = cw_rng_next(&r) >> cw_rng_below(&r, 64);
        if (units == 0) units = 1;
        cw_budget_status st = cw_dp_noise_plan(mech, sens, units, &nz);
        if (st != CW_BUDGET_OK) {
            wrong += st != CW_BUDGET_SCALE;
            continue;
        }
        made++;
        wrong += !cw_dp_noise_check(&nz);
        cw_dp_noise bad = nz;
        if (mech == CW_MECH_LAPLACE) {
            wrong += nz.t != sens << 20 || nz.s != units;
            u128 charge = ((u128)units * units + 1) / 2; /* ceil(s^2 / 2), saturated */
            wrong += cw_dp_noise_rho_units(&nz) != (charge > UINT64_MAX ? UINT64_MAX : (uint64_t)charge);
            bad.t = (uint64_t)((u128)nz.t * 7 / 10);
            wrong += bad.t > 0 && cw_dp_noise_check(&bad);
            bad = nz;
            bad.units = units - 1; /* the same noise charged one unit less */
            wrong += bad.units > 0 && cw_dp_noise_check(&bad);
        } else {
            /* sigma2 is the exact ceiling: (sigma2 - 1) 2k < sens^2 2^40 <= sigma2 2k */
            u128 need = ((u128)sens * sens) << 40;
            wrong += !((u128)nz.sigma2 * 2 * units >= need);
            wrong += nz.sigma2 > 1 && !((u128)(nz.sigma2 - 1) * 2 * units < need);
            wrong += cw_dp_noise_rho_units(&nz) > units;
            if (nz.sigma2 > 1) {
                tight++;
                bad.sigma2 = nz.sigma2 - 1;
                wrong += cw_dp_noise_check(&bad);
                wrong += cw_dp_noise_rho_units(&bad) <= units; /* and its charge is over budget */
            }
        }
    }
    CW_CHECK(t, wrong == 0, "%d errors in %d random plans", wrong, made);
    CW_CHECK(t, made > 5000 && tight > 1000, "coverage: %d plans, %d tight", made, tight);
    /* a tight hand-picked point: sens 5, k = 3: sigma2 = ceil(25 2^40 / 6) */
    cw_dp_noise_plan(CW_MECH_GAUSSIAN, 5, 3, &nz);
    cw_dp_noise under = nz;
    under.sigma2--;
    CW_CHECK(t, cw_dp_noise_check(&nz) && !cw_dp_noise_check(&under), "sigma2 - 1 at sens 5, k 3 must fail");
    cw_dp_noise_plan(CW_MECH_LAPLACE, 2, 1u << 20, &nz);
    under = nz;
    under.t = nz.t * 7 / 10;
    CW_CHECK(t, cw_dp_noise_check(&nz) && !cw_dp_noise_check(&under), "Laplace at scale x 0.7 must fail");
    under = nz;
    under.sens = 3; /* sensitivity understated */
    CW_CHECK(t, !cw_dp_noise_check(&under), "understated sensitivity must fail");
}

static void laplace_from_rho(cw_test *t) {
    cw_dp_noise nz;
    CW_CHECK(t, cw_dp_laplace_from_rho(1, (uint64_t)1 << 39, &nz) == CW_BUDGET_OK && nz.s == 1u << 20 && nz.units == 1u << 20,
             "rho 1/2 is eps 1");
    CW_CHECK(t, cw_dp_laplace_from_rho(1, 0, &nz) == CW_BUDGET_TOO_SMALL, "k = 0");
    CW_CHECK(t, cw_dp_laplace_from_rho(1, UINT64_MAX, &nz) == CW_BUDGET_OK && nz.s == 6074000999, "k = 2^64 - 1: s %llu",
             (unsigned long long)nz.s);
    cw_rng r;
    cw_rng_seed(&r, 19);
    int wrong = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t k = cw_rng_next(&r) >> cw_rng_below(&r, 64);
        if (i < 64) k = ((uint64_t)1 << i) + (i & 1 ? 0 : (uint64_t)-1); /* powers of two and their neighbours */
        if (i >= 64 && i < 200) { /* s^2 / 2 exactly and one below */
            uint64_t s0 = 1 + cw_rng_below(&r, 4000000000u);
            k = (uint64_t)((u128)s0 * s0 / 2) - (i & 1);
        }
        uint64_t sens = 1 + cw_rng_below(&r, 1000);
        cw_budget_status st = cw_dp_laplace_from_rho(sens, k, &nz);
        if (k < 1) {
            wrong += st != CW_BUDGET_TOO_SMALL;
            continue;
        }
        if (st != CW_BUDGET_OK) {
            wrong += st != CW_BUDGET_SCALE;
            continue;
        }
        u128 s = nz.s, two_k = (u128)k * 2;
        wrong += !(s * s <= two_k && (s + 1) * (s + 1) > two_k);
        wrong += !cw_dp_noise_check(&nz) || cw_dp_noise_rho_units(&nz) > k || nz.t != sens << 20;
    }
    CW_CHECK(t, wrong == 0, "%d laplace_from_rho errors", wrong);
}

static void moments(cw_test *t) {
    /* Gaussian variance against the Poisson-summation closed form (an independent route):
     * Var = sigma2 (1 - 8 pi^2 sigma2 S / (1 + 2 T)), S = sum k^2 e^{-2 pi^2 sigma2 k^2},
     * T = sum e^{-2 pi^2 sigma2 k^2}. */
    for (uint64_t s2 = 1; s2 <= 120; s2++) {
        double S = 0, T = 0, pi = 3.14159265358979323846;
        for (int k = 1; k < 5; k++) {
            double e = exp(-2 * pi * pi * (double)s2 * k * k);
            S += (double)k * k * e;
            T += e;
        }
        double want = (double)s2 * (1 - 8 * pi * pi * (double)s2 * S / (1 + 2 * T));
        cw_dp_noise nz = {CW_MECH_GAUSSIAN, 1, 1, 0, 0, s2};
        CW_CHECK_CLOSE(t, cw_dp_noise_variance(&nz), want, 1e-14);
    }
    cw_dp_noise bad = {CW_MECH_GAUSSIAN, 1, 1, 0, 0, 0};
    CW_CHECK(t, isnan(cw_dp_noise_variance(&bad)) && isnan(cw_dp_noise_scale(&bad)), "sigma2 0 gives NaN");
    CW_CHECK(t, !cw_dp_noise_check(&bad) && cw_dp_noise_rho_units(&bad) == UINT64_MAX, "sigma2 0 is no noise");
    cw_dp_noise lap = {CW_MECH_LAPLACE, 1, 1, 0, 1, 0};
    CW_CHECK(t, !cw_dp_noise_check(&lap) && cw_dp_noise_rho_units(&lap) == UINT64_MAX, "t 0 is no noise");
    /* rho charge saturates rather than wraps */
    cw_dp_noise wide = {CW_MECH_LAPLACE, UINT64_MAX, 1, 1, UINT64_MAX, 0};
    CW_CHECK(t, cw_dp_noise_rho_units(&wide) == UINT64_MAX, "saturated Laplace charge");
    cw_dp_noise g = {CW_MECH_GAUSSIAN, UINT64_MAX, 1, 0, 0, 1};
    CW_CHECK(t, cw_dp_noise_rho_units(&g) == UINT64_MAX && !cw_dp_noise_check(&g), "saturated Gaussian charge");
    /* a general (t not sens 2^20) Laplace charge: sens 3, s 5, t 7: (15/7)^2 / 2 = 225/98 */
    cw_dp_noise odd = {CW_MECH_LAPLACE, 3, 1, 7, 5, 0};
    CW_CHECK(t, cw_dp_noise_rho_units(&odd) == (uint64_t)(((u128)225 << 40) / 98 + 1), "charge 225/98: %llu",
             (unsigned long long)cw_dp_noise_rho_units(&odd));
    const char *seen[8] = {0};
    int distinct = 1;
    for (int st = CW_BUDGET_OK; st <= CW_BUDGET_WEIGHTS; st++) {
        seen[st] = cw_budget_strerror((cw_budget_status)st);
        for (int j = 0; j < st; j++) distinct &= seen[j] && strcmp(seen[j], seen[st]) != 0;
    }
    CW_CHECK(t, distinct && cw_budget_strerror((cw_budget_status)99) != NULL, "one sentence per status");
}

void test_dp_budget(cw_test *t) {
    fixture_rows(t);
    opendp_values(t);
    conversion_properties(t);
    eps_units(t);
    splits(t);
    plans(t);
    laplace_from_rho(t);
    moments(t);
}
