#!/usr/bin/env bash
# tests/run.sh — every test, in order of speed: the C core natively under ASan + UBSan, then the
# WASM build through Node, then the page in headless Chromium. Called by `npm test` after build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== C core (native, ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/test_c
echo "== Node module, CLIs and page (node --test)"
node --test --test-concurrency=2 tests/node/ tests/e2e/
