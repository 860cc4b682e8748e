#!/usr/bin/python3
"""make_dp_interval_fixtures.py — the oracle for wasm/src/dp_interval.c: writes
tests/fixtures/dp_interval.tsv (DO NOT EDIT that file; rerun this script).

Run: /usr/bin/python3 tests/oracle/make_dp_interval_fixtures.py   (numpy, scipy, mpmath; ~2 min)

E = N(0, v) + sum_j c_j Z_j with Z_j discrete Laplace (P(z) = (1-q)/(1+q) q^|z|, q = e^{-s/t})
or discrete Gaussian (P(z) ∝ e^{-z^2/(2 s2)}). The exact upper quantile of E is computed here by
methods that share nothing with the C code (no grid, no rounding, no truncation beyond 1e-22):
  enum   the joint lattice enumerated (every combination of z_j with mass above 1e-22), and
         P(E > x) = sum_y P(y) Phi_up((x - y)/sd) in float64 (scipy.special.ndtr), root by brentq;
         with v = 0 the lattice quantile itself: the smallest atom y with P(E > y) <= tail;
  tail1  v = 0 and 2-3 terms: the last noise's tail in closed form (Laplace) or summed, the
         others enumerated; the quantile (an atom) located by bisection of P(E > x) <= tail;
  gp     v > 0, any terms: Gil-Pelaez inversion in mpmath (22 digits),
           P(E > x) = 1/2 - (1/pi) int_0^inf phi_E(u) sin(u x)/u du,
         phi_E(u) = e^{-v u^2/2} prod_j phi_j(c_j u), with the discrete Laplace characteristic
         function (1-q)^2/((1-q)^2 + 4 q sin^2(theta/2)) and the discrete Gaussian's by Poisson
         summation sum_k e^{-s2 (theta + 2 pi k)^2/2} / sum_k e^{-2 pi^2 s2 k^2}; the integral
         over [0, 11.75/sd] in pieces (96-point Gauss-Legendre each, mpmath's nodes), root by Newton steps on a float64 start.
Several cases are computed by two methods and must agree (checked here: q to 1e-12 of sd(E),
P(|E| >= q) to 1e-12).
Rows:
  quantile  q = the exact quantile for `tail`; p2 = P(|E| >= q) exactly (atoms included)
  variance  the exact Var(E) (mpmath sums of z^2 P(z), or 2q/(1-q)^2 in 40 digits)
  bound     the smallest a >= 0 with P(|Z| >= a + 1) <= alpha (exact sums / closed form);
            alphas within 1e-9 (relative) of a tie are not written, except the near_tie rows,
            alpha = P(|Z| >= a + 1)(1 +- 1e-8), which give a and a + 1 (at scale 1e9 a - 10
            and a + 11: one lattice step moves P by only 1e-9 there)
Terms are written as mech:param(s):coef, separated by ';' — L:t:s:coef or G:sigma2:coef.
"""
import datetime
import math
import platform
import sys

import mpmath
import numpy as np
import scipy
from mpmath import mp, mpf
from scipy import integrate, optimize, special

mp.dps = 22
EPS_SUPPORT = 1e-22
OUT = "tests/fixtures/dp_interval.tsv"


# ---- noises ---------------------------------------------------------------------------------
def lap(t, s):
    return ("L", int(t), int(s))


def gau(s2):
    return ("G", int(s2))


def noise_str(nz, c):
    if nz[0] == "L":
        return "L:%d:%d:%s" % (nz[1], nz[2], repr(float(c)))
    return "G:%d:%s" % (nz[1], repr(float(c)))


def lap_q_mp(nz):
    return mp.exp(-mpf(nz[2]) / nz[1])


