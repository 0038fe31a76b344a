#!/usr/bin/env bash
# What links into the wasm: section sizes and the code section per package,
# for the same build flags as scripts/build.sh (plus the name section).
#   scripts/size.sh [-top N] [-symbols PREFIX]
#   scripts/size.sh -floor   the floors under our dependencies beside the module
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(sed -n '/^SIZE_GCFLAGS=(/,/^)/p' scripts/build.sh)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${1:-}" = "-floor" ]; then
  command -v brotli >/dev/null || { echo "size: -floor needs brotli (apt-get install -y brotli)" >&2; exit 1; }
  printf '| build (%s) | raw | gzip -9 | brotli -q 11 |\n| --- | --- | --- | --- |\n' "GOOS=js GOARCH=wasm, build.sh's flags"
  for row in "internal/bench/floorwasm/runtime|Go runtime + syscall/js (hello world)" \
    "internal/bench/floorwasm/primitives|+ nhooyr.io/websocket dialer, gotd obfuscated2, framing, MTProto encryption" \
    "wasm|tgwasm.wasm (the whole module)"; do
    pkg=${row%%|*}
    GOOS=js GOARCH=wasm go build -trimpath "${SIZE_GCFLAGS[@]}" -ldflags="-s -w" -o "$work/f.wasm" "./$pkg"
    raw=$(stat -c %s "$work/f.wasm")
    gz=$(gzip -9 -n -c "$work/f.wasm" | wc -c)
    br=$(brotli -q 11 -c "$work/f.wasm" | wc -c)
    awk -v w="${row#*|}" -v r="$raw" -v g="$gz" -v b="$br" 'BEGIN { printf "| %s | %.2f MB | %.2f MB | %.2f MB |\n", w, r / 1e6, g / 1e6, b / 1e6 }'
  done
  exit 0
fi

GOOS=js GOARCH=wasm go build -trimpath "${SIZE_GCFLAGS[@]}" -o "$work/tgwasm.wasm" ./wasm
go run ./internal/tools/wasmsize "$@" "$work/tgwasm.wasm"
