#!/usr/bin/env bash
# Runs every test: Go (native, with the race detector), Go under Node
# (GOOS=js GOARCH=wasm), the Node tests of dist/, the browser end-to-end
# tests in headless Chromium, the cross-engine set in Firefox and WebKit,
# and the package in apps built by Vite, webpack, Parcel and esbuild.
# Installs what it needs first: Debian's chromium, firefox-esr,
# webkit2gtk-driver, xvfb and brotli (apt) and the npm packages (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

# ------------------------------------------------------------ tools
for tool in go node npm git; do
  command -v "$tool" >/dev/null || { echo "test.sh needs $tool on PATH" >&2; exit 1; }
done
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v brotli >/dev/null || need_apt+=(brotli)
# Firefox and WebKit for the cross-engine set (web/test/cross.e2e.mjs):
# firefox-esr, driven over WebDriver BiDi; WebKitGTK's MiniBrowser through
# WebKitWebDriver, under Xvfb.
[ -x /usr/bin/firefox-esr ] || need_apt+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || need_apt+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || need_apt+=(xvfb)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "installing ${need_apt[*]} (apt)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

# ------------------------------------------------------------ Go, native
step "gofmt, go vet and staticcheck (native and js/wasm)"
unformatted=$(git ls-files '*.go' | xargs gofmt -l)
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted"; exit 1; fi
go vet ./...
GOOS=js GOARCH=wasm go vet ./wasm ./internal/bridge ./internal/client/... ./internal/transport ./internal/session ./internal/kex
# staticcheck is pinned in go.mod (a tool directive); built once for this
# machine and run on both platforms' file sets.
staticcheck=$(go tool -n staticcheck)
"$staticcheck" ./...
GOOS=js GOARCH=wasm "$staticcheck" ./wasm ./internal/bridge ./internal/client/... ./internal/transport ./internal/session ./internal/kex

step "go test -race ./... (native)"
go test -race -count=1 ./...

# ------------------------------------------------------------ Go, wasm under Node
step "GOOS=js GOARCH=wasm go test (Node)"
GOOS=js GOARCH=wasm go test -count=1 -exec "$(go env GOROOT)/lib/wasm/go_js_wasm_exec" \
  ./internal/bridge ./internal/kex ./internal/client/mtconn
GOOS=js GOARCH=wasm go test -count=1 -exec "$(go env GOROOT)/lib/wasm/go_js_wasm_exec" -run TestDialWS ./internal/transport

# ------------------------------------------------------------ short fuzz runs
step "fuzzing (short)"
for target in FuzzParseSendCodeParams:./internal/bridge FuzzHandle:./internal/client/mtconn; do
  name=${target%%:*}; pkg=${target#*:}
  # A renamed or deleted target fails here rather than being skipped.
  listed=$(go test -list "^$name\$" "$pkg")
  if ! grep -qx "$name" <<<"$listed"; then
    echo "fuzz target $name is missing from $pkg" >&2; exit 1
  fi
  go test -run '^$' -fuzz "^$name\$" -fuzztime "${FUZZTIME:-10s}" "$pkg"
done

# ------------------------------------------------------------ dist and JS
step "scripts/build.sh"
TGWASM_FAST=${TGWASM_FAST:-1} scripts/build.sh

step "npm run typecheck; npm pack dist/: install, import and type-check a consumer"
npm run --silent typecheck
pack=$(mktemp -d)
(cd dist && npm pack --silent --pack-destination "$pack" >/dev/null)
tarball=$(echo "$pack"/tgwasm-*.tgz)
bash web/test/package.sh "$tarball"

bin=$(mktemp -d)
go build -o "$bin/testdc" ./cmd/testdc
go build -o "$bin/devserver" ./cmd/devserver
export TGWASM_TESTDC=$bin/testdc TGWASM_DEVSERVER=$bin/devserver

step "node --test (web/test/*.test.mjs)"
NODE_OPTIONS=--experimental-websocket node --test web/test/*.test.mjs

step "Node smoke test of dist/ against cmd/testdc"
node --experimental-websocket web/test/smoke.mjs

step "browser end-to-end tests (headless Chromium)"
node web/test/e2e.mjs

step "the cross-engine set in Firefox and WebKit"
node web/test/cross.e2e.mjs

step "the package in an app, built by Vite, webpack 5, Parcel 2 and esbuild (Chromium)"
node web/test/bundlers.e2e.mjs "$tarball"

step "all tests passed in $(( $(date +%s) - started )) s"
