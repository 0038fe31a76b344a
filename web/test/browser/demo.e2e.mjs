// End-to-end tests of the demo page (index.html) in headless Chromium.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BLANK } from '../helpers/paths.mjs';
import { dcControl, dcStats } from '../helpers/server.mjs';
import { test } from '../helpers/runner.mjs';

async function openDemo(ctx, { worker = true } = {}) {
  const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.problems = problems;
  await page.goto(`${ctx.server.url}${worker ? '' : '?worker=0'}`);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 30000 });
  return page;
}

async function codeFor(ctx, phone) {
  const codes = await (await fetch(`${ctx.server.url}testdc/codes?phone=${encodeURIComponent(phone)}`)).json();
  assert.ok(codes.length, `a code was delivered to ${phone}`);
  return codes.at(-1).code;
}

for (const worker of [true, false]) {
  const mode = worker ? 'worker' : 'thread';

  test(`[demo ${mode}] state walks connecting → ready; a change-phone code renders; errors read well`, async (ctx) => {
    const page = await openDemo(ctx, { worker });
    const states = await page.evaluate(() => globalThis.__tgwasmDemo.states);
    const walk = states.slice(states.lastIndexOf('connecting'));
    assert.deepEqual(walk, ['connecting', 'handshake', 'ready'], states.join(' → '));
    assert.match(await page.textContent('#state-meta'), /^in \d+ ms$/);
    await page.waitForSelector('#me:not([hidden])');
    assert.equal(await page.textContent('#me-name'), 'Demo User');

    await page.fill('#change .phone', '+1 555 223 4501');
    await page.click('#change details.settings summary');
    await page.check('#change [data-setting="allowFlashcall"]');
    await page.click('#change .send-button');
    await page.waitForSelector('#change .result:not([hidden])');
    assert.equal(await page.textContent('#change .result .readable'), 'Code sent by SMS, 5 digits');
    assert.match(await page.textContent('#change .countdown'), /^Next: phone call, in (1 min|[1-5]?\d s)$/);
    const raw = JSON.parse(await page.textContent('#change details.raw pre'));
    assert.equal(raw.className, 'auth.SentCode');
    assert.deepEqual(raw.type, { className: 'auth.SentCodeTypeSms', length: 5 });

    await page.fill('#verify .phone', '+1 555 CALL NOW');
    await page.click('#verify .send-button');
    await page.waitForSelector('#verify .failure:not([hidden])');
    assert.equal(await page.textContent('#verify .error-text'), 'This phone number is invalid');
    assert.match(await page.textContent('#verify .error-raw'), /^RPCError 400 PHONE_NUMBER_INVALID — 400: PHONE_NUMBER_INVALID \(caused by account\.sendVerifyPhoneCode\)$/);

    await page.screenshot({ path: ctx.screenshot(`demo-${mode}`), fullPage: true });
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}

for (const worker of [true, false]) {
  const mode = worker ? 'worker' : 'thread';
  // How long the page's thread is busy is a figure (scripts/bench.sh
  // prints the long tasks per mode); what is tested here is behaviour:
  // where the wasm runs, and that the page answers input while a call is
  // in flight.
  test(`[demo ${mode}] a new page answers input while its first call is in flight; ${worker ? 'no wasm runs on the page' : 'the wasm runs on the page'}`, async (ctx) => {
    const page = await ctx.browser.newPage();
    // Cold: no HTTP cache, no stored session.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.addInitScript(() => {
      globalThis.__wasmOnPage = 0;
      for (const name of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
        const real = WebAssembly[name];
        WebAssembly[name] = function counted(...args) { globalThis.__wasmOnPage++; return real.apply(this, args); };
      }
      try { localStorage.clear(); } catch { /* about:blank */ }
    });
    const before = (await dcStats(ctx.server)).hung;
    // The page's first API request (getMe) is held by the DC: the call
    // stays in flight for as long as the test needs.
    await dcControl(ctx.server, 'faults', { hangAfter: 1 });
    try {
      await page.goto(`${ctx.server.url}${worker ? '' : '?worker=0'}`);
      while ((await dcStats(ctx.server)).hung === before) await new Promise((r) => setTimeout(r, 20));
      assert.equal(await page.isHidden('#me'), true, 'the first call is still in flight');
      await page.fill('#change .phone', '');
      await page.type('#change .phone', '+1 555 000 2001');
      assert.equal(await page.inputValue('#change .phone'), '+1 555 000 2001', 'every key was handled');
      await page.click('#change details.settings summary');
      assert.equal(await page.getAttribute('#change details.settings', 'open'), '', 'a click was handled');
      assert.equal(await page.isHidden('#me'), true, 'all of it while the call was in flight');
      const onPage = await page.evaluate(() => globalThis.__wasmOnPage);
      if (worker) assert.equal(onPage, 0, 'the page never compiled or instantiated the wasm');
      else assert.ok(onPage > 0, 'thread mode compiles and runs the wasm on the page');
    } finally {
      await dcControl(ctx.server, 'faults', {});
      await page.close();
    }
  });
}

