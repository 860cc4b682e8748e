#!/usr/bin/env bash
# instructions.sh — instructions per row of the core, counted by valgrind's callgrind (repeatable
# on a busy machine, unlike timings): the native CLI's whole run (reading the file and writing
# the report included), and one pass of the WASM core in Node (node --no-liftoff: TurboFan code
# from the start; 3 passes minus 1 pass, halved). Needs valgrind and bench/data (npm run bench).
#   bash bench/instructions.sh [FILE] [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:-bench/data/experiment_1M.csv}
ROWS=${2:-1000000}
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
  sed -n 's/.*refs: *//p' | tr -d ,; }
native=$(count build/causeway analyze "$FILE" --variant variant --control control --metric converted,revenue)
one=$(count --smc-check=all node --no-liftoff bench/core-passes.mjs "$FILE" 1)
three=$(count --smc-check=all node --no-liftoff bench/core-passes.mjs "$FILE" 3)
echo "native CLI, whole run: $((native / ROWS)) instructions/row"
echo "WASM core in Node, one pass: $(((three - one) / 2 / ROWS)) instructions/row"