def support(nz, eps=EPS_SUPPORT):
    """z in [-A, A] and P(z) (float64), with P(|Z| > A) < eps."""
    if nz[0] == "L":
        t, s = nz[1], nz[2]
        r = s / t
        q = math.exp(-r)
        A = max(0, math.ceil(math.log(eps * (1 + q) / 2) / -r))
        z = np.arange(-A, A + 1)
        p = math.tanh(r / 2) * np.exp(-r * np.abs(z))  # (1-q)/(1+q) = tanh(r/2)
        return z, p
    s2 = nz[1]
    A = math.ceil(math.sqrt(2 * s2 * math.log(1 / eps))) + 3
    zz = np.arange(-A - 200, A + 201, dtype=np.float64)
    w = np.exp(-zz * zz / (2.0 * s2))
    norm = math.fsum(w)
    z = np.arange(-A, A + 1)
    p = np.exp(-(z.astype(np.float64) ** 2) / (2.0 * s2)) / norm
    return z, p


def noise_var_exact(nz):
    if nz[0] == "L":
        t, s = nz[1], nz[2]
        if t / s <= 2000:
            q = lap_q_mp(nz)
            A = int(mp.ceil(60 / (mpf(s) / t))) + 10
            c = (1 - q) / (1 + q)
            return float(2 * mp.fsum(z * z * c * q ** z for z in range(1, A + 1)))
        q = lap_q_mp(nz)
        return float(2 * q / (1 - q) ** 2)
    s2 = nz[1]
    if s2 <= 10 ** 8:
        A = math.ceil(math.sqrt(2 * s2 * 60)) + 5
        z = np.arange(-A, A + 1, dtype=np.float64)
        w = np.exp(-z * z / (2.0 * s2))
        return math.fsum(z * z * w) / math.fsum(w)
    return float(s2)  # deviation from sigma2 below e^{-2 pi^2 s2} (Poisson), far below rounding


# ---- exact quantiles: enumeration -------------------------------------------------------------
def joint(terms):
    ys = np.zeros(1)
    ps = np.ones(1)
    for nz, c in terms:
        z, p = support(nz)
        assert len(ys) * len(z) <= 4 * 10 ** 7, ("enumeration too large", terms)
        ys = (ys[:, None] + c * z[None, :].astype(np.float64)).ravel()
        ps = (ps[:, None] * p[None, :]).ravel()
        keep = ps > 1e-30
        ys, ps = ys[keep], ps[keep]
    return ys, ps


def enum_quantile(terms, v, tail):
    ys, ps = joint(terms)
    if v == 0:
        # sums that are equal in exact arithmetic may differ in the last bits: merge atoms by
        # rounding to multiples of 1e-13 sd(E) (genuine atoms here are far further apart)
        unit = 1e-13 * math.sqrt(float(np.sum(ps * ys * ys)))
        ys = np.round(ys / unit) * unit
        order = np.argsort(ys)
        ys, ps = ys[order], ps[order]
        above = np.concatenate([np.cumsum(ps[::-1])[::-1][1:], [0.0]])  # P(Y > ys[i]) (no ties)
        # merge exact ties: P(Y > y) for equal y must be the mass strictly above
        i = 0
        n = len(ys)
        while i < n:
            j = i
            while j + 1 < n and ys[j + 1] == ys[i]:
                j += 1
            above[i:j + 1] = above[j]
            i = j + 1
        idx = np.nonzero((above <= tail) & (ys >= 0))[0][0]
        q = ys[idx]
        p2 = 2 * math.fsum(ps[ys >= q]) if q > 0 else 1.0
        return q, p2
    sd = math.sqrt(v)

    def up(x):
        return math.fsum(ps * special.ndtr((ys - x) / sd))

    s = math.sqrt(v + float(np.sum(ps * ys * ys)))
    hi = s
    while up(hi) > tail:
        hi *= 1.5
    q = optimize.brentq(lambda x: up(x) - tail, 0.0, hi, xtol=1e-15 * s, rtol=1e-15, maxiter=500)
    return q, 2 * up(q)


