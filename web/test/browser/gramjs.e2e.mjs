// GramJS's own doc examples (gram.js.org/tl/…) for the methods tgwasm
// supports, run in Chromium through tgwasm/gramjs in both modes. Each
// example is GramJS's CommonJS example as printed, with two adaptations
// applied mechanically (and checked to apply exactly once): the require
// lines become imports of /gramjs.js, and the client's `{}` parameters name
// the local DC. Run as written, the placeholder values ("some string here")
// get the answers real Telegram gives them; run again with the placeholders
// filled in, they succeed.
import assert from 'node:assert/strict';
import { blankPage } from '../helpers/chromium.mjs';
import { test } from '../helpers/runner.mjs';

/** The doc example of one request: GramJS's skeleton around its arguments. */
function docExample(request) {
  return `const { Api, TelegramClient } = require("telegram");
const { StringSession } = require("telegram/sessions");

const session = new StringSession(""); // You should put your string session here
const client = new TelegramClient(session, apiId, apiHash, {});

(async function run() {
  await client.connect(); // This assumes you have already authenticated with .start()

  const result = await client.invoke(
${request.trim().split('\n').map((l) => `    ${l}`).join('\n')}
  );
  console.log(result); // prints the result
})();
`;
}

const SETTINGS = `settings: new Api.CodeSettings({
  allowFlashcall: true,
  currentNumber: true,
  allowAppHash: true,
  allowMissedCall: true,
  logoutTokens: [Buffer.from("arbitrary data here")],
}),`;

const EXAMPLES = {
  'account.SendChangePhoneCode': docExample(`new Api.account.SendChangePhoneCode({
  phoneNumber: "some string here",
  ${SETTINGS.replaceAll('\n', '\n  ')}
})`),
  'account.SendVerifyPhoneCode': docExample(`new Api.account.SendVerifyPhoneCode({
  phoneNumber: "some string here",
  ${SETTINGS.replaceAll('\n', '\n  ')}
})`),
  'account.ChangePhone': docExample(`new Api.account.ChangePhone({
  phoneNumber: "some string here",
  phoneCodeHash: "some string here",
  phoneCode: "some string here",
})`),
  'account.VerifyPhone': docExample(`new Api.account.VerifyPhone({
  phoneNumber: "some string here",
  phoneCodeHash: "some string here",
  phoneCode: "some string here",
})`),
  'auth.SendCode': docExample(`new Api.auth.SendCode({
  phoneNumber: "some string here",
  apiId: 43,
  apiHash: "some string here",
  ${SETTINGS.replaceAll('\n', '\n  ')}
})`),
  'auth.SignIn': docExample(`new Api.auth.SignIn({
  phoneNumber: "some string here",
  phoneCodeHash: "some string here",
  phoneCode: "some string here",
})`),
  'auth.ResendCode': docExample(`new Api.auth.ResendCode({
  phoneNumber: "some string here",
  phoneCodeHash: "some string here",
})`),
  'auth.CancelCode': docExample(`new Api.auth.CancelCode({
  phoneNumber: "some string here",
  phoneCodeHash: "some string here",
})`),
};

/** Replaces `from` by `to` in src, insisting it occurs exactly `times` times. */
function replaceExactly(src, from, to, times = 1) {
  const n = src.split(from).length - 1;
  assert.equal(n, times, `expected ${times} × ${JSON.stringify(from)} in the example, found ${n}`);
  return src.split(from).join(to);
}

/** The two adaptations: the import and the server. */
function adapt(src, origin, mode) {
  src = replaceExactly(src, 'const { Api, TelegramClient } = require("telegram");',
    `import { Api, TelegramClient, Buffer } from "${origin}/gramjs.js";`);
  src = replaceExactly(src, 'const { StringSession } = require("telegram/sessions");',
    `import { StringSession } from "${origin}/gramjs.js";`);
  return replaceExactly(src, 'new TelegramClient(session, apiId, apiHash, {})',
    `new TelegramClient(session, apiId, apiHash, { server${mode === 'thread' ? ', worker: false' : ''} })`);
}

/** Fills the doc's placeholders, in order, with values (for the success runs). */
function fill(src, values) {
  for (const [placeholder, value] of values) src = replaceExactly(src, placeholder, value);
  return src;
}

/**
 * Runs example modules in one page, one after another, each as a module
 * script, and returns what each printed with console.log or left as an
 * unhandled rejection (described in the page, where the classes live).
 */
