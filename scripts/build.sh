#!/usr/bin/env bash
# Builds dist/: the wasm (with .gz and .br beside it), one ES module per
# entry point bundled from web/ with esbuild (scripts/bundle.mjs: the
# library's tgwasm.js, worker.js and shared-worker.js, the GramJS shim's
# gramjs.js and the demo's demo.js, each with a source map, wasm_exec.js
# from the same Go release as the compiler inside), the types (under
# types/, laid out as in web/), the demo page and a package.json, then
# prints the wasm's transfer sizes.
#
#   scripts/build.sh            full build (brotli -q 11)
#   TGWASM_FAST=1 scripts/build.sh   quicker compression for development
set -euo pipefail
cd "$(dirname "$0")/.."

DIST=${DIST:-dist}
source scripts/wasm.sh
if [ ! -x node_modules/.bin/esbuild ]; then
  command -v npm >/dev/null || { echo "build: bundling needs Node.js and npm (esbuild, from package-lock.json)" >&2; exit 1; }
  echo "build: npm ci (the bundler, esbuild, pinned in package-lock.json)…"
  npm ci --no-audit --no-fund --silent
fi
VERSION=$(node --input-type=module -e "import { VERSION } from './web/tgwasm/version.js'; console.log(VERSION);")
mkdir -p "$DIST"

# Size budget of the wasm (bytes): raw, and its transfer size. The lean
# module (no gotd tg, mtproto or transport) is 7.2 MB, 1.83 MB gzip,
# 1.36 MB brotli; scripts/size.sh says what links.
BUDGET_RAW=${BUDGET_RAW:-7300000}
BUDGET_GZIP=${BUDGET_GZIP:-1900000}
BUDGET_BROTLI=${BUDGET_BROTLI:-1400000}

echo "build: compiling the wasm (GOOS=js GOARCH=wasm)…"
wasm_build "$DIST/tgwasm.wasm.tmp" ./wasm
mv "$DIST/tgwasm.wasm.tmp" "$DIST/tgwasm.wasm"

