#!/usr/bin/env bash
# What links into the wasm: section sizes and the code section per package,
# for the same build flags as scripts/build.sh (plus the name section).
#   scripts/size.sh [-top N] [-symbols PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(sed -n '/^SIZE_GCFLAGS=(/,/^)/p' scripts/build.sh)"
out=$(mktemp -d)/tgwasm.wasm
GOOS=js GOARCH=wasm go build -trimpath "${SIZE_GCFLAGS[@]}" -o "$out" ./wasm
go run ./internal/tools/wasmsize "$@" "$out"