async function runExamples(ctx, mode, sources) {
  const page = await blankPage(ctx.browser, ctx.server.url);
  try {
    await page.evaluate(async () => {
      const config = await (await fetch('/testdc/config')).json();
      // The example's free variables: the reader's own apiId/apiHash, and the server.
      globalThis.apiId = 17349;
      globalThis.apiHash = '344583e45741c457fe1862106095a5eb';
      globalThis.server = config;
      const shim = await import('/gramjs.js');
      const describe = (v) => {
        if (v instanceof Error || v instanceof DOMException) {
          return {
            error: true, cls: v.constructor.name, name: v.name, message: v.message, code: v.code,
            errorMessage: v.errorMessage, seconds: v.seconds, isRPC: v instanceof shim.errors.RPCError,
          };
        }
        if (v instanceof shim.TLObject) {
          return {
            className: v.className, classType: v.classType, CONSTRUCTOR_ID: v.CONSTRUCTOR_ID, SUBCLASS_OF_ID: v.SUBCLASS_OF_ID,
            instanceOfOwnClass: v instanceof v.className.split('.').reduce((ns, part) => ns[part], shim.Api),
            json: JSON.parse(JSON.stringify(v)),
            typeInstance: v.type ? v.type instanceof shim.TLObject : undefined,
            nextType: v.nextType === null ? null : v.nextType && v.nextType.className,
            userIsUser: v.user ? v.user instanceof shim.Api.User : undefined,
          };
        }
        return { value: v };
      };
      globalThis.__outcomes = [];
      const log = console.log.bind(console);
      console.log = (...args) => { globalThis.__outcomes.push(describe(args[0])); log(...args); };
      addEventListener('unhandledrejection', (ev) => { ev.preventDefault(); globalThis.__outcomes.push(describe(ev.reason)); });
      addEventListener('error', (ev) => { globalThis.__outcomes.push(describe(ev.error)); });
    });
    const outcomes = [];
    for (const src of sources) {
      const before = await page.evaluate(() => globalThis.__outcomes.length);
      await page.evaluate((code) => {
        const s = document.createElement('script');
        s.type = 'module';
        s.src = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
        document.head.append(s);
      }, typeof src === 'function' ? src(outcomes) : src);
      await page.waitForFunction((n) => globalThis.__outcomes.length > n, before, { timeout: 30000 });
      outcomes.push(await page.evaluate((n) => globalThis.__outcomes[n], before));
    }
    return outcomes;
  } finally {
    await page.close();
  }
}

