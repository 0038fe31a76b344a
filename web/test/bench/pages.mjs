// The pages the benchmarks open (compare.run.mjs, engines.run.mjs):
// tgwasm's as a user's page (one module script that imports tgwasm.js, no
// hints; and with the demo page's hints), and GramJS 2.26.21's browser
// build (the `telegram` package's own release does not run in a browser),
// bundled with esbuild, both against the local DC of a started dev
// server. Each page reports window.__result = { scriptRuns, created,
// sentCode, progress? } in ms from navigation, says so on the console
// ("bench: done") and keeps its client in window.__client = { call(i),
// stats() }.
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { API, dist, root } from '../helpers/paths.mjs';
import { log } from '../helpers/figures.mjs';

const bench = join(dist, 'bench');

/** Writes a file with gzip and brotli copies beside it (what the dev server serves). */
function publish(name, text) {
  const path = join(bench, name);
  writeFileSync(path, text);
  writeFileSync(`${path}.gz`, gzipSync(text, { level: 9 }));
  writeFileSync(`${path}.br`, brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  const t = statSync(path).mtime;
  for (const ext of ['.gz', '.br']) utimesSync(`${path}${ext}`, t, t);
}

/**
 * Writes the pages into dist/bench for the dev server at server.url and
 * returns { pageURL(contender), sizes, before }. Contenders: worker,
 * thread, gramjs, worker-hinted, the '-kept' variants (the session kept:
 * tgwasm in IndexedDB, GramJS in localStorage), of which worker-kept,
 * thread-kept and gramjs-kept, and worker-before (the module before the
 * lean one, when dist/bench/before holds it: before is true).
 */
export async function benchPages(server) {
  const build = readFileSync(join(dist, 'BUILD_ID'), 'utf8').trim();
  mkdirSync(bench, { recursive: true });

  // ------------------------------------------------------------ GramJS
  log('bundling GramJS 2.26.21 (browser build) with esbuild…');
  const esbuild = await import('esbuild');
  writeFileSync(join(bench, 'gramjs-entry.js'), `export { TelegramClient, Api, sessions } from 'gramjs-browser';
export { _serverKeys } from 'gramjs-browser/crypto/RSA';
export { default as bigInt } from 'big-integer';
`);
  await esbuild.build({
    entryPoints: [join(bench, 'gramjs-entry.js')], bundle: true, minify: true, format: 'esm', platform: 'browser',
    outfile: join(bench, 'gramjs.bundle.js'), absWorkingDir: root, logLevel: 'warning',
  });

  publish('gramjs.bundle.js', readFileSync(join(bench, 'gramjs.bundle.js')));

  const config = await (await fetch(`${server.url}testdc/config`)).json();
  const port = new URL(config.url).port;

  // GramJS trusts a DC key it knows by its fingerprint (Telegram's: the low
  // 64 bits of SHA-1 over the TL-serialized modulus and exponent), and dials
  // ws://<address>:80/apiws with the DC left out of its header: the page
  // points it at the local DC.
  const jwk = createPublicKey(config.publicKeys[0]).export({ format: 'jwk' });
  const n = Buffer.from(jwk.n, 'base64url');
  const e = Buffer.from(jwk.e, 'base64url');
  const tlBytes = (b) => {
    const head = b.length < 254 ? Buffer.from([b.length]) : Buffer.from([254, b.length & 255, (b.length >> 8) & 255, b.length >> 16]);
    const out = Buffer.concat([head, b]);
    return Buffer.concat([out, Buffer.alloc((4 - (out.length % 4)) % 4)]);
  };
  const fingerprint = createHash('sha1').update(Buffer.concat([tlBytes(n), tlBytes(e)])).digest().readBigInt64LE(12);

  // ------------------------------------------------------------ pages
  // Each page reports window.__result = { sentCode, progress? } in ms from
  // navigation, and says so on the console (waiting for it from here must
  // not run script in the page while it is measured), and keeps its client
  // in window.__client.
  const v = `/v/${build}`;
  // tgwasm keeps its session where the page says: nowhere (a new key each
  // visit), in IndexedDB, or in localStorage; GramJS in localStorage
  // (StoreSession) or nowhere. A user's page: one module script, which
  // imports tgwasm.js, and no hints.
  const tgwasmPage = (from) => `const scriptRuns = performance.now();
import { createClient } from '${from}';
const q = new URLSearchParams(location.search);
const worker = q.get('worker') !== '0';
const r = { scriptRuns };
const onProgress = () => { if (r.progress === undefined) r.progress = performance.now(); };
const client = await createClient({ ...${JSON.stringify(API)}, server: ${JSON.stringify(config)}, worker, storage: q.get('storage') || 'memory', onProgress });
r.created = performance.now();
const sent = await client.sendChangePhoneCode({ phoneNumber: '+15551234501' });
r.sentCode = performance.now();
r.className = sent.className;
globalThis.__client = { call: (i) => client.sendChangePhoneCode({ phoneNumber: '+1555' + String(100000 + (i % 100000)).slice(1) + '01' }), stats: () => client._stats() };
globalThis.__result = r;
console.log('bench: done');
`;
  publish('tgwasm-page.js', tgwasmPage('../tgwasm.js'));
  // The module before the lean one (scripts/bench.sh builds it from its
  // commit into dist/bench/before, its own JavaScript beside it): the
  // same page, for the before/after columns.
  const before = existsSync(join(bench, 'before', 'tgwasm.js'));
  if (before) {
    publish('tgwasm-before-page.js', tgwasmPage('./before/tgwasm.js'));
    writeFileSync(join(bench, 'tgwasm-before.html'), `<!doctype html><meta charset="utf-8"><title>tgwasm bench (before)</title>
<script type="module" src="${v}/bench/tgwasm-before-page.js"></script>
`);
  }
  writeFileSync(join(bench, 'tgwasm.html'), `<!doctype html><meta charset="utf-8"><title>tgwasm bench</title>
<script type="module" src="${v}/bench/tgwasm-page.js"></script>
`);
  // The same page with the demo page's hints, whatever they are now.
  const hints = [...readFileSync(join(dist, 'index.html'), 'utf8').matchAll(/<link rel="(?:preload|prefetch|modulepreload)"[^>]*>/g)]
    .map((m) => m[0].replaceAll('href="v/', 'href="/v/'));
  if (!hints.some((h) => h.includes('tgwasm.wasm'))) throw new Error(`bench: dist/index.html has no hint for the wasm (${hints.join(' ') || 'none'})`);
  writeFileSync(join(bench, 'tgwasm-hinted.html'), `<!doctype html><meta charset="utf-8"><title>tgwasm bench (the demo's hints)</title>
${hints.join('\n')}
<script type="module" src="${v}/bench/tgwasm-page.js"></script>
`);
  publish('ws-redirect.js', `const Real = globalThis.WebSocket;
globalThis.WebSocket = class extends Real {
  constructor(url, protocols) { super(String(url).replace(/^wss?:\\/\\/[^/]+\\/apiws/, 'ws://127.0.0.1:${port}/apiws?dc=2'), protocols); }
};
`);
  publish('gramjs-page.js', `import './ws-redirect.js';
const scriptRuns = performance.now();
import { TelegramClient, Api, sessions, _serverKeys, bigInt } from './gramjs.bundle.js';
_serverKeys.set('${fingerprint}', { n: bigInt('${BigInt(`0x${n.toString('hex')}`)}'), e: ${BigInt(`0x${e.toString('hex')}`)} });
const kept = new URLSearchParams(location.search).get('session') === 'store';
const client = new TelegramClient(kept ? new sessions.StoreSession('bench') : new sessions.StringSession(''), ${API.apiId}, '${API.apiHash}', { connectionRetries: 1, useWSS: false });
client.setLogLevel('error');
await client.connect();
const created = performance.now();
const request = (phoneNumber) => client.invoke(new Api.account.SendChangePhoneCode({ phoneNumber, settings: new Api.CodeSettings({}) }));
const sent = await request('+15551234501');
globalThis.__client = { call: (i) => request('+1555' + String(100000 + (i % 100000)).slice(1) + '01'), stats: async () => ({}) };
globalThis.__result = { scriptRuns, created, sentCode: performance.now(), className: sent.className };
console.log('bench: done');
`);
  writeFileSync(join(bench, 'gramjs.html'), `<!doctype html><meta charset="utf-8"><title>GramJS bench</title>
<script type="module" src="${v}/bench/gramjs-page.js"></script>
`);
  // The pages of each contender. A first visit is a new browser profile;
  // the repeat visit, the same profile again. 'new key': the session is
  // not kept, a new auth key is made on every visit; 'kept': tgwasm in
  // IndexedDB, GramJS in localStorage (StoreSession), so a repeat visit
  // makes none.
  const PAGES = {
    worker: 'tgwasm.html',
    thread: 'tgwasm.html?worker=0',
    gramjs: 'gramjs.html',
    'worker-hinted': 'tgwasm-hinted.html',
    'worker-kept': 'tgwasm.html?storage=indexedDB',
    'thread-kept': 'tgwasm.html?worker=0&storage=indexedDB',
    'gramjs-kept': 'gramjs.html?session=store',
    'worker-before': 'tgwasm-before.html',
  };
  const pageURL = (c) => `${server.url}bench/${PAGES[c]}`;

  const compressed = (files) => ({
    gzip: files.reduce((sum, f) => sum + statSync(`${f}.gz`).size, 0),
    brotli: files.reduce((sum, f) => sum + statSync(`${f}.br`).size, 0),
  });
  const raw = (f) => statSync(f).size;
  const sizes = {
    tgwasm: compressed(['tgwasm.wasm', 'tgwasm.js', 'worker.js'].map((f) => join(dist, f))),
    wasm: { raw: raw(join(dist, 'tgwasm.wasm')), ...compressed([join(dist, 'tgwasm.wasm')]) },
    gramjs: compressed([join(bench, 'gramjs.bundle.js')]),
  };
  if (before) {
    const b = join(bench, 'before');
    sizes.before = compressed(['tgwasm.wasm', 'tgwasm.js', 'worker.js'].map((f) => join(b, f)));
    sizes.beforeWasm = { raw: raw(join(b, 'tgwasm.wasm')), ...compressed([join(b, 'tgwasm.wasm')]) };
  }
  return { pageURL, sizes, config, before };
}
