// Connections that die silently and networks that change, in Chromium, in
// both modes: a call on a link gone silent, an idle silent link, offline →
// online, and a page frozen and resumed. The DC's blackhole silences every
// open connection at every layer, as a dead NAT does: nothing passes, not
// a WebSocket close frame nor a TCP FIN, so a browser that closes such a
// socket waits a minute for a closing handshake. The DC counts the
// silenced sockets their client still holds open: a client that moved to
// a new connection while its old socket still counts did not wait for
// that handshake. These tests assert what happens, never how long it took
// (scripts/bench.sh prints that).
import assert from 'node:assert/strict';
import { dcControl, dcStats } from '../helpers/server.mjs';
import { blankPage, launchBareBrowser } from '../helpers/chromium.mjs';
import { test } from '../helpers/runner.mjs';

// Silences every open connection; resolves with the silenced ids.
const blackhole = async (ctx) => (await dcControl(ctx.server, 'blackhole')).ids;
// Whether the DC still holds every one of these silenced sockets open:
// their clients have not ended them (a browser that closed one waits a
// minute for the closing handshake).
const stillHeld = async (ctx, ids) => {
  const held = new Set((await dcStats(ctx.server)).silencedIds);
  return ids.every((id) => held.has(id));
};

// Opens a page with a ready client in globalThis.__client, its state
// events in globalThis.__states and its log in globalThis.__log.
async function clientPage(ctx, mode, browser = ctx.browser) {
  const page = await blankPage(browser, ctx.server.url);
  await page.evaluate(async (mode) => {
    const tg = await import('/tgwasm.js');
    const config = await (await fetch('/testdc/config')).json();
    globalThis.__tg = tg;
    globalThis.__states = [];
    globalThis.__log = [];
    const client = await tg.createClient({
      apiId: 17349,
      apiHash: '344583e45741c457fe1862106095a5eb',
      server: config,
      worker: mode === 'worker',
      logger: (level, message) => globalThis.__log.push(`${level}: ${message}`),
    });
    client.on('state', (s) => globalThis.__states.push(s));
    await client.getMe();
    globalThis.__client = client;
  }, mode);
  return page;
}

const waitInPage = (page, fn, arg) => page.waitForFunction(fn, arg, { timeout: 0, polling: 50 });
const logOf = (page) => page.evaluate(() => globalThis.__log.join('\n'));
const waitFor = async (cond) => { while (!(await cond())) await new Promise((r) => setTimeout(r, 50)); };

for (const mode of ['worker', 'thread']) {
  test(`[network ${mode}] a call on a link gone silent completes on a new connection`, async (ctx) => {
    const page = await clientPage(ctx, mode);
    try {
      const before = await dcStats(ctx.server);
      const silenced = await blackhole(ctx);
      assert.ok(silenced.length >= 1);
      const r = await page.evaluate(async () => {
        const sent = await globalThis.__client.sendChangePhoneCode({ phoneNumber: '+15550808001' }, { timeout: 60000 });
        const s = await globalThis.__client._stats();
        return { className: sent.className, states: globalThis.__states.join(' '), probes: s.probes };
      });
      assert.equal(r.className, 'auth.SentCode');
      assert.match(r.states, /ready reconnecting .*ready$/);
      assert.ok(r.probes >= 1, 'the silent link was probed');
      const after = await dcStats(ctx.server);
      assert.ok(after.connectionsOpened > before.connectionsOpened, 'on a new connection');
      assert.ok(await stillHeld(ctx, silenced), 'while the dead socket waits for its closing handshake');
      const log = await logOf(page);
      assert.match(log, /info: dc 2: nothing received for .* while calls wait; probing the link/);
      assert.match(log, /warn: dc 2: no answer to the probe within 3s; dropping the link/);
      assert.match(log, /info: dc 2: ready$/m);
      await page.evaluate(() => globalThis.__client.close());
    } finally {
      await page.close();
    }
  });

  test(`[network ${mode}] offline: no attempts, calls wait; online: reconnects at once and the call completes`, async (ctx) => {
    const page = await clientPage(ctx, mode);
    try {
      await page.context().setOffline(true);
      await waitInPage(page, () => navigator.onLine === false);
      await blackhole(ctx); // the link died with the network
      await page.evaluate(() => {
        globalThis.__pending = globalThis.__client.sendChangePhoneCode({ phoneNumber: '+15550808101' }, { timeout: 120000 })
          .then((v) => v.className, (e) => `${e.name}: ${e.message}`);
      });
      // The call on the dead link is moved off it; with no network, no
      // new connection is tried.
      await waitInPage(page, () => globalThis.__states.at(-1) === 'reconnecting');
      const a0 = (await page.evaluate(() => globalThis.__client._stats())).connectAttempts;
      await new Promise((r) => setTimeout(r, 1500)); // a backoff would have tried several times by now
      const a1 = (await page.evaluate(() => globalThis.__client._stats())).connectAttempts;
      assert.equal(a1, a0, 'no connection attempts while offline');
      const opened = (await dcStats(ctx.server)).connectionsOpened;
      await page.context().setOffline(false);
      assert.equal(await page.evaluate(() => globalThis.__pending), 'auth.SentCode', 'the waiting call completed once online');
      assert.ok((await dcStats(ctx.server)).connectionsOpened > opened);
      await page.evaluate(() => globalThis.__client.close());
    } finally {
      await page.context().setOffline(false);
      await page.close();
    }
  });

  test(`[network ${mode}] a frozen page that resumes checks its link at once and replaces a dead one`, async (ctx) => {
    // Playwright's own launch keeps pages visible, so they never freeze.
    const browser = await launchBareBrowser();
    const page = await clientPage(ctx, mode, browser);
    try {
      const cdp = await page.context().newCDPSession(page);
      const before = await page.evaluate(() => globalThis.__client._stats());
      await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
      const opened = (await dcStats(ctx.server)).connectionsOpened;
      await blackhole(ctx); // the link dies while the page sleeps
      await cdp.send('Page.setWebLifecycleState', { state: 'active' });
      // Without a call, the client connects again: the resume event has
      // the wasm check its link (in Worker mode Chromium may also have
      // closed the frozen worker's socket itself).
      await waitInPage(page, () => globalThis.__states.at(-1) === 'ready' && globalThis.__states.includes('reconnecting'));
      const after = await page.evaluate(() => globalThis.__client._stats());
      assert.ok(after.checks > before.checks, 'the resume event reached the wasm');
      assert.ok((await dcStats(ctx.server)).connectionsOpened > opened, 'a new connection');
      assert.equal((await page.evaluate(() => globalThis.__client.getMe())).firstName, 'Demo');
      await page.evaluate(() => globalThis.__client.close());
    } finally {
      await browser.close();
    }
  });
}

