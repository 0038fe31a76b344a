#!/usr/bin/env bash
# Builds what the benchmarks need, starts the local DC with the demo server,
# drives headless Chromium (and Firefox and WebKit) and prints the
# performance tables (README, "Performance"): tgwasm beside GramJS's
# browser build on loopback, on a phone's network and on a phone's CPU (a
# CPU cgroup; root only), in every engine, start-up and calls with this
# build's figures beside baselines measured in the same run (GramJS, and
# the module before the lean one: the before columns), and recovery from
# broken links. Results are also written to bench-results/; a missed
# target makes it exit non-zero. Takes about 30 minutes.
#   scripts/bench.sh   (bench.mjs: BENCH_RUNS, BENCH_CALLS, BENCH_MEMORY_CALLS;
#                       bench-recovery.mjs: BENCH_RECOVERY_RUNS;
#                       bench-compare.mjs: BENCH_COMPARE_RUNS, BENCH_MOBILE_RUNS,
#                       BENCH_PHONE_RUNS, BENCH_COMPARE_CALLS, BENCH_PROFILES;
#                       bench-engines.mjs: BENCH_ENGINE_RUNS, BENCH_ENGINE_CALLS, BENCH_ENGINES)
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x /usr/bin/chromium ] || { echo "bench: needs /usr/bin/chromium (scripts/test.sh installs it)"; exit 1; }
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund

echo "bench: building dist/ (full compression)…"
scripts/build.sh | tail -2

eval "$(sed -n '/^SIZE_GCFLAGS=(/,/^)/p' scripts/build.sh)"
echo "bench: building the key-exchange benchmark wasm…"
mkdir -p dist/bench
GOOS=js GOARCH=wasm go build -trimpath "${SIZE_GCFLAGS[@]}" -ldflags="-s -w" -o dist/bench/kex.wasm ./internal/bench/kexwasm
# The arithmetic hooks the key-exchange page hands it (dist/ carries them
# only inside the bundles).
node_modules/.bin/esbuild web/runtime.js --bundle --format=esm --log-level=warning --outfile=dist/bench/runtime.js

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "bench: building the size baseline (gotd's telegram.Client; the first build takes a while)…"
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$work/baseline.wasm" ./internal/bench/baselinewasm
gzip -9 -n -k "$work/baseline.wasm"
if command -v brotli >/dev/null; then brotli -q 11 -k "$work/baseline.wasm"; else go run ./internal/tools/precompress "$work/baseline.wasm" >/dev/null; fi

# The before/after columns: the module as it was before the lean one
# (gotd's mtproto.Conn and its tg package), built from that commit into
# dist/bench/before with its own JavaScript. BENCH_BEFORE names another
# commit; a clone without it skips the columns.
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
status=0
TGWASM_DEVSERVER="$work/devserver" BASELINE_WASM="$work/baseline.wasm" node web/test/bench.mjs || status=$?
echo "bench: recovery from silent links, lost networks and frozen pages…"
TGWASM_DEVSERVER="$work/devserver" node web/test/bench-recovery.mjs || status=$?
echo "bench: beside GramJS, on loopback, a phone's network and a phone's CPU…"
TGWASM_DEVSERVER="$work/devserver" node web/test/bench-compare.mjs || status=$?
echo "bench: beside GramJS in Chromium, Firefox and WebKit…"
TGWASM_DEVSERVER="$work/devserver" node web/test/bench-engines.mjs || status=$?
exit $status
