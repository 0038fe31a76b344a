#!/usr/bin/env bash
# What links into the wasm: section sizes and the code section per package,
# built as scripts/build.sh builds it (scripts/wasm.sh), keeping the name
# section.
#   scripts/size.sh [-top N] [-symbols PREFIX]
#   scripts/size.sh -floor   the floors under our dependencies beside the module
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wasm.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${1:-}" = "-floor" ]; then
  command -v brotli >/dev/null || { echo "size: -floor needs brotli (apt-get install -y brotli)" >&2; exit 1; }
  go build -o "$work/wasmsize" ./internal/tools/wasmsize
  printf '| build (%s) | raw | code section | gzip -9 | brotli -q 11 |\n| --- | --- | --- | --- | --- |\n' "GOOS=js GOARCH=wasm, build.sh's flags"
  # Each probe is a small program under internal/bench/floorwasm; the rows
  # say what it adds to the Go runtime. The floor is what the card's
  # packages cost before any of ours: nhooyr.io/websocket (its js Dial
  # returns an *http.Response, and net/http's init links the TLS client)
  # and gotd's primitives (gotd's crypto imports crypto/x509).
  for row in "internal/bench/floorwasm/runtime|Go runtime + syscall/js (hello world)" \
    "internal/bench/floorwasm/nethttp|hello world + net/http (one http.Response value)" \
    "internal/bench/floorwasm/x509|hello world + crypto/x509 (ParsePKCS1PublicKey)" \
    "internal/bench/floorwasm/gotd|hello world + gotd crypto (Cipher), proto/codec, mtproxy/obfuscated2" \
    "internal/bench/floorwasm/nhooyr|hello world + nhooyr.io/websocket.Dial" \
    "internal/bench/floorwasm/primitives|the floor: nhooyr.io/websocket + gotd's primitives" \
    "internal/bench/floorwasm/protocol|the floor + internal/transport, internal/kex, internal/client/mtconn (one call of raw bytes)" \
    "wasm|tgwasm.wasm: + the TL types (internal/client/tl), the client's policies, the bridge"; do
    pkg=${row%%|*}
    wasm_build "$work/f.wasm" "./$pkg"
    raw=$(stat -c %s "$work/f.wasm")
    code=$("$work/wasmsize" "$work/f.wasm" | awk '$1 == "code" { print $2 }')
    gz=$(gzip -9 -n -c "$work/f.wasm" | wc -c)
    br=$(brotli -q 11 -c "$work/f.wasm" | wc -c)
    awk -v w="${row#*|}" -v r="$raw" -v c="$code" -v g="$gz" -v b="$br" 'BEGIN { printf "| %s | %.2f MB | %.2f MB | %.2f MB | %.2f MB |\n", w, r / 1e6, c / 1e6, g / 1e6, b / 1e6 }'
  done
  exit 0
fi

wasm_build_named "$work/tgwasm.wasm" ./wasm
go run ./internal/tools/wasmsize "$@" "$work/tgwasm.wasm"
