#!/usr/bin/env bash
# Soak test in headless Chromium: 10,000 calls while the DC drops every
# 100th request's socket; prints settled vs issued, memory and calls/s
# (also written to bench-results/soak.md).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/chromium ] || { echo "soak: needs /usr/bin/chromium (scripts/test.sh installs it)"; exit 1; }
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
scripts/build.sh | tail -1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/devserver" ./cmd/devserver
TGWASM_DEVSERVER="$work/devserver" node web/test/bench/soak.run.mjs
