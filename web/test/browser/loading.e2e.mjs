// Loading in Chromium: download progress under a throttled network in
// every mode, preload(), and the demo's progress bar.
import assert from 'node:assert/strict';
import { dcStats } from '../helpers/server.mjs';
import { blankPage } from '../helpers/chromium.mjs';
import { test } from '../helpers/runner.mjs';

// A slow network, so that the wasm arrives in many pieces (what the user
// of a phone sees); no HTTP cache, so that it is downloaded.
async function throttle(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 2_000_000, uploadThroughput: 1_000_000 });
  return cdp;
}

function checkProgress(events, label) {
  assert.ok(events.length >= 3, `${label}: ${events.length} progress events`);
  const total = events.at(-1).total;
  assert.ok(total > 1_000_000, `${label}: total ${total}`);
  assert.equal(events.at(-1).loaded, total, `${label}: the last event is the whole wasm`);
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i].loaded >= events[i - 1].loaded, `${label}: loaded grows (${events[i - 1].loaded} → ${events[i].loaded})`);
    assert.ok(events[i].total === null || events[i].total === total, `${label}: one total`);
  }
  assert.ok(events.slice(0, -1).some((e) => e.loaded < total), `${label}: some events came before the end`);
}

for (const worker of [true, false, 'shared']) {
  const mode = { true: 'worker', false: 'thread', shared: 'shared' }[worker];
  test(`[loading ${mode}] onProgress reports the download, growing, ending at the total`, async (ctx) => {
    const page = await blankPage(ctx.browser, ctx.server.url);
    try {
      await throttle(page);
      const r = await page.evaluate(async (worker) => {
        const tg = await import('/tgwasm.js');
        const config = await (await fetch('/testdc/config')).json();
        const events = [];
        const client = await tg.createClient({
          apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker,
          storage: worker === 'shared' ? { indexedDB: `loading-${Date.now()}` } : 'memory',
          onProgress: (p) => events.push(p),
        });
        const ready = events.length;
        // A second client of this page: the wasm is in, and says so at once.
        const again = [];
        const second = worker === 'shared' ? null : await tg.createClient({ apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker, onProgress: (p) => again.push(p) });
        const out = { events, ready, again, mode: client.mode, me: (await client.getMe()).firstName };
        await client.close();
        if (second) await second.close();
        return out;
      }, worker);
      assert.equal(r.mode, mode);
      checkProgress(r.events, mode);
      assert.equal(r.ready, r.events.length, 'every event came before createClient resolved');
      if (worker !== 'shared') {
        assert.deepEqual(r.again, [{ loaded: r.events.at(-1).total, total: r.events.at(-1).total }], 'a later client hears the end at once');
      }
      assert.equal(r.me, 'Demo');
    } finally {
      await page.close();
    }
  });
}

test('[loading] preload() starts before createClient, which picks up its work', async (ctx) => {
  const page = await blankPage(ctx.browser, ctx.server.url);
  const wasm = [];
  page.on('request', (req) => { if (req.url().endsWith('.wasm')) wasm.push(req.url()); });
  try {
    await throttle(page);
    const r = await page.evaluate(async () => {
      const tg = await import('/tgwasm.js');
      const config = await (await fetch('/testdc/config')).json();
      const early = [];
      const loading = tg.preload({ onProgress: (p) => early.push(p) });
      // createClient while the download runs: in Worker mode the page
      // hands the module it compiles to the worker.
      const late = [];
      const client = await tg.createClient({ apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, onProgress: (p) => late.push(p) });
      await loading;
      const out = { early, late, mode: client.mode, me: (await client.getMe()).firstName };
      await client.close();
      let bad;
      try { tg.preload({ wasmUrl: 5 }); } catch (e) { bad = `${e.name}: ${e.message}`; }
      return { ...out, bad };
    });
    checkProgress(r.early, 'preload');
    assert.equal(r.late.at(-1).loaded, r.early.at(-1).total, 'createClient heard the end too');
    assert.equal(r.mode, 'worker');
    assert.equal(r.me, 'Demo');
    assert.equal(wasm.length, 1, 'the wasm was downloaded once');
    assert.equal(r.bad, 'TypeError: options.wasmUrl must be a string or URL, not a number');
  } finally {
    await page.close();
  }
});