def tail1_quantile(terms, tail):
    """v = 0: enumerate all but the last term; the last one's tail P(cZ > d) exactly."""
    *rest, (nzl, cl) = terms
    ys, ps = joint(rest) if rest else (np.zeros(1), np.ones(1))
    cl = abs(cl)
    if nzl[0] == "L":
        t, s = nzl[1], nzl[2]
        r = s / t
        ql = math.exp(-r)

        def tail_ge(k):  # P(Z >= k), k integer array
            out = np.where(k >= 1, np.exp(-r * np.maximum(k, 1)) / (1 + ql), 0.0)
            neg = k <= 0
            out[neg] = 1.0 - np.exp(-r * np.maximum(1 - k[neg], 1)) / (1 + ql)
            return out
    else:
        z, p = support(nzl)
        cum = np.concatenate([np.cumsum(p[::-1])[::-1], [0.0]])  # P(Z >= z[i])
        zmin = z[0]

        def tail_ge(k):
            i = np.clip(k - zmin, 0, len(z))
            return cum[i]

    def up(x, strict=True):  # P(Y + cl Z > x) or >= x
        d = (x - ys) / cl
        if not strict:
            # P(... >= q) at the located atom q: an atom at q has d an integer in exact
            # arithmetic; snap d within 1e-9 (no genuine lattice gaps that small here)
            dn = np.round(d)
            d = np.where(np.abs(d - dn) < 1e-9, dn, d)
        k = np.floor(d).astype(np.int64) + 1 if strict else np.ceil(d).astype(np.int64)
        return math.fsum(ps * tail_ge(k))

    if up(0.0) <= tail:  # the atom at 0
        return 0.0, 1.0
    lo, hi = 0.0, 1.0
    while up(hi) > tail:
        lo, hi = hi, hi * 2
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if up(mid) <= tail:
            hi = mid
        else:
            lo = mid
    q = hi
    return q, 2 * up(q, strict=False)


# ---- exact quantiles: Gil-Pelaez in mpmath ----------------------------------------------------
def cf_mp(nz, theta):
    if nz[0] == "L":
        q = lap_q_mp(nz)
        sn = mp.sin(theta / 2)
        return (1 - q) ** 2 / ((1 - q) ** 2 + 4 * q * sn * sn)
    s2 = mpf(nz[1])
    th = theta - 2 * mp.pi * mp.nint(theta / (2 * mp.pi))
    ks = range(-3, 4) if nz[1] < 16 else range(-1, 2)
    num = mp.fsum(mp.exp(-s2 * (th + 2 * mp.pi * k) ** 2 / 2) for k in ks)
    den = mp.fsum(mp.exp(-2 * mp.pi ** 2 * s2 * k * k) for k in ks)
    return num / den


def cf_np(nz, theta):
    if nz[0] == "L":
        r = nz[2] / nz[1]
        q = math.exp(-r)
        om = -math.expm1(-r)
        sn = np.sin(theta / 2)
        return om * om / (om * om + 4 * q * sn * sn)
    s2 = nz[1]
    th = theta - 2 * np.pi * np.round(theta / (2 * np.pi))
    ks = range(-3, 4) if s2 < 16 else range(-1, 2)
    num = sum(np.exp(-s2 * (th + 2 * np.pi * k) ** 2 / 2) for k in ks)
    den = sum(math.exp(-2 * math.pi ** 2 * s2 * k * k) for k in ks)
    return num / den


def term_scale(nz, c):
    return abs(c) * math.sqrt(noise_var_exact(nz))


def gp_pieces(terms, v, x):
    sd = math.sqrt(v)
    U = 11.75 / sd
    xs = max([term_scale(nz, c) for nz, c in terms] + [sd])
    ell = min(math.pi / (2 * max(x, 1e-300)), 0.25 / xs, U / 16)
    n = int(math.ceil(U / ell))
    return [U * i / n for i in range(n + 1)]


GL_X, GL_W = np.polynomial.legendre.leggauss(48)


def gp_float(terms, v, x):
    """P(E > x) by the same integral in float64 (48-point Gauss-Legendre per piece): the start."""
    pts = np.array(gp_pieces(terms, v, x))
    a, b = pts[:-1, None], pts[1:, None]
    u = (0.5 * (b - a) * GL_X[None, :] + 0.5 * (a + b)).ravel()
    w = (0.5 * (b - a) * GL_W[None, :]).ravel()
    val = np.exp(-v * u * u / 2)
    for nz, c in terms:
        val = val * cf_np(nz, c * u)
    return 0.5 - float(np.sum(w * val * np.sin(u * x) / u)) / math.pi


