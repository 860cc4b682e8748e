#!/usr/bin/env python3
"""make_cp1252_fixture.py -- writes tests/data/excel_cp1252.csv: 40 seeded synthetic rows as
Excel's plain "CSV" writes them on French Windows (Windows-1252, ';' between fields, ',' as the
decimal point), with non-ASCII arm names, for the page test of encodings.
  python3 tests/oracle/make_cp1252_fixture.py
"""
import random

rng = random.Random(20261124)
rows = ["variante;converti;chiffre d'affaires"]
for i in range(40):
    arm = "Contrôle" if i % 2 == 0 else "Traitement à 5 €"
    conv = 1 if rng.random() < (0.3 if i % 2 == 0 else 0.45) else 0
    spend = f"{rng.uniform(5, 80):.2f}".replace(".", ",") if conv else "0"
    rows.append(f"{arm};{conv};{spend}")
with open("tests/data/excel_cp1252.csv", "wb") as f:
    f.write(("\r\n".join(rows) + "\r\n").encode("cp1252"))
