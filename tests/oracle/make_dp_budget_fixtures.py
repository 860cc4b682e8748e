#!/usr/bin/python3
"""Writes tests/fixtures/dp_zcdp.tsv: the oracle for wasm/src/dp_budget.c.

All values at 50 significant digits with mpmath (mp.dps = 50):
  delta    CKS20 Corollary 13, delta(rho, eps) = inf_{alpha > 1} exp((alpha-1)(alpha rho - eps))
           / (alpha-1) * (1 - 1/alpha)^alpha. The infimum is located as the root of the
           derivative of log delta in u = log(alpha - 1) (bisection to a narrow bracket, then
           mpmath.findroot with the Anderson-Bjorck bracketing solver) and confirmed to be the
           minimum of a dense grid of 801 points around it.
  epsilon  the eps with delta(rho, eps) = delta (findroot on log delta), 0 when delta(rho, 0) <=
           delta already.
  rho      the largest rho with delta(rho, eps_used) = delta, eps_used = floor(eps 2^20)/2^20.
  epsunits floor(eps * 2^20) from the exact rational value of the double (fractions.Fraction).
  gvar     the variance of the discrete Gaussian N_Z(0, sigma2), summed from its pmf.
  lvar     the variance 2q/(1-q)^2, q = exp(-s/t), of the discrete Laplace of scale t/s.
Every double input is written with repr(), which the C side reads back to the same double, and
mpmath converts a double exactly (mpf(float)).

Run: /usr/bin/python3 tests/oracle/make_dp_budget_fixtures.py  (from the repository root)."""

import datetime
import math
import sys
from fractions import Fraction

import mpmath
from mpmath import mp, mpf

mp.dps = 50
OUT = "tests/fixtures/dp_zcdp.tsv"


def g(rho, eps, x):
    """log delta at alpha = 1 + x."""
    return x * ((x + 1) * rho - eps) - x * mp.log1p(1 / x) - mp.log1p(x)


def log_delta(rho, eps, check=False):
    rho, eps = mpf(rho), mpf(eps)
    f = lambda u: (2 * mp.exp(u) + 1) * rho - eps - mp.log1p(mp.exp(-u))  # d/dx log delta, x = e^u
    lo, hi = mpf(-3000), mp.log(max(mpf(1), (eps + 1) / (2 * rho))) + 1
    assert f(hi) > 0
    if f(lo) >= 0:  # optimum below x = e^-3000: delta = 1 to 1e-1000
        return g(rho, eps, mp.exp(lo))
    while hi - lo > mpf("1e-6"):
        mid = (lo + hi) / 2
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
    u = mp.findroot(f, (lo, hi), solver="anderson")
    best = g(rho, eps, mp.exp(u))
    if check:
        for i in range(-400, 401):
            v = g(rho, eps, mp.exp(u + mpf(i) / 20))
            assert v >= best - abs(best) * mpf("1e-40"), (rho, eps, i)
    return best


def epsilon(rho, delta):
    ld = mp.log(mpf(delta))
    if log_delta(rho, 0) <= ld:
        return mpf(0)
    hi = mpf(rho) + 2 * mp.sqrt(mpf(rho) * -ld)  # Bun & Steinke 2016: an upper end
    assert log_delta(rho, hi) <= ld
    return mp.findroot(lambda e: log_delta(rho, e) - ld, (mpf(0), hi), solver="anderson")


def rho_for(eps_used, delta):
    ld = mp.log(mpf(delta))
    lo, hi = mpf("1e-30"), mpf(1)
    while log_delta(hi, eps_used) <= ld:
        hi *= 2
    assert log_delta(lo, eps_used) < ld
    for _ in range(60):  # bisection on log rho to a bracket the solver cannot leave
        mid = mp.sqrt(lo * hi)
        if log_delta(mid, eps_used) <= ld:
            lo = mid
        else:
            hi = mid
    return mp.findroot(lambda r: log_delta(r, eps_used) - ld, (lo, hi), solver="anderson")


def gaussian_variance(sigma2):
    s2 = mpf(sigma2)
    num, den, x = mpf(0), mpf(1), 1
    while True:
        p = mp.exp(-mpf(x) ** 2 / (2 * s2))
        num += 2 * x * x * p
        den += 2 * p
        if p < mpf("1e-70"):
            return num / den
        x += 1


def main():
    rows = []
    rhos = [1e-4, 1e-3, 1 / 32, 0.1, 0.5, 1.0, 5.0, 20.0]
    for rho in rhos:
        for eps in [0.0, 0.01, 0.1, 0.5, 0.6880024554878085, 1.0, 2.0, 5.0, 10.0, 30.0, 64.0]:
            ld = log_delta(rho, eps, check=True)
            rows.append(["delta", repr(rho), repr(eps), mp.nstr(mp.exp(ld), 30), mp.nstr(ld, 30)])
    for rho in rhos:
        for delta in [1e-12, 1e-9, 1e-6, 1e-5, 1e-3, 0.01, 0.1, 0.4]:
            rows.append(["epsilon", repr(rho), repr(delta), mp.nstr(epsilon(rho, delta), 30)])
    for eps in [0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 10.0, 64.0]:
        for delta in [1e-12, 1e-9, 1e-6, 1e-3, 0.1, 0.49]:
            s = math.floor(Fraction(eps) * 2**20)
            rows.append(["rho", repr(eps), repr(delta), str(s), mp.nstr(rho_for(mpf(s) / 2**20, delta), 30)])
    eps_list = [1.0, 0.1, 0.5, 2.0, 64.0, 0.3, 1e-3, 2.0**-20, math.nextafter(2.0**-20, 0), math.nextafter(1.0, 0),
                math.nextafter(0.1, 0), math.nextafter(0.1, 1), 3 * 2.0**-20, math.nextafter(3 * 2.0**-20, 0),
                math.nextafter(64.0, 0), 63.99999904632568, 1 / 3, 2 / 3, 7.25, 1e-6, 9.5367431640625e-07]
    for eps in eps_list:
        rows.append(["epsunits", repr(eps), str(math.floor(Fraction(eps) * 2**20))])
    for sigma2 in [1, 2, 3, 4, 5, 7, 10, 14, 20, 30, 50, 99, 100, 101, 1000, 2500]:
        rows.append(["gvar", str(sigma2), mp.nstr(gaussian_variance(sigma2), 30)])
    for t, s in [(1, 1), (3, 1), (1, 3), (10, 3), (1 << 20, 1 << 20), (1 << 20, 104857), (5 << 20, 1),
                 (1 << 40, 3), (100, 1)]:
        q = mp.exp(-mpf(s) / t)
        rows.append(["lvar", str(t), str(s), mp.nstr(2 * q / (1 - q) ** 2, 30)])

    today = datetime.date.today().isoformat()
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# DO NOT EDIT: generated by tests/oracle/make_dp_budget_fixtures.py with Python %s, mpmath %s "
                "(50 digits) on %s\n" % (sys.version.split()[0], mpmath.__version__, today))
        f.write("# delta rho eps delta log_delta | epsilon rho delta eps | rho eps delta eps_units rho_star"
                " | epsunits eps s | gvar sigma2 var | lvar t s var\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print("%d rows -> %s" % (len(rows), OUT))


if __name__ == "__main__":
    main()