_GL_MP = {}


def gl_mp():
    """Gauss-Legendre nodes and weights on [-1, 1] at the working precision (mpmath's own)."""
    key = mp.prec
    if key not in _GL_MP:
        from mpmath.calculus.quadrature import GaussLegendre
        _GL_MP[key] = GaussLegendre(mp).calc_nodes(6, mp.prec)  # 3 * 2^5 = 96 nodes
    return _GL_MP[key]


def gp_mp(terms, v, x, nodes=None):
    """(P(E > x), density at x) in mpmath, Gauss-Legendre on every piece."""
    nodes = nodes or gl_mp()
    x = mpf(x)
    v = mpf(v)
    pts = [mpf(p) for p in gp_pieces(terms, float(v), float(x))]
    cs = [(nz, mpf(c)) for nz, c in terms]
    s_sin = []
    s_cos = []
    for a, b in zip(pts[:-1], pts[1:]):
        h, m = (b - a) / 2, (a + b) / 2
        for t, w in nodes:
            u = m + h * t
            ph = mp.exp(-v * u * u / 2)
            for nz, c in cs:
                ph *= cf_mp(nz, c * u)
            s_sin.append(h * w * ph * mp.sin(u * x) / u)
            s_cos.append(h * w * ph * mp.cos(u * x))
    return 0.5 - mp.fsum(s_sin) / mp.pi, mp.fsum(s_cos) / mp.pi


def gp_quantile(terms, v, tail):
    s = math.sqrt(v + sum(term_scale(nz, c) ** 2 for nz, c in terms))
    hi = s * 2
    while gp_float(terms, v, hi) > tail:
        hi *= 1.5
    x = optimize.brentq(lambda xx: gp_float(terms, v, xx) - tail, 0.0, hi, xtol=1e-12 * s)
    for _ in range(4):
        P, f = gp_mp(terms, v, x)
        dx = (P - tail) / f
        x = x + dx
        if abs(dx) < 1e-18 * s:
            break
    P, _ = gp_mp(terms, v, x)
    assert abs(P - tail) < 1e-20, (terms, v, tail, P)
    return float(x), 2 * float(P)


# ---- bounds ---------------------------------------------------------------------------------
def bound_exact(nz, alpha):
    """(a, tie): smallest a with P(|Z| >= a + 1) <= alpha; tie when P at a is within 1e-9."""
    alpha = mpf(alpha)
    if nz[0] == "L":
        q = lap_q_mp(nz)

        def tail2(a):  # P(|Z| >= a + 1)
            return 2 * q ** (a + 1) / (1 + q)
        a = int(mp.ceil(mp.log(alpha * (1 + q) / 2) / mp.log(q))) - 1
        a = max(a, 0)
        while a > 0 and tail2(a - 1) <= alpha:
            a -= 1
        while tail2(a) > alpha:
            a += 1
        tie = abs(tail2(a) / alpha - 1) < 1e-9 or (a > 0 and abs(tail2(a - 1) / alpha - 1) < 1e-9)
        return a, tie
    s2 = nz[1]
    z, p = support(nz, eps=1e-300)
    pos = p[z >= 0]
    suf = np.concatenate([np.cumsum(pos[::-1])[::-1], [0.0]])  # suf[a] = P(Z >= a)
    t2 = 2 * suf[1:]  # t2[a] = P(|Z| >= a + 1)
    a = int(np.nonzero(t2 <= float(alpha))[0][0])
    # recheck the decision in exact-ish arithmetic (fsum)
    tail_a = 2 * math.fsum(pos[a + 1:])
    tail_am = 2 * math.fsum(pos[a:]) if a > 0 else 2.0
    tie = abs(tail_a / float(alpha) - 1) < 1e-9 or abs(tail_am / float(alpha) - 1) < 1e-9
    assert tail_a <= float(alpha) * (1 + 1e-12) and tail_am > float(alpha) * (1 - 1e-12), (nz, alpha)
    return a, tie


