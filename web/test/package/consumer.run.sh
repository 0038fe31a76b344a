#!/usr/bin/env bash
# Installs the packed package (npm pack of dist/; packed here unless a
# tarball is given) into an empty project, imports it in Node, where an
# import must have no side effect (server-side rendering imports it), and
# type-checks a consumer with tsc.
#   bash web/test/package/consumer.run.sh [tgwasm-*.tgz]
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=${1:-}
if [ -z "$tarball" ]; then
  (cd "$root/dist" && npm pack --silent --pack-destination "$work" >/dev/null)
  tarball=$(echo "$work"/tgwasm-*.tgz)
fi
cd "$work"
echo '{ "name": "consumer", "private": true, "type": "module" }' > package.json
npm install --no-audit --no-fund --silent "$tarball"
node -e "
const before = new Set(Object.getOwnPropertyNames(globalThis));
Promise.all([import('tgwasm'), import('tgwasm/gramjs')]).then(([m, g]) => {
  for (const k of ['createClient','preload','RPCError','FloodWaitError','TimeoutError','ConnectionError','VERSION']) if (!(k in m)) throw new Error('missing export ' + k);
  for (const k of ['Api','TelegramClient','sessions','Buffer','errors','Logger','LogLevel']) if (!(k in g)) throw new Error('missing export of tgwasm/gramjs ' + k);
  const added = Object.getOwnPropertyNames(globalThis).filter((k) => !before.has(k));
  if (added.length) throw new Error('importing tgwasm defined globals: ' + added.join(', '));
  console.log('package: tgwasm', m.VERSION, 'and tgwasm/gramjs import in Node with no side effect');
});"
test -f node_modules/tgwasm/tgwasm.wasm.br
cp "$root/web/test/package/consumer/check.ts" "$root/web/test/package/consumer/gramjs.ts" "$root/web/test/package/consumer/tsconfig.json" .
"$root/node_modules/.bin/tsc" -p tsconfig.json
echo "package: the consumer type-checks"
