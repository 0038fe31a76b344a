// tgwasm beside GramJS, as a user would choose between them: the same
// Chromium, the same local DC, files served compressed with caching
// headers (cmd/devserver), pages alternating. Three profiles:
//   - loopback;
//   - mobile: Lighthouse's (CDP's 4× CPU slowdown, 1.6 Mbps down, 750
//     kbps up, 150 ms latency); CDP slows a page's main thread only, so a
//     worker runs at full speed there;
//   - phone: the same network, and the whole browser (every process and
//     thread, workers too) in a CPU cgroup of half a core (root only;
//     skipped with a message elsewhere).
// The tgwasm pages are a user's page: one module script that imports
// tgwasm.js and creates a client, no hints; beside it, on the mobile
// profiles, the demo page's hints (the <link>s of dist/index.html). GramJS
// is its 2.26.21 browser build from npm (the `telegram` package's own
// release does not run in a browser), bundled with esbuild.
//
// Run through scripts/bench.sh. Prints the tables (README, "Beside
// GramJS"), writes bench-results/compare.{json,md} and exits non-zero when
// a target is missed.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { benchPages } from './pages.mjs';
import { cpuCgroup } from '../helpers/cgroup.mjs';
import { startServer } from '../helpers/server.mjs';
import { launchBareBrowser } from '../helpers/chromium.mjs';
import { allMet, duration as ms, log, median, pct, targetTable, writeResults } from '../helpers/figures.mjs';

const RUNS = {
  loopback: Number(process.env.BENCH_COMPARE_RUNS || 7),
  mobile: Number(process.env.BENCH_MOBILE_RUNS || 3),
  phone: Number(process.env.BENCH_PHONE_RUNS || process.env.BENCH_MOBILE_RUNS || 3),
};
const CALLS = Number(process.env.BENCH_COMPARE_CALLS || 2000);
const NETWORK = { latency: 150, down: 1.6e6 / 8, up: 750e3 / 8 };
const PROFILES = {
  loopback: {},
  mobile: { network: NETWORK, cpuRate: 4 },
  phone: { network: NETWORK, cores: 0.5 },
};
const server = await startServer(['-flood-limit', '100000000']);
const { pageURL, sizes, before } = await benchPages(server);
// worker-before: the module before the lean one, when scripts/bench.sh
// built it (the before/after columns).
const CONTENDERS = ['worker', 'thread', 'gramjs', ...(before ? ['worker-before'] : [])];

// ------------------------------------------------------------ a visit
/**
 * Counts the wasm's bytes on the wire in the page and in its workers
 * (their requests are not the page's: each worker is attached to, and
 * held at its start until its Network domain is on).
 */
async function wasmOnWire(cdp) {
  // start and end: the first request's, in seconds of CDP's clock.
  const wire = { requests: 0, bytes: 0, start: null, end: null };
  const wasm = new Map(); // id → when it was sent
  const seen = (session, method, params) => {
    const id = `${session}/${params.requestId}`;
    if (method === 'Network.requestWillBeSent' && params.request.url.endsWith('.wasm')) wasm.set(id, params.timestamp);
    if (method === 'Network.loadingFinished' && wasm.has(id)) {
      wire.requests++;
      wire.bytes += params.encodedDataLength;
      if (wire.start === null) {
        wire.start = wasm.get(id);
        wire.end = params.timestamp;
      }
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
 * profile's network and CPU (throttle: false for a visit that only
 * prepares the profile), and waits for its first SentCode. Returns the
 * figures, and the browser and page for more.
 */
async function visit(c, dir, profile, { trace = false, throttle = true } = {}) {
  const P = PROFILES[profile];
  const browser = await launchBareBrowser({ userDataDir: dir, cgroup: throttle && P.cores ? cgroup : null });
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
  if (throttle && P.network) {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: P.network.latency, downloadThroughput: P.network.down, uploadThroughput: P.network.up });
  }
  if (throttle && P.cpuRate) await cdp.send('Emulation.setCPUThrottlingRate', { rate: P.cpuRate });
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
      timeOrigin: performance.timeOrigin,
      longest: Math.max(0, ...tasks.map(([, d]) => d)),
      blocking: tasks.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0),
      wasmBytes: wasm ? wasm.transferSize : null,
      wasmDone: wasm ? wasm.responseEnd : null,
      wasmDownload: wasm ? wasm.responseEnd - wasm.startTime : null,
    };
  });
  r.wasmWire = wire.bytes;
  r.wasmRequests = wire.requests;
  // The page's Resource Timing does not see a worker's request.
  if (r.wasmDownload === null && wire.start !== null) r.wasmDownload = (wire.end - wire.start) * 1000;
  // tgwasm's diagnostics, now that the measured part is over: from the
  // wasm's response to a compiled module, and when each step of starting
  // happened (ms from navigation).
  const stats = await page.evaluate(() => globalThis.__client.stats());
  r.compileMs = stats.wasmLoad ? stats.wasmLoad.compileMs : null;
  if (stats.timeline) r.steps = Object.fromEntries(Object.entries(stats.timeline).map(([k, t]) => [k, t - r.timeOrigin]));
  if (throttle && P.cpuRate) await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
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

