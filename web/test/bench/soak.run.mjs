// Soak: 10,000 calls through headless Chromium while the DC drops the
// socket of every 100th request (about 100 forced reconnects). Reports
// settled vs issued, the wasm's memory and the page's JS heap at start and end, and calls/s.
//   scripts/soak.sh   (SOAK_CALLS, SOAK_DROP_EVERY, SOAK_CONCURRENCY tune it)
import { startServer } from '../helpers/server.mjs';
import { blankPage, launchBrowser } from '../helpers/chromium.mjs';
import { writeResults } from '../helpers/figures.mjs';

const CALLS = Number(process.env.SOAK_CALLS || 10000);
const DROP = Number(process.env.SOAK_DROP_EVERY || 100);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY || 8);

const server = await startServer(['-flood-limit', '1000000']);
const browser = await launchBrowser();
const rows = [];
let failed = false;
try {
  for (const mode of ['worker', 'thread']) {
    const page = await blankPage(browser, server.url);
    // The page's JS heap after a full GC, through the DevTools protocol.
    const cdp = await page.context().newCDPSession(page);
    const jsHeap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    await page.evaluate(async ({ worker }) => {
      const tg = await import('/tgwasm.js');
      const config = await (await fetch('/testdc/config')).json();
      const client = await tg.createClient({ apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker });
      globalThis.__soak = { client, reconnects: 0 };
      client.on('state', (s) => { if (s === 'reconnecting') globalThis.__soak.reconnects++; });
      await client.getMe();
      for (let i = 0; i < 200; i++) await client.sendChangePhoneCode({ phoneNumber: `+1555${String(200000 + i).slice(1)}01` });
    }, { worker: mode === 'worker' });
    const heapBefore = await jsHeap();
    const r = await page.evaluate(async ({ calls, drop, concurrency }) => {
      const post = (body) => fetch('/testdc/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const stats = async () => (await fetch('/testdc/stats')).json();
      const { client } = globalThis.__soak;
      const before = await client._stats();
      const dropped0 = (await stats()).dropped;
      await post({ dropEvery: drop });
      let issued = 0;
      let settled = 0;
      let fulfilled = 0;
      const errors = {};
      const t0 = performance.now();
      let warm = null;
      const lane = async () => {
        while (issued < calls) {
          const i = issued++;
          if (i === Math.floor(calls / 10)) warm = client._stats();
          try {
            await client.sendChangePhoneCode({ phoneNumber: `+1555${String(100000 + (i % 100000)).slice(1)}01` }, { timeout: 30000 });
            fulfilled++;
          } catch (e) {
            errors[e.name] = (errors[e.name] || 0) + 1;
          } finally {
            settled++;
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, () => lane()));
      const secs = (performance.now() - t0) / 1000;
      await post({});
      const after = await client._stats();
      const dropped = (await stats()).dropped - dropped0;
      return { issued, settled, fulfilled, errors, dropped, reconnects: globalThis.__soak.reconnects, secs, before, warm: await warm, after };
    }, { calls: CALLS, drop: DROP, concurrency: CONCURRENCY });
    r.heapBefore = heapBefore;
    r.heapAfter = await jsHeap();
    await page.evaluate(() => globalThis.__soak.client.close());
    await page.close();
    const mb = (b) => (b / 1e6).toFixed(2);
    // Linear memory only grows, to the high-water mark of the heap: it is
    // flat when the last 90% of the calls did not grow it past 2 MB.
    // The page's JS heap (the module's bookkeeping of calls, listeners,
    // results) must not grow with the calls either: 1 MB of slack, where a
    // leak of one result per call would be several MB.
    const ok = r.settled === r.issued && r.after.wasmMemory <= r.warm.wasmMemory + 2e6 && r.after.wasmMemory <= 32e6 &&
      r.after.liveFuncs === r.before.liveFuncs && r.heapAfter <= r.heapBefore + 1e6;
    failed ||= !ok;
    rows.push(`| ${mode} | ${r.issued} | ${r.settled} | ${r.fulfilled} | ${JSON.stringify(r.errors)} | ${r.dropped} / ${r.reconnects} | ${mb(r.before.wasmMemory)} → ${mb(r.warm.wasmMemory)} (after 10%) → ${mb(r.after.wasmMemory)} MB (Go heap ${mb(r.after.heapAlloc)} MB; js.Func ${r.before.liveFuncs} → ${r.after.liveFuncs}) | ${mb(r.heapBefore)} → ${mb(r.heapAfter)} MB | ${(r.issued / r.secs).toFixed(0)} |`);
  }
} finally {
  await browser.close();
  await server.stop();
}
const table = [
  `| mode | issued | settled | fulfilled | rejected | dropped sockets / reconnects | wasm memory: start → after 10% → end | page JS heap after GC: start → end | calls/s (${CONCURRENCY} at a time) |`,
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
].join('\n');
console.log(table);
writeResults('soak', { calls: CALLS, dropEvery: DROP, concurrency: CONCURRENCY, failed }, table);
console.log(failed ? '\nsoak: FAILED (settled ≠ issued, or memory grew)' : '\nsoak: every call settled; memory flat');
process.exit(failed ? 1 : 0);
