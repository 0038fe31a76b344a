// The GramJS shim (dist/gramjs.js) against the real GramJS package (npm
// "telegram") as the oracle, and against the local DC in Node.
//   NODE_OPTIONS=--experimental-websocket node --test web/test/gramjs-shim.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startDC } from '../helpers/testdc.mjs';

const require = createRequire(import.meta.url);
const G = require('telegram');
const GSessions = require('telegram/sessions');
const { BinaryReader } = require('telegram/extensions');
const bigInt = require('big-integer');
const NodeBuffer = globalThis.Buffer;

const shim = await import('../../../dist/gramjs.js');
const { REQUESTS, TYPES } = await import('../../gramjs/schema.gen.js');
const { Api } = shim;

const API_ID = 17349;
const API_HASH = '344583e45741c457fe1862106095a5eb';

function gramjsClass(name) {
  const [ns, n] = name.includes('.') ? name.split('.') : [null, name];
  return ns ? G.Api[ns]?.[n] : G.Api[n];
}

function ourClass(name) {
  const [ns, n] = name.includes('.') ? name.split('.') : [null, name];
  return ns ? Api[ns][n] : Api[n];
}

test('schema: ids and arguments match GramJS wherever the layers agree', () => {
  let same = 0;
  const all = Object.entries({ ...REQUESTS, ...TYPES });
  for (const [name, [id, sub, args]] of all) {
    const C = gramjsClass(name);
    if (!C) continue; // newer than GramJS's layer
    assert.equal(sub, C.SUBCLASS_OF_ID, `${name} SUBCLASS_OF_ID`);
    if (C.CONSTRUCTOR_ID !== id) continue; // changed since GramJS's layer (User)
    same++;
    const theirs = Object.keys(new C({})).slice(5).join(' ');
    const ours = args.split(' ').filter(Boolean).map((a) => a.split(/[?:]/)[0]).join(' ');
    assert.equal(ours, theirs, `${name} arguments`);
  }
  assert.ok(same >= 70, `${same} of ${all.length} classes checked`);
  for (const name of Object.keys(REQUESTS)) assert.ok(gramjsClass(name), `GramJS has ${name}`);
});

const DOC_ARGS = {
  'account.SendChangePhoneCode': () => ({ phoneNumber: 'some string here', settings: ['CodeSettings', { allowFlashcall: true, currentNumber: true, allowAppHash: true, allowMissedCall: true, logoutTokens: ['arbitrary data here'] }] }),
  'account.SendVerifyPhoneCode': () => ({ phoneNumber: 'some string here', settings: ['CodeSettings', { allowFlashcall: true, token: 't', appSandbox: false }] }),
  'account.ChangePhone': () => ({ phoneNumber: '+1', phoneCodeHash: 'h', phoneCode: '1' }),
  'account.VerifyPhone': () => ({ phoneNumber: '+1', phoneCodeHash: 'h', phoneCode: '1' }),
  'auth.SendCode': () => ({ phoneNumber: '+1', apiId: 43, apiHash: 'x', settings: ['CodeSettings', {}] }),
  'auth.SignIn': () => ({ phoneNumber: '+1', phoneCodeHash: 'h', phoneCode: '1' }),
  'auth.ResendCode': () => ({ phoneNumber: '+1', phoneCodeHash: 'h', reason: 'r' }),
  'auth.CancelCode': () => ({ phoneNumber: '+1', phoneCodeHash: 'h' }),
};

function build(api, BufferImpl, name, args) {
  const out = {};
  for (const [k, v] of Object.entries(args)) {
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'object') {
      const inner = {};
      for (const [ik, iv] of Object.entries(v[1])) inner[ik] = ik === 'logoutTokens' ? iv.map((s) => BufferImpl.from(s)) : iv;
      out[k] = new (api === 'ours' ? ourClass(v[0]) : gramjsClass(v[0]))(inner);
    } else out[k] = v;
  }
  return new (api === 'ours' ? ourClass(name) : gramjsClass(name))(out);
}