WASM_EXEC="$(go env GOROOT)/lib/wasm/wasm_exec.js"
# The wasm's size goes into the modules, for download progress: a
# compressed response does not tell it.
RAW=$(stat -c %s "$DIST/tgwasm.wasm")
rm -rf "$DIST"/*.js "$DIST"/*.js.map "$DIST"/*.js.gz "$DIST"/*.js.br "$DIST"/*.d.ts "$DIST/types"
# The package still ships wasm_exec.js (its exports name it); the modules
# carry their own copy.
cp "$WASM_EXEC" "$DIST/wasm_exec.js"
node scripts/bundle.mjs "$DIST" "$WASM_EXEC" "$RAW"
# The package's modules (one per entry point), then everything else it
# and the demo ship; a missing file fails the build.
MODULES=(tgwasm.js worker.js shared-worker.js gramjs.js)
DEMO=(demo.js demo.css)
for f in web/demo/demo.css web/demo/favicon.svg index.html; do
  [ -f "$f" ] || { echo "build: $f is missing" >&2; exit 1; }
  cp "$f" "$DIST/"
done
# The declarations keep web/'s layout under types/: they import each other
# (the shim's import the library's) by relative paths.
for f in web/tgwasm/*.d.ts web/gramjs/*.d.ts; do
  mkdir -p "$DIST/types/$(basename "$(dirname "$f")")"
  cp "$f" "$DIST/types/$(basename "$(dirname "$f")")/"
done
for f in "${MODULES[@]}" "${MODULES[@]/%/.map}" demo.js demo.js.map; do
  [ -f "$DIST/$f" ] || { echo "build: the bundler did not write $DIST/$f" >&2; exit 1; }
done

# The build's id: a digest of everything it serves. The demo page loads its
# files under /v/<id>/, which cmd/devserver serves as immutable (a repeat
# visit fetches nothing but the page); a new build gets new URLs.
BUILD_ID=$( (cd "$DIST" && sha256sum tgwasm.wasm wasm_exec.js ./*.js ./*.css ./*.svg | sha256sum) | cut -c1-12)
echo "$BUILD_ID" > "$DIST/BUILD_ID"
sed -i "s/__BUILD__/$BUILD_ID/g" "$DIST/index.html"
grep -q "__BUILD__" "$DIST/index.html" && { echo "build: index.html still names __BUILD__" >&2; exit 1; }

cat > "$DIST/package.json" <<EOF
{
  "name": "tgwasm",
  "version": "$VERSION",
  "description": "Telegram's MTProto API in the browser: Go compiled to WebAssembly",
  "type": "module",
  "main": "./tgwasm.js",
  "types": "./types/tgwasm/tgwasm.d.ts",
  "exports": {
    ".": { "types": "./types/tgwasm/tgwasm.d.ts", "default": "./tgwasm.js" },
    "./gramjs": { "types": "./types/gramjs/gramjs.d.ts", "default": "./gramjs.js" },
    "./tgwasm.wasm": "./tgwasm.wasm",
    "./wasm_exec.js": "./wasm_exec.js",
    "./package.json": "./package.json"
  },
  "files": [$(printf '"%s", ' "${MODULES[@]}" "${MODULES[@]/%/.map}")"wasm_exec.js", "types", "tgwasm.wasm", "tgwasm.wasm.gz", "tgwasm.wasm.br"],
  "sideEffects": false,
  "license": "MIT"
}
EOF

# Precompressed copies for servers that negotiate Content-Encoding.
compress() {
  local f=$1
  gzip -9 -n -k -f "$f" &
  if command -v brotli >/dev/null; then
    if [ -n "${TGWASM_FAST:-}" ]; then brotli -q 5 -k -f "$f"; else brotli -q 11 -k -f "$f"; fi
  else
    go run ./internal/tools/precompress "$f" >/dev/null
  fi
  wait
}
echo "build: compressing…"
compress "$DIST/tgwasm.wasm"
for f in "${MODULES[@]}" wasm_exec.js "${DEMO[@]}" index.html; do
  gzip -9 -n -k -f "$DIST/$f"
  if command -v brotli >/dev/null; then brotli -q 11 -k -f "$DIST/$f"; fi
done

size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }
GZ=$(size "$DIST/tgwasm.wasm.gz"); BR=$(size "$DIST/tgwasm.wasm.br")
printf 'build: %-14s raw %s (%d)  gzip %s (%d)  brotli %s (%d)\n' tgwasm.wasm "$(mb "$RAW")" "$RAW" "$(mb "$GZ")" "$GZ" "$(mb "$BR")" "$BR"
over=0
if [ "$RAW" -gt "$BUDGET_RAW" ]; then
  echo "build: FAIL: the wasm's $RAW bytes exceed the budget of $BUDGET_RAW" >&2; over=1
fi
if [ "$GZ" -gt "$BUDGET_GZIP" ]; then
  echo "build: FAIL: gzip size $GZ exceeds the budget of $BUDGET_GZIP bytes" >&2; over=1
fi
if [ -n "${TGWASM_FAST:-}" ]; then
  echo "build: (fast brotli: the brotli budget of $BUDGET_BROTLI bytes is checked by full builds)"
elif [ "$BR" -gt "$BUDGET_BROTLI" ]; then
  echo "build: FAIL: brotli size $BR exceeds the budget of $BUDGET_BROTLI bytes" >&2; over=1
fi
[ "$over" -eq 0 ] || { echo "build: see what links with scripts/size.sh" >&2; exit 1; }
echo "build: $DIST/ ready (tgwasm $VERSION, build $BUILD_ID; budget raw $(mb "$BUDGET_RAW"), gzip $(mb "$BUDGET_GZIP"), brotli $(mb "$BUDGET_BROTLI"))"