for (const mode of ['worker', 'thread']) {
  test(`[gramjs ${mode}] the doc examples as written get Telegram's answers`, async (ctx) => {
    const origin = ctx.server.url.replace(/\/$/, '');
    const names = Object.keys(EXAMPLES);
    const out = await runExamples(ctx, mode, names.map((n) => adapt(EXAMPLES[n], origin, mode)));
    const got = Object.fromEntries(names.map((n, i) => [n, out[i]]));
    for (const n of ['account.SendChangePhoneCode', 'account.SendVerifyPhoneCode']) {
      assert.deepEqual(
        { cls: got[n].cls, isRPC: got[n].isRPC, code: got[n].code, errorMessage: got[n].errorMessage, message: got[n].message },
        { cls: 'RPCError', isRPC: true, code: 400, errorMessage: 'PHONE_NUMBER_INVALID', message: `400: PHONE_NUMBER_INVALID (caused by ${n})` }, n);
    }
    for (const n of ['account.ChangePhone', 'account.VerifyPhone', 'auth.SignIn', 'auth.ResendCode', 'auth.CancelCode']) {
      assert.ok(got[n].isRPC, `${n}: ${JSON.stringify(got[n])}`);
      assert.equal(got[n].message, `${got[n].code}: ${got[n].errorMessage} (caused by ${n})`);
    }
    // The doc's placeholder apiId 43 is not this client's: tgwasm says so
    // before sending (GramJS would send it and get API_ID_INVALID).
    assert.equal(got['auth.SendCode'].cls, 'RangeError');
    assert.match(got['auth.SendCode'].message, /^auth\.SendCode: apiId must be the TelegramClient's apiId/);
  });

  test(`[gramjs ${mode}] the doc examples with their placeholders filled in succeed`, async (ctx) => {
    const origin = ctx.server.url.replace(/\/$/, '');
    const m = mode === 'worker' ? '4' : '5'; // distinct numbers per mode
    const newNumber = `+1555987${m}031`;
    const passportNumber = `+1555987${m}131`;
    const freshNumber = `+1555987${m}231`; // no account: a sign-up code
    const run = (name, values) => (outcomes) => fill(adapt(EXAMPLES[name], origin, mode), values(outcomes));
    const hashOf = (o) => o.json.phoneCodeHash;
    const login = (phone) => [
      ['phoneNumber: "some string here"', `phoneNumber: "${phone}"`],
      ['apiId: 43', 'apiId: 17349'],
      ['apiHash: "some string here"', 'apiHash: "344583e45741c457fe1862106095a5eb"']];
    const code = (phone, o, withCode = true) => [
      ['phoneNumber: "some string here"', `phoneNumber: "${phone}"`],
      ['phoneCodeHash: "some string here"', `phoneCodeHash: "${hashOf(o)}"`],
      ...(withCode ? [['phoneCode: "some string here"', 'phoneCode: "22222"']] : [])];
    const steps = [
      // 0, 1: the account's number change: a code to the new number, then the change.
      run('account.SendChangePhoneCode', () => [['phoneNumber: "some string here"', `phoneNumber: "${newNumber}"`]]),
      run('account.ChangePhone', (o) => code(newNumber, o[0])),
      // 2, 3: Telegram Passport's phone check.
      run('account.SendVerifyPhoneCode', () => [['phoneNumber: "some string here"', `phoneNumber: "${passportNumber}"`]]),
      run('account.VerifyPhone', (o) => code(passportNumber, o[2])),
      // 4, 5, 6: a login: send, resend, sign in.
      run('auth.SendCode', () => login('+9996620001')),
      run('auth.ResendCode', (o) => code('+9996620001', o[4], false)),
      run('auth.SignIn', (o) => code('+9996620001', o[4])),
      // 7, 8: a code sent and cancelled.
      run('auth.SendCode', () => login(freshNumber)),
      run('auth.CancelCode', (o) => code(freshNumber, o[7], false)),
    ];
    let out;
    try {
      out = await runExamples(ctx, mode, steps);
    } finally {
      // Give the pre-authorized account its number back for the other tests.
      const page = await blankPage(ctx.browser, ctx.server.url);
      try {
        await page.evaluate(async () => {
          const tg = await import('/tgwasm.js');
          const config = await (await fetch('/testdc/config')).json();
          const client = await tg.createClient({ apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker: false });
          const me = await client.getMe();
          if (me.phone !== '9996620000') {
            const sent = await client.sendChangePhoneCode({ phoneNumber: '+9996620000' });
            await client.changePhone({ phoneNumber: '+9996620000', phoneCodeHash: sent.phoneCodeHash, phoneCode: '22222' });
          }
          await client.close();
        });
      } finally {
        await page.close();
      }
    }
    const [sentChange, changed, sentVerify, verified, sentLogin, resent, authorization, sentFresh, cancelled] = out;
    for (const [o, type] of [[sentChange, 'auth.SentCodeTypeSms'], [sentVerify, 'auth.SentCodeTypeSms'], [sentLogin, 'auth.SentCodeTypeSms'], [resent, 'auth.SentCodeTypeCall'], [sentFresh, 'auth.SentCodeTypeSms']]) {
      assert.ok(!o.error, JSON.stringify(o));
      assert.equal(o.className, 'auth.SentCode');
      assert.equal(o.classType, 'constructor');
      assert.equal(o.CONSTRUCTOR_ID, 0x5e002502);
      assert.equal(o.SUBCLASS_OF_ID, 0x6ce87081);
      assert.ok(o.instanceOfOwnClass && o.typeInstance);
      assert.equal(o.json.type.className, type);
      assert.equal(typeof o.json.phoneCodeHash, 'string');
    }
    assert.equal(resent.json.phoneCodeHash, sentLogin.json.phoneCodeHash);
    assert.ok(!changed.error, JSON.stringify(changed));
    assert.equal(changed.className, 'User');
    assert.equal(changed.json.phone, newNumber.slice(1));
    assert.deepEqual(verified, { value: true });
    assert.deepEqual(cancelled, { value: true });
    assert.ok(!authorization.error, JSON.stringify(authorization));
    assert.equal(authorization.className, 'auth.Authorization');
    assert.ok(authorization.userIsUser);
    assert.equal(authorization.json.user.firstName, 'Alice');
  });

  test(`[gramjs ${mode}] GramJS's quick start: client.start() logs in with number, code and 2FA password`, async (ctx) => {
    const page = await blankPage(ctx.browser, ctx.server.url);
    try {
      // Bob (DC 2) in one mode, Dave (DC 1: the login migrates) in the other.
      const account = mode === 'worker'
        ? { phone: '+9996611111', code: '11111', password: 'correct horse', name: 'Dave' }
        : { phone: '+9996621111', code: '22222', password: 'hunter2', name: 'Bob' };
      const r = await page.evaluate(async ({ mode, account }) => {
        const { TelegramClient } = await import('/gramjs.js');
        const { StringSession } = (await import('/gramjs.js')).sessions;
        const server = await (await fetch('/testdc/config')).json();
        const apiId = 17349;
        const apiHash = '344583e45741c457fe1862106095a5eb';
        // The local DC logs every new key in; start from a logged-out session.
        const first = new TelegramClient(new StringSession(''), apiId, apiHash, { server, worker: mode === 'worker' });
        await first.connect();
        await first.tgwasm.logOut();
        await first.disconnect();
        const loggedOut = first.session.save();
        // GramJS's README example, with input.text answered by the test.
        const asked = [];
        const answers = { 'Please enter your number: ': account.phone, 'Please enter your password: ': account.password,
          'Please enter the code you received: ': account.code };
        const input = { text: async (q) => { asked.push(q); return answers[q]; } };
        const stringSession = new StringSession(loggedOut);
        const client = new TelegramClient(stringSession, apiId, apiHash, { connectionRetries: 5, server, worker: mode === 'worker' });
        await client.start({
          phoneNumber: async () => await input.text('Please enter your number: '),
          password: async () => await input.text('Please enter your password: '),
          phoneCode: async () => await input.text('Please enter the code you received: '),
          onError: (err) => console.log(err),
        });
        const me = await client.getMe();
        const saved = client.session.save();
        await client.disconnect();
        const again = new TelegramClient(new StringSession(saved), apiId, apiHash, { server, worker: mode === 'worker' });
        const out = { asked, me: me.firstName, resumed: await again.checkAuthorization(), dcId: again.session.dcId };
        await again.destroy();
        return out;
      }, { mode, account });
      assert.deepEqual(r.asked, ['Please enter your number: ', 'Please enter the code you received: ', 'Please enter your password: ']);
      assert.equal(r.me, account.name);
      assert.equal(r.resumed, true);
      assert.equal(r.dcId, mode === 'worker' ? 1 : 2);
      assert.deepEqual(page.errors.map(String), []);
    } finally {
      await page.close();
    }
  });

  test(`[gramjs ${mode}] session.save() resumes, FloodWaitError, AbortSignal, unsupported names`, async (ctx) => {
    const page = await blankPage(ctx.browser, ctx.server.url);
    try {
      const r = await page.evaluate(async (mode) => {
        const { Api, TelegramClient, sessions, errors } = await import('/gramjs.js');
        const server = await (await fetch('/testdc/config')).json();
        const params = { server, worker: mode === 'worker', floodSleepThreshold: 0 };
        const client = new TelegramClient(new sessions.StringSession(''), 17349, '344583e45741c457fe1862106095a5eb', params);
        await client.connect();
        const saved = client.session.save();
        const me = await client.getMe();
        const out = { saved: saved.length, me: me.firstName, meIsUser: me instanceof Api.User };
        let flood;
        for (let i = 0; i < 2 && !flood; i++) {
          await client.invoke(new Api.account.SendVerifyPhoneCode({ phoneNumber: `+15559874${mode === 'worker' ? 3 : 4}25` })).catch((e) => { flood = e; });
        }
        out.flood = { cls: flood && flood.constructor.name, isFlood: flood instanceof errors.FloodWaitError, seconds: flood && flood.seconds, message: flood && flood.message, code: flood && flood.code };
        const ctl = new AbortController();
        const p = client.invoke(new Api.account.SendChangePhoneCode({ phoneNumber: '+15553234501' }), { signal: ctl.signal });
        ctl.abort();
        out.abort = await p.then(() => 'resolved', (e) => `${e.constructor.name} ${e.name}`);
        await client.disconnect();
        // The saved session carries the login: a new client resumes it.
        const again = new TelegramClient(new sessions.StringSession(saved), 17349, '344583e45741c457fe1862106095a5eb', params);
        out.resumed = (await again.getMe()).firstName;
        out.sameSession = again.session.save() === saved;
        await again.destroy();
        try { void Api.messages.SendMessage; } catch (e) { out.unsupported = `${e.constructor.name}: ${e.message}`; }
        return out;
      }, mode);
      assert.ok(r.saved > 300, String(r.saved));
      assert.equal(r.me, 'Demo');
      assert.ok(r.meIsUser);
      assert.deepEqual(r.flood, { cls: 'FloodWaitError', isFlood: true, seconds: 1, code: 420,
        message: 'A wait of 1 seconds is required (caused by account.SendVerifyPhoneCode)' });
      assert.equal(r.abort, 'DOMException AbortError');
      assert.equal(r.resumed, 'Demo');
      assert.ok(r.sameSession);
      assert.match(r.unsupported, /^TypeError: Api\.messages is not supported by tgwasm's GramJS shim/);
      assert.deepEqual(page.errors.map(String), []);
    } finally {
      await page.close();
    }
  });
}
