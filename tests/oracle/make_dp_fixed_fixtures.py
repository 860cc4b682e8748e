#!/usr/bin/python3
"""Writes tests/fixtures/dp_fixed.tsv: the oracle for cw_fix_parse (wasm/src/dp_fixed.c).

Each row is a field text, the decimal point, a resolution exponent d, a rounding mode, and what
the text must give: OK with the integer round(v * 10^d), MISSING, INVALID or RANGE. The expected
values come from Python's decimal module with exact arithmetic (a context of 5,000 digits with
Inexact trapped, so nothing is ever rounded except by to_integral_value under the named mode:
ROUND_HALF_EVEN, ROUND_FLOOR, ROUND_CEILING). The grammar is a regular expression written from
number.h's description, and the missing tokens are number.c's list, so the C scanner is
compared with an independent reading of the same grammar.

Run: /usr/bin/python3 tests/oracle/make_dp_fixed_fixtures.py  (from the repository root).
Deterministic apart from the date in the header (seeded generator)."""

import datetime
import decimal
import random
import re
import sys
from decimal import Decimal

OUT = "tests/fixtures/dp_fixed.tsv"
MAX_UNITS = 10**15
MODES = {"H": decimal.ROUND_HALF_EVEN, "F": decimal.ROUND_FLOOR, "C": decimal.ROUND_CEILING}
MISSING = ["NA", "N/A", "NaN", "null", "None", "-", "#N/A"]  # number.c, any case
CTX = decimal.Context(prec=5000, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[decimal.Inexact, decimal.Overflow])


def classify(text, point, d, mode):
    t = text.strip(" \t")
    p = re.escape(point)
    if not re.fullmatch(r"[+-]?([0-9]+(" + p + r"[0-9]*)?|" + p + r"[0-9]+)([eE][+-]?[0-9]+)?", t):
        return ("MISSING" if t == "" or t.lower() in [m.lower() for m in MISSING] else "INVALID"), ""
    v = CTX.create_decimal(t.replace(point, "."))
    u = CTX.scaleb(v, d).to_integral_value(rounding=MODES[mode], context=CTX)
    if u.copy_abs() > MAX_UNITS:
        return "RANGE", ""
    return "OK", str(int(u))


def escape(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t")


def digits(rng, n, lead_nonzero=False):
    s = "".join(rng.choice("0123456789") for _ in range(n))
    if lead_nonzero and n:
        s = rng.choice("123456789") + s[1:]
    return s


def random_number(rng, point):
    sign = rng.choice(["", "", "-", "+"])
    ni = rng.choice([0, 1, 1, 2, 3, 5, 8, 12, 16, 20])
    nf = rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 12, 18, 25])
    if ni + nf == 0:
        ni = 1
    ip = digits(rng, ni)
    fp = digits(rng, nf)
    if rng.random() < 0.2:
        ip = "0" * rng.randint(1, 5) + ip
    if rng.random() < 0.2:
        fp = fp + "0" * rng.randint(1, 5)
    if nf and rng.random() < 0.2:
        fp = "0" * rng.randint(1, 12) + fp
    s = sign + ip
    if fp or (ip and rng.random() < 0.1):
        s += point + fp
    if rng.random() < 0.35:
        e = rng.choice([rng.randint(-30, 30), rng.randint(-30, 30), rng.randint(-400, 400), rng.randint(-10**15, 10**15)])
        s += rng.choice("eE") + (rng.choice(["", "+"]) if e >= 0 else "-") + str(abs(e))
    if rng.random() < 0.1:
        s = rng.choice([" ", "\t", "  "]) + s + rng.choice(["", " ", "\t"])
    return s


def tie_text(rng, u, d, fmt):
    """The decimal text of (u + 1/2) * 10^-d (u may be negative), in a chosen layout."""
    v = (Decimal(2 * u + (1 if u >= 0 else -1)) * Decimal(5)).scaleb(-d - 1, CTX)
    if fmt == 0:
        return format(v, "f")
    if fmt == 1:
        return format(v, "E")
    m = v.scaleb(3, CTX)  # same value, mantissa shifted against the exponent
    return format(m, "f") + "e-3"


