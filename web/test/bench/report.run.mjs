// Writes docs/PERFORMANCE.md from what the benchmarks left in
// bench-results/ (their tables) and dist/ (the files' sizes): the last step
// of scripts/bench.sh, so that the document always shows one run's
// figures. The prose here says what each table measures and how to read
// it; every figure comes from the run.
//
//   node web/test/bench/report.run.mjs   (after scripts/bench.sh's steps)
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { dist, root } from '../helpers/paths.mjs';

const results = join(root, 'bench-results');
/** A benchmark's table (bench-results/<name>.md) and the date of its run, or null when it did not run. */
function table(name) {
  const md = join(results, `${name}.md`);
  if (!existsSync(md)) return null;
  const json = join(results, `${name}.json`);
  const date = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')).date : statSync(md).mtime.toISOString();
  return { text: readFileSync(md, 'utf8').trim(), date };
}
const missing = (name, how) => `_Not measured in this run (bench-results/${name}.md is missing; ${how})._`;

const kb = (b) => (b >= 1e6 ? `${(b / 1e6).toFixed(2)} MB` : `${Math.round(b / 1024)} KB`);
const size = (f) => (existsSync(join(dist, f)) ? kb(statSync(join(dist, f)).size) : '—');
const FILES = [
  ['tgwasm.wasm', 'the module (Go, compiled to WebAssembly)'],
  ['tgwasm.js', 'the page\'s one module (Go\'s `wasm_exec.js` inside)'],
  ['worker.js', 'the Worker\'s one module (`wasm_exec.js` inside)'],
  ['shared-worker.js', 'the SharedWorker\'s (only in `\'shared\'` mode)'],
  ['gramjs.js', 'the GramJS shim (only if you import `tgwasm/gramjs`; it imports `tgwasm.js`)'],
];
const files = [
  '| file in dist/ | what it is | raw | gzip -9 | brotli -q 11 |',
  '| --- | --- | --- | --- | --- |',
  ...FILES.map(([f, what]) => `| \`${f}\` | ${what} | ${size(f)} | ${size(`${f}.gz`)} | ${size(`${f}.br`)} |`),
].join('\n');

const sections = { startup: table('startup'), compare: table('compare'), engines: table('engines'), recovery: table('recovery'), sizes: table('sizes'), soak: table('soak') };
const dates = Object.values(sections).filter(Boolean).map((s) => s.date.slice(0, 10)).sort();
const when = dates.length ? (dates[0] === dates.at(-1) ? dates[0] : `${dates[0]} to ${dates.at(-1)}`) : 'no run';