test('requests: the same fields, ids and toJSON as GramJS', () => {
  for (const [name, args] of Object.entries(DOC_ARGS)) {
    const ours = build('ours', shim.Buffer, name, args());
    const theirs = build('gramjs', NodeBuffer, name, args());
    for (const k of ['CONSTRUCTOR_ID', 'SUBCLASS_OF_ID', 'className', 'classType']) {
      assert.equal(ours[k], theirs[k], `${name}.${k}`);
      assert.equal(ours.constructor[k], theirs.constructor[k], `static ${name}.${k}`);
    }
    assert.deepEqual(Object.keys(ours), Object.keys(theirs), `${name} keys`);
    assert.equal(JSON.stringify(ours), JSON.stringify(theirs), `${name} toJSON`);
    assert.ok(ours instanceof shim.TLRequest);
  }
});

/** GramJS's objects and ours as comparable plain values. */
function plain(v) {
  if (bigInt.isInstance(v)) return `long:${v.toString()}`;
  if (typeof v === 'bigint') return `long:${v}`;
  if (v instanceof Uint8Array) return `bytes:${NodeBuffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'originalArgs') out[k] = plain(x);
    return out;
  }
  return v;
}

/** What tgwasm's own API returns for a GramJS object: present keys only. */
function apiShape(v) {
  if (bigInt.isInstance(v)) return BigInt(v.toString());
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map(apiShape);
  if (v && typeof v === 'object' && v.className) {
    const C = gramjsClass(v.className);
    const out = { className: v.className };
    for (const k of Object.keys(new C({})).slice(5)) {
      const x = v[k];
      if (k === 'flags' || k === 'flags2' || x === undefined || x === null || x === false) continue;
      out[k] = apiShape(x);
    }
    return out;
  }
  return v;
}

test('results: toGramJS reads like GramJS reads the same bytes', () => {
  const samples = [
    new G.Api.auth.SentCode({ type: new G.Api.auth.SentCodeTypeSms({ length: 5 }), phoneCodeHash: 'abc', nextType: new G.Api.auth.CodeTypeCall(), timeout: 60 }),
    new G.Api.auth.SentCode({ type: new G.Api.auth.SentCodeTypeApp({ length: 6 }), phoneCodeHash: 'abc' }),
    new G.Api.auth.SentCodeTypeFirebaseSms({ nonce: NodeBuffer.from([1, 2, 3]), playIntegrityProjectId: bigInt('1234567890123456789'), playIntegrityNonce: NodeBuffer.from([4]), length: 6 }),
    new G.Api.auth.SentCodeTypeFirebaseSms({ receipt: 'r', pushTimeout: 30, length: 6 }),
    new G.Api.auth.SentCodeTypeEmailCode({ appleSigninAllowed: true, emailPattern: 'a***@b', length: 6, resetPendingDate: 7 }),
    new G.Api.auth.SentCodeTypeSmsWord({}),
    new G.Api.auth.SentCodeTypeSmsPhrase({ beginning: 'x' }),
    new G.Api.UserProfilePhoto({ hasVideo: true, photoId: bigInt(-5), strippedThumb: NodeBuffer.from([9, 9]), dcId: 2 }),
    new G.Api.Username({ active: true, username: 'demo' }),
    new G.Api.UserStatusRecently({ byMe: true }),
    new G.Api.RestrictionReason({ platform: 'all', reason: 'r', text: 't' }),
  ];
  for (const sample of samples) {
    const read = new BinaryReader(sample.getBytes()).tgReadObject();
    const ours = shim.toGramJS(apiShape(sample));
    assert.deepEqual(plain(ours), plain(read), sample.className);
    assert.equal(JSON.stringify(ours), JSON.stringify(read), `${sample.className} toJSON`);
    assert.ok(ours instanceof ourClass(sample.className), `${sample.className} instanceof`);
  }
});

test('Api: unsupported names throw and say what is supported', () => {
  assert.throws(() => Api.messages.SendMessage, (e) => e instanceof TypeError && /Api\.messages is not supported/.test(e.message) && /Api\.account\.SendChangePhoneCode/.test(e.message));
  assert.throws(() => new Api.account.DeleteAccount({}), /Api\.account\.DeleteAccount is not supported by tgwasm's GramJS shim/);
  assert.throws(() => Api.InputPhoneContact, /Api\.InputPhoneContact is not supported/);
  // Older docs' lower camel case.
  assert.equal(Api.auth.sendCode, Api.auth.SendCode);
  assert.equal(Api.account.sendVerifyPhoneCode, Api.account.SendVerifyPhoneCode);
  // What code probing an object asks for does not throw.
  assert.equal(Api.then, undefined);
  assert.equal(Api.auth.then, undefined);
  assert.equal(typeof Api.toString, 'function');
  assert.equal(Api[Symbol.toStringTag], undefined);
  assert.equal('messages' in Api, false);
  assert.equal('auth' in Api, true);
  assert.throws(() => Api[''], /Api\. is not supported/);
  assert.throws(() => new shim.TLObject({}), /base class/);
});

test('Api: a misspelled argument throws and names the right one', () => {
  assert.throws(() => new Api.CodeSettings({ allowFlashCall: true }), /Api\.CodeSettings has no argument 'allowFlashCall' \(did you mean allowFlashcall\?\)/);
  assert.throws(() => new Api.account.SendChangePhoneCode({ phone: '+1' }), /has no argument 'phone'.*phoneNumber, settings/);
  assert.throws(() => new Api.CodeSettings('x'), /args must be an object/);
  assert.doesNotThrow(() => new Api.auth.SignIn({ phoneNumber: '+1', phoneCodeHash: 'h' }));
});

test('Buffer: what GramJS examples do gives what Node gives', () => {
  const cases = [
    ['arbitrary data here', undefined],
    ['héllo wörld ✓', 'utf8'],
    ['00ff10ab', 'hex'],
    ['AQID/w==', 'base64'],
    ['AQID_w', 'base64url'],
    ['\u00ff\u0001a', 'latin1'],
  ];
  for (const [s, enc] of cases) {
    const ours = shim.Buffer.from(s, enc);
    const theirs = NodeBuffer.from(s, enc);
    assert.deepEqual([...ours], [...theirs], `${s} ${enc}`);
    for (const out of ['utf8', 'hex', 'base64', 'base64url', 'latin1']) assert.equal(ours.toString(out), theirs.toString(out), `${s} ${enc} → ${out}`);
    assert.deepEqual(ours.toJSON(), theirs.toJSON());
  }
  assert.deepEqual([...shim.Buffer.from([1, 2, 300])], [...NodeBuffer.from([1, 2, 300])]);
  assert.deepEqual([...shim.Buffer.concat([shim.Buffer.from([1]), new Uint8Array([2, 3])])], [1, 2, 3]);
  assert.deepEqual([...shim.Buffer.alloc(3, 7)], [7, 7, 7]);
  assert.ok(shim.Buffer.from('ab').subarray(1) instanceof shim.Buffer);
  assert.ok(shim.Buffer.from('ab').equals(new Uint8Array([97, 98])));
  assert.throws(() => shim.Buffer.from('abc', 'hex'), /pairs of hexadecimal digits/);
  assert.throws(() => shim.Buffer.from('a', 'utf16le'), /unknown Buffer encoding 'utf16le'/);
});

test('errors: GramJS messages and fields', () => {
  const req = new Api.account.SendChangePhoneCode({ phoneNumber: '+1' });
  const greq = new G.Api.account.SendChangePhoneCode({ phoneNumber: '+1' });
  const pairs = [
    [new shim.errors.RPCError('PHONE_NUMBER_INVALID', req, 400), new G.errors.RPCError('PHONE_NUMBER_INVALID', greq, 400)],
    [new shim.errors.FloodWaitError({ request: req, capture: 42 }), new G.errors.FloodWaitError({ request: greq, capture: 42 })],
    [new shim.errors.FloodTestPhoneWaitError({ request: req, capture: 7 }), new G.errors.FloodTestPhoneWaitError({ request: greq, capture: 7 })],
  ];
  for (const [ours, theirs] of pairs) {
    for (const k of ['message', 'code', 'errorMessage', 'seconds', 'name']) assert.equal(ours[k], theirs[k], `${theirs.name}.${k}`);
    assert.ok(ours instanceof Error);
  }
});

test('StringSession: reads what GramJS writes, refuses what GramJS refuses', async () => {
  const g = new GSessions.StringSession('');
  g.setDC(4, '2001:67c:4e8:f004::b', 443);
  const { AuthKey } = require('telegram/crypto/AuthKey');
  const ak = new AuthKey();
  await ak.setKey(NodeBuffer.alloc(256, 1));
  g.setAuthKey(ak);
  const str = g.save();
  const ours = new shim.sessions.StringSession(str);
  assert.equal(ours.save(), str);
  assert.equal(ours.dcId, 4);
  assert.equal(ours.serverAddress, '2001:67c:4e8:f004::b');
  assert.equal(ours.port, 443);
  assert.equal(new shim.sessions.StringSession('').save(), '');
  assert.equal(new shim.sessions.StringSession('').dcId, undefined);
  assert.throws(() => new GSessions.StringSession('2abc'), /Not a valid string/);
  assert.throws(() => new shim.sessions.StringSession('2abc'), /Not a valid string/);
  assert.throws(() => new shim.sessions.StringSession('1AAAA'), /Not a valid string/);
  assert.throws(() => new shim.sessions.StringSession(42), TypeError);
});

test('TelegramClient: parameters are checked when made', () => {
  const s = () => new shim.sessions.StringSession('');
  assert.throws(() => new shim.TelegramClient(s(), 0, API_HASH), /Your API ID or Hash cannot be empty or undefined/);
  assert.throws(() => new shim.TelegramClient(s(), API_ID, API_HASH, { connectionRetrys: 5 }), /unknown client parameter 'connectionRetrys'/);
  assert.throws(() => new shim.TelegramClient(s(), API_ID, API_HASH, { proxy: { ip: '1.2.3.4', port: 1080 } }), /proxy is not supported/);
  assert.throws(() => new shim.TelegramClient(new GSessions.StringSession(''), API_ID, API_HASH), /new StringSession\(gramjsSession\.save\(\)\)/);
  assert.doesNotThrow(() => new shim.TelegramClient(s(), API_ID, API_HASH, { connectionRetries: 5, useWSS: true, deviceModel: 'x', timeout: 5 }));
});

// ---------------------------------------------------------------- live, in Node

let dc;
let starting;
test.after(() => dc && dc.stop());

// The DC starts with the first live test (filtered runs skip it).
async function live() {
  dc = await (starting ||= startDC(['-preauth']));
}

const newClient = (session = '', params = {}) => new shim.TelegramClient(new shim.sessions.StringSession(session), API_ID, API_HASH,
  { server: dc.config, worker: false, ...params });

test('live: the SendChangePhoneCode doc example, session.save() and resume', async () => {
  await live();
  const client = newClient();
  assert.equal(client.session.save(), '');
  assert.equal(await client.connect(), true);
  assert.equal(client.connected, true);
  const saved = client.session.save();
  assert.match(saved, /^1/);
  assert.equal(saved, await client.tgwasm.exportSession());
  const result = await client.invoke(new Api.account.SendChangePhoneCode({
    phoneNumber: '+15551234501',
    settings: new Api.CodeSettings({ allowFlashcall: true, currentNumber: true, allowAppHash: true, allowMissedCall: true, logoutTokens: [shim.Buffer.from('arbitrary data here')] }),
  }));
  assert.ok(result instanceof Api.auth.SentCode);
  assert.equal(result.CONSTRUCTOR_ID, 0x5e002502);
  assert.equal(result.SUBCLASS_OF_ID, G.Api.auth.SentCode.SUBCLASS_OF_ID);
  assert.ok(result.type instanceof Api.auth.SentCodeTypeSms);
  assert.equal(result.type.length, 5);
  assert.ok(result.nextType instanceof Api.auth.CodeTypeCall);
  assert.equal(result.flags, 0b110);
  await client.disconnect();
  assert.equal(client.connected, false);

  // Resuming the saved session reuses its key: the DC sees no new exchange.
  const again = newClient(saved);
  const me = await again.getMe();
  assert.ok(me instanceof Api.User);
  assert.equal(typeof me.id, 'bigint');
  assert.equal(again.session.save(), saved);
  await again.disconnect();
});

test('Logger: GramJS\'s levels and format; a baseLogger must be a Logger', () => {
  const { LogLevel } = require('telegram/extensions/Logger');
  assert.deepEqual({ ...shim.LogLevel }, { ...LogLevel });
  const ours = new shim.Logger(shim.LogLevel.WARN);
  const theirs = new G.Logger(shim.LogLevel.WARN);
  for (const level of ['error', 'warn', 'info', 'debug']) assert.equal(ours.canSend(level), theirs.canSend(level), level);
  assert.equal(new shim.Logger(shim.LogLevel.NONE).canSend('error'), false);
  assert.equal(ours.format('m', 'warn').replace(/^\[[^\]]*\]/, ''), theirs.format('m', 'warn').replace(/^\[[^\]]*\]/, ''));
  assert.throws(() => new shim.TelegramClient(new shim.sessions.StringSession(''), API_ID, API_HASH, { baseLogger: 'console' }), /baseLogger must be a Logger/);
});

test('live: a baseLogger hears the client at its level; setLogLevel changes it; nothing without one', async () => {
  await live();
  class Collect extends shim.Logger {
    lines = [];

    log(level, message) { this.lines.push(`${level}: ${message}`); }
  }
  const logger = new Collect(shim.LogLevel.INFO);
  const client = newClient('', { baseLogger: logger });
  assert.equal(client.logger, logger);
  await client.connect();
  assert.ok(logger.lines.some((l) => /^info: dc 2: connecting to ws:\/\//.test(l)), logger.lines.join('\n'));
  assert.ok(logger.lines.some((l) => l === 'info: dc 2: ready'), logger.lines.join('\n'));
  assert.ok(!logger.lines.some((l) => l.startsWith('debug:')));
  client.setLogLevel(shim.LogLevel.NONE);
  const before = logger.lines.length;
  await client.disconnect();
  assert.equal(logger.lines.length, before, 'NONE logs nothing');

  // Without a baseLogger the shim stays quiet: GramJS's default logger
  // would print to the console, tgwasm's prints nothing.
  const quiet = newClient();
  const printed = [];
  const saved = console.log;
  console.log = (...a) => printed.push(a.join(' '));
  try {
    await quiet.connect();
    await quiet.disconnect();
  } finally {
    console.log = saved;
  }
  assert.deepEqual(printed, []);
  assert.equal(quiet.logger.logLevel, shim.LogLevel.NONE);
});

test('live: errors are GramJS errors', async () => {
  await live();
  const client = newClient('', { floodSleepThreshold: 0 });
  try {
    const req = new Api.account.SendChangePhoneCode({ phoneNumber: '+9996620001' });
    await assert.rejects(client.invoke(req), (e) => e instanceof shim.errors.RPCError && e.code === 400 &&
      e.errorMessage === 'PHONE_NUMBER_OCCUPIED' && e.message === '400: PHONE_NUMBER_OCCUPIED (caused by account.SendChangePhoneCode)');
    // …25: FLOOD_WAIT_1 on every other call.
    const flood = new Api.account.SendVerifyPhoneCode({ phoneNumber: '+15551234525' });
    let err;
    for (let i = 0; i < 2 && !err; i++) await client.invoke(flood).catch((e) => { err = e; });
    assert.ok(err instanceof shim.errors.FloodWaitError, String(err));
    assert.equal(err.seconds, 1);
    assert.equal(err.code, 420);
    assert.equal(err.errorMessage, 'FLOOD');
    assert.equal(err.message, 'A wait of 1 seconds is required (caused by account.SendVerifyPhoneCode)');
    await assert.rejects(client.invoke(new Api.account.SendChangePhoneCode({ phoneNumber: 42 })),
      (e) => e instanceof TypeError && /^account\.SendChangePhoneCode: phoneNumber must be a string/.test(e.message));
    await assert.rejects(client.invoke(new Api.auth.SendCode({ phoneNumber: '+15551234501', apiId: 43, apiHash: 'x' })),
      (e) => e instanceof RangeError && /apiId must be the TelegramClient's apiId/.test(e.message));
    await assert.rejects(client.invoke(new Api.CodeSettings({})), /invoke takes a request.*Api\.CodeSettings, which is not a request/);
    await assert.rejects(client.invoke({ className: 'account.SendChangePhoneCode' }), /not made with tgwasm\/gramjs's Api/);
    const ctl = new AbortController();
    const p = client.invoke(new Api.account.SendChangePhoneCode({ phoneNumber: '+15551234501' }), { signal: ctl.signal });
    ctl.abort();
    await assert.rejects(p, { name: 'AbortError' });
  } finally {
    await client.destroy();
  }
  await assert.rejects(client.invoke(new Api.account.SendChangePhoneCode({ phoneNumber: '+15551234501' })), /destroyed/);
});

test('live: the login flow returns auth.Authorization', async () => {
  await live();
  const client = newClient();
  try {
    const sent = await client.invoke(new Api.auth.SendCode({ phoneNumber: '+9996620001', apiId: API_ID, apiHash: API_HASH, settings: new Api.CodeSettings({}) }));
    assert.ok(sent instanceof Api.auth.SentCode);
    const phoneCode = '22222'; // the local DC's code: its DC digit five times
    const auth = await client.invoke(new Api.auth.SignIn({ phoneNumber: '+9996620001', phoneCodeHash: sent.phoneCodeHash, phoneCode }));
    assert.ok(auth instanceof Api.auth.Authorization);
    assert.ok(auth.user instanceof Api.User);
    assert.equal(auth.user.firstName, 'Alice');
    assert.equal(await client.isUserAuthorized(), true);
  } finally {
    await client.disconnect();
  }
});

test('live: start() logs in as GramJS does (code, 2FA, migration, bot, errors to onError)', { timeout: 60000 }, async () => {
  await live();
  const clients = [];
  const track = (c) => { clients.push(c); return c; };
  try {
    const never = () => { throw new Error('not asked: the session is logged in'); };
    // A logged-in session (the DC pre-authorizes new keys): start() asks nothing.
    const demo = track(newClient());
    await demo.start({ phoneNumber: never, phoneCode: never, onError: never });
    assert.equal((await demo.getMe()).firstName, 'Demo');
    await demo.disconnect();

    // A logged-out one: a number with 2FA, a wrong code, then a wrong password.
    const loggedOut = async () => {
      const client = track(newClient());
      await client.connect();
      await client.tgwasm.logOut();
      assert.equal(await client.checkAuthorization(), false);
      return client;
    };
    const bob = await loggedOut();
    const seen = [];
    const codes = ['00000', '22222'];
    const passwords = ['wrong', 'hunter2'];
    await bob.start({
      phoneNumber: async () => '+9996621111',
      phoneCode: async (viaApp) => { seen.push(`code viaApp=${viaApp}`); return codes.shift(); },
      password: async (hint) => { seen.push(`password hint=${hint}`); return passwords.shift(); },
      onError: async (err) => { seen.push(`${err.constructor.name} ${err.message}`); return seen.length > 12; },
    });
    assert.deepEqual(seen, [
      'code viaApp=false',
      'RPCError 400: PHONE_CODE_INVALID (caused by auth.SignIn)',
      'code viaApp=false',
      'password hint=undefined',
      'RPCError 400: PASSWORD_HASH_INVALID (caused by auth.CheckPassword)',
      'password hint=undefined',
    ]);
    const me = await bob.getMe();
    assert.ok(me instanceof Api.User);
    assert.equal(me.firstName, 'Bob');
    const saved = bob.session.save();
    await bob.disconnect();
    const resumed = track(newClient(saved));
    assert.equal(await resumed.checkAuthorization(), true);
    await resumed.disconnect();

    // Carol's home is DC 1: sendCode migrates there, and her code is DC 1's.
    const carol = await loggedOut();
    await carol.start({ phoneNumber: '+9996610001', phoneCode: async () => '11111', onError: async (e) => { throw e; } });
    assert.equal((await carol.getMe()).firstName, 'Carol');
    assert.equal(carol.session.dcId, 1);
    await carol.disconnect();

    // onError returning true stops; a fixed number's error is thrown at once.
    const alice = await loggedOut();
    const aliceCodes = ['', '99999'];
    const aliceErrors = [];
    await assert.rejects(alice.start({
      phoneNumber: '+9996620001',
      phoneCode: async () => aliceCodes.shift(),
      onError: async (e) => aliceErrors.push(e.message) > 1,
    }), /^Error: AUTH_USER_CANCEL$/);
    assert.deepEqual(aliceErrors, ['Code is empty', '400: PHONE_CODE_INVALID (caused by auth.SignIn)']);
    await assert.rejects(alice.start({ phoneNumber: '+123', phoneCode: never, onError: never }),
      (e) => e instanceof shim.errors.RPCError && e.errorMessage === 'PHONE_NUMBER_INVALID');
    // No account for the number: tgwasm does not sign up.
    await assert.rejects(alice.start({ phoneNumber: '+15550700301', phoneCode: async () => '22222', onError: never }),
      /\+15550700301 has no account, and tgwasm does not sign up new accounts/);
    // 2FA without a password callback.
    await assert.rejects(alice.start({ phoneNumber: '+9996621111', phoneCode: async () => '22222', onError: never }),
      /^Error: Account has 2FA enabled\.$/);
    // A code sent in the app (numbers ending in 00), and forceSMS resending it.
    assert.deepEqual(Object.keys(await alice.sendCode({ apiId: API_ID, apiHash: API_HASH }, '+15550700400')), ['phoneCodeHash', 'isCodeViaApp']);
    assert.equal((await alice.sendCode({ apiId: API_ID, apiHash: API_HASH }, '+15550700500')).isCodeViaApp, true);
    assert.equal((await alice.sendCode({ apiId: API_ID, apiHash: API_HASH }, '+15550700600', true)).isCodeViaApp, false);
    await alice.disconnect();

    // A bot token, given as a function.
    const bot = await loggedOut();
    await bot.start({ botAuthToken: async () => '1000006:TESTtokenForTheLocalDC' });
    const botUser = await bot.getMe();
    assert.equal(botUser.bot, true);
    await bot.disconnect();
    const badBot = await loggedOut();
    await assert.rejects(badBot.start({ botAuthToken: '1:nope' }),
      (e) => e instanceof shim.errors.RPCError && / \(caused by auth\.ImportBotAuthorization\)$/.test(e.message));
    await assert.rejects(badBot.start(), /start takes \{ phoneNumber, phoneCode, password\?, onError \} or \{ botAuthToken \}/);
    await badBot.disconnect();
  } finally {
    await Promise.all(clients.map((c) => c.destroy().catch(() => {})));
  }
});
