// Where a session is kept between page loads, and the rule that keeps one
// auth key per kept session across tabs.
//
// A store keeps one StringSession under a key: in localStorage (pages
// only) or in IndexedDB (pages, dedicated workers and SharedWorkers:
// database "tgwasm", object store "sessions"). claimKey serializes the
// making of a new auth key between every page and worker of the origin
// that use the same store key, with a Web Lock: the first one to need a
// key makes it and stores it before the lock is released; the others then
// find it in the store and use it.
//
// localStorage is not coherent across a browser's processes (the spec
// promises nothing between agent clusters, and Chromium's tabs read a
// per-process copy that another tab's setItem reaches a little later): a
// tab granted the lock can still read '' where the tab that released it
// has just stored a key. So every save to localStorage is also recorded in
// IndexedDB, which is coherent, with its time, and a claim that finds
// localStorage empty takes the session recorded there if it was recorded
// after this tab last read or wrote the store itself: news it may not see
// in localStorage yet. An older record is what this tab's own reading
// already accounted for, so a session someone removed from localStorage by
// hand (or with localStorage.clear()) before a tab started stays removed.

import { decodeSession } from './session.js';
/** @import { GivenSession } from './options.js' */

export const DB_NAME = 'tgwasm';
const DB_STORE = 'sessions';

/**
 * @typedef {{ place: 'memory' | 'localStorage' | 'indexedDB', key: string }} StorageSpec
 * @typedef {{ spec: StorageSpec, load(): Promise<string>, save(s: string): Promise<void>, flush(): Promise<void>,
 *   seen?(): number, handedOver?(since: number): Promise<string> }} Store
 */

let db; // Promise<IDBDatabase>, opened once per context

function openDB() {
  if (!db) {
    db = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(DB_STORE);
      req.onsuccess = () => {
        const d = req.result;
        // Another context upgrading the database: let it.
        d.onversionchange = () => { d.close(); db = undefined; };
        resolve(d);
      };
      req.onerror = () => reject(new Error(`tgwasm: IndexedDB ${DB_NAME}: ${req.error && req.error.message}`));
      req.onblocked = () => reject(new Error(`tgwasm: IndexedDB ${DB_NAME} is blocked by another tab`));
    });
    db.catch(() => { db = undefined; });
  }
  return db;
}

/** Runs one request on the sessions object store in its own transaction. */
async function idb(mode, op) {
  const d = await openDB();
  return new Promise((resolve, reject) => {
    const tx = d.transaction(DB_STORE, mode);
    const req = op(tx.objectStore(DB_STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(new Error(`tgwasm: IndexedDB: ${tx.error && tx.error.message}`));
    tx.onabort = () => reject(new Error(`tgwasm: IndexedDB: ${tx.error ? tx.error.message : 'aborted'}`));
  });
}

/**
 * The store a normalized storage spec names. Writes are applied in the
 * order they were made.
 * @param {StorageSpec} spec
 * @returns {Store}
 */
export function openStore(spec) {
  let last = Promise.resolve();
  const queued = (write) => {
    last = last.then(write, write);
    return last;
  };
  // Resolves once every write queued so far has finished.
  const flush = () => last.then(() => {}, () => {});
  switch (spec.place) {
    case 'localStorage': {
      // The record's key is an array: no indexedDB store's key (a string) is the same.
      const handoff = ['localStorage', spec.key];
      // Opening the database (a first visit creates it) overlaps the
      // wasm's loading rather than delaying the first key's claim.
      openDB().catch(() => {});
      let seen = Date.now(); // when this store last read or wrote the session
      return {
        spec,
        load: async () => {
          seen = Date.now();
          return globalThis.localStorage.getItem(spec.key) || '';
        },
        save: (s) => queued(async () => {
          if (s) globalThis.localStorage.setItem(spec.key, s);
          else globalThis.localStorage.removeItem(spec.key);
          seen = Date.now();
          // Without IndexedDB (or with it failing) claims read localStorage only.
          await idb('readwrite', (st) => st.put({ session: s, at: seen }, handoff)).catch(() => {});
        }),
        seen: () => seen,
        // The session some tab saved after the time since, '' if none.
        handedOver: async (since) => {
          const rec = await idb('readonly', (st) => st.get(handoff)).catch(() => undefined);
          return rec && rec.at > since ? rec.session : '';
        },
        flush,
      };
    }
    case 'indexedDB':
      return {
        spec,
        load: async () => (await idb('readonly', (st) => st.get(spec.key))) || '',
        save: (s) => queued(() => idb('readwrite', (st) => (s ? st.put(s, spec.key) : st.delete(spec.key)))),
        flush,
      };
    default:
      return { spec, load: async () => '', save: async () => {}, flush };
  }
}

/** A kept session string decoded; null for none, and (with a warning saying what is done with it) for one that no longer reads. */
function decodeKept(spec, s, what) {
  try {
    return decodeSession(s);
  } catch (err) {
    console.warn(`tgwasm: ${what} the session kept under ${spec.key}: ${err.message}`);
    return null;
  }
}

/**
 * The session a client starts with, as a string and decoded ({ text,
 * data }, or null for none): one passed in (options.js#sessionOption read
 * it) replaces the kept one; otherwise the kept one, and one that no longer
 * reads is dropped rather than failing every future start.
 * @param {Store} store
 * @param {GivenSession | null} given
 * @returns {Promise<GivenSession | null>}
 */
export async function startSession(store, given) {
  if (given) {
    await store.save(given.text);
    return given;
  }
  const kept = await store.load();
  const data = decodeKept(store.spec, kept, 'dropping');
  if (!data && kept.trim()) await store.save('');
  return data ? { text: kept.trim(), data } : null;
}

/**
 * claimKey with the session decoded: { session: SessionData | null,
 * release }, an unreadable one ignored.
 * @param {Store} store
 */
export async function claimKept(store) {
  const { session, release } = await claimKey(store);
  return { session: decodeKept(store.spec, session, 'ignoring'), release };
}

/** The Web Lock that serializes making an auth key for one store key. */
export function lockName(spec) {
  return `tgwasm.authkey:${spec.place}:${spec.key}`;
}

/**
 * Claims the right to make a new auth key for this store. Resolves with
 * { session, release }: a session string when another client stored one
 * meanwhile (use it; release is a no-op), or '' and the claim, held until
 * release() is called, once the new key is stored (or making it failed).
 * Without Web Locks (very old browsers) it only reads the store.
 * @param {Store} store
 */
export function claimKey(store) {
  const locks = globalThis.navigator && globalThis.navigator.locks;
  if (store.spec.place === 'memory' || !locks) {
    return store.load().then((session) => ({ session, release: () => {} }));
  }
  // What this client knew before the claim: its own reads and writes.
  const since = store.seen ? store.seen() : 0;
  return new Promise((resolve, reject) => {
    locks.request(lockName(store.spec), async () => {
      let session;
      try {
        session = await store.load();
        if (!session && store.handedOver) session = await store.handedOver(since);
      } catch (err) {
        reject(err);
        return;
      }
      if (session) {
        resolve({ session, release: () => {} });
        return;
      }
      // Hold the lock until the new key is stored: whoever comes next
      // finds it. The key's write was queued before release() is called.
      await new Promise((released) => {
        resolve({ session: '', release: () => { store.flush().then(released); } });
      });
    }).catch(reject);
  });
}
