#!/usr/bin/env bash
# Fuzzes the parsers that read what others send: a call's params from the
# page (internal/bridge) and the DC's messages (internal/client/mtconn).
# Their seed corpora (testdata/fuzz) run in every `go test`; this explores
# beyond them, FUZZTIME per target (default 1m), and saves what fails into
# testdata/fuzz for `go test` to replay.
#   scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for target in FuzzParseSendCodeParams:./internal/bridge FuzzHandle:./internal/client/mtconn; do
  name=${target%%:*}; pkg=${target#*:}
  # A renamed or deleted target fails here rather than being skipped.
  listed=$(go test -list "^$name\$" "$pkg")
  grep -qx "$name" <<<"$listed" || { echo "fuzz target $name is missing from $pkg" >&2; exit 1; }
  go test -run '^$' -fuzz "^$name\$" -fuzztime "${FUZZTIME:-1m}" "$pkg"
done
