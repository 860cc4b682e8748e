#!/usr/bin/env bash
# tests/run.sh — every test, in order of speed: the C core natively under ASan + UBSan, its file
# faces (analysis, did, preview) under libFuzzer, then the WASM build through Node, then the page
# in headless Chromium. Called by `npm test` after build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== C core (native, ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/test_c
echo "== analysis, did and preview under libFuzzer (ASan + UBSan), a fixed number of inputs from tests/fuzz/corpus"
make --no-print-directory -s -C wasm fuzz
fuzz_dir=$(mktemp -d)
trap 'rm -rf "$fuzz_dir"' EXIT
# -seed and -runs make the run the same every time; new inputs go to fuzz_dir, not the corpus.
if build/fuzz_analysis -seed=1 -runs=200000 -max_len=4096 -artifact_prefix="$fuzz_dir/" \
     "$fuzz_dir" tests/fuzz/corpus/analysis > "$fuzz_dir/log" 2>&1; then
  echo "fuzz_analysis  $(grep -ao 'Done [0-9]* runs in [0-9]* second(s)' "$fuzz_dir/log")"
  echo "1 passed, 0 failed"
else
  tail -n 60 "$fuzz_dir/log"
  echo "fuzz_analysis: the input above (Base64) fails; run build/fuzz_analysis FILE to see it again"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "== Node module, CLIs and page (node --test)"
node --test --test-concurrency=2 tests/node/ tests/e2e/