def main():
    rng = random.Random(20240607)
    rows = []

    def add(text, point, d, mode):
        kind, units = classify(text, point, d, mode)
        rows.append((escape(text), point, str(d), mode, kind, units))

    # the spec's ties and hand-picked edge cases, every mode
    fixed = ["0.005", "0.015", "0.025", "-0.015", "-0.005", "0.0050000000000000000001", "0.0049999999999999999999",
             "-0", "+0", "-0.000", "0e999999", "-0e-7", "1e-99999", "-1e-99999", "1e99999", "5.", ".5", "-.5",
             "0.000000000000000000000000015", "999999999999999.5", "1000000000000000", "1000000000000000.5",
             "1000000000000001", "-999999999999999.5", "-1000000000000000.4", "-1000000000000000.5",
             "1e15", "1E+15", "10000000000000000e-1", "0.1e16", "100000000000000000000e-5", "2.5", "3.5", "-2.5",
             "1" + "0" * 380 + "e-380", "0." + "0" * 390 + "1", "7" * 400, "0." + "4" * 400, "0." + "5" * 400,
             "0.5" + "0" * 400, "0.5" + "0" * 399 + "1", "12345678901234567890.12345678901234567890"]
    for text in fixed:
        for d in (-6, -2, 0, 2, 9):
            for mode in "HFC":
                add(text, ".", d, mode)
    # decimal comma, including texts where '.' is then garbage
    for text in ["1,5", "-0,015", ",25", "3,", "1,5e2", "1.5", "1,2,3", "1 000,5", "2,5", "2,500000001"]:
        for mode in "HFC":
            add(text, ",", 0, mode)
            add(text, ",", 2, mode)
    # missing tokens and non-numbers
    for text in ["", " ", "\t", "NA", "na", "N/A", "n/a", "NaN", "nan", "NULL", "null", "None", "NONE", "-", " - ",
                 "#N/A", "#n/a", " NA\t", "inf", "-inf", "Infinity", "0x10", "1e", "1e+", "e5", ".", "-.", "+",
                 "--1", "+-1", "1.2.3", "1..2", "12abc", "1 000", "1_000", "١", "1e5.5", "1e--5", " 1 2 ", "0b1",
                 "1,5", ".e1", "NAN", "nil", "?", "1d5", "1f"]:
        add(text, ".", 2, "H")
    # exact ties at every resolution, in three layouts, and one unit-fraction either side
    for _ in range(900):
        d = rng.randint(-6, 9)
        u = rng.choice([rng.randint(-20, 20), rng.randint(-10**6, 10**6), rng.randint(-10**15, 10**15)])
        text = tie_text(rng, u, d, rng.randint(0, 2))
        add(text, ".", d, rng.choice("HFC"))
        near = CTX.add(CTX.create_decimal(text), Decimal(rng.choice([-1, 1])).scaleb(-d - 25, CTX))
        add(format(near, "f"), ".", d, rng.choice("HFC"))
    # range edges: exactly 10^15 units and just beyond, at every d
    for d in range(-6, 10):
        edge = Decimal(MAX_UNITS).scaleb(-d, CTX)
        for delta in ["0", "0.5", "0.4999", "0.5000001", "1", "-0.5", "-1e-20"]:
            v = CTX.add(edge, Decimal(delta).scaleb(-d, CTX))
            for sign in ["", "-"]:
                for mode in "HFC":
                    add(sign + format(v, "f"), ".", d, mode)
    # random decimals of every shape
    for _ in range(4500):
        point = rng.choice([".", ".", ".", ","])
        add(random_number(rng, point), point, rng.randint(-6, 9), rng.choice("HFC"))
    # long digit strings
    for _ in range(60):
        n = rng.randint(40, 400)
        text = digits(rng, rng.randint(1, n), True) + "." + digits(rng, n)
        add(text, ".", rng.randint(-6, 9), rng.choice("HFC"))
        add("0." + "0" * rng.randint(0, 20) + digits(rng, n), ".", rng.randint(-6, 9), rng.choice("HFC"))

    today = datetime.date.today().isoformat()
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# DO NOT EDIT: generated by tests/oracle/make_dp_fixed_fixtures.py with Python %s (decimal module) on %s\n"
                % (sys.version.split()[0], today))
        f.write("# text (\\t and \\\\ escaped)\tpoint\td\tmode (H half-even, F floor, C ceiling)\tkind\tunits\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print("%d rows -> %s" % (len(rows), OUT))


if __name__ == "__main__":
    main()
