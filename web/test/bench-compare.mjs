// tgwasm beside GramJS, as a user would choose between them: the same
// Chromium, the same local DC, files served compressed with caching
// headers (cmd/devserver), pages alternating, on loopback and on
// Lighthouse's mobile profile (4× CPU slowdown, 1.6 Mbps down, 750 kbps
// up, 150 ms latency). GramJS is its 2.26.21 browser build from npm
// (the `telegram` package's own release does not run in a browser),
// bundled with esbuild.
//
// Run through scripts/bench.sh. Prints the table (README, "Beside
// GramJS") and writes bench-results/compare.{json,md}.
import { createHash, createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { launchBareBrowser, log, median, pct, root, startServer } from './lib.mjs';

const RUNS = { loopback: Number(process.env.BENCH_COMPARE_RUNS || 7), mobile: Number(process.env.BENCH_MOBILE_RUNS || 3) };
const CALLS = Number(process.env.BENCH_COMPARE_CALLS || 2000);
const MOBILE = { cpu: 4, latency: 150, down: 1.6e6 / 8, up: 750e3 / 8 };
const CONTENDERS = ['worker', 'thread', 'gramjs'];
const API = { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb' };

const dist = join(root, 'dist');
const bench = join(dist, 'bench');
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

/** Writes a file with gzip and brotli copies beside it (what the dev server serves). */
function publish(name, text) {
  const path = join(bench, name);
  writeFileSync(path, text);
  writeFileSync(`${path}.gz`, gzipSync(text, { level: 9 }));
  writeFileSync(`${path}.br`, brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  const t = statSync(path).mtime;
  for (const ext of ['.gz', '.br']) utimesSync(`${path}${ext}`, t, t);
}
publish('gramjs.bundle.js', readFileSync(join(bench, 'gramjs.bundle.js')));

const server = await startServer(['-flood-limit', '100000000']);
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
// The package's modules a page loads: the ones the demo page preloads.
const tgModules = [...readFileSync(join(dist, 'index.html'), 'utf8').matchAll(/<link rel="modulepreload" href="v\/[0-9a-f]+\/([^"]+)">/g)]
  .map((m) => m[1]).filter((m) => !m.startsWith('demo'));
if (!tgModules.includes('tgwasm.js') || !tgModules.includes('worker.js')) throw new Error(`bench: dist/index.html preloads ${tgModules.join(', ') || 'no module'}`);
// tgwasm keeps its session where GramJS's StoreSession does (localStorage),
// or in IndexedDB (?storage=indexedDB).
publish('tgwasm-page.js', `import { createClient } from '../tgwasm.js';
const q = new URLSearchParams(location.search);
const worker = q.get('worker') !== '0';
const r = {};
const onProgress = () => { if (r.progress === undefined) r.progress = performance.now(); };
const client = await createClient({ ...${JSON.stringify(API)}, server: ${JSON.stringify(config)}, worker, storage: q.get('storage') || 'localStorage', onProgress });
const sent = await client.sendChangePhoneCode({ phoneNumber: '+15551234501' });
r.sentCode = performance.now();
r.className = sent.className;
globalThis.__client = { call: (i) => client.sendChangePhoneCode({ phoneNumber: '+1555' + String(100000 + (i % 100000)).slice(1) + '01' }), stats: () => client._stats() };
globalThis.__result = r;
console.log('bench: done');
`);
// The wasm's link as docs/API.md recommends (BENCH_WASM_LINK=preload|none
// for the alternatives).
const WASM_LINK = {
  prefetch: `<link rel="prefetch" href="${v}/tgwasm.wasm">`,
  preload: `<link rel="preload" href="${v}/tgwasm.wasm" as="fetch" type="application/wasm" crossorigin>`,
  none: '',
}[process.env.BENCH_WASM_LINK || 'prefetch'];
writeFileSync(join(bench, 'tgwasm.html'), `<!doctype html><meta charset="utf-8"><title>tgwasm bench</title>
${WASM_LINK}
${tgModules.map((m) => `<link rel="modulepreload" href="${v}/${m}">`).join('\n')}
<script type="module" src="${v}/bench/tgwasm-page.js"></script>
`);
publish('ws-redirect.js', `const Real = globalThis.WebSocket;
globalThis.WebSocket = class extends Real {
  constructor(url, protocols) { super(String(url).replace(/^wss?:\\/\\/[^/]+\\/apiws/, 'ws://127.0.0.1:${port}/apiws?dc=2'), protocols); }
};
`);
publish('gramjs-page.js', `import './ws-redirect.js';
import { TelegramClient, Api, sessions, _serverKeys, bigInt } from './gramjs.bundle.js';
_serverKeys.set('${fingerprint}', { n: bigInt('${BigInt(`0x${n.toString('hex')}`)}'), e: ${BigInt(`0x${e.toString('hex')}`)} });
const client = new TelegramClient(new sessions.StoreSession('bench'), ${API.apiId}, '${API.apiHash}', { connectionRetries: 1, useWSS: false });
client.setLogLevel('error');
await client.connect();
const request = (phoneNumber) => client.invoke(new Api.account.SendChangePhoneCode({ phoneNumber, settings: new Api.CodeSettings({}) }));
const sent = await request('+15551234501');
globalThis.__client = { call: (i) => request('+1555' + String(100000 + (i % 100000)).slice(1) + '01'), stats: async () => ({}) };
globalThis.__result = { sentCode: performance.now(), className: sent.className };
console.log('bench: done');
`);
writeFileSync(join(bench, 'gramjs.html'), `<!doctype html><meta charset="utf-8"><title>GramJS bench</title>
<link rel="modulepreload" href="${v}/bench/gramjs.bundle.js">
<script type="module" src="${v}/bench/gramjs-page.js"></script>
`);
const pageURL = (c) => `${server.url}bench/${{
  gramjs: 'gramjs.html', worker: 'tgwasm.html', thread: 'tgwasm.html?worker=0', 'worker-idb': 'tgwasm.html?storage=indexedDB',
}[c]}`;

// ------------------------------------------------------------ sizes
const compressed = (files) => ({
  gzip: files.reduce((s, f) => s + statSync(`${f}.gz`).size, 0),
  brotli: files.reduce((s, f) => s + statSync(`${f}.br`).size, 0),
});
const sizes = {
  tgwasm: compressed(['tgwasm.wasm', 'wasm_exec.js', ...tgModules].map((f) => join(dist, f))),
  wasm: compressed([join(dist, 'tgwasm.wasm')]),
  gramjs: compressed([join(bench, 'gramjs.bundle.js')]),
};

// ------------------------------------------------------------ a visit
/**
 * Counts the wasm's bytes on the wire in the page and in its workers
 * (their requests are not the page's: each worker is attached to, and
 * held at its start until its Network domain is on).
 */
async function wasmOnWire(cdp) {
  const wire = { requests: 0, bytes: 0 };
  const wasm = new Set();
  const seen = (session, method, params) => {
    const id = `${session}/${params.requestId}`;
    if (method === 'Network.requestWillBeSent' && params.request.url.endsWith('.wasm')) wasm.add(id);
    if (method === 'Network.loadingFinished' && wasm.has(id)) {
      wire.requests++;
      wire.bytes += params.encodedDataLength;
    }
  };
  for (const m of ['Network.requestWillBeSent', 'Network.loadingFinished']) cdp.on(m, (params) => seen('page', m, params));
  cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const m = JSON.parse(message);
    if (m.method) seen(sessionId, m.method, m.params);
  });
  let id = 0;
  cdp.on('Target.attachedToTarget', async ({ sessionId, waitingForDebugger }) => {
    const send = (method) => cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: ++id, method, params: {} }) });
    await send('Network.enable');
    if (waitingForDebugger) await send('Runtime.runIfWaitingForDebugger');
  });
  await cdp.send('Network.enable');
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  return wire;
}