const doc = `# Performance

<!-- Written by scripts/bench.sh (web/test/bench/report.run.mjs) from bench-results/: do not edit by hand. -->

\`\`\`sh
bash scripts/bench.sh    # about 40 minutes: builds, starts the local DC, drives Chromium, Firefox and WebKit, writes this page
\`\`\`

The benchmarks write their tables to \`bench-results/*.md\` (every sample
to \`*.json\`), and \`scripts/bench.sh\` exits non-zero when a target is
missed. This page is the run of ${when} on a ${os.cpus().length}-core machine.
Each baseline (GramJS, gotd's own client, the module before the lean one)
is measured in the same run, with the pages alternating: compare columns,
not runs, since machines differ threefold from day to day. No test asserts
a figure; the tests assert behaviour, and the figures are here.

## Sizes

\`scripts/build.sh\` prints the wasm's sizes and fails past its budget;
\`scripts/size.sh\` prints what links, per package.

${files}

The floors, built with the same flags by \`scripts/size.sh -floor\`: a
program that only starts Go and touches \`syscall/js\`, the primitives the
card's packages bring (the nhooyr.io/websocket dialer, gotd's obfuscated2,
framing and MTProto crypto, and the standard library they pull in:
\`net/http\`'s init links a TLS client, gotd's crypto \`crypto/x509\`), our
protocol on top, and the whole module:

${sections.sizes ? sections.sizes.text : missing('sizes', 'scripts/size.sh -floor needs brotli')}

## Beside GramJS: a plain page, a phone's network, a phone's CPU

Both clients talk to the same local DC from the same browser; the dev
server sends the files brotli-compressed, tgwasm's under a versioned URL
with \`Cache-Control: immutable\`, GramJS's bundle with an ETag. The tgwasm
page is a user's page: one module script that imports \`tgwasm.js\` and
calls \`createClient\`, no hints (one row gives the demo page's hints). GramJS
is its browser build (the \`telegram\` 2.26.21 release bundled with esbuild).
A first visit is a new browser profile; a repeat visit, the same profile in
a new browser, with a new auth key; "kept" keeps the session (tgwasm in
IndexedDB, GramJS's \`StoreSession\`), so no key exchange. "Before the lean
module" is the module of commit 4b65f33 (gotd's \`mtproto\` and \`tg\`),
built from that commit by \`scripts/bench.sh\`. Three profiles:

- **loopback**;
- **mobile, CDP**: Lighthouse's (1.6 Mbps down, 750 kbps up, 150 ms
  latency, CPU slowed 4×). CDP slows a page's main thread only, so in
  Worker mode the wasm runs at full speed there;
- **phone**: the same network, and the whole browser — every process and
  thread, workers included — in a CPU cgroup of half a core, CDP's CPU rate
  left at 1 (root only; skipped with a message elsewhere).

${sections.compare ? sections.compare.text : missing('compare', 'web/test/bench/compare.run.mjs')}

How to read it:

- **A first visit on a slow network is the download**: the wasm's brotli
  bytes at 1.6 Mbps against GramJS's 172 KB. Each entry point is one
  module, the worker's first act is to request the wasm, and in thread
  mode the request leaves at import.
- **After the download**, and on every repeat visit, the time goes to V8
  compiling the module and Go's start (the timeline table): both follow
  the module's bytes and the functions it must compile, which is why the
  lean module (gotd's primitives under a session layer of our own, TL types
  generated for the methods we call) starts faster than the one before it.
- **The main thread**: in Worker mode it is almost never blocked; thread
  mode blocks it about as long as GramJS does.

## In every engine

Loopback, HTTP cache warm, GramJS in the same browser and run; the second
table says where a new page's time goes in Worker mode.

${sections.engines ? sections.engines.text : missing('engines', 'web/test/bench/engines.run.mjs')}

## The module's own figures (loopback)

${sections.startup ? sections.startup.text : missing('startup', 'web/test/bench/startup.run.mjs')}

- The key exchange is our own (\`internal/kex\`): every check of the
  protocol, Telegram's \`dh_prime\` recognised instead of Miller-Rabin-tested
  (any other prime is tested once and remembered), \`pq\` factored with a
  64-bit Pollard–Brent, and the two 2048-bit exponentiations done by the JS
  engine's BigInt, the first one started while the socket opens. The
  baseline is gotd's exchange in the same browser.
- "Cached wasm" is the module compiled once per page (a second client, or a
  reconnecting one); "a new page" pays for compiling the module and Go's
  start first.

## Recovery

On the local DC's total blackhole (below the WebSocket: no answer, no close
frame, no FIN; see [RELIABILITY.md](RELIABILITY.md)), both modes side by
side:

${sections.recovery ? sections.recovery.text : missing('recovery', 'web/test/bench/recovery.run.mjs')}

The silent call: 3 s without a byte from the DC while a call waits, then a
ping whose pong is 3 s late, and the call replayed on a new connection.
The idle link: a \`ping_delay_disconnect\` every 15 s; when one goes
unanswered (25 s) the link is abandoned and a new one made, so a call made
20 s into the silence waits for that moment, and one made 40 s in finds
the new link ready. The old socket is never waited for: a dead NAT never
completes a closing handshake.

## Soak

\`bash scripts/soak.sh\`: 10,000 calls, 8 at a time, while the DC drops
every 100th request's socket.

${sections.soak ? sections.soak.text : missing('soak', 'run scripts/soak.sh')}
`;

writeFileSync(join(root, 'docs', 'PERFORMANCE.md'), doc);
console.log(`bench: wrote docs/PERFORMANCE.md (the run of ${when})`);
