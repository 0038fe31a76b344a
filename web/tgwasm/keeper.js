// The client's session as the page knows it: the last one the wasm
// reported, as a StringSession, written to the page's store when the page
// keeps it (every mode but a SharedWorker with IndexedDB or memory, which
// keeps its own), and heard by the GramJS shim's session.save().

import { callListener } from './listener.js';
import { encodeSession } from './session.js';
/** @import { Store } from './storage.js' */

/**
 * Writes StringSession s to store; a failure is reported on the console,
 * never thrown (the client goes on with the session in memory).
 * @param {Store} store
 * @param {string} s
 */
export function keepSession(store, s) {
  store.save(s).catch((err) => console.warn('tgwasm: could not keep the session:', err));
}

export class Keeper {
  #store;
  #listeners = new Set();

  /**
   * @param {Store | null} store
   * @param {string} current the StringSession the client starts with
   */
  constructor(store, current) {
    this.#store = store;
    /** The StringSession as of the last change. */
    this.current = current;
  }

  /** The wasm reports a new session (decoded; null for none). */
  set(data) {
    const s = encodeSession(data);
    this.current = s;
    if (this.#store) keepSession(this.#store, s);
    for (const fn of [...this.#listeners]) callListener(fn, s);
  }

  watch(fn) {
    this.#listeners.add(fn);
    fn(this.current);
    return () => this.#listeners.delete(fn);
  }
}