/**
 * Opens one page of contender c in a browser on profile dir, under the
 * profile's network and CPU, and waits for its first SentCode. Returns the
 * figures, and the browser and page for more.
 */
async function visit(c, dir, mobile, { trace = false } = {}) {
  const browser = await launchBareBrowser({ userDataDir: dir });
  let tracing = null;
  if (trace) {
    // Whether V8 used its code cache for the wasm (Blink's trace event).
    const tcdp = await browser.bareBrowser.newBrowserCDPSession();
    const names = new Set();
    tcdp.on('Tracing.dataCollected', (ev) => { for (const x of ev.value) names.add(x.name); });
    await tcdp.send('Tracing.start', { traceConfig: { includedCategories: ['disabled-by-default-devtools.timeline'] }, transferMode: 'ReportEvents' });
    tracing = async () => {
      const done = new Promise((res) => tcdp.once('Tracing.tracingComplete', res));
      await tcdp.send('Tracing.end');
      await done;
      return names.has('v8.wasm.moduleCacheHit');
    };
  }
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  const wire = await wasmOnWire(cdp);
  if (mobile) {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: MOBILE.latency, downloadThroughput: MOBILE.down, uploadThroughput: MOBILE.up });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: MOBILE.cpu });
  }
  await page.addInitScript(() => {
    globalThis.__longTasks = [];
    new PerformanceObserver((list) => { for (const t of list.getEntries()) globalThis.__longTasks.push([t.startTime, t.duration]); })
      .observe({ type: 'longtask', buffered: true });
  });
  const done = page.waitForEvent('console', { predicate: (m) => m.text() === 'bench: done', timeout: 0 });
  await page.goto(pageURL(c));
  await done;
  const r = await page.evaluate(() => {
    const res = globalThis.__result;
    const tasks = globalThis.__longTasks.filter(([start]) => start <= res.sentCode);
    const wasm = performance.getEntriesByType('resource').find((x) => x.name.endsWith('.wasm'));
    return {
      ...res,
      longest: Math.max(0, ...tasks.map(([, d]) => d)),
      blocking: tasks.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0),
      wasmBytes: wasm ? wasm.transferSize : null,
      wasmDone: wasm ? wasm.responseEnd : null,
      wasmDownload: wasm ? wasm.responseEnd - wasm.startTime : null,
    };
  });
  r.wasmWire = wire.bytes;
  r.wasmRequests = wire.requests;
  // How long the wasm took from its response to a compiled module (tgwasm's
  // diagnostics), now that the measured part is over.
  const load = (await page.evaluate(() => globalThis.__client.stats())).wasmLoad;
  r.compileMs = load ? load.compileMs : null;
  if (mobile) await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  if (tracing) r.codeCacheHit = await tracing();
  return { r, browser, page, cdp };
}