// What runs on each profile. The '-kept' contenders are measured on their
// repeat visit only (their first visit, unthrottled, stores the session
// and fills the cache).
const THROTTLED = ['worker', 'thread', 'gramjs', 'worker-hinted', 'worker-kept', 'thread-kept', 'gramjs-kept'];
const RUN = { loopback: CONTENDERS, mobile: THROTTLED, phone: [...THROTTLED, ...(before ? ['worker-before'] : [])] };
// BENCH_PROFILES=loopback,phone measures only those (the targets need
// mobile).
const only = process.env.BENCH_PROFILES ? process.env.BENCH_PROFILES.split(',') : null;
for (const p of Object.keys(RUN)) if (only && !only.includes(p)) delete RUN[p];
const cgroup = cpuCgroup(PROFILES.phone.cores);
if (RUN.phone && cgroup.skip) {
  log(`phone profile skipped: ${cgroup.skip}`);
  delete RUN.phone;
}
const results = { browser: null, sizes, profiles: Object.keys(RUN) };
for (const p of Object.keys(RUN)) {
  results[p] = {};
  for (const c of RUN[p]) results[p][c] = { first: [], repeat: [], warm: null, memory: null };
}

try {
  for (const profile of Object.keys(RUN)) {
    for (let i = 0; i < RUNS[profile]; i++) {
      for (const c of RUN[profile]) {
        log(`${profile} ${c}: ${c.endsWith('-kept') ? 'repeat visit' : 'first and repeat visit'} ${i + 1}/${RUNS[profile]}…`);
        const dir = mkdtempSync(join(os.tmpdir(), 'tgwasm-bench-'));
        // First visit: a new profile.
        let { r, browser, page } = await visit(c, dir, profile, { throttle: !c.endsWith('-kept') });
        if (!c.endsWith('-kept')) results[profile][c].first.push(r);
        if (!results.browser) results.browser = (await (await page.context().newCDPSession(page)).send('Browser.getVersion')).product;
        if (profile === 'loopback' && i === 0) {
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
        ({ r, browser } = await visit(c, dir, profile));
        results[profile][c].repeat.push(r);
        await browser.close();
      }
    }
  }

  // ---------------------------------------------------------- code cache
  if (!RUN.mobile) throw Object.assign(new Error('partial'), { partial: true });
  // V8 writes its code cache for a wasm module only once dynamic tiering
  // has made enough optimized code (and two seconds passed without more):
  // a visit of a few calls never gets there, so the repeat visits above
  // compile the module again. Measured here, in both modes (each compiles
  // from its own fetch of the wasm, which V8 can cache): repeat visits on
  // the mobile profile after a first visit that made many calls, with the
  // trace saying whether V8 used the cache.
  results.codeCache = {};
  for (const c of ['worker', 'thread']) {
    log(`code cache (${c}): a long first visit, then repeat visits…`);
    const dir = mkdtempSync(join(os.tmpdir(), 'tgwasm-bench-'));
    const long = await visit(c, dir, 'loopback');
    await long.page.evaluate(async () => { for (let k = 0; k < 3000; k++) await globalThis.__client.call(k); });
    await long.page.evaluate(() => new Promise((res) => setTimeout(res, 5000)));
    await long.browser.close();
    results.codeCache[c] = [];
    for (let i = 0; i < RUNS.mobile; i++) {
      const { r, browser: b } = await visit(c, dir, 'mobile', { trace: true });
      results.codeCache[c].push(r);
      await b.close();
    }
  }
} catch (err) {
  if (!err.partial) throw err;
} finally {
  await server.stop();
  if (!cgroup.skip) cgroup.remove();
}

// ------------------------------------------------------------ the tables
const kb = (b) => (b >= 1e6 ? `${(b / 1e6).toFixed(2)} MB` : `${Math.round(b / 1e3)} KB`);
const med = (list, key) => median(list.map((x) => (typeof key === 'function' ? key(x) : x[key])));
const has = (profile) => Boolean(results[profile]);
const LABEL = { loopback: 'loopback', mobile: 'mobile, CDP', phone: 'phone: half a core for the whole browser' };

const rows = [];
const row = (what, values) => rows.push(`| ${what} | ${values.join(' | ')} |`);
// A cell per contender; '—' for one not measured on the profile.
let P = {};
const cells = (fn) => CONTENDERS.map((c) => (P[c] ? fn(c) : '—'));
const tg = (fn) => (c) => (c === 'gramjs' ? '—' : fn(c));
const download = (s) => `${kb(s.gzip)} / ${kb(s.brotli)}`;
row('download gzip / brotli (first visit)', CONTENDERS.map((c) => download({ gramjs: sizes.gramjs, 'worker-before': sizes.before }[c] || sizes.tgwasm)));
row('the wasm: raw / brotli', CONTENDERS.map((c) => (c === 'gramjs' ? '—' : c === 'worker-before'
  ? `${kb(sizes.beforeWasm.raw)} / ${kb(sizes.beforeWasm.brotli)}` : `${kb(sizes.wasm.raw)} / ${kb(sizes.wasm.brotli)}`)));
for (const profile of results.profiles) {
  P = results[profile];
  const label = ` (${LABEL[profile]})`;
  const throttled = profile !== 'loopback';
  if (throttled) row(`first progress event after navigation${label}`, cells(tg((c) => ms(med(P[c].first, 'progress')))));
  row(`navigation → first SentCode, first visit${label}`, cells((c) => ms(med(P[c].first, 'sentCode'))));
  if (throttled) {
    row(`wasm download, first visit${label}`, cells(tg((c) => `${ms(med(P[c].first, 'wasmDownload'))}; ${kb(med(P[c].first, 'wasmWire'))} in ${med(P[c].first, 'wasmRequests')} request(s)`)));
    row(`first visit − the wasm's download${label}`, cells(tg((c) => ms(med(P[c].first, (x) => x.sentCode - x.wasmDownload)))));
  }
  row(`navigation → first SentCode, repeat visit, a new key${label}`, cells((c) => `${ms(med(P[c].repeat, 'sentCode'))}${c === 'gramjs' ? '' : `, ${kb(Math.max(...P[c].repeat.map((x) => x.wasmWire)))} of wasm on the wire`}`));
  if (throttled) {
    row(`navigation → first SentCode, repeat visit, the session kept (no key exchange)${label}`, cells((c) => (P[`${c}-kept`] ? ms(med(P[`${c}-kept`].repeat, 'sentCode')) : '—')));
    row(`script runs → client created, repeat visit${label}`, cells((c) => ms(med(P[c].repeat, (x) => x.created - x.scriptRuns))));
  }
  row(`main thread, first visit: longest task / total blocking${label}`, cells((c) => `${ms(med(P[c].first, 'longest'))} / ${ms(med(P[c].first, 'blocking'))}`));
  if (throttled) {
    const h = P['worker-hinted'];
    row(`with the demo page's hints (Worker): first progress / first visit / repeat visit${label}`, cells((c) => (c === 'worker'
      ? `${ms(med(h.first, 'progress'))} / ${ms(med(h.first, 'sentCode'))} / ${ms(med(h.repeat, 'sentCode'))}` : '—')));
  }
}
if (has('loopback')) {
  P = results.loopback;
  row('warm call p50 / p99; calls per second (loopback)', cells((c) => { const w = results.loopback[c].warm; return `${w.p50.toFixed(1)} / ${w.p99.toFixed(1)} ms; ${Math.round(w.perSecond)}`; }));
  row(`renderer memory (PSS) after ${CALLS} calls (loopback)`, cells((c) => `${Math.round(results.loopback[c].memory)} MB`));
}
const cc = results.codeCache;
if (cc) {
  P = cc;
  row('repeat visit (mobile) after a first visit of 3,000 calls: V8\'s code cache', cells((c) => (cc[c]
    ? `${ms(med(cc[c], 'sentCode'))}; cache used in ${cc[c].filter((x) => x.codeCacheHit).length} of ${cc[c].length}; wasm response → module ${ms(med(cc[c], 'compileMs'))}`
    : '—')));
}

// Where a repeat visit's start goes, step by step (tgwasm's timeline: ms
// from navigation, medians), on the slowest CPU profile measured.
const slow = has('phone') ? 'phone' : has('mobile') ? 'mobile' : 'loopback';
const STEPS = [
  ['the page\'s script runs (tgwasm.js loaded)', (x) => x.scriptRuns],
  ['createClient called', (x) => x.steps.createClient],
  ['Worker mode: the worker\'s script runs', (x) => x.steps['worker: worker running']],
  ['the wasm\'s response (from the HTTP cache)', (x) => x.steps['worker: wasm response'] ?? x.steps['wasm response']],
  ['the wasm compiled', (x) => x.steps['worker: wasm compiled'] ?? x.steps['wasm compiled']],
  ['the Go program instantiated', (x) => x.steps['worker: go instantiated'] ?? x.steps['go instantiated']],
  ['Go\'s main reached the hand-off (runtime start, package inits)', (x) => x.steps['worker: go handed over'] ?? x.steps['go handed over']],
  ['the client started in the wasm', (x) => x.steps['worker: client started'] ?? x.steps['client started']],
  ['createClient resolved', (x) => x.created],
  ['first SentCode', (x) => x.sentCode],
];
const stepOf = (c, fn) => ms(med(results[slow][c].repeat.filter((x) => x.steps), (x) => fn(x) ?? NaN));
const breakdown = [
  `| repeat visit, a new key (${LABEL[slow]}), ms from navigation | tgwasm Worker | tgwasm thread |`,
  '| --- | --- | --- |',
  ...STEPS.map(([what, fn]) => `| ${what} | ${stepOf('worker', fn)} | ${stepOf('thread', fn)} |`),
].join('\n');

const M = results.mobile;
const targets = !M ? [] : [
  ['first progress within 1.0 s of navigation (mobile, plain page, Worker)', med(M.worker.first, 'progress'), 1000, ms],
  ['first progress within 1.0 s of navigation (mobile, plain page, thread)', med(M.thread.first, 'progress'), 1000, ms],
  ['first visit ≤ the wasm\'s download + 0.6 s (mobile, plain page, Worker)', med(M.worker.first, (x) => x.sentCode - x.wasmDownload), 600, ms],
  ['first visit ≤ the wasm\'s download + 0.6 s (mobile, plain page, thread)', med(M.thread.first, (x) => x.sentCode - x.wasmDownload), 600, ms],
  ['repeat visit ≤ 0.8 s (mobile, plain page, Worker)', med(M.worker.repeat, 'sentCode'), 800, ms],
  ['repeat visit fetches ≤ 1 KB of wasm (mobile, Worker)', Math.max(...M.worker.repeat.map((x) => x.wasmWire)), 1000, kb],
];
targets.push(
  ['the wasm ≤ 6.0 MB raw', sizes.wasm.raw, 6.0e6, kb],
  ['the wasm ≤ 1.25 MB brotli', sizes.wasm.brotli, 1.25e6, kb],
);
// Ratios to GramJS (and to the module before the lean one) measured in
// this run: any machine can check them.
const L = results.loopback;
if (L) {
  targets.push(
    ['navigation → first SentCode, repeat visit (HTTP-cached), Worker ≤ GramJS\'s + 10 % (loopback)',
      med(L.worker.repeat, 'sentCode'), 1.1 * med(L.gramjs.repeat, 'sentCode'), ms],
    [`renderer memory (PSS) after ${CALLS} calls, Worker ≤ GramJS's + 20 MB (loopback)`, L.worker.memory, L.gramjs.memory + 20, (x) => `${Math.round(x)} MB`],
    ['warm call p50, Worker ≤ half of GramJS\'s (loopback)', L.worker.warm.p50, L.gramjs.warm.p50 / 2, (x) => `${x.toFixed(1)} ms`],
  );
}
if (has('phone')) {
  const F = results.phone;
  targets.push(
    ['script runs → client created ≤ 0.3 s (phone, repeat visit, Worker)', med(F.worker.repeat, (x) => x.created - x.scriptRuns), 300, ms],
    ['repeat visit with a new key ≤ 0.9 s (phone, Worker)', med(F.worker.repeat, 'sentCode'), 900, ms],
    ['repeat visit with the session kept ≤ 0.7 s (phone, Worker)', med(F['worker-kept'].repeat, 'sentCode'), 700, ms],
    ['repeat visit with a new key, Worker ≤ GramJS\'s (phone)', med(F.worker.repeat, 'sentCode'), med(F.gramjs.repeat, 'sentCode'), ms],
  );
  if (F['worker-before']) {
    const created = (x) => x.created - x.scriptRuns;
    targets.push(['script runs → client created, Worker ≤ 70 % of the module before the lean one (phone, repeat visit)',
      med(F.worker.repeat, created), 0.7 * med(F['worker-before'].repeat, created), ms]);
  }
}
const runs = results.profiles.map((p) => `${p} N = ${RUNS[p]}`).join(', ');
const NAMES = { worker: 'tgwasm Worker', thread: 'tgwasm thread', gramjs: 'GramJS 2.26.21 browser build', 'worker-before': 'tgwasm Worker, before the lean module' };
const table = [
  `| ${results.browser}, ${os.cpus().length} cores; ${runs} (medians) | ${CONTENDERS.map((c) => NAMES[c]).join(' | ')} |`,
  `| --- | ${CONTENDERS.map(() => '---').join(' | ')} |`,
  ...rows,
].join('\n');
// CDP's CPU throttling slows a page's main thread only: Chromium refuses
// it for a worker ("Operation is only supported for pages, not workers").
const notes = [
  'mobile, CDP: the 4× CPU slowdown reaches the page\'s main thread only (CDP cannot throttle a worker): in Worker mode the wasm\'s own work ran at full speed.',
  has('phone') ? 'phone: every process and thread of the browser shared half a core (a CPU cgroup), workers included; CDP\'s CPU rate was 1.' : `phone: not measured (${cgroup.skip || 'BENCH_PROFILES left it out'}).`,
].join('\n');
const text = `\n${table}\n\n${breakdown}\n\n${targetTable(targets)}\n\n${notes}`;
console.log(text);
writeResults('compare', { results }, text);
process.exit(allMet(targets) ? 0 : 1);
