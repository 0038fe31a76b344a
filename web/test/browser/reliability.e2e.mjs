// Reliability tests in Chromium, in both modes: dropped sockets, a refusing
// DC, forgotten and revoked keys, skewed clocks, big and gzip answers, and
// bad input. They change the DC's fault switches and put them back after each test.
import assert from 'node:assert/strict';
import { badInput, runBadInput } from '../helpers/bad-input.mjs';
import { dcControl, dcStats } from '../helpers/server.mjs';
import { blankPage } from '../helpers/chromium.mjs';
import { test } from '../helpers/runner.mjs';

// Runs fn(tg, base, arg) in a page of the server's origin.
async function inPage(ctx, mode, fn, arg) {
  const page = await blankPage(ctx.browser, ctx.server.url);
  try {
    const src = `(async () => {
      const tg = await import('/tgwasm.js');
      const config = await (await fetch('/testdc/config')).json();
      const base = { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker: ${mode === 'worker'} };
      return (${fn})(tg, base, ${JSON.stringify(arg)});
    })()`;
    return await page.evaluate(src);
  } finally {
    await page.close();
  }
}

for (const mode of ['worker', 'thread']) {
  test(`[reliability ${mode}] sockets dropped again and again: every call settles once, all complete`, async (ctx) => {
    await dcControl(ctx.server, 'faults', { dropEvery: 5 });
    try {
      const r = await inPage(ctx, mode, async (tg, base, mode) => {
        const client = await tg.createClient(base);
        const states = [];
        client.on('state', (s) => states.push(s));
        await client.getMe();
        let settlements = 0;
        const calls = [];
        for (let i = 0; i < 40; i++) {
          const p = client.sendChangePhoneCode({ phoneNumber: `+1555${String(20000 + i)}${mode === 'worker' ? '01' : '11'}` }, { timeout: 20000 });
          p.then(() => settlements++, () => settlements++);
          calls.push(p);
        }
        const results = await Promise.allSettled(calls);
        await new Promise((r) => setTimeout(r, 50)); // would catch a second settlement
        await client.close();
        return {
          fulfilled: results.filter((x) => x.status === 'fulfilled').length,
          rejected: results.filter((x) => x.status === 'rejected').map((x) => x.reason.message),
          settlements,
          reconnects: states.filter((s) => s === 'reconnecting').length,
          last: states.at(-1),
        };
      }, mode);
      assert.deepEqual(r.rejected, []);
      assert.equal(r.fulfilled, 40);
      assert.equal(r.settlements, 40, 'each promise settled once');
      assert.ok(r.reconnects >= 3, `state events told about ${r.reconnects} reconnects`);
      assert.equal(r.last, 'closed');
    } finally {
      await dcControl(ctx.server, 'faults', {});
    }
  });

  test(`[reliability ${mode}] a refusing DC gives ConnectionError within the timeout, then recovery`, async (ctx) => {
    const r = await inPage(ctx, mode, async (tg, base) => {
      const post = (body) => fetch('/testdc/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const client = await tg.createClient(base);
      await client.getMe();
      await post({ refuse: true, dropAfter: 1 });
      // Two refused attempts end the call long before this deadline.
      let err;
      try { await client.getMe({}, { timeout: 60000 }); } catch (e) { err = e; }
      await post({});
      const me = await client.getMe();
      await client.close();
      return { connectionError: err instanceof tg.ConnectionError, message: err && err.message, cause: err && err.cause && err.cause.message, recovered: me.firstName };
    });
    assert.ok(r.connectionError, r.message);
    assert.equal(r.message, 'cannot reach the DC');
    assert.match(r.cause, /dial ws:\/\//);
    assert.equal(r.recovered, 'Demo');
  });

  test(`[reliability ${mode}] a forgotten key is replaced; a revoked one is reported once`, async (ctx) => {
    const before = await dcStats(ctx.server);
    const r = await inPage(ctx, mode, async (tg, base) => {
      const post = (what) => fetch(`/testdc/${what}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const client = await tg.createClient(base);
      await client.getMe();
      const s1 = await client.exportSession();
      await post('forget');
      const sent = await client.sendChangePhoneCode({ phoneNumber: '+15550303001' });
      const s2 = await client.exportSession();
      await post('revoke');
      const n0 = (await (await fetch('/testdc/stats')).json()).requests;
      let err;
      try { await client.getMe(); } catch (e) { err = e; }
      const n1 = (await (await fetch('/testdc/stats')).json()).requests;
      await client.close();
      return { newKey: s1 !== s2, sent: sent.className, code: err.code, errorMessage: err.errorMessage, rpc: err instanceof tg.RPCError, requests: n1 - n0 };
    });
    assert.ok(r.newKey, 'a fresh key');
    assert.equal(r.sent, 'auth.SentCode');
    assert.deepEqual([r.rpc, r.code, r.errorMessage], [true, 401, 'AUTH_KEY_UNREGISTERED']);
    assert.equal(r.requests, 1, 'reported without retrying');
    assert.ok((await dcStats(ctx.server)).requests > before.requests);
  });

  test(`[reliability ${mode}] the DC's clock an hour ahead or behind`, async (ctx) => {
    try {
      for (const offset of [3600, -3600]) {
        // A client connected before the change, and one created after it.
        const r = await inPage(ctx, mode, async (tg, base, offset) => {
          const post = (body) => fetch('/testdc/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          const early = await tg.createClient(base);
          await early.getMe();
          await post({ clockOffsetSeconds: offset });
          const a = await early.sendChangePhoneCode({ phoneNumber: '+15550404001' });
          const late = await tg.createClient(base);
          const b = await late.sendChangePhoneCode({ phoneNumber: '+15550404101' });
          await early.close();
          await late.close();
          await post({});
          return [a.className, b.className];
        }, offset);
        assert.deepEqual(r, ['auth.SentCode', 'auth.SentCode'], `offset ${offset}`);
      }
    } finally {
      await dcControl(ctx.server, 'faults', {});
    }
  });

  test(`[reliability ${mode}] 1 MiB and gzip-packed answers arrive intact`, async (ctx) => {
    const r = await inPage(ctx, mode, async (tg, base) => {
      const client = await tg.createClient(base);
      const big = await client.sendChangePhoneCode({ phoneNumber: '+15550505023' });
      const gz = await client.sendChangePhoneCode({ phoneNumber: '+15550505024' });
      await client.close();
      return { bigLength: big.phoneCodeHash.length, bigTail: big.phoneCodeHash.slice(-4), gz: gz.type.className, gzNext: gz.nextType.className };
    });
    assert.deepEqual(r, { bigLength: 1 << 20, bigTail: 'xxxx', gz: 'auth.SentCodeTypeSms', gzNext: 'auth.CodeTypeCall' });
  });

  test(`[reliability ${mode}] the bad-input table: the documented error for every row, nothing sent`, async (ctx) => {
    const page = await blankPage(ctx.browser, ctx.server.url);
    try {
      const r = await page.evaluate(`(async () => {
        const badInput = ${badInput};
        const runBadInput = ${runBadInput};
        const tg = await import('/tgwasm.js');
        const config = await (await fetch('/testdc/config')).json();
        const base = { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker: ${mode === 'worker'} };
        const client = await tg.createClient(base);
        await client.getMe(); // connected; now count requests
        const stats = async () => (await (await fetch('/testdc/stats')).json()).requests;
        const n0 = await stats();
        const before = performance.getEntriesByType('resource').length;
        const rows = await runBadInput(tg, base, config.publicKeys[0], client);
        const fetched = performance.getEntriesByType('resource').length - before;
        const sent = (await stats()) - n0;
        const still = (await client.sendChangePhoneCode({ phoneNumber: '+15550606001' })).className;
        await client.close();
        return { rows, sent, still, fetched };
      })()`);
      assert.deepEqual(r.rows.filter(([, got, expected]) => got !== expected), [], 'every row gives its documented error');
      assert.equal(r.sent, 0, 'no request reached the DC');
      assert.equal(r.fetched, 0, 'nothing was fetched: bad options fail before any network I/O');
      assert.equal(r.still, 'auth.SentCode', 'the client still works');
      console.log(`     ${r.rows.length} bad inputs, e.g. "${r.rows[40][1]}"`);
    } finally {
      await page.close();
    }
  });
}

// What the Go runtime does when a panic ends the program (runtime.wasmExit
// with code 2, then wasm_exec.js resolving the program's exit promise),
// done to the Go instance from outside. Runs in the page or the worker.
function crashGo(go) {
  go.exited = true;
  delete go._inst;
  delete go._values;
  delete go._goRefCounts;
  delete go._ids;
  delete go._idPool;
  go.exit(2);
  go._resolveExitPromise();
}

// Makes the page (thread mode) or the worker (worker mode) keep the Go
// instance in globalThis.__lastGo and crash it on a '__crash' message.
async function installCrashSwitch(page, mode) {
  await page.evaluate(async ({ mode, crashSrc }) => {
    if (mode === 'thread') {
      await import('/wasm_exec.js');
      const G = globalThis.Go;
      globalThis.Go = class extends G { constructor() { super(); globalThis.__lastGo = this; } };
      globalThis.__crash = () => (0, eval)(`(${crashSrc})`)(globalThis.__lastGo);
      return;
    }
    // Static imports only: the worker must take its first message (init)
    // when it has evaluated, as worker.js does.
    const blob = (src) => URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    const patch = blob(`const G = globalThis.Go;
      globalThis.Go = class extends G { constructor() { super(); globalThis.__lastGo = this; } };`);
    const RealWorker = globalThis.Worker;
    globalThis.Worker = class extends RealWorker {
      constructor(url, options) {
        super(blob(`import ${JSON.stringify(new URL('/wasm_exec.js', location.href).href)};
          import ${JSON.stringify(patch)};
          import ${JSON.stringify(new URL(url, location.href).href)};
          self.addEventListener('message', (e) => { if (e.data && e.data.type === '__crash') (${crashSrc})(globalThis.__lastGo); });`), options);
        globalThis.__crash = () => this.postMessage({ type: '__crash' });
      }
    };
  }, { mode, crashSrc: crashGo.toString() });
}

for (const mode of ['worker', 'thread']) {
  test(`[reliability ${mode}] the wasm crashing: pending and later calls reject, the session survives`, async (ctx) => {
    const page = await blankPage(ctx.browser, ctx.server.url);
    try {
      await installCrashSwitch(page, mode);
      const r = await page.evaluate(async (mode) => {
        const tg = await import('/tgwasm.js');
        const config = await (await fetch('/testdc/config')).json();
        const base = { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker: mode === 'worker' };
        const client = await tg.createClient(base);
        const states = [];
        client.on('state', (s) => states.push(s));
        await client.sendChangePhoneCode({ phoneNumber: '+15550700701' });
        const before = await client.exportSession();
        const outcome = (p) => p.then((v) => `resolved ${v && v.className}`, (e) => `${e.constructor.name}: ${e.message}`);
        // The DC holds the next request: it is pending when the program dies.
        const hung = async () => (await (await fetch('/testdc/stats')).json()).hung;
        const n = await hung();
        await fetch('/testdc/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hangAfter":1}' });
        const pending = outcome(client.sendChangePhoneCode({ phoneNumber: '+15550700801' }));
        while ((await hung()) === n) await new Promise((res) => setTimeout(res, 10));
        globalThis.__crash();
        const out = { pending: await pending };
        out.later = await outcome(client.sendVerifyPhoneCode({ phoneNumber: '+15550700901' }));
        out.states = states.join(' ');
        out.state = client.state;
        out.sameSession = (await client.exportSession()) === before && before.length > 300;
        await client.close();
        // A new client resumes the login from that session.
        const again = await tg.createClient({ ...base, session: before });
        out.resumed = (await again.getMe()).firstName;
        await again.close();
        return out;
      }, mode);
      const stopped = 'ConnectionError: tgwasm: the wasm program stopped (a Go panic: see the console); its session is still in exportSession(); create a new client';
      assert.equal(r.pending, stopped);
      assert.equal(r.later, stopped);
      assert.match(r.states, /ready closed$/);
      assert.equal(r.state, 'closed');
      assert.ok(r.sameSession);
      assert.equal(r.resumed, 'Demo');
      // The dead program's timers report it, as after a real crash.
      assert.deepEqual(page.errors.map(String).filter((e) => !/Go program has already exited|exit code: 2/.test(e)), []);
    } finally {
      await page.close();
      await dcControl(ctx.server, 'faults', {});
    }
  });
}
