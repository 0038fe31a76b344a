// The API in a blank page, both modes: results, errors, timeouts, aborts,
// flood waits and the worker's module loading.
import assert from 'node:assert/strict';
import { blankPage } from '../helpers/chromium.mjs';
import { test } from '../helpers/runner.mjs';

// Runs fn(tgwasm, baseOptions, arg) inside a blank page and returns its
// result. fn is serialized: it may use only its arguments and page globals.
async function inPage(ctx, mode, fn, arg) {
  const page = await blankPage(ctx.browser, ctx.server.url);
  try {
    await page.evaluate(() => {
      window.__setup = async (mode) => {
        const tgwasm = await import('/tgwasm.js');
        const config = await (await fetch('/testdc/config')).json();
        return [tgwasm, { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker: mode === 'worker' }];
      };
    });
    const wrapped = `async ({ mode, arg }) => { const [tg, base] = await window.__setup(mode); return (${fn.toString()})(tg, base, arg); }`;
    return await page.evaluate(`(${wrapped})(${JSON.stringify({ mode, arg })})`);
  } finally {
    await page.close();
  }
}

// Each file asks for codes on numbers of its own (demo.e2e.mjs +1 555 223…,
// gramjs.e2e.mjs +1 555 323…): the DC allows five requests per number a
// minute, and a quick machine runs several files within one.
for (const mode of ['worker', 'thread']) {
  test(`[${mode}] both methods, result shapes and state walk`, async (ctx) => {
    const r = await inPage(ctx, mode, async (tg, base) => {
      const states = [];
      const client = await tg.createClient(base);
      client.on('state', (s) => states.push(s));
      const sent = await client.sendChangePhoneCode({ phoneNumber: '+1 555 123 4501', settings: { allowFlashcall: true } });
      const verify = await client.sendVerifyPhoneCode({ phoneNumber: '+15551234508' });
      const me = await client.getMe();
      await client.close();
      return {
        states,
        sent: JSON.stringify(sent),
        nonceIsBytes: verify.type.nonce instanceof Uint8Array,
        projectIdType: typeof verify.type.playIntegrityProjectId,
        projectId: String(verify.type.playIntegrityProjectId),
        meId: typeof me.id,
        me: me.firstName,
      };
    });
    const sent = JSON.parse(r.sent);
    assert.equal(sent.className, 'auth.SentCode');
    assert.deepEqual(sent.type, { className: 'auth.SentCodeTypeSms', length: 5 });
    assert.deepEqual(sent.nextType, { className: 'auth.CodeTypeCall' });
    assert.equal(sent.timeout, 60);
    assert.ok(r.nonceIsBytes);
    assert.equal(r.projectIdType, 'bigint');
    assert.equal(r.projectId, '1234567890123456789');
    assert.equal(r.meId, 'bigint');
    assert.equal(r.me, 'Demo');
    assert.equal(r.states.at(-1), 'closed');
    assert.ok(r.states.includes('ready'), r.states.join());
  });

  test(`[${mode}] errors: classes, fields and messages`, async (ctx) => {
    const r = await inPage(ctx, mode, async (tg, base) => {
      const client = await tg.createClient(base);
      const out = {};
      const capture = async (name, p) => {
        try { await p; out[name] = 'resolved'; } catch (e) {
          out[name] = {
            cls: e instanceof tg.RPCError ? 'RPCError' : e instanceof tg.TimeoutError ? 'TimeoutError'
              : e instanceof tg.ConnectionError ? 'ConnectionError' : e instanceof DOMException ? 'DOMException'
                : e instanceof TypeError ? 'TypeError' : e instanceof RangeError ? 'RangeError' : 'Error',
            name: e.name, message: e.message, code: e.code, errorMessage: e.errorMessage,
            seconds: e.seconds, method: e.method, timeout: e.timeout, flood: e instanceof tg.FloodWaitError,
          };
        }
      };
      await capture('invalid', client.sendChangePhoneCode({ phoneNumber: '+1 555 CALL NOW' }));
      await capture('occupied', client.sendChangePhoneCode({ phoneNumber: '+9996620001' }));
      await capture('fresh', client.sendChangePhoneCode({ phoneNumber: '+447000000021' }));
      await capture('type', client.sendChangePhoneCode({ phoneNumber: 15551234567 }));
      await capture('fn', client.sendChangePhoneCode({ phoneNumber: () => '+1' }));
      await capture('getter', client.sendChangePhoneCode({ get phoneNumber() { throw new Error('getter boom'); } }));
      await capture('range', client.sendChangePhoneCode({ phoneNumber: '1'.repeat(100) }));
      await capture('tokens', client.sendChangePhoneCode({ phoneNumber: '+1', settings: { logoutTokens: [new Uint8Array(2), 'x'] } }));
      await capture('typo', client.sendChangePhoneCode({ phoneNumber: '+1', settings: { allowFlashCall: true } }));
      await capture('timeoutArg', client.getMe({}, { timeout: -1 }));
      await capture('signal', client.getMe({}, { signal: 'nope' }));
      const ac = new AbortController();
      ac.abort();
      await capture('preAborted', client.getMe({}, { signal: ac.signal }));
      await client.close();
      await capture('closed', client.getMe());
      return out;
    });
    assert.deepEqual(
      { cls: r.invalid.cls, code: r.invalid.code, errorMessage: r.invalid.errorMessage, method: r.invalid.method, message: r.invalid.message },
      { cls: 'RPCError', code: 400, errorMessage: 'PHONE_NUMBER_INVALID', method: 'account.sendChangePhoneCode', message: '400: PHONE_NUMBER_INVALID (caused by account.sendChangePhoneCode)' },
    );
    assert.equal(r.occupied.errorMessage, 'PHONE_NUMBER_OCCUPIED');
    assert.equal(r.fresh.code, 406);
    assert.deepEqual([r.type.cls, r.type.message], ['TypeError', 'phoneNumber must be a string, not a number']);
    assert.deepEqual([r.fn.cls, r.fn.message], ['TypeError', 'phoneNumber must be a string, not a function']);
    assert.deepEqual([r.getter.cls, r.getter.message], ['TypeError', 'phoneNumber could not be read: getter boom']);
    assert.deepEqual([r.range.cls, r.range.message], ['RangeError', 'phoneNumber is longer than 32 characters (UTF-16 code units)']);
    assert.deepEqual([r.tokens.cls, r.tokens.message], ['TypeError', 'settings.logoutTokens[1] must be a Uint8Array, not a string']);
    assert.deepEqual([r.typo.cls, r.typo.message], ['TypeError', 'settings.allowFlashCall is not a known option (did you mean allowFlashcall?)']);
    assert.deepEqual([r.timeoutArg.cls, r.timeoutArg.message], ['RangeError', 'callOptions.timeout must be 1 to 2147483647 milliseconds, not -1']);
    assert.deepEqual([r.signal.cls, r.signal.message], ['TypeError', 'callOptions.signal must be an AbortSignal, not a string']);
    assert.deepEqual([r.preAborted.cls, r.preAborted.name], ['DOMException', 'AbortError']);
    assert.deepEqual([r.closed.cls, r.closed.message], ['ConnectionError', 'the client is closed']);
  });

  test(`[${mode}] timeout, abort and flood wait`, async (ctx) => {
    // The DC leaves one request unanswered (hangAfter): only the timeout,
    // then only the abort, can settle the call.
    const r = await inPage(ctx, mode, async (tg, base) => {
      const post = (body) => fetch('/testdc/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const hung = async () => (await (await fetch('/testdc/stats')).json()).hung;
      const client = await tg.createClient({ ...base, floodSleepThreshold: 0 });
      await client.getMe();
      const out = {};
      await post({ hangAfter: 1 });
      try { await client.getMe({}, { timeout: 300 }); out.timeout = 'resolved'; } catch (e) { out.timeout = { cls: e instanceof tg.TimeoutError, timeout: e.timeout, message: e.message }; }
      await post({ hangAfter: 1 });
      const ac = new AbortController();
      const n = await hung();
      const call = client.getMe({}, { signal: ac.signal });
      while ((await hung()) === n) await new Promise((res) => setTimeout(res, 10)); // the DC holds it now
      ac.abort();
      try { await call; out.abort = 'resolved'; } catch (e) { out.abort = { name: e.name, dom: e instanceof DOMException }; }
      out.after = (await client.getMe()).firstName; // the connection still serves
      await post({});
      await client.close();
      return out;
    });
    assert.deepEqual(r.timeout, { cls: true, timeout: 300, message: 'users.getUsers timed out after 300 ms' });
    assert.deepEqual(r.abort, { name: 'AbortError', dom: true });
    assert.equal(r.after, 'Demo');
    // Numbers ending in 25 alternate FLOOD_WAIT_1 and success: one per mode.
    const flood = await inPage(ctx, mode, async (tg, base, phoneNumber) => {
      const client = await tg.createClient({ ...base, floodSleepThreshold: 0 });
      try { await client.sendChangePhoneCode({ phoneNumber }); return 'resolved'; } catch (e) {
        return { flood: e instanceof tg.FloodWaitError, rpc: e instanceof tg.RPCError, seconds: e.seconds, errorMessage: e.errorMessage, code: e.code };
      } finally { await client.close(); }
    }, mode === 'worker' ? '+447000000025' : '+447000000125');
    assert.deepEqual(flood, { flood: true, rpc: true, seconds: 1, errorMessage: 'FLOOD_WAIT', code: 420 });
  });
}

test('[worker] the module is compiled once per page; a wasm that fails to load fails as in-thread', async (ctx) => {
  const page = await blankPage(ctx.browser, ctx.server.url);
  const wasmRequests = [];
  page.on('request', (req) => { if (/\.wasm$/.test(new URL(req.url()).pathname)) wasmRequests.push(new URL(req.url()).pathname); });
  try {
    const r = await page.evaluate(async () => {
      const tg = await import('/tgwasm.js');
      const config = await (await fetch('/testdc/config')).json();
      const base = { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config };
      const out = {};
      // The first worker compiles the module and hands it back; the second
      // gets it from the page.
      for (const [name, phoneNumber] of [['first', '+15550700101'], ['second', '+15550700201']]) {
        const client = await tg.createClient({ ...base, worker: true });
        const sent = await client.sendChangePhoneCode({ phoneNumber });
        out[name] = sent.className;
        await client.close();
      }
      const failure = async (worker) => {
        try {
          await tg.createClient({ ...base, worker, wasmUrl: '/missing.wasm' });
          return 'resolved';
        } catch (e) {
          return `${e.constructor.name} ${e.name}: ${e.message}`;
        }
      };
      out.missingWorker = await failure(true);
      out.missingThread = await failure(false);
      return out;
    });
    assert.equal(r.first, 'auth.SentCode');
    assert.equal(r.second, 'auth.SentCode');
    assert.match(r.missingWorker, /^Error Error: tgwasm: fetching http:\/\/127\.0\.0\.1:\d+\/missing\.wasm answered 404 Not Found$/);
    assert.equal(r.missingWorker, r.missingThread);
    // tgwasm.wasm once (the first worker); missing.wasm by the second
    // worker, then by the page after it (worker mode), then in-thread.
    assert.deepEqual(wasmRequests, ['/tgwasm.wasm', '/missing.wasm', '/missing.wasm', '/missing.wasm']);
  } finally {
    await page.close();
  }
});
