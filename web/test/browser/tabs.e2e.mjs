// Many tabs, one account, in Chromium: pages of one browser context (one
// origin) sharing a client in a SharedWorker, and tabs that keep their
// session in one store and start at the same moment. The local DC counts
// open WebSocket connections and the auth keys in use.
import assert from 'node:assert/strict';
import { dcControl, dcStats } from '../helpers/server.mjs';
import { blankPage } from '../helpers/chromium.mjs';
import { test } from '../helpers/runner.mjs';

const until = async (what, cond) => {
  // Polls a condition that the mechanism makes true; the test's own
  // timeout is the only bound.
  while (!(await cond())) await new Promise((r) => setTimeout(r, 50));
  return what;
};
// Earlier tests' connections are gone first, so that counts are ours.
const quiet = (ctx) => until('no connection open', async () => (await dcStats(ctx.server)).connections === 0);
let unique = 0;
const storageKey = (name) => `tgwasm-test:${name}:${Date.now()}:${unique++}`;

// Opens a page and creates a client in it (globalThis.__client).
async function tab(ctx, options) {
  const page = await blankPage(ctx.browser, ctx.server.url);
  await page.evaluate(async (options) => {
    const tg = await import('/tgwasm.js');
    globalThis.__tg = tg;
    const config = await (await fetch('/testdc/config')).json();
    globalThis.__client = await tg.createClient({ apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, ...options });
  }, options);
  return page;
}

const inTab = (page, fn, arg) => page.evaluate(fn, arg);
const me = (page) => inTab(page, async () => (await globalThis.__client.getMe()).firstName);
const session = (page) => inTab(page, () => globalThis.__client.exportSession());

test('[tabs] three pages with worker: \'shared\' share one socket and one session; the first closing leaves the others working', async (ctx) => {
  const storage = { indexedDB: storageKey('shared') };
  await quiet(ctx);
  const before = await dcStats(ctx.server);
  const pages = [];
  try {
    for (let i = 0; i < 3; i++) pages.push(await tab(ctx, { worker: 'shared', storage }));
    for (const page of pages) assert.equal(await me(page), 'Demo');
    const after = await dcStats(ctx.server);
    assert.equal(after.connections - before.connections, 1, 'one socket for three pages');
    assert.equal(after.authKeys - before.authKeys, 1, 'one auth key');
    const sessions = await Promise.all(pages.map(session));
    assert.ok(sessions[0].length > 300 && sessions.every((s) => s === sessions[0]), 'one session');
    for (const page of pages) {
      assert.equal(await inTab(page, () => globalThis.__client.mode), 'shared');
      assert.equal((await inTab(page, () => globalThis.__client._stats())).tabs, 3);
    }
    // State events reach every page.
    await Promise.all(pages.map((page) => inTab(page, () => {
      globalThis.__states = [];
      globalThis.__client.on('state', (s) => globalThis.__states.push(s));
    })));
    await dcControl(ctx.server, 'faults', { dropAfter: 1 });
    assert.equal(await me(pages[0]), 'Demo', 'an idempotent call survives the drop');
    for (const page of pages) await page.waitForFunction(() => globalThis.__states.includes('reconnecting') && globalThis.__states.at(-1) === 'ready', null, { timeout: 0 });

    // The first page closes its client; the others go on.
    await inTab(pages[0], () => globalThis.__client.close());
    assert.equal(await me(pages[1]), 'Demo');
    assert.equal((await inTab(pages[1], () => globalThis.__client._stats())).tabs, 2);

    // The second page goes away mid-call without closing (a closed tab):
    // its call is dropped, the third page is not disturbed.
    const hung = (await dcStats(ctx.server)).hung;
    await dcControl(ctx.server, 'faults', { hangAfter: 1 });
    await inTab(pages[1], () => { globalThis.__client.getMe(); });
    await until('the call reached the DC', async () => (await dcStats(ctx.server)).hung > hung);
    await pages[1].close();
    await until('the shared worker saw the page go', async () => (await inTab(pages[2], () => globalThis.__client._stats())).tabs === 1);
    assert.equal(await me(pages[2]), 'Demo');
    assert.equal((await dcStats(ctx.server)).connections - before.connections, 1, 'still the one socket');
  } finally {
    await dcControl(ctx.server, 'faults', {});
    for (const page of pages) if (!page.isClosed()) await page.close();
  }
  // The last page gone, the socket closes after the grace period, and a
  // later page resumes the session from IndexedDB with no new key.
  await until('the socket closed', async () => (await dcStats(ctx.server)).connections === before.connections);
  const keys = (await dcStats(ctx.server)).authKeys;
  const later = await tab(ctx, { worker: 'shared', storage });
  try {
    assert.equal(await me(later), 'Demo');
    assert.equal((await dcStats(ctx.server)).authKeys, keys, 'the kept key, no new one');
    await inTab(later, () => globalThis.__client.close());
  } finally {
    await later.close();
  }
});