test('[demo] flood wait reads as minutes and seconds', async (ctx) => {
  const page = await openDemo(ctx);
  // 420 FLOOD_WAIT after too many requests for one number (limit 5 per minute).
  for (let i = 0; i < 6; i++) {
    await page.fill('#verify .phone', '+1 555 777 0101');
    await page.click('#verify .send-button');
    await page.waitForFunction(() => !document.querySelector('#verify .send-button').disabled, null, { timeout: 10000 });
  }
  const text = await page.textContent('#verify .error-text');
  assert.match(text, /^Too many attempts, wait (1 min|\d+ s)/);
  assert.match(await page.textContent('#verify .error-raw'), /RPCError 420 FLOOD_WAIT \(seconds: \d+\)/);
  await page.close();
});

test('[demo] the countdown ends in a Resend button that walks nextType', async (ctx) => {
  const page = await ctx.browser.newPage();
  await page.clock.install(); // the page's timers only: the wasm runs in a Worker
  await page.goto(ctx.server.url);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 30000 });
  await page.fill('#change .phone', '+1 555 864 2001');
  await page.click('#change .send-button');
  await page.waitForSelector('#change .result:not([hidden])');
  assert.equal(await page.isHidden('#change .resend'), true);
  await page.clock.fastForward('00:30');
  // The fake clock also flows with real time: allow for a slow machine.
  assert.match(await page.textContent('#change .countdown'), /^Next: phone call, in (2\d|30) s$/);
  await page.clock.fastForward('00:31');
  assert.equal(await page.textContent('#change .countdown'), 'Next: phone call, available now');
  await page.click('#change .resend');
  await page.waitForFunction(() => document.querySelector('#change .readable').textContent.startsWith('A phone call'));
  assert.equal(await page.textContent('#change .readable'), 'A phone call will dictate the code, 5 digits');
  assert.match(await page.textContent('#change .countdown'), /^Next: flash call, in (1 min|[1-5]?\d s)$/);
  await page.close();
});

