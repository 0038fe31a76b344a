# How the wasm is built: the one place of its flags. scripts/build.sh,
# scripts/bench.sh and scripts/size.sh source this file.
#
#   wasm_build OUT PACKAGE [go build flags…]   GOOS=js GOARCH=wasm go build
#                                              with these flags and -s -w
#   wasm_build_named OUT PACKAGE               the same, keeping the name
#                                              section (scripts/size.sh)

# No inlining in code that is either cold in a browser or generated: gotd
# (and our code on top of it; its hot paths are math/big and crypto, which
# stay inlined), and the certificate-parsing code that gotd's crypto links
# through crypto/x509 but a browser client never runs (P-256/P-384 field
# arithmetic, ECDSA, Ed25519, ML-KEM). Inlining there multiplies code for
# no measurable speed; together this is 7% of the compressed wasm. Print
# what links with: scripts/size.sh
WASM_GCFLAGS=(
  -gcflags=github.com/...=-l
  -gcflags=crypto/internal/fips140/nistec/...=-l
  -gcflags=crypto/internal/fips140/ecdsa=-l
  -gcflags=crypto/internal/fips140/ecdh=-l
  -gcflags=crypto/internal/fips140/edwards25519/...=-l
  -gcflags=crypto/internal/fips140/mlkem=-l
  -gcflags=crypto/internal/fips140/bigmod=-l
  -gcflags=crypto/x509=-l
  -gcflags=encoding/asn1=-l
  -gcflags=mime/...=-l
)

wasm_build() {
  local out=$1 pkg=$2
  shift 2
  GOOS=js GOARCH=wasm go build -trimpath "${WASM_GCFLAGS[@]}" -ldflags="-s -w" "$@" -o "$out" "$pkg"
}

wasm_build_named() {
  GOOS=js GOARCH=wasm go build -trimpath "${WASM_GCFLAGS[@]}" -o "$1" "$2"
}
