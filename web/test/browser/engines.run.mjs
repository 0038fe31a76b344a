// The cross-engine set: what users do, in Firefox (firefox-esr over
// WebDriver BiDi) and WebKit (WebKitGTK's MiniBrowser through
// WebKitWebDriver), against the dev server's local DC. Chromium runs the
// full suite (chromium.run.mjs); helpers/engines.mjs hides how each engine is driven.
//
//   node web/test/browser/engines.run.mjs            (dist/ must be built)
//   TGWASM_ENGINES=webkit node web/test/browser/engines.run.mjs
//
// Like every test here, these assert what happens, never how long it took
// (scripts/bench.sh has the per-engine figures).
import assert from 'node:assert/strict';
import { badInput, runBadInput } from '../helpers/bad-input.mjs';
import { ENGINES, engineAvailable, launchEngine } from '../helpers/engines.mjs';
import { BLANK } from '../helpers/paths.mjs';
import { dcControl, dcStats, startServer } from '../helpers/server.mjs';
import { runTests, test } from '../helpers/runner.mjs';

const engines = (process.env.TGWASM_ENGINES || 'firefox,webkit').split(',');
for (const e of engines) if (!ENGINES.includes(e)) throw new Error(`unknown engine ${e}`);

const MODES = [true, false, 'shared'];
const modeName = (worker) => ({ true: 'worker', false: 'thread', shared: 'shared' })[worker];
let unique = 0;
const key = (name) => `tgwasm-cross:${name}:${Date.now()}:${unique++}`;
const until = async (cond) => { while (!(await cond())) await new Promise((r) => setTimeout(r, 50)); };
// Earlier tests' connections are gone first, so that counts are ours.
const quiet = (ctx) => until(async () => (await dcStats(ctx.server)).connections === 0);
const blank = (ctx) => ctx.engine.newTab(`${ctx.server.url}${BLANK}`);