/** Renderer memory (PSS, MB) of a browser that shows one page. */
async function rendererPSS(browser) {
  const cdp = await browser.bareBrowser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  let kb = 0;
  for (const p of processInfo.filter((x) => x.type === 'renderer')) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p.id}/smaps_rollup`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch { /* gone */ }
  }
  return kb / 1024;
}

// Also measured on the mobile profile: Worker mode with the session in
// IndexedDB rather than localStorage.
const RUN = { loopback: CONTENDERS, mobile: [...CONTENDERS, 'worker-idb'] };
const results = { browser: null, sizes, link: process.env.BENCH_WASM_LINK || 'prefetch', loopback: {}, mobile: {} };
for (const p of ['loopback', 'mobile']) for (const c of RUN[p]) results[p][c] = { first: [], repeat: [], warm: null, memory: null };

try {
  for (const profile of ['loopback', 'mobile']) {
    const mobile = profile === 'mobile';
    for (let i = 0; i < RUNS[profile]; i++) {
      for (const c of RUN[profile]) {
        log(`${profile} ${c}: first and repeat visit ${i + 1}/${RUNS[profile]}…`);
        const dir = mkdtempSync(join(os.tmpdir(), 'tgwasm-bench-'));
        // First visit: a new profile.
        let { r, browser, page } = await visit(c, dir, mobile);
        results[profile][c].first.push(r);
        if (!results.browser) results.browser = (await (await page.context().newCDPSession(page)).send('Browser.getVersion')).product;
        if (!mobile && i === 0) {
          // Warm calls and memory, loopback only, on the first run.
          const warm = await page.evaluate(async (calls) => {
            for (let k = 0; k < 100; k++) await globalThis.__client.call(k);
            const lat = [];
            const t0 = performance.now();
            for (let k = 0; k < calls; k++) {
              const t = performance.now();
              await globalThis.__client.call(k);
              lat.push(performance.now() - t);
            }
            return { lat, perSecond: calls / ((performance.now() - t0) / 1000) };
          }, CALLS);
          results[profile][c].warm = { p50: pct(warm.lat, 0.5), p99: pct(warm.lat, 0.99), perSecond: warm.perSecond };
          await page.evaluate(() => new Promise((res) => setTimeout(res, 1000)));
          results[profile][c].memory = await rendererPSS(browser);
        }
        await browser.close();
        // Repeat visit: the same profile, a new browser.
        ({ r, browser } = await visit(c, dir, mobile));
        results[profile][c].repeat.push(r);
        await browser.close();
      }
    }
  }

  // ---------------------------------------------------------- code cache
  // V8 writes its code cache for a wasm module only once dynamic tiering
  // has made enough optimized code (and two seconds passed without more):
  // a visit of a few calls never gets there, so the repeat visits above
  // compile the module again. Measured here: repeat visits (mobile,
  // Worker) after a first visit that made many calls, with the trace
  // saying whether V8 used the cache.
  log('code cache: a long first visit, then repeat visits…');
  results.codeCache = {};
  for (const long of ['thread', 'worker']) {
    const dir = mkdtempSync(join(os.tmpdir(), 'tgwasm-bench-'));
    const { browser, page } = await visit(long, dir, false);
    await page.evaluate(async () => { for (let k = 0; k < 3000; k++) await globalThis.__client.call(k); });
    await page.evaluate(() => new Promise((res) => setTimeout(res, 5000)));
    await browser.close();
    const repeat = [];
    for (let i = 0; i < RUNS.mobile; i++) {
      const { r, browser: b } = await visit('worker', dir, true, { trace: true });
      repeat.push(r);
      await b.close();
    }
    results.codeCache[long] = repeat;
  }
} finally {
  await server.stop();
}

// ------------------------------------------------------------ the table
const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
const kb = (b) => (b >= 1e6 ? `${(b / 1e6).toFixed(2)} MB` : `${Math.round(b / 1e3)} KB`);
const med = (list, key) => median(list.map((x) => x[key]));
const cells = (fn) => CONTENDERS.map(fn);
const rows = [];
const row = (what, values) => rows.push(`| ${what} | ${values.join(' | ')} |`);
row('download gzip / brotli (first visit)', cells((c) => (c === 'gramjs' ? `${kb(sizes.gramjs.gzip)} / ${kb(sizes.gramjs.brotli)}` : `${kb(sizes.tgwasm.gzip)} / ${kb(sizes.tgwasm.brotli)}`)));
for (const profile of ['loopback', 'mobile']) {
  const P = results[profile];
  const label = profile === 'mobile' ? ' (mobile)' : ' (loopback)';
  row(`navigation → first SentCode, first visit${label}`, cells((c) => ms(med(P[c].first, 'sentCode'))));
  row(`navigation → first SentCode, repeat visit${label}`, cells((c) => `${ms(med(P[c].repeat, 'sentCode'))}${c === 'gramjs' ? '' : `, ${kb(Math.max(...P[c].repeat.map((x) => x.wasmWire)))} of wasm on the wire`}`));
  row(`main thread, first visit: longest task / total blocking${label}`, cells((c) => `${ms(med(P[c].first, 'longest'))} / ${ms(med(P[c].first, 'blocking'))}`));
  if (profile === 'mobile') {
    row('first progress event after navigation (mobile)', cells((c) => (c === 'gramjs' ? '—' : ms(med(P[c].first, 'progress')))));
    row('wasm on the wire, first visit (mobile): bytes in requests', cells((c) => (c === 'gramjs' ? '—' : `${kb(med(P[c].first, 'wasmWire'))} in ${med(P[c].first, 'wasmRequests')}`)));
    row('wasm download, first visit (mobile)', cells((c) => (c === 'gramjs' ? '—' : ms(med(P[c].first, 'wasmDownload')))));
    row('repeat visit (mobile): wasm response → compiled module (no code cache)', cells((c) => (c === 'gramjs' ? '—' : ms(med(P[c].repeat, 'compileMs')))));
    row('repeat visit (mobile) with the session in IndexedDB', cells((c) => (c === 'worker' ? ms(med(P['worker-idb'].repeat, 'sentCode')) : '—')));
  }
}
row('warm call p50 / p99; calls per second (loopback)', cells((c) => { const w = results.loopback[c].warm; return `${w.p50.toFixed(1)} / ${w.p99.toFixed(1)} ms; ${Math.round(w.perSecond)}`; }));
row(`renderer memory (PSS) after ${CALLS} calls (loopback)`, cells((c) => `${Math.round(results.loopback[c].memory)} MB`));
for (const long of ['thread', 'worker']) {
  const cc = results.codeCache[long];
  row(`repeat visit (mobile) after a first visit of 3,000 calls in ${long} mode: V8's code cache`, cells((c) => (c === 'worker'
    ? `${ms(med(cc, 'sentCode'))}; cache used in ${cc.filter((x) => x.codeCacheHit).length} of ${cc.length}; wasm response → module ${ms(med(cc, 'compileMs'))}`
    : '—')));
}

