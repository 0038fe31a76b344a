// Reliability tests in Chromium, in both modes: dropped sockets, a refusing
// DC, forgotten and revoked keys, skewed clocks, big and gzip answers, and
// bad input. They change the DC's fault switches and put them back after each test.
import assert from 'node:assert/strict';
import { blankPage, test } from './lib.mjs';

async function faults(ctx, settings) {
  const res = await fetch(`${ctx.server.url}testdc/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) });
  assert.equal(res.status, 200);
}

async function control(ctx, what) {
  const res = await fetch(`${ctx.server.url}testdc/${what}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 200);
}

async function stats(ctx) {
  return (await fetch(`${ctx.server.url}testdc/stats`)).json();
}

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
    await faults(ctx, { dropEvery: 5 });
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
      await faults(ctx, {});
    }
  });

  test(`[reliability ${mode}] a refusing DC gives ConnectionError within the timeout, then recovery`, async (ctx) => {
    const r = await inPage(ctx, mode, async (tg, base) => {
      const post = (body) => fetch('/testdc/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const client = await tg.createClient(base);
      await client.getMe();
      await post({ refuse: true, dropAfter: 1 });
      const t0 = performance.now();
      let err;
      try { await client.getMe({}, { timeout: 3000 }); } catch (e) { err = e; }
      const ms = performance.now() - t0;
      await post({});
      const me = await client.getMe();
      await client.close();
      return { connectionError: err instanceof tg.ConnectionError, message: err && err.message, cause: err && err.cause && err.cause.message, ms, recovered: me.firstName };
    });
    assert.ok(r.connectionError, r.message);
    assert.ok(r.ms < 3500, `${r.ms} ms`);
    assert.match(r.cause, /dial ws:\/\//);
    assert.equal(r.recovered, 'Demo');
  });

  test(`[reliability ${mode}] a forgotten key is replaced; a revoked one is reported once`, async (ctx) => {
    const before = await stats(ctx);
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
    assert.ok((await stats(ctx)).requests > before.requests);
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
      await faults(ctx, {});
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

  test(`[reliability ${mode}] 70 malformed arguments and options: TypeError/RangeError naming the field, nothing sent`, async (ctx) => {
    const before = await stats(ctx);
    const r = await inPage(ctx, mode, async (tg, base) => {
      const out = [];
      const expect = async (label, p) => {
        try { await p; out.push(`${label}: resolved`); } catch (e) {
          out.push(`${label}: ${e instanceof TypeError ? 'TypeError' : e instanceof RangeError ? 'RangeError' : `other ${e.name}`}: ${e.message}`);
        }
      };
      // Options: rejected before anything is fetched.
      const badOptions = [
        null, 'options', 42, [], { ...base, apiId: undefined }, { ...base, apiId: 1.5 }, { ...base, apiId: -3 },
        { ...base, apiId: 10n }, { ...base, apiId: NaN }, { ...base, apiId: Infinity }, { ...base, apiHash: 7 },
        { ...base, apiHash: 'z'.repeat(32) }, { ...base, apiHash: 'a'.repeat(10_000_000) }, { ...base, server: 42 },
        { ...base, server: { ...base.server, dcId: 0 } }, { ...base, server: { ...base.server, dcId: '2' } },
        { ...base, server: { ...base.server, url: 'not a url' } }, { ...base, server: { ...base.server, publicKeys: 'pem' } },
        { ...base, server: { ...base.server, publicKeys: [] } }, { ...base, server: { ...base.server, extra: 1 } },
        { ...base, dcId: 1 }, { ...base, timeout: -5 }, { ...base, timeout: 2n }, { ...base, floodSleepThreshold: '60' },
        { ...base, storage: 5 }, { ...base, storage: { localStorage: '' } }, { ...base, worker: 'yes' },
        { ...base, wasmUrl: 12 }, { ...base, device: 'chrome' }, { ...base, device: { langCode: null } },
        { ...base, session: 12 }, Object.freeze({ ...base, apiHash: 'nope' }),
        new Proxy({ ...base }, { ownKeys() { throw new Error('trap'); } }),
        { ...base, get apiHash() { throw new Error('getter'); } },
      ];
      for (const [i, o] of badOptions.entries()) await expect(`option ${i}`, tg.createClient(o));

      const client = await tg.createClient(base);
      await client.getMe(); // connected; now count requests
      const n0 = (await (await fetch('/testdc/stats')).json()).requests;
      const { proxy, revoke } = Proxy.revocable({ phoneNumber: '+1' }, {});
      revoke();
      const badArgs = [
        undefined, null, '+15551234567', 15551234567, [], () => {}, Symbol('x'), 10n,
        {}, { phoneNumber: undefined }, { phoneNumber: null }, { phoneNumber: 1555 }, { phoneNumber: 1555n },
        { phoneNumber: NaN }, { phoneNumber: ['+1'] }, { phoneNumber: { toString: () => '+1' } },
        { phoneNumber: '1'.repeat(33) }, { phoneNumber: '1'.repeat(5_000_000) }, { phoneNumber: '+1', settings: null },
        { phoneNumber: '+1', settings: 'flash' }, { phoneNumber: '+1', settings: [] },
        { phoneNumber: '+1', settings: { allowFlashcall: 1 } }, { phoneNumber: '+1', settings: { allowFlashCall: true } },
        { phoneNumber: '+1', settings: { token: 5 } }, { phoneNumber: '+1', settings: { token: 't'.repeat(5000) } },
        { phoneNumber: '+1', settings: { logoutTokens: 'x' } }, { phoneNumber: '+1', settings: { logoutTokens: [[1, 2]] } },
        { phoneNumber: '+1', settings: { logoutTokens: [new Uint16Array(2)] } },
        { phoneNumber: '+1', settings: { logoutTokens: Array(65).fill(new Uint8Array(1)) } },
        { phoneNumber: '+1', settings: { logoutTokens: [new Uint8Array(1025)] } },
        { phoneNumber: '+1', extra: true }, { get phoneNumber() { throw new Error('getter'); } }, proxy,
        new Proxy({}, { get() { throw new Error('get trap'); }, ownKeys() { return ['phoneNumber']; }, getOwnPropertyDescriptor() { return { enumerable: true, configurable: true }; } }),
      ];
      for (const [i, a] of badArgs.entries()) await expect(`args ${i}`, client.sendChangePhoneCode(a));
      await expect('callOptions', client.getMe({}, 'fast'));
      await expect('timeout NaN', client.getMe({}, { timeout: NaN }));
      await expect('timeout bigint', client.getMe({}, { timeout: 5n }));
      await expect('changePhone without code', client.changePhone({ phoneNumber: '+1', phoneCodeHash: 'h' }));
      const n1 = (await (await fetch('/testdc/stats')).json()).requests;
      const still = await client.sendChangePhoneCode({ phoneNumber: '+15550606001' });
      await client.close();
      return { out, sent: n1 - n0, still: still.className, options: badOptions.length, args: badArgs.length + 4 };
    });
    assert.ok(r.options + r.args >= 70, `${r.options + r.args} shapes`);
    for (const line of r.out) assert.match(line, /: (TypeError|RangeError): \S/, line);
    // Every message names what is wrong.
    for (const line of r.out.filter((l) => l.startsWith('args'))) assert.match(line, /(phoneNumber|settings|params|timeout|callOptions|extra|phoneCode)/, line);
    for (const line of r.out.filter((l) => l.startsWith('option'))) assert.match(line, /options/, line);
    assert.equal(r.sent, 0, 'no request reached the DC');
    assert.equal(r.still, 'auth.SentCode', 'the client still works');
    console.log(`     ${r.options} option shapes and ${r.args} argument shapes refused, e.g. "${r.out[40]}"`);
    assert.ok((await stats(ctx)).requests >= before.requests);
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
          self.addEventListener('message', (e) => { if (e.data && e.data.t === '__crash') (${crashSrc})(globalThis.__lastGo); });`), options);
        globalThis.__crash = () => this.postMessage({ t: '__crash' });
      }
    };
  }, { mode, crashSrc: crashGo.toString() });
}

for (const mode of ['worker', 'thread']) {
  test(`[reliability ${mode}] the wasm crashing: pending and later calls reject, the session survives`, async (ctx) => {
    await faults(ctx, { delayMs: 300 });
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
        const pending = outcome(client.sendChangePhoneCode({ phoneNumber: '+15550700801' }));
        await new Promise((res) => setTimeout(res, 50)); // the request is out; its answer is delayed
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
      await faults(ctx, {});
    }
  });
}