test('[demo] log in with 2FA, change the number, reload: still logged in', async (ctx) => {
  const page = await openDemo(ctx);
  await page.waitForSelector('#me:not([hidden])');
  await page.click('#logout');
  await page.waitForSelector('#login:not([hidden])');

  await page.fill('#login-phone', '+999 66 2 1111');
  await page.click('#login-send');
  await page.waitForSelector('#login-code-step:not([hidden])');
  assert.equal(await page.textContent('#login-sent'), 'Code sent by SMS, 5 digits'); // numbers ending in 11: SMS
  await page.fill('#login-code', await codeFor(ctx, '+9996621111'));
  await page.click('#login-signin');
  await page.waitForSelector('#login-password-step:not([hidden])', { timeout: 10000 });
  await page.fill('#login-password', 'wrong');
  await page.click('#login-check');
  await page.waitForSelector('#login-error:not([hidden])', { timeout: 60000 });
  assert.match(await page.textContent('#login-error'), /^Wrong password\. \(RPCError 400 PASSWORD_HASH_INVALID/);
  await page.fill('#login-password', 'hunter2');
  await page.click('#login-check');
  await page.waitForSelector('#me:not([hidden])', { timeout: 60000 });
  assert.equal(await page.textContent('#me-name'), 'Bob');

  const fresh = '+1 555 314 1501';
  await page.fill('#change .phone', fresh);
  await page.click('#change .send-button');
  await page.waitForSelector('#change form.complete:not([hidden])');
  await page.fill('#change .code', await codeFor(ctx, fresh));
  await page.click('#change .confirm');
  await page.waitForSelector('#change .done:not([hidden])');
  assert.match(await page.textContent('#me-sub'), /^\+15553141501 · @bob/);

  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tgwasm.session:')));
  assert.equal(kept.length, 1, 'the session is kept in localStorage');

  await page.reload();
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 30000 });
  await page.waitForSelector('#me:not([hidden])');
  assert.equal(await page.textContent('#me-name'), 'Bob', 'still logged in after a reload');
  assert.match(await page.textContent('#me-sub'), /^\+15553141501/);

  // Leave Bob and the page as the other tests expect them.
  await page.fill('#change .phone', '+9996621111');
  await page.click('#change .send-button');
  await page.waitForSelector('#change form.complete:not([hidden])');
  await page.fill('#change .code', await codeFor(ctx, '+9996621111'));
  await page.click('#change .confirm');
  await page.waitForFunction(() => document.querySelector('#change .done').textContent.endsWith('+9996621111'));
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test('[demo] change phone completes with the delivered code', async (ctx) => {
  const page = await openDemo(ctx);
  const phone = '+1 555 246 8001';
  await page.fill('#change .phone', phone);
  await page.click('#change .send-button');
  await page.waitForSelector('#change form.complete:not([hidden])');
  await page.fill('#change .code', await codeFor(ctx, phone));
  await page.click('#change .confirm');
  await page.waitForSelector('#change .done:not([hidden])');
  assert.equal(await page.textContent('#change .done'), "Done: the account's number is now +15552468001");
  assert.match(await page.textContent('#me-sub'), /^\+15552468001/);
  // Put the demo account back where it was for the other tests.
  await page.fill('#change .phone', '+9996620000');
  await page.click('#change .send-button');
  await page.waitForSelector('#change form.complete:not([hidden])');
  await page.fill('#change .code', await codeFor(ctx, '+9996620000'));
  await page.click('#change .confirm');
  await page.waitForFunction(() => document.querySelector('#change .done').textContent.endsWith('+9996620000'));
  await page.close();
});

test('[demo] verify phone completes; a wrong code says so', async (ctx) => {
  const page = await openDemo(ctx);
  const phone = '+1 555 135 7901';
  await page.fill('#verify .phone', phone);
  await page.click('#verify .send-button');
  await page.waitForSelector('#verify form.complete:not([hidden])');
  await page.fill('#verify .code', '00000');
  await page.click('#verify .confirm');
  await page.waitForSelector('#verify .failure:not([hidden])');
  assert.equal(await page.textContent('#verify .error-text'), 'The code is wrong');
  await page.fill('#verify .code', await codeFor(ctx, phone));
  await page.click('#verify .confirm');
  await page.waitForSelector('#verify .done:not([hidden])');
  assert.equal(await page.textContent('#verify .done'), 'Done: the number is verified for Telegram Passport');
  await page.close();
});

test('[demo shared] three tabs with the shared mode hold one connection and say so', async (ctx) => {
  // Earlier tests' connections are gone first, so that counts are ours.
  while ((await dcStats(ctx.server)).connections > 0) await new Promise((r) => setTimeout(r, 50));
  const pages = [];
  try {
    for (let i = 0; i < 3; i++) {
      const page = await ctx.browser.newPage();
      await page.goto(`${ctx.server.url}?worker=shared`);
      await page.waitForSelector('#status[data-state="ready"]', { timeout: 30000 });
      await page.waitForSelector('#me:not([hidden])');
      pages.push(page);
    }
    for (const page of pages) await page.waitForSelector('#tabs[data-tabs="3"]', { timeout: 0 });
    assert.equal((await dcStats(ctx.server)).connections, 1, 'one connection for the three tabs');
    await pages[0].waitForFunction(() => document.querySelector('#tabs').textContent === 'shared by 3 tabs · the local DC sees 1 connection', null, { timeout: 0 });
    assert.match(await pages[0].textContent('#foot-info'), /SharedWorker/);
    await pages[0].screenshot({ path: ctx.screenshot('demo-shared'), fullPage: true });
    await pages[2].close();
    pages.pop();
    for (const page of pages) await page.waitForSelector('#tabs[data-tabs="2"]', { timeout: 0 });
  } finally {
    for (const page of pages) await page.close();
    await clearLocalStorage(ctx);
  }
});

// The demo keeps its session in localStorage; leave none for the next test.
async function clearLocalStorage(ctx) {
  const page = await ctx.browser.newPage();
  await page.goto(`${ctx.server.url}${BLANK}`);
  await page.evaluate(() => localStorage.clear());
  await page.close();
}

test('[demo worker] "Silence the connection": a code sent then arrives on a new connection, and the log panel says why', async (ctx) => {
  const page = await openDemo(ctx);
  await page.click('[data-fault="blackhole"]');
  await page.waitForSelector('#fault-result:not([hidden])');
  assert.match(await page.textContent('#fault-result'), /^\d+ connections? silenced: nothing passes/);
  await page.fill('#change .phone', '+1 555 123 4701');
  await page.click('#change .send-button');
  await page.waitForSelector('#change .result:not([hidden])', { timeout: 0 });
  assert.equal(await page.textContent('#change .result .readable'), 'Code sent by SMS, 5 digits');
  const lines = await page.$$eval('#log li:not([hidden]) .msg', (els) => els.map((e) => e.textContent));
  const log = lines.join('\n');
  assert.match(log, /probing the link/);
  assert.match(log, /no answer to the probe within 3s; dropping the link/);
  assert.match(log, /dc 2: ready$/m);
  const hidden = await page.$$eval('#log li.debug', (els) => els.every((e) => e.hidden));
  assert.ok(hidden, 'debug lines stay hidden at the default level');
  await page.screenshot({ path: ctx.screenshot('demo-log'), fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Last of the demo's tests: the session it keeps would spare the others
// their key exchange.
test('[demo] axe-core finds no accessibility violation, with a result and an error shown', async (ctx) => {
  const page = await openDemo(ctx);
  try {
    await page.fill('#change .phone', '+1 555 223 4501');
    await page.click('#change .send-button');
    await page.waitForSelector('#change .result:not([hidden])');
    await page.fill('#verify .phone', '+1 555 CALL NOW');
    await page.click('#verify .send-button');
    await page.waitForSelector('#verify .failure:not([hidden])');
    // Evaluated through the DevTools protocol: the page's CSP allows no
    // script of ours, and needs not to.
    await page.evaluate(axeSource);
    const violations = () => page.evaluate(async () => (await globalThis.axe.run(document)).violations
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
    assert.deepEqual(await violations(), [], 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.deepEqual(await violations(), [], 'dark');
    assert.deepEqual(page.problems, []);
  } finally {
    await page.close();
  }
});
