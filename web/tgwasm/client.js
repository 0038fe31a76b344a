// The client a page holds: its state and listeners, and every call on its
// way to the backend (backends/*), with the call's { signal, timeout }.
// The API's methods themselves come from the table (methods.gen.js).

import { ConnectionError, abortError, toError } from './errors.js';
import { callListener } from './listener.js';
import { Methods } from './methods.gen.js';
import { normalizeCallOptions } from './options.js';
import { encodeSession } from './session.js';
import { forwardSignals } from './signals.js';
import { typeError } from './values.js';
/** @import { Keeper } from './keeper.js' */

const STATES = ['connecting', 'handshake', 'ready', 'reconnecting', 'closed'];

export class Client extends Methods {
  #backend;
  #keeper;
  #listeners = new Set();
  #state = 'connecting';
  #nextId = 1;
  #closed = null;
  #timeout;
  #stopSignals;

  /**
   * @param backend the backend that runs the wasm (backends/thread.js)
   * @param {Keeper} keeper
   * @param {number} timeout the default per-call limit (ms)
   */
  constructor(backend, keeper, timeout) {
    super();
    this.#backend = backend;
    this.#keeper = keeper;
    this.#timeout = timeout;
    this.#stopSignals = forwardSignals((name) => {
      try { this.#backend.signal(name); } catch { /* stopped */ }
    });
  }

  /** @internal */
  _state(s) {
    if (!STATES.includes(s) || s === this.#state) return;
    this.#state = s;
    for (const fn of [...this.#listeners]) callListener(fn, s);
  }

  /**
   * The session string as of the last change, synchronously, and a
   * listener for changes (for the GramJS shim's session.save()).
   * @internal
   */
  _watchSession(fn) {
    return this.#keeper.watch(fn);
  }

  /**
   * The mode that runs this client: 'worker', 'thread' or 'shared' (after
   * the fallback from 'shared' to 'worker' where SharedWorker does not
   * exist).
   */
  get mode() { return this.#backend.mode; }

  /** The current connection state. */
  get state() { return this.#state; }

  on(event, fn) {
    if (event !== 'state') throw new TypeError(`unknown event '${event}' (known: 'state')`);
    if (typeof fn !== 'function') throw typeError('listener', 'a function', fn);
    this.#listeners.add(fn);
    const now = this.#state;
    queueMicrotask(() => { if (this.#listeners.has(fn)) fn(now); });
    return this;
  }

  off(event, fn) {
    if (event !== 'state') throw new TypeError(`unknown event '${event}' (known: 'state')`);
    this.#listeners.delete(fn);
    return this;
  }

  /**
   * Calls method in the wasm with params (every method of the table comes
   * here), settling once: with its answer, its error, the caller's abort
   * or the client's close.
   * @internal
   */
  _call(method, params, callOptions) {
    return new Promise((resolve, reject) => {
      if (this.#closed) { reject(new ConnectionError('the client is closed')); return; }
      let signal;
      let timeout;
      try {
        ({ signal, timeout } = normalizeCallOptions(callOptions, this.#timeout));
      } catch (err) { reject(err); return; }
      if (signal && signal.aborted) { reject(abortError()); return; }
      const id = this.#nextId++;
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        reject(abortError());
        try { this.#backend.abort(id); } catch { /* already gone */ }
      };
      if (signal) signal.addEventListener('abort', onAbort, { once: true });
      let p;
      try {
        p = this.#backend.call(method, params, id, timeout);
      } catch (err) {
        p = Promise.reject(err);
      }
      Promise.resolve(p).then(
        (v) => { if (!settled) { settled = true; resolve(v); } },
        (info) => { if (!settled) { settled = true; reject(toError(info)); } },
      ).finally(() => { if (signal) signal.removeEventListener('abort', onAbort); });
    });
  }

  /** A StringSession of the current login (GramJS-compatible). */
  async exportSession() {
    if (this.#closed) throw new ConnectionError('the client is closed');
    // After a crash of the wasm the login is not lost: the last session
    // it reported still resumes it in a new client.
    if (this.#backend.stopped()) return this.#keeper.current;
    return encodeSession(await this.#backend.exportSession());
  }

  /**
   * Diagnostics, not part of the API contract: the wasm's linear memory
   * and the Go heap, goroutines and live js.Func counts.
   * @internal
   */
  async _stats() {
    if (this.#closed) throw new ConnectionError('the client is closed');
    return this.#backend.stats();
  }

  /** Closes the socket and releases the wasm. */
  close() {
    if (!this.#closed) {
      this.#stopSignals();
      this.#closed = this.#backend.close().then(() => { this._state('closed'); });
    }
    return this.#closed;
  }
}