// Both modes at once: the keep-alive takes up to PingInterval +
// PingTimeout (25 s) to notice an idle link went silent.
test('[network both modes] an idle link gone silent is noticed by the keep-alive and replaced at once', async (ctx) => {
  const pages = await Promise.all([clientPage(ctx, 'worker'), clientPage(ctx, 'thread')]);
  try {
    const opened = (await dcStats(ctx.server)).connectionsOpened;
    const silenced = await blackhole(ctx);
    assert.ok(silenced.length >= 2);
    await Promise.all(pages.map((page) => waitInPage(page, () => globalThis.__states.at(-1) === 'ready' && globalThis.__states.includes('reconnecting'))));
    assert.ok((await dcStats(ctx.server)).connectionsOpened >= opened + 2, 'each client made a new connection');
    assert.ok(await stillHeld(ctx, silenced), 'while the dead sockets wait for their closing handshakes');
    for (const page of pages) {
      assert.match(await logOf(page), /warn: dc 2: the connection ended: no answer to the keep-alive ping within 10s/);
      assert.equal((await page.evaluate(() => globalThis.__client.getMe())).firstName, 'Demo');
      await page.evaluate(() => globalThis.__client.close());
    }
  } finally {
    await Promise.all(pages.map((page) => page.close()));
  }
});

for (const mode of ['worker', 'thread']) {
  // Silences in a row are the client's (Go) work, the same in both modes:
  // three in Worker mode, one in thread mode, where what differs is
  // close() on a dead link.
  const silences = mode === 'worker' ? 3 : 1;
  test(`[network ${mode}] ${silences === 3 ? 'three silences in a row' : 'a silence'}: a call on each completes; close() on a dead link; no secret in the log`, async (ctx) => {
    const page = await clientPage(ctx, mode);
    try {
      for (let i = 0; i < silences; i++) {
        const opened = (await dcStats(ctx.server)).connectionsOpened;
        const silenced = await blackhole(ctx);
        assert.ok(silenced.length >= 1);
        const sent = await page.evaluate((phone) => globalThis.__client.sendChangePhoneCode({ phoneNumber: phone }, { timeout: 60000 })
          .then((v) => v.className, (e) => `${e.name}: ${e.message}`), `+1555080${i}201`);
        assert.equal(sent, 'auth.SentCode', `silence ${i + 1}`);
        assert.ok((await dcStats(ctx.server)).connectionsOpened > opened, `silence ${i + 1}: on a new connection`);
        assert.ok(await stillHeld(ctx, silenced), `silence ${i + 1}: without waiting for the closing handshake`);
      }
      const session = await page.evaluate(() => globalThis.__client.exportSession());
      const silenced = await blackhole(ctx);
      assert.ok(silenced.length >= 1);
      const states = await page.evaluate(async () => {
        await globalThis.__client.close();
        return globalThis.__states.join(' ');
      });
      assert.match(states, /closed$/, 'close() resolved on a dead link');
      if (mode === 'thread') {
        assert.ok(await stillHeld(ctx, silenced), 'without waiting for the closing handshake');
      } else {
        // The worker ends with its client, and the browser drops its
        // sockets with it, without a handshake.
        await waitFor(async () => !(await stillHeld(ctx, silenced)));
      }
      const log = await logOf(page);
      assert.ok(log.length > 0);
      assert.ok(!log.includes(session.slice(1, 40)), 'the session string is not logged');
    } finally {
      await page.close();
    }
  });
}
