#!/usr/bin/python3
"""binary_coverage_exact.py — exact coverage of the private release's binary-difference interval
in the limit of no noise (the sampling part alone), by enumerating both binomials, for the
sampling-variance choices considered in wasm/src/private_report.c (binary_arm):
  plug-in      p(1 - p)/n
  AC / n       p~(1 - p~)/n,        p~ = (x + 1)/(n + 2)  (Agresti & Caffo 2000 pseudo-counts)
  AC / (n - 1) p~(1 - p~)/(n - 1)   (the shipped one: the unbiased sample variance of the 0/1 values)
Run: /usr/bin/python3 tests/oracle/binary_coverage_exact.py  (Debian python3-scipy; ~1 s)."""
import numpy as np
from scipy.stats import binom, norm

CHOICES = [
    ("plug-in", lambda x, n: (x / n) * (1 - x / n) / n),
    ("AC / n", lambda x, n: ((x + 1) / (n + 2)) * (1 - (x + 1) / (n + 2)) / n),
    ("AC / (n - 1)", lambda x, n: ((x + 1) / (n + 2)) * (1 - (x + 1) / (n + 2)) / (n - 1)),
]

print("| n per arm | p (control; treatment 1.2 p) | level | " + " | ".join(c for c, _ in CHOICES) + " |")
print("|---|---|---|" + "---|" * len(CHOICES))
for n in (20, 100, 1000):
    for pa in (0.01, 0.1, 0.5):
        pb = pa * 1.2
        xs = np.arange(n + 1)
        xa, xb = np.meshgrid(xs, xs, indexing="ij")
        w = np.outer(binom.pmf(xs, n, pa), binom.pmf(xs, n, pb))
        d, truth = (xb - xa) / n, pb - pa
        for level in (0.9, 0.95, 0.99):
            z = norm.ppf(1 - (1 - level) / 2)
            cov = [np.sum(w * (np.abs(d - truth) <= z * np.sqrt(f(xa, n) + f(xb, n)))) for _, f in CHOICES]
            print(f"| {n} | {pa:g} | {level:g} | " + " | ".join(f"{c:.4f}" for c in cov) + " |")