for (const name of engines) {
  // Each engine asks for codes on numbers of its own: the DC allows five
  // requests per number a minute, and engines may run within one minute.
  const phone = (line) => `+1 555 ${ENGINES.indexOf(name)}23 ${line}`;
  const t = (title, fn) => test(`[${name}] ${title}`, (ctx) => fn({ ...ctx, engine: ctx.engines[name] }));

  t('the card\'s job in every mode: both methods, a SentCode\'s shape, an RPCError, a TypeError before sending', async (ctx) => {
    const tab = await blank(ctx);
    try {
      for (const worker of MODES) {
        const r = await tab.run(async (tg, base, { worker, storage, change, verify: verifyPhone }) => {
          const client = await tg.createClient({ ...base, worker, storage });
          const states = [];
          client.on('state', (s) => states.push(s));
          const sent = await client.sendChangePhoneCode({ phoneNumber: change, settings: { allowFlashcall: true } });
          const verify = await client.sendVerifyPhoneCode({ phoneNumber: verifyPhone });
          const err = async (p) => {
            try { await p; return 'resolved'; } catch (e) {
              return { rpc: e instanceof tg.RPCError, name: e.name, message: e.message, code: e.code, errorMessage: e.errorMessage };
            }
          };
          const out = {
            mode: client.mode,
            sent: JSON.parse(JSON.stringify(sent)),
            nonceIsBytes: verify.type.nonce instanceof Uint8Array,
            projectId: String(verify.type.playIntegrityProjectId),
            rpc: await err(client.sendChangePhoneCode({ phoneNumber: '+1 555 CALL NOW' })),
            type: await err(client.sendChangePhoneCode({ phoneNumber: 15551234567 })),
            me: (await client.getMe()).firstName,
          };
          await client.close();
          out.states = states;
          return out;
        }, { worker, storage: worker === 'shared' ? { indexedDB: key('job') } : 'memory', change: phone('4501'), verify: phone('4508') });
        const mode = modeName(worker);
        assert.equal(r.mode, mode);
        assert.equal(r.sent.className, 'auth.SentCode', mode);
        assert.deepEqual(r.sent.type, { className: 'auth.SentCodeTypeSms', length: 5 }, mode);
        assert.deepEqual(r.sent.nextType, { className: 'auth.CodeTypeCall' }, mode);
        assert.ok(r.nonceIsBytes, mode);
        assert.equal(r.projectId, '1234567890123456789', mode);
        assert.deepEqual(r.rpc, { rpc: true, name: 'RPCError', message: '400: PHONE_NUMBER_INVALID (caused by account.sendChangePhoneCode)', code: 400, errorMessage: 'PHONE_NUMBER_INVALID' }, mode);
        assert.deepEqual(r.type, { rpc: false, name: 'TypeError', message: 'phoneNumber must be a string, not a number' }, mode);
        assert.equal(r.me, 'Demo', mode);
        assert.equal(r.states.at(-1), 'closed', mode);
      }
    } finally {
      await tab.close();
    }
  });

  t('bad input: every option and argument of the table gives its TypeError or RangeError, word for word, in Worker and thread mode', async (ctx) => {
    const tab = await blank(ctx);
    try {
      for (const worker of [true, false]) {
        const job = `async (tg, base, { worker, pem }) => {
          const badInput = ${badInput};
          const runBadInput = ${runBadInput};
          const client = await tg.createClient({ ...base, worker });
          await client.getMe();
          const rows = await runBadInput(tg, base, pem, client);
          await client.close();
          return rows;
        }`;
        const rows = await tab.run(job, { worker, pem: ctx.config.publicKeys[0] });
        assert.ok(rows.length > 90, `${rows.length} rows`);
        for (const [label, got, expected] of rows) assert.equal(got, expected, `${modeName(worker)}: ${label}`);
      }
    } finally {
      await tab.close();
    }
  });

  t('sessions both ways: an exported session resumes without a new key; IndexedDB keeps it for the next page', async (ctx) => {
    await quiet(ctx);
    const storage = { indexedDB: key('session') };
    const tab = await blank(ctx);
    try {
      const first = await tab.run(async (tg, base, storage) => {
        const client = await tg.createClient({ ...base, storage });
        await client.getMe();
        const session = await client.exportSession();
        await client.close();
        return session;
      }, storage);
      assert.match(first, /^1[A-Za-z0-9+/=_-]{300,}$/);
      const keys = (await dcStats(ctx.server)).authKeys;
      for (const worker of [true, false]) {
        const again = await tab.run(async (tg, base, { session, worker }) => {
          const client = await tg.createClient({ ...base, session, worker });
          const me = (await client.getMe()).firstName;
          const out = { me, same: (await client.exportSession()) === session };
          await client.close();
          return out;
        }, { session: first, worker });
        assert.deepEqual(again, { me: 'Demo', same: true }, modeName(worker));
      }
      await tab.goto(`${ctx.server.url}${BLANK}`); // a new page
      const kept = await tab.run(async (tg, base, storage) => {
        const client = await tg.createClient({ ...base, storage });
        const out = { me: (await client.getMe()).firstName, session: await client.exportSession() };
        await client.close();
        return out;
      }, storage);
      assert.deepEqual(kept, { me: 'Demo', session: first });
      assert.equal((await dcStats(ctx.server)).authKeys, keys, 'no new auth key');
    } finally {
      await tab.close();
    }
  });

  t('three tabs in \'shared\' mode hold one socket and one key; two pages starting at once on IndexedDB make one key', async (ctx) => {
    await quiet(ctx);
    const storage = { indexedDB: key('shared') };
    const before = await dcStats(ctx.server);
    const tabs = [];
    try {
      for (let i = 0; i < 3; i++) tabs.push(await blank(ctx));
      const open = async (tab, options) => tab.run(async (tg, base, options) => {
        globalThis.__client = await tg.createClient({ ...base, ...options });
        return { mode: globalThis.__client.mode, me: (await globalThis.__client.getMe()).firstName };
      }, options);
      for (const tab of tabs) assert.deepEqual(await open(tab, { worker: 'shared', storage }), { mode: 'shared', me: 'Demo' });
      const after = await dcStats(ctx.server);
      assert.equal(after.connections - before.connections, 1, 'one socket for three tabs');
      assert.equal(after.authKeys - before.authKeys, 1, 'one auth key');
      const sessions = await Promise.all(tabs.map((tab) => tab.run(async () => globalThis.__client.exportSession(), null, { tgwasm: false })));
      assert.ok(sessions.every((s) => s === sessions[0]), 'one session');
      assert.equal((await tabs[2].run(async () => (await globalThis.__client._stats()).tabs, null, { tgwasm: false })), 3);
      for (const tab of tabs) await tab.run(async () => globalThis.__client.close(), null, { tgwasm: false });

      // Two pages on one empty store, at the same moment.
      await quiet(ctx);
      const keys = (await dcStats(ctx.server)).authKeys;
      const fresh = { indexedDB: key('race') };
      const ids = await Promise.all(tabs.slice(0, 2).map((tab) => tab.start(async (tg, base, storage) => {
        const client = await tg.createClient({ ...base, storage });
        await client.getMe();
        const s = await client.exportSession();
        await client.close();
        return s;
      }, fresh)));
      const raced = await Promise.all(ids.map((id, i) => tabs[i].result(id)));
      assert.equal(raced[0], raced[1], 'one session');
      assert.equal((await dcStats(ctx.server)).authKeys - keys, 1, 'one auth key');
    } finally {
      for (const tab of tabs) await tab.close();
    }
  });

  t('onProgress hears the download, growing to the total, in every mode', async (ctx) => {
    const tab = await blank(ctx);
    try {
      for (const worker of MODES) {
        const events = await tab.run(async (tg, base, { worker, storage }) => {
          const events = [];
          // A URL of its own, so that the download is not this page's
          // compiled module from before.
          const wasmUrl = `/tgwasm.wasm?progress=${Math.random()}`;
          const client = await tg.createClient({ ...base, worker, storage, wasmUrl, onProgress: (p) => events.push(p) });
          await client.close();
          return events;
        }, { worker, storage: worker === 'shared' ? { indexedDB: key('progress') } : 'memory' });
        const mode = modeName(worker);
        assert.ok(events.length >= 2, `${mode}: ${events.length} events`);
        const total = events.at(-1).total;
        assert.ok(total > 1_000_000 || total === null, `${mode}: total ${total}`);
        assert.equal(events.at(-1).loaded, events.at(-1).total, `${mode}: the last event is the whole module`);
        for (let i = 1; i < events.length; i++) assert.ok(events[i].loaded >= events[i - 1].loaded, `${mode}: loaded grows`);
      }
    } finally {
      await tab.close();
    }
  });

  t('a call on a link gone silent completes on a new connection, while the old socket is still held, in Worker and thread mode', async (ctx) => {
    const tab = await blank(ctx);
    try {
      for (const worker of [true, false]) {
        await tab.run(async (tg, base, worker) => {
          globalThis.__client = await tg.createClient({ ...base, worker });
          await globalThis.__client.getMe();
        }, worker);
        const opened = (await dcStats(ctx.server)).connectionsOpened;
        const silenced = (await dcControl(ctx.server, 'blackhole')).ids;
        assert.ok(silenced.length >= 1);
        const sent = await tab.run(async (phoneNumber) => (await globalThis.__client.sendChangePhoneCode({ phoneNumber }, { timeout: 60000 })).className, phone('8001'), { tgwasm: false });
        assert.equal(sent, 'auth.SentCode', modeName(worker));
        const after = await dcStats(ctx.server);
        assert.ok(after.connectionsOpened > opened, `${modeName(worker)}: a new connection`);
        const held = new Set(after.silencedIds);
        assert.ok(silenced.every((id) => held.has(id)), `${modeName(worker)}: without waiting for the dead socket's closing handshake`);
        await tab.run(async () => globalThis.__client.close(), null, { tgwasm: false });
      }
    } finally {
      await tab.close();
    }
  });

  t('the demo: connects by itself, a change-phone code renders, an error reads well', async (ctx) => {
    const tab = await ctx.engine.newTab(ctx.server.url);
    try {
      await tab.until('document.querySelector("#status") && document.querySelector("#status").dataset.state === "ready"');
      await tab.until('!document.querySelector("#me").hidden');
      const name = await tab.eval('document.querySelector("#me-name").textContent');
      assert.equal(name, 'Demo User');
      await tab.eval(`(() => {
        document.querySelector('#change .phone').value = ${JSON.stringify(phone('4501'))};
        document.querySelector('#change .send-button').click();
        document.querySelector('#verify .phone').value = '+1 555 CALL NOW';
        document.querySelector('#verify .send-button').click();
      })()`);
      await tab.until('!document.querySelector("#change .result").hidden && !document.querySelector("#verify .failure").hidden');
      assert.equal(await tab.eval('document.querySelector("#change .result .readable").textContent'), 'Code sent by SMS, 5 digits');
      assert.equal(await tab.eval('document.querySelector("#verify .error-text").textContent'), 'This phone number is invalid');
      const log = await tab.eval('globalThis.__tgwasmDemo.log.map((l) => l.message).join("\\n")');
      assert.match(log, /dc 2: ready/);
    } finally {
      await tab.close();
    }
  });
}

runTests(async () => {
  const server = await startServer();
  const config = await (await fetch(`${server.url}testdc/config`)).json();
  const launched = {};
  for (const name of engines) {
    if (!engineAvailable(name)) throw new Error(`${name} is not installed (scripts/test.sh installs firefox-esr, webkit2gtk-driver and xvfb)`);
    launched[name] = await launchEngine(name);
    console.log(`${name}: ${launched[name].version}`);
  }
  return {
    server,
    config,
    engines: launched,
    teardown: async () => {
      for (const e of Object.values(launched)) await e.close();
      await server.stop();
    },
  };
});
