#!/usr/bin/env bash
# Every benchmark, then docs/PERFORMANCE.md written from their tables.
# tgwasm beside GramJS's browser build on loopback, on a phone's network
# and on a phone's CPU (a CPU cgroup; root only), in every engine, the
# module's own start-up and calls, recovery from broken links, and the
# sizes; each baseline (GramJS, gotd's client, the module before the lean
# one) measured in the same run. Results go to bench-results/; a missed
# target makes it exit non-zero. Takes about 40 minutes.
#
#   scripts/bench.sh
#
# Tuning, per benchmark under web/test/bench/: startup.run.mjs BENCH_RUNS,
# BENCH_CALLS, BENCH_MEMORY_CALLS; recovery.run.mjs BENCH_RECOVERY_RUNS;
# compare.run.mjs BENCH_COMPARE_RUNS, BENCH_MOBILE_RUNS, BENCH_PHONE_RUNS,
# BENCH_COMPARE_CALLS, BENCH_PROFILES; engines.run.mjs BENCH_ENGINE_RUNS,
# BENCH_ENGINE_CALLS, BENCH_ENGINES. BENCH_BEFORE names the commit of the
# "before" columns.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wasm.sh

[ -x /usr/bin/chromium ] || { echo "bench: needs /usr/bin/chromium (scripts/test.sh installs it)"; exit 1; }
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p bench-results
status=0
# run TITLE COMMAND…: one benchmark; a missed target is remembered, the
# others still run.
run() { echo "bench: $1…"; shift; "$@" || status=$?; }

# ------------------------------------------------------------ what they measure
echo "bench: building dist/ (full compression)…"
scripts/build.sh | tail -2
echo "bench: building the key-exchange benchmark wasm and its page's arithmetic…"
mkdir -p dist/bench
wasm_build dist/bench/kex.wasm ./internal/bench/kexwasm
node_modules/.bin/esbuild web/tgwasm/runtime/arith.js --bundle --format=esm --log-level=warning --outfile=dist/bench/runtime.js
echo "bench: building the size baseline (gotd's telegram.Client; the first build takes a while)…"
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$work/baseline.wasm" ./internal/bench/baselinewasm
gzip -9 -n -k "$work/baseline.wasm"
if command -v brotli >/dev/null; then brotli -q 11 -k "$work/baseline.wasm"; else go run ./internal/tools/precompress "$work/baseline.wasm" >/dev/null; fi
# The before columns: the module before the lean one (gotd's mtproto.Conn
# and tg), built from its commit into dist/bench/before with its own
# JavaScript. A clone without that commit skips the columns.
BEFORE=${BENCH_BEFORE:-4b65f33}
rm -rf dist/bench/before
if git cat-file -e "$BEFORE^{commit}" 2>/dev/null; then
  echo "bench: building the module as it was at $BEFORE (the before columns)…"
  mkdir -p "$work/before"
  git archive "$BEFORE" | tar -x -C "$work/before"
  ln -s "$PWD/node_modules" "$work/before/node_modules"
  (cd "$work/before" && DIST="$OLDPWD/dist/bench/before" scripts/build.sh | tail -1)
else
  echo "bench: commit $BEFORE is not in this clone; no before columns"
fi
go build -o "$work/devserver" ./cmd/devserver
export TGWASM_DEVSERVER="$work/devserver"

# ------------------------------------------------------------ the benchmarks
run "the floors under the module (scripts/size.sh -floor)" sh -c 'scripts/size.sh -floor > bench-results/sizes.md'
run "the module's own start-up, calls and memory" env BASELINE_WASM="$work/baseline.wasm" node web/test/bench/startup.run.mjs
run "recovery from silent links, lost networks and frozen pages" node web/test/bench/recovery.run.mjs
run "beside GramJS, on loopback, a phone's network and a phone's CPU" node web/test/bench/compare.run.mjs
run "beside GramJS in Chromium, Firefox and WebKit" node web/test/bench/engines.run.mjs

# ------------------------------------------------------------ the report
node web/test/bench/report.run.mjs
exit $status