const M = results.mobile;
const targets = [
  ['first progress within 1 s of navigation (mobile, Worker)', med(M.worker.first, 'progress'), 1000, ms],
  ['first visit ≤ wasm download + 1.0 s (mobile, Worker)', med(M.worker.first, 'sentCode') - med(M.worker.first, 'wasmDownload'), 1000, ms],
  ['repeat visit ≤ 0.8 s (mobile, Worker)', med(M.worker.repeat, 'sentCode'), 800, ms],
  ['repeat visit fetches ≤ 1 KB of wasm (mobile, Worker)', Math.max(...M.worker.repeat.map((x) => x.wasmWire)), 1000, kb],
  ['wasm transfer size ≤ 2.2 MB gzip', sizes.wasm.gzip, 2.2e6, kb],
  ['wasm transfer size ≤ 1.6 MB brotli', sizes.wasm.brotli, 1.6e6, kb],
];
const table = [
  `| ${results.browser}, ${os.cpus().length} cores; loopback N = ${RUNS.loopback}, mobile N = ${RUNS.mobile} (medians); wasm link: ${results.link} | tgwasm Worker | tgwasm thread | GramJS 2.26.21 browser build |`,
  '| --- | --- | --- | --- |',
  ...rows,
].join('\n');
const targetTable = [
  '| target | measured | limit |  |',
  '| --- | --- | --- | --- |',
  ...targets.map(([what, got, limit, unit]) => `| ${what} | ${unit(got)} | ${unit(limit)} | ${got <= limit ? 'met' : '**missed**'} |`),
].join('\n');
// CDP's CPU throttling slows a page's main thread only: Chromium refuses
// it for a worker ("Operation is only supported for pages, not workers").
const note = 'The mobile profile\'s 4× CPU slowdown reaches the page\'s main thread only (CDP cannot throttle a worker):\n' +
  'in Worker mode the wasm\'s own work ran at full speed, so thread mode is the column with all of tgwasm slowed down.';
console.log(`\n${table}\n\n${targetTable}\n\n${note}`);
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'compare.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
writeFileSync(join(root, 'bench-results', 'compare.md'), `${table}\n\n${targetTable}\n\n${note}\n`);
