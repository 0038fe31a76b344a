// Unit tests of web/tgwasm/storage.js's claim: one auth key per kept session even
// where localStorage lags between tabs. The browser's parts are modelled:
// Web Locks as a FIFO per name, IndexedDB as one coherent map, and
// localStorage as a copy that shows another tab's writes only once synced
// (what a Chromium tab in another process sees for a while).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimKept, claimKey, openStore, startSession } from '../../tgwasm/storage.js';
import { encodeSession } from '../../tgwasm/session.js';

function fakeLocks() {
  const queues = new Map();
  return {
    request(name, fn) {
      const prev = queues.get(name) || Promise.resolve();
      const run = prev.then(() => fn({ name }));
      queues.set(name, run.catch(() => {}));
      return run;
    },
  };
}

function fakeIndexedDB() {
  const data = new Map();
  const k = (key) => JSON.stringify(key);
  const request = (tx, fn) => {
    const req = {};
    setTimeout(() => { req.result = fn(); tx.oncomplete(); });
    return req;
  };
  const db = {
    createObjectStore() {},
    transaction() {
      const tx = {};
      tx.objectStore = () => ({
        get: (key) => request(tx, () => structuredClone(data.get(k(key)))),
        put: (value, key) => request(tx, () => { data.set(k(key), structuredClone(value)); }),
        delete: (key) => request(tx, () => { data.delete(k(key)); }),
      });
      return tx;
    },
  };
  return {
    open() {
      const req = { result: db };
      setTimeout(() => { if (req.onupgradeneeded) req.onupgradeneeded(); req.onsuccess(); });
      return req;
    },
  };
}

/** localStorage as another tab sees it: writes show once sync() runs. */
class LaggingStorage {
  #visible = new Map();
  #written = new Map();
  getItem(key) { return this.#visible.has(key) ? this.#visible.get(key) : null; }
  setItem(key, value) { this.#written.set(key, String(value)); }
  removeItem(key) { this.#written.set(key, null); }
  sync() {
    for (const [key, value] of this.#written) {
      if (value === null) this.#visible.delete(key); else this.#visible.set(key, value);
    }
    this.#written.clear();
  }
}

Object.defineProperty(globalThis, 'navigator', { value: { locks: fakeLocks() }, configurable: true });
globalThis.indexedDB = fakeIndexedDB();
const local = new LaggingStorage();
globalThis.localStorage = local;
// The wall clock, moved only by tick(): what a store read or wrote is
// ordered against the records by it.
let now = Date.UTC(2026, 10, 30);
Date.now = () => now;
const tick = () => { now += 1; };

let n = 0;
const spec = () => ({ place: 'localStorage', key: `claim-test-${++n}` });

/** Two tabs on one store: the first claims and makes a key while the second waits. */
async function race(s, afterSave = async () => {}) {
  const [a, b] = [openStore(s), openStore(s)];
  const first = await claimKey(a);
  assert.equal(first.session, '', 'the first tab makes the key');
  const second = claimKey(b);
  tick(); // the key exchange
  await a.save('1session-made-by-the-first-tab');
  await afterSave();
  first.release();
  return second;
}

test('a claim granted after another tab stored a key gets it, though localStorage lags', async () => {
  const { session, release } = await race(spec());
  assert.equal(session, '1session-made-by-the-first-tab');
  release();
});

test('with localStorage caught up, the claim reads it there', async () => {
  const { session } = await race(spec(), async () => local.sync());
  assert.equal(session, '1session-made-by-the-first-tab');
});

test('a session removed since is not handed over', async () => {
  const s = spec();
  const a = openStore(s);
  await a.save('1old');
  await a.save(''); // a logout
  const { session, release } = await claimKey(openStore(s));
  assert.equal(session, '');
  release();
});

test('a tab that read the store before another stored its key gets it, even when its claim begins later', async () => {
  const s = spec();
  const b = openStore(s);
  assert.equal(await startSession(b, null), null);
  tick();
  const a = openStore(s);
  const first = await claimKey(a);
  await a.save('1made-meanwhile');
  first.release();
  tick();
  const { session } = await claimKey(b);
  assert.equal(session, '1made-meanwhile');
});

test('a session removed from localStorage by hand is not brought back to a tab started after', async () => {
  const s = spec();
  await openStore(s).save('1kept-before');
  local.sync();
  local.removeItem(s.key); // by hand, or localStorage.clear()
  local.sync();
  tick();
  const later = openStore(s);
  assert.equal(await startSession(later, null), null);
  const { session, release } = await claimKey(later);
  assert.equal(session, '', 'a new key is made');
  release();
});

test('the claim is held until release: a third tab waits, then finds the key', async () => {
  const s = spec();
  const [a, c] = [openStore(s), openStore(s)];
  const first = await claimKey(a);
  let settled = false;
  const third = claimKey(c).then((r) => { settled = true; return r; });
  tick();
  await a.save('1key');
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(settled, false, 'waits while the key is being made');
  first.release();
  assert.equal((await third).session, '1key');
});

test('indexedDB stores are coherent: the claim reads the store itself', async () => {
  const s = { place: 'indexedDB', key: 'claim-test-idb' };
  const [a, b] = [openStore(s), openStore(s)];
  assert.equal(b.handedOver, undefined);
  const first = await claimKey(a);
  const second = claimKey(b);
  await a.save('1idb-key');
  first.release();
  assert.equal((await second).session, '1idb-key');
});

test('startSession: one passed in replaces the kept one; a kept one that no longer reads is dropped', async (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const s = { place: 'indexedDB', key: 'start-test' };
  const store = openStore(s);
  const data = { dcId: 2, addr: '127.0.0.1', port: 443, key: new Uint8Array(256).fill(7) };
  assert.equal(await startSession(store, null), null, 'none kept');
  const given = { text: encodeSession(data), data }; // options.js#sessionOption's
  assert.deepEqual(await startSession(store, given), given);
  assert.equal(await store.load(), encodeSession(data), 'kept');
  assert.deepEqual(await startSession(openStore(s), null), given, 'resumed');
  await store.save('1garbage');
  assert.equal(await startSession(store, null), null);
  assert.equal(await store.load(), '', 'dropped');
  assert.match(warn.mock.calls[0].arguments[0], /^tgwasm: dropping the session kept under start-test: invalid session string: /);
});

test('claimKept decodes the session another tab stored, and ignores one that does not read', async (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const s = { place: 'indexedDB', key: 'claim-kept-test' };
  const store = openStore(s);
  const data = { dcId: 3, addr: '127.0.0.1', port: 443, key: new Uint8Array(256).fill(9) };
  await store.save(encodeSession(data));
  assert.deepEqual((await claimKept(store)).session, data);
  await store.save('1garbage');
  const { session, release } = await claimKept(store);
  assert.equal(session, null);
  release();
  assert.match(warn.mock.calls[0].arguments[0], /^tgwasm: ignoring the session kept under claim-kept-test: /);
});
