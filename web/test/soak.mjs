// Soak: 10,000 calls through headless Chromium while the DC drops the
// socket of every 100th request (about 100 forced reconnects). Reports
// settled vs issued, the wasm's memory at start and end, and calls/s.
//   scripts/soak.sh   (SOAK_CALLS, SOAK_DROP_EVERY, SOAK_CONCURRENCY tune it)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blankPage, launchBrowser, root, startServer } from './lib.mjs';

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
    const r = await page.evaluate(async ({ calls, drop, concurrency, worker }) => {
      const post = (body) => fetch('/testdc/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const stats = async () => (await fetch('/testdc/stats')).json();
      const tg = await import('/tgwasm.js');
      const config = await (await fetch('/testdc/config')).json();
      const client = await tg.createClient({ apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker });
      let reconnects = 0;
      client.on('state', (s) => { if (s === 'reconnecting') reconnects++; });
      await client.getMe();
      const before = await client._stats();
      const dropped0 = (await stats()).dropped;
      await post({ dropEvery: drop });
      let issued = 0;
      let settled = 0;
      let fulfilled = 0;
      const errors = {};
      const t0 = performance.now();
      let warm = null;
      const lane = async (lane) => {
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
      await Promise.all(Array.from({ length: concurrency }, (_, i) => lane(i)));
      const secs = (performance.now() - t0) / 1000;
      await post({});
      const after = await client._stats();
      const dropped = (await stats()).dropped - dropped0;
      await client.close();
      return { issued, settled, fulfilled, errors, dropped, reconnects, secs, before, warm: await warm, after };
    }, { calls: CALLS, drop: DROP, concurrency: CONCURRENCY, worker: mode === 'worker' });
    await page.close();
    const mb = (b) => (b / 1e6).toFixed(2);
    // Linear memory only grows, to the high-water mark of the heap: it is
    // flat when the last 90% of the calls did not grow it past 2 MB.
    const ok = r.settled === r.issued && r.after.wasmMemory <= r.warm.wasmMemory + 2e6 && r.after.wasmMemory <= 32e6 &&
      r.after.liveFuncs === r.before.liveFuncs;
    failed ||= !ok;
    rows.push(`| ${mode} | ${r.issued} | ${r.settled} | ${r.fulfilled} | ${JSON.stringify(r.errors)} | ${r.dropped} / ${r.reconnects} | ${mb(r.before.wasmMemory)} → ${mb(r.warm.wasmMemory)} (after 10%) → ${mb(r.after.wasmMemory)} MB (Go heap ${mb(r.after.heapAlloc)} MB; js.Func ${r.before.liveFuncs} → ${r.after.liveFuncs}) | ${(r.issued / r.secs).toFixed(0)} |`);
  }
} finally {
  await browser.close();
  await server.stop();
}
const table = [
  `| mode | issued | settled | fulfilled | rejected | dropped sockets / reconnects | wasm memory: start → after 10% → end | calls/s (${CONCURRENCY} at a time) |`,
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
].join('\n');
console.log(table);
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'soak.md'), `${table}\n`);
console.log(failed ? '\nsoak: FAILED (settled ≠ issued, or memory grew)' : '\nsoak: every call settled; memory flat');
process.exit(failed ? 1 : 0);