for (const kind of ['indexedDB', 'localStorage']) {
  test(`[tabs] two pages starting at once on an empty ${kind} store end with one auth key`, async (ctx) => {
    const storage = { [kind]: storageKey(kind) };
    await quiet(ctx);
    const before = await dcStats(ctx.server);
    const pages = await Promise.all([blankPage(ctx.browser, ctx.server.url), blankPage(ctx.browser, ctx.server.url)]);
    try {
      // Both create their client and make their first call at once.
      const sessions = await Promise.all(pages.map((page, i) => page.evaluate(async ({ storage, worker }) => {
        const tg = await import('/tgwasm.js');
        const config = await (await fetch('/testdc/config')).json();
        globalThis.__client = await tg.createClient({ apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, storage, worker });
        await globalThis.__client.getMe();
        return globalThis.__client.exportSession();
      }, { storage, worker: i === 0 })));
      assert.ok(sessions[0].length > 300);
      assert.equal(sessions[1], sessions[0], 'both use the key the first one made');
      assert.equal((await dcStats(ctx.server)).authKeys - before.authKeys, 1, 'one auth key');
      // A reload (a new page on the store) sees it.
      const later = await tab(ctx, { storage });
      assert.equal(await session(later), sessions[0]);
      if (kind === 'localStorage') {
        // Removed by hand, it stays removed: the record that hands a key
        // to tabs that read the store before it was made (storage.js) is
        // older than the next page.
        await inTab(later, async (key) => { await globalThis.__client.close(); localStorage.removeItem(key); }, storage.localStorage);
        const keys = (await dcStats(ctx.server)).authKeys;
        const fresh = await tab(ctx, { storage });
        assert.equal(await me(fresh), 'Demo');
        assert.notEqual(await session(fresh), sessions[0], 'a new key, not the removed one');
        assert.equal((await dcStats(ctx.server)).authKeys, keys + 1);
        await fresh.close();
      }
      await later.close();
    } finally {
      for (const page of pages) await page.close();
    }
  });
}

test('[tabs] a logout in one page is seen by the others, shared or not', async (ctx) => {
  for (const worker of ['shared', true]) {
    const storage = { indexedDB: storageKey('logout') };
    const a = await tab(ctx, { worker, storage });
    const b = await tab(ctx, { worker, storage });
    try {
      assert.equal(await me(a), 'Demo');
      assert.equal(await me(b), 'Demo');
      assert.equal(await inTab(a, () => globalThis.__client.logOut()), true);
      const seen = await inTab(b, async () => {
        try { await globalThis.__client.getMe(); return 'still logged in'; } catch (e) { return `${e.name} ${e.code} ${e.errorMessage}`; }
      });
      assert.equal(seen, 'RPCError 401 AUTH_KEY_UNREGISTERED', `worker: ${worker}`);
    } finally {
      await a.close();
      await b.close();
    }
  }
});

test('[tabs] where SharedWorker does not exist, \'shared\' runs a dedicated Worker and says so', async (ctx) => {
  const page = await blankPage(ctx.browser, ctx.server.url);
  try {
    const r = await page.evaluate(async () => {
      delete globalThis.SharedWorker; // as on Chrome for Android
      const tg = await import('/tgwasm.js');
      const config = await (await fetch('/testdc/config')).json();
      const client = await tg.createClient({ apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker: 'shared' });
      const out = { mode: client.mode, me: (await client.getMe()).firstName };
      await client.close();
      return out;
    });
    assert.deepEqual(r, { mode: 'worker', me: 'Demo' });
  } finally {
    await page.close();
  }
});