# ---- the grid of cases ------------------------------------------------------------------------
def main():
    rows = []

    def add_q(case, terms, v, tails, methods):
        for tail in tails:
            res = {}
            for m in methods:
                if m == "enum":
                    res[m] = enum_quantile(terms, v, tail)
                elif m == "tail1":
                    res[m] = tail1_quantile(terms, tail)
                elif m == "gp":
                    res[m] = gp_quantile(terms, v, tail)
            s = math.sqrt(v + sum(term_scale(nz, c) ** 2 for nz, c in terms))
            ref = res[methods[0]]
            for m in methods[1:]:
                assert abs(res[m][0] - ref[0]) <= 1e-12 * s, (case, tail, res)
                assert abs(res[m][1] - ref[1]) <= 1e-12, (case, tail, res)
            rows.append(("quantile", case, repr(tail), repr(float(v)),
                         ";".join(noise_str(nz, c) for nz, c in terms),
                         repr(ref[0]), repr(ref[1]), "+".join(methods)))
            sys.stderr.write("%s tail=%g q=%.17g %s\n" % (case, tail, ref[0], methods))

    T3 = [0.05, 0.025, 0.005]
    lap_scales = [(1, 3), (1, 1), (10, 3), (100, 1), (1048576, 524288)]  # b = 1/3, 1, 10/3, 100, 2
    gau_s2 = [1, 2, 14, 2500]
    # 1. one noise, v = 0: the lattice quantile (closed-form tail / summed pmf)
    for t, s in lap_scales + [(10 ** 4, 1)]:
        add_q("lap1_b%g_v0" % (t / s), [(lap(t, s), 1.0)], 0.0, T3, ["tail1", "enum"] if t / s < 500 else ["tail1"])
    for s2 in gau_s2 + [10 ** 8]:
        add_q("gau1_s2%d_v0" % s2, [(gau(s2), -0.37)], 0.0, T3, ["tail1"] + (["enum"] if s2 < 10 ** 5 else []))
    # 2. one noise with sampling variance from small to dominant
    for t, s in [(1, 3), (10, 3), (100, 1)]:
        b = t / s
        sdz = math.sqrt(noise_var_exact(lap(t, s)))
        for ratio in [0.01, 0.3, 1.0, 3.0, 100.0]:
            v = (ratio * sdz * 0.5) ** 2
            meth = ["enum", "gp"] if ratio >= 0.3 and b <= 10 else ["enum"]
            add_q("lap1_b%g_r%g" % (b, ratio), [(lap(t, s), 0.5)], v, T3, meth)
    for s2 in [1, 14, 2500]:
        for ratio in [0.01, 1.0, 100.0]:
            v = (ratio * math.sqrt(s2)) ** 2
            add_q("gau1_s2%d_r%g" % (s2, ratio), [(gau(s2), 1.0)], v, T3, ["enum"])
    # enormous scales, with tiny coefficients (x-scale ~ 1)
    add_q("lap1_b1e9", [(lap(10 ** 9, 1), 1e-9)], 1.0, T3, ["gp"])
    add_q("lap1_b1e9_small_v", [(lap(10 ** 9, 1), 1e-9)], 0.04, [0.025], ["gp"])
    add_q("gau1_s2_2p62", [(gau(2 ** 62), 2.0 ** -31)], 0.25, T3, ["gp"])
    add_q("gau1_s2_1e8", [(gau(10 ** 8), 1e-4)], 1.0, [0.025], ["gp"])
    # 3. two and three noises, v = 0 (exact atoms)
    add_q("lap2_v0", [(lap(1, 1), 1.0), (lap(10, 3), -0.37)], 0.0, T3, ["tail1", "enum"])
    add_q("lap2_small_v0", [(lap(1, 3), 0.9), (lap(1, 3), -0.1)], 0.0, T3, ["tail1", "enum"])
    add_q("lap2_tiny_coef_v0", [(lap(1, 3), 1e-9), (lap(1, 3), 1.0)], 0.0, T3, ["tail1", "enum"])
    add_q("lap2_big_v0", [(lap(100, 1), 1.0), (lap(300, 1), 0.71)], 0.0, T3, ["tail1"])
    add_q("mix2_v0", [(gau(14), 0.5), (lap(1, 1), 1.3)], 0.0, T3, ["tail1", "enum"])
    add_q("lap3_v0", [(lap(1, 1), 0.6), (lap(1, 3), -1.1), (lap(10, 3), 0.25)], 0.0, T3, ["tail1", "enum"])
    add_q("gau2_v0", [(gau(2), 1.0), (gau(14), 0.3)], 0.0, T3, ["tail1", "enum"])
    # 4. two and three noises with sampling variance
    add_q("lap2_v", [(lap(1, 1), 1.0), (lap(10, 3), -0.37)], 0.5, T3, ["enum", "gp"])
    add_q("lap2_v_small", [(lap(1, 1), 1.0), (lap(10, 3), -0.37)], 0.01, T3, ["enum"])
    add_q("lap2_v_dom", [(lap(1, 1), 1.0), (lap(10, 3), -0.37)], 400.0, T3, ["enum"])
    add_q("mix3_v", [(lap(1, 3), 2.0), (gau(14), -0.2), (lap(10, 3), 0.1)], 1.0, T3, ["enum", "gp"])
    add_q("lap2_mag_v", [(lap(1, 1), 1e-9), (lap(10, 3), 1.0)], 0.2, T3, ["enum"])
    add_q("ab_binary", [(lap(2, 1), (1 - 0.12) / 400), (lap(2, 1), -0.12 / 400),
                        (lap(2, 1), -(1 - 0.1) / 380), (lap(2, 1), 0.1 / 380)],
          0.12 * 0.88 / 400 + 0.1 * 0.9 / 380, T3, ["gp"])
    # 5. many noises (Gil-Pelaez), sampling variance from a fifth to several times the noise
    big4 = [(lap(100, 1), 1.0), (lap(100, 1), -0.8), (lap(3000, 7), 0.31), (gau(2500), 0.5)]
    nsd = math.sqrt(sum(term_scale(nz, c) ** 2 for nz, c in big4))
    for ratio in [0.3, 1.0, 3.0]:
        add_q("big4_r%g" % ratio, big4, (ratio * nsd) ** 2, T3, ["gp"])
    big8 = [(lap(100, 1), 1.0), (lap(100, 1), -0.9), (lap(1000, 3), 0.3), (lap(1000, 3), -0.35),
            (gau(10 ** 6), 0.1), (gau(2500), -1.5), (lap(1, 3), 7.0), (lap(10 ** 9, 1), 1e-7)]
    nsd = math.sqrt(sum(term_scale(nz, c) ** 2 for nz, c in big8))
    for ratio in [0.3, 1.0, 5.0]:
        add_q("big8_r%g" % ratio, big8, (ratio * nsd) ** 2, T3, ["gp"])
    mag8 = [(lap(1, 3), 1e-9), (lap(1, 3), 1.0), (gau(1), 0.5), (gau(2 ** 40), 2.0 ** -20),
            (lap(10 ** 6, 1), 1e-6), (lap(7, 2), -0.25), (gau(14), 0.01), (lap(1, 1), -1e-3)]
    nsd = math.sqrt(sum(term_scale(nz, c) ** 2 for nz, c in mag8))
    add_q("mag8_r0.5", mag8, (0.5 * nsd) ** 2, T3, ["gp"])
    small5 = [(lap(1, 3), 1.0), (lap(1, 3), -0.7), (lap(1, 2), 0.45), (gau(1), 0.3), (lap(1, 3), 0.2)]
    add_q("small5_v0", small5, 0.0, T3, ["enum"])
    add_q("small5_v", small5, 0.09, T3, ["enum", "gp"])

    # variances
    vcases = [("lap_b1/3", [(lap(1, 3), 1.0)], 0.0), ("lap_b1e9", [(lap(10 ** 9, 1), 1e-9)], 0.0),
              ("lap_b2", [(lap(1048576, 524288), 3.0)], 1.5), ("gau1", [(gau(1), 1.0)], 0.0),
              ("gau2", [(gau(2), -2.0)], 0.0), ("gau14", [(gau(14), 1.0)], 0.0),
              ("gau1e6", [(gau(10 ** 6), 1e-3)], 2.0), ("gau2p62", [(gau(2 ** 62), 1.0)], 0.0),
              ("big8", big8, 3.0), ("mag8", mag8, 0.0)]
    for case, terms, v in vcases:
        ve = v + sum(c * c * noise_var_exact(nz) for nz, c in terms)
        rows.append(("variance", case, "", repr(float(v)), ";".join(noise_str(nz, c) for nz, c in terms),
                     repr(ve), "", "sum"))
    # bounds
    for nz in [lap(1, 3), lap(1, 1), lap(10, 3), lap(100, 1), lap(10 ** 9, 1), lap(1048576, 524288),
               gau(1), gau(2), gau(14), gau(2500), gau(10 ** 6), gau(10 ** 8)]:
        for alpha in [0.3, 0.1, 0.05, 1e-3, 1e-6, 1e-12, 1e-100]:
            if nz[0] == "G" and nz[1] >= 10 ** 8 and alpha < 1e-12:
                continue
            a, tie = bound_exact(nz, alpha)
            if tie:
                continue
            rows.append(("bound", "bound", repr(alpha), "0.0", noise_str(nz, 1.0), str(a), "", "exact"))
    # near ties: alpha = P(|Z| >= a + 1) (1 +- 1e-8) gives a and a + 1 (one step of the lattice
    # moves P by far more than 1e-8, except at scale 1e9), so the tails behind the bound (and the
    # Euler-Maclaurin tails for sigma >= 300) must be right to 1e-8
    for nz, scales in [(gau(2500), 50.0), (gau(10 ** 5), 10 ** 2.5), (gau(10 ** 6), 1e3),
                       (gau(10 ** 8), 1e4), (lap(100, 1), 100.0), (lap(10 ** 9, 1), 1e9)]:
        for mult in ([0.5, 1.0, 3.0, 6.0] if nz[0] == "G" else [1.0, 5.0, 20.0]):
            a = int(round(mult * scales))
            if nz[0] == "L":
                q = lap_q_mp(nz)
                tail = float(2 * q ** (a + 1) / (1 + q))
            else:
                z, p = support(nz, eps=1e-300)
                tail = 2 * math.fsum(p[z >= a + 1])
            for sign in [1, -1]:
                alpha = tail * (1 + sign * 1e-8)
                want, _ = bound_exact(nz, alpha)  # a or a + 1 (a - 10 and a + 11 at scale 1e9)
                assert want == a or want == a + 1 or nz[1] == 10 ** 9, (nz, a, alpha, want)
                rows.append(("bound", "near_tie", repr(alpha), "0.0", noise_str(nz, 1.0), str(want), "",
                             "exact"))

    with open(OUT, "w") as f:
        f.write("# DO NOT EDIT — generated by tests/oracle/make_dp_interval_fixtures.py\n")
        f.write("# Python %s, numpy %s, scipy %s, mpmath %s; generated %s UTC\n" % (
            platform.python_version(), np.__version__, scipy.__version__, mpmath.__version__,
            datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")))
        f.write("# quantile: value = exact q with P(E > q) = tail (v = 0: the smallest atom with "
                "P(E > q) <= tail), p2 = P(|E| >= q); variance: value = Var(E); bound: tail = "
                "alpha, value = smallest a with P(|Z| >= a+1) <= alpha\n")
        f.write("kind\tcase\ttail\tvar_sampling\tterms\tvalue\tp2\tmethod\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    sys.stderr.write("%d rows\n" % len(rows))


if __name__ == "__main__":
    main()
