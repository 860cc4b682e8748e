#!/usr/bin/env bash
# build.sh — sets up and builds everything, idempotently: installs missing Debian packages
# (when root), installs npm packages from the lockfile when they are missing or stale, then
# builds the native CLI, the C tests, the WASM module and the single-file page. Fast when nothing
# changed.
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '[build] %s\n' "$*"; }

# 1. Debian packages: the compilers and the browser the tests drive.
missing=()
command -v make >/dev/null || missing+=(make)
command -v gcc >/dev/null || missing+=(gcc libc6-dev)
command -v musl-gcc >/dev/null || missing+=(musl-tools)   # the CLI's libm = the WASM build's
command -v emcc >/dev/null || missing+=(emscripten)
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
# libFuzzer's runtime, for the fuzz test (tests/run.sh): clang comes with emscripten, which only
# recommends the runtime.
clang_major=$(clang -dumpversion 2>/dev/null | cut -d. -f1 || true)
rt_dir=$(clang --print-runtime-dir 2>/dev/null || true)
[ -n "$rt_dir" ] && [ -e "$rt_dir/libclang_rt.fuzzer-$(uname -m).a" ] || missing+=("libclang-rt-${clang_major:-14}-dev")
if [ ${#missing[@]} -gt 0 ]; then
  cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages: ${missing[*]}"
    say "run:  sudo apt-get update && sudo $cmd"
    exit 1
  fi
  say "installing ${missing[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $cmd >/dev/null
fi

# 2. npm packages, from package-lock.json only, when node_modules is missing or stale.
stamp=node_modules/.causeway-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

# 3. The core: native CLI, native tests (sanitizers), WASM module.
export NODE_PATH=/usr/share/nodejs
make --no-print-directory -C wasm -j"$(nproc)" all | sed 's/^/[make] /'

# 4. Chart.js for the page, copied from the locked npm package (never fetched at run time).
mkdir -p web/vendor
cmp -s node_modules/chart.js/dist/chart.umd.min.js web/vendor/chart.umd.min.js ||
  cp node_modules/chart.js/dist/chart.umd.min.js web/vendor/chart.umd.min.js

# 5. The page as one self-contained file, for offline use and wikis (docs/single-file.md).
node web/singlefile.js
say "ok: build/causeway, build/test_c, web/build/causeway-core.{js,wasm}, web/build/causeway.html"