test('[loading] the demo shows the download in a progress bar', async (ctx) => {
  const page = await ctx.browser.newPage();
  try {
    await throttle(page);
    await page.addInitScript(() => {
      globalThis.__loadTexts = [];
      addEventListener('DOMContentLoaded', () => {
        const el = document.querySelector('#load-text');
        new MutationObserver(() => globalThis.__loadTexts.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
      });
    });
    await page.goto(ctx.server.url);
    await page.waitForSelector('#loading:not([hidden])');
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 0 });
    const progress = await page.evaluate(() => globalThis.__tgwasmDemo.progress);
    checkProgress(progress, 'demo');
    // Not "4.2 of 8.9 MB" of decoded bytes: a share while it downloads,
    // and at the end what travelled (brotli: about 1.4 MB).
    const texts = await page.evaluate(() => globalThis.__loadTexts);
    assert.ok(texts.some((t) => /^downloading tgwasm: \d{1,2} %$/.test(t)), texts.join(' | '));
    assert.match(await page.textContent('#load-text'), /^tgwasm loaded(, \d+\.\d MB downloaded)?; starting…$/);
    assert.equal(await page.getAttribute('#load-bar', 'value'), String(progress.at(-1).total));
  } finally {
    await page.close();
  }
});

// The worker opens its WebSocket as soon as it knows where (a custom
// server: at once), without waiting for the wasm, and the Go dialer takes
// it over. Seen from the DC: a socket opens while the wasm cannot have run
// (a dedicated Worker's wasm is held back until then; a SharedWorker's,
// which the page cannot hold, is one that fails to load), and a client
// that starts makes no other.
for (const worker of [true, 'shared']) {
  const mode = worker === true ? 'worker' : 'shared';
  test(`[loading ${mode}] the socket to the DC opens without waiting for the wasm, and the client uses it`, async (ctx) => {
    const page = await blankPage(ctx.browser, ctx.server.url);
    const start = (wasmUrl) => page.evaluate(async ([worker, wasmUrl]) => {
      const tg = await import('/tgwasm.js');
      const config = await (await fetch('/testdc/config')).json();
      try {
        const client = await tg.createClient({
          apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker,
          storage: worker === 'shared' ? { indexedDB: `early-${Math.random()}` } : 'memory',
          ...(wasmUrl ? { wasmUrl } : {}),
        });
        const me = (await client.getMe()).firstName;
        await client.close();
        return me;
      } catch (err) {
        return `${err.name}: ${err.message}`;
      }
    }, [worker, wasmUrl]);
    const upgraded = async (before) => {
      const deadline = Date.now() + 60000;
      while ((await dcStats(ctx.server)).upgrades === before.upgrades) {
        assert.ok(Date.now() < deadline, 'no socket reached the DC before the wasm ran');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    let release = () => {};
    try {
      let before = await dcStats(ctx.server);
      if (mode === 'shared') {
        assert.match(await start('/missing.wasm'), /404/);
        await upgraded(before);
        assert.equal((await dcStats(ctx.server)).connectionsOpened, before.connectionsOpened, 'nothing said on it');
        before = await dcStats(ctx.server);
      } else {
        const held = new Promise((r) => { release = r; });
        await page.route(/\/tgwasm\.wasm$/, async (route) => { await held; await route.continue(); });
      }
      const run = start();
      run.catch(() => {}); // awaited below, unless the wait fails first
      if (mode === 'worker') {
        await upgraded(before);
        release();
      }
      assert.equal(await run, 'Demo');
      const after = await dcStats(ctx.server);
      assert.equal(after.upgrades, before.upgrades + 1, 'one socket: the early one');
      assert.equal(after.connectionsOpened, before.connectionsOpened + 1, 'and it carried the client');
    } finally {
      release();
      await page.close();
    }
  });
}
