#!/usr/bin/env python3
"""cp1252_table.py -- the expected UTF-8 of Windows-1252's bytes 0x80-0xFF, for tests/c/test_csv.c
(test "cp1252 table"): Python's cp1252 codec, with the five bytes it leaves undefined (0x81,
0x8D, 0x8F, 0x90, 0x9D) mapped to the C1 controls of the same number, as the WHATWG Encoding
Standard's index-windows-1252 maps them. Prints a C string literal in lines of 16 bytes.
  python3 tests/oracle/cp1252_table.py
"""
out = bytearray()
for b in range(0x80, 0x100):
    try:
        ch = bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        ch = chr(b)
    out += ch.encode("utf-8")
for i in range(0, len(out), 16):
    print('    "' + "".join(f"\\x{x:02X}" for x in out[i:i + 16]) + '"')
