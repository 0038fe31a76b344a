#!/usr/bin/env bash
# npm pack dist/, install the tarball into an empty project, import it in
# Node and type-check a consumer with tsc.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root/dist" && npm pack --silent --pack-destination "$work" >/dev/null)
cd "$work"
echo '{ "name": "consumer", "private": true, "type": "module" }' > package.json
npm install --no-audit --no-fund --silent ./tgwasm-*.tgz
node -e "import('tgwasm').then((m) => { for (const k of ['createClient','preload','RPCError','FloodWaitError','TimeoutError','ConnectionError','VERSION']) if (!(k in m)) throw new Error('missing export ' + k); console.log('package: tgwasm', m.VERSION, 'imports fine'); })"
node -e "import('tgwasm/gramjs').then((m) => { for (const k of ['Api','TelegramClient','sessions','Buffer','errors']) if (!(k in m)) throw new Error('missing export ' + k); })"
test -f node_modules/tgwasm/tgwasm.wasm.br
cp "$root/web/test/consumer/check.ts" "$root/web/test/consumer/gramjs.ts" "$root/web/test/consumer/tsconfig.json" .
"$root/node_modules/.bin/tsc" -p tsconfig.json
echo "package: the consumer type-checks"
