// Unit tests of web/tgwasm/runtime/: the arithmetic handed to the wasm and the
// packing of call arguments for the worker, and the first DC's URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, pbkdf2Sync, randomBytes } from 'node:crypto';
import { arithmeticHooks } from '../../tgwasm/runtime/arith.js';
import { firstEndpoint } from '../../tgwasm/runtime/early-socket.js';
import { pageClaims } from '../../tgwasm/runtime/instance.js';
import { pack, unpack } from '../../tgwasm/runtime/pack.js';
import { normalizeOptions } from '../../tgwasm/options.js';
import { encodeSession } from '../../tgwasm/session.js';

const hex = (b) => b.toString('hex').replace(/^0+/, '') || '0';
function naive(x, y, m) {
  let r = 1n;
  let b = x % m;
  let e = y;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

test('modPow matches BigInt square-and-multiply', () => {
  const { modPow } = arithmeticHooks();
  for (const [xb, yb, mb] of [[1, 1, 3], [8, 8, 8], [256, 256, 256], [256, 33, 256], [3, 256, 256]]) {
    const x = BigInt(`0x${hex(randomBytes(xb))}`);
    const y = BigInt(`0x${hex(randomBytes(yb))}`);
    const m = BigInt(`0x${hex(randomBytes(mb))}`) | 1n;
    assert.equal(modPow(x.toString(16), y.toString(16), m.toString(16)), naive(x, y, m).toString(16));
  }
  assert.equal(modPow('3', '0', 'b'), '1');
});

test('pbkdf2 is PBKDF2-HMAC-SHA512', async () => {
  const { pbkdf2 } = arithmeticHooks();
  const password = randomBytes(32);
  const salt = randomBytes(40);
  const got = await pbkdf2(password, salt, 100000, 64);
  assert.deepEqual(Buffer.from(got), pbkdf2Sync(password, salt, 100000, 64, 'sha512'));
});

test('pack/unpack keep what structured clone carries and rebuild the rest', () => {
  const params = {
    phoneNumber: '+1',
    settings: { logoutTokens: [new Uint8Array([1, 2])], token: 't', allowFlashcall: true },
    n: 5n,
    fn: () => 1,
    sym: Symbol('s'),
    get boom() { throw new Error('getter boom'); },
    nested: [1, 'a', null, undefined],
  };
  const packed = structuredClone(pack(params)); // what postMessage does
  const v = unpack(packed);
  assert.equal(v.phoneNumber, '+1');
  assert.deepEqual(v.settings.logoutTokens[0], new Uint8Array([1, 2]));
  assert.equal(v.n, 5n);
  assert.equal(typeof v.fn, 'function');
  assert.equal(typeof v.sym, 'symbol');
  assert.throws(() => v.boom, /getter boom/);
  assert.deepEqual(v.nested, [1, 'a', null, undefined]);

  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const r = unpack(structuredClone(pack(proxy)));
  assert.throws(() => Object.keys(r));

  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  const c = unpack(structuredClone(pack(cyclic)));
  assert.equal(c.self, c);
});

test('createClient without a WebSocket (Node 20 without the flag) rejects with ConnectionError', async () => {
  const { createClient, ConnectionError } = await import('../../tgwasm/tgwasm.js');
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
  delete globalThis.WebSocket;
  try {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'pkcs1', format: 'pem' });
    await assert.rejects(
      createClient({ apiId: 1, apiHash: '0123456789abcdef0123456789abcdef', worker: false, server: { url: 'ws://127.0.0.1:1/apiws', dcId: 2, publicKeys: [pem] } }),
      (e) => e instanceof ConnectionError && /no WebSocket \(Node 20: run node with --experimental-websocket/.test(e.message),
    );
  } finally {
    if (saved) Object.defineProperty(globalThis, 'WebSocket', saved);
  }
});

test('firstEndpoint: the session\'s DC, else the server\'s; a custom server\'s one URL', () => {
  const api = { apiId: 1, apiHash: 'a'.repeat(32), worker: false };
  const session = encodeSession({ dcId: 4, addr: '149.154.167.91', port: 443, key: new Uint8Array(256).fill(7) });
  const cases = [
    [{}, false, null],
    [{}, true, 'wss://venus.web.telegram.org/apiws'],
    [{ dcId: 1 }, true, 'wss://pluto.web.telegram.org/apiws'],
    [{ session }, true, 'wss://vesta.web.telegram.org/apiws'],
    [{ server: 'test', dcId: 3 }, true, 'wss://aurora.web.telegram.org/apiws_test'],
  ];
  for (const [o, known, want] of cases) {
    assert.equal(firstEndpoint(normalizeOptions({ ...api, ...o }).wasm, known), want, JSON.stringify([o, known]));
  }
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const server = { url: 'ws://127.0.0.1:9/apiws', dcId: 2, publicKeys: [publicKey.export({ type: 'pkcs1', format: 'pem' })] };
  for (const known of [false, true]) {
    assert.equal(firstEndpoint(normalizeOptions({ ...api, server }).wasm, known), server.url);
  }
});

test('pageClaims: a claim goes to the page, its answer settles it, and release is posted', async () => {
  const claims = pageClaims();
  const sent = [];
  const first = claims.ask((m) => sent.push(m));
  const second = claims.ask((m) => sent.push(m));
  assert.deepEqual(sent, [{ type: 'claim', id: 1 }, { type: 'claim', id: 2 }]);
  claims.answer({ type: 'claimed', id: 2, error: { message: 'the store failed' } });
  claims.answer({ type: 'claimed', id: 1, session: null });
  await assert.rejects(second, /^Error: the store failed$/);
  const { session, release } = await first;
  assert.equal(session, null);
  release();
  assert.deepEqual(sent.at(-1), { type: 'release', id: 1 });
  claims.answer({ type: 'claimed', id: 1, session: null }); // answered twice: ignored
});
