#!/usr/bin/env bash
# Every test, as a list of steps; each prints its time, and a table of the
# times ends the run. Installs what it needs first: Debian's chromium,
# firefox-esr, webkit2gtk-driver, xvfb and brotli (apt) and the npm
# packages (npm ci from the committed lock).
#
#   bash scripts/test.sh
#
# The tests by kind (web/test/): unit/*.test.mjs run by node --test;
# browser/chromium.run.mjs runs browser/*.e2e.mjs in Chromium;
# browser/engines.run.mjs the cross-engine set in Firefox and WebKit;
# bundlers/bundlers.run.mjs the package in apps built by Vite, webpack,
# Parcel and esbuild; package/consumer.run.sh installs and type-checks it.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_EXEC="$(go env GOROOT)/lib/wasm/go_js_wasm_exec"
# The packages that build for js/wasm (the rest are native tools and servers).
JS_PKGS=(./wasm ./internal/bridge ./internal/client/... ./internal/transport ./internal/session ./internal/kex)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
times=()
started=$(date +%s)

# step NAME FUNCTION: runs one step, timed.
step() {
  local t0
  t0=$(date +%s)
  printf '\n==> %s\n' "$1"
  "$2"
  local took=$(( $(date +%s) - t0 ))
  times+=("$(printf '%5d s  %s' "$took" "$1")")
  printf '==> %s: %d s\n' "$1" "$took"
}

install() {
  local tool need=()
  for tool in go node npm git; do
    command -v "$tool" >/dev/null || { echo "test.sh needs $tool on PATH" >&2; exit 1; }
  done
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v brotli >/dev/null || need+=(brotli)
  # Firefox (over WebDriver BiDi) and WebKitGTK's MiniBrowser (through
  # WebKitWebDriver, under Xvfb) for the cross-engine set.
  [ -x /usr/bin/firefox-esr ] || need+=(firefox-esr)
  command -v WebKitWebDriver >/dev/null || need+=(webkit2gtk-driver)
  command -v Xvfb >/dev/null || need+=(xvfb)
  if [ ${#need[@]} -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
}

# go vet runs natively inside go_native (go test -vet=all, on the race
# build's compiled packages, packages without tests included): one native
# compile of everything instead of two.
lint() {
  local unformatted staticcheck
  unformatted=$(git ls-files '*.go' | xargs gofmt -l)
  if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted"; exit 1; fi
  GOOS=js GOARCH=wasm go vet "${JS_PKGS[@]}"
  # staticcheck is pinned in go.mod (a tool directive), run on both
  # platforms' file sets. It reads its dependencies' export data from
  # `go list -export`, which compiles them: natively with -race, the very
  # builds go_native's tests link, so that everything is compiled once.
  staticcheck=$(go tool -n staticcheck)
  GOFLAGS="${GOFLAGS:+$GOFLAGS }-race" "$staticcheck" ./...
  GOOS=js GOARCH=wasm "$staticcheck" "${JS_PKGS[@]}"
}

go_native() { go test -race -vet=all -count=1 ./...; }

go_wasm() {
  GOOS=js GOARCH=wasm go test -count=1 -exec "$WASM_EXEC" ./internal/bridge ./internal/kex ./internal/client/mtconn
  GOOS=js GOARCH=wasm go test -count=1 -exec "$WASM_EXEC" -run TestDialWS ./internal/transport
}

build() {
  TGWASM_FAST=${TGWASM_FAST:-1} scripts/build.sh
  # With the race detector, as the native tests were built: the same
  # compiled packages, and the browser tests check the DC for races too.
  go build -race -o "$work/testdc" ./cmd/testdc
  go build -race -o "$work/devserver" ./cmd/devserver
}

package_tests() {
  npm run --silent typecheck
  (cd dist && npm pack --silent --pack-destination "$work" >/dev/null)
  bash web/test/package/consumer.run.sh "$work"/tgwasm-*.tgz
}

unit_tests() { NODE_OPTIONS=--experimental-websocket node --test web/test/unit/*.test.mjs; }
chromium_tests() { node web/test/browser/chromium.run.mjs; }
engine_tests() { node web/test/browser/engines.run.mjs; }
bundler_tests() { node web/test/bundlers/bundlers.run.mjs "$work"/tgwasm-*.tgz; }

export TGWASM_TESTDC=$work/testdc TGWASM_DEVSERVER=$work/devserver
step "install what is missing (apt, npm ci)" install
step "gofmt, staticcheck (native and js/wasm), go vet (js/wasm)" lint
step "go test -race -vet=all ./... (native)" go_native
step "GOOS=js GOARCH=wasm go test (under Node)" go_wasm
step "scripts/build.sh; cmd/testdc and cmd/devserver (-race)" build
step "type-check; npm pack dist/, install it, import it, type-check a consumer" package_tests
step "Node: web/test/unit/*.test.mjs" unit_tests
step "Chromium: web/test/browser/*.e2e.mjs" chromium_tests
step "Firefox and WebKit: the cross-engine set" engine_tests
step "the package in apps built by Vite, webpack 5, Parcel 2 and esbuild" bundler_tests

printf '\n==> all tests passed in %d s\n' "$(( $(date +%s) - started ))"
printf '%s\n' "${times[@]}"
