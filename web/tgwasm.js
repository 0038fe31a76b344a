// tgwasm: Telegram's MTProto API in the browser, from Go compiled to
// WebAssembly. The API is documented in docs/API.md; types are in
// tgwasm.d.ts.

import { inShared, inThread, inWorker } from './backends.js';
import { ConnectionError, abortError, toError } from './errors.js';
import { normalizeCallOptions, normalizeOptions, normalizePreloadOptions, typeError } from './options.js';
import { callListener, compile, mark } from './runtime.js';
import { encodeSession } from './session.js';
import { claimKept, openStore, startSession } from './storage.js';

export { VERSION } from './options.js';
export { ConnectionError, FloodWaitError, RPCError, TimeoutError } from './errors.js';

// ---------------------------------------------------------------- signals

/**
 * Forwards the page's signals about the network and its own life to the
 * wasm, which probes its connection at once rather than at the next
 * keep-alive, and makes no attempts while offline. In Worker mode they go
 * through the worker: a worker's own online/offline events are not
 * reliable in every browser. Returns a function that stops forwarding.
 */
function forwardSignals(send) {
  const win = globalThis.window;
  const doc = globalThis.document;
  if (!win || !doc || typeof win.addEventListener !== 'function') return () => {};
  const listeners = [
    [win, 'online', () => send('online')],
    [win, 'offline', () => send('offline')],
    [doc, 'visibilitychange', () => { if (doc.visibilityState === 'visible') send('check'); }],
    [doc, 'resume', () => send('check')], // Page Lifecycle: a frozen page runs again
    [win, 'pageshow', (e) => { if (e.persisted) send('check'); }], // back from the back/forward cache
  ];
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn);
  if (globalThis.navigator && globalThis.navigator.onLine === false) send('offline');
  return () => { for (const [target, type, fn] of listeners) target.removeEventListener(type, fn); };
}

// ---------------------------------------------------------------- client

const STATES = ['connecting', 'handshake', 'ready', 'reconnecting', 'closed'];

/**
 * The client's session as the page knows it: the last one the wasm
 * reported, encoded, and written to the page's store when the page keeps
 * it (every mode but a SharedWorker with IndexedDB or memory, which keeps
 * its own).
 */
class Keeper {
  #store;
  #listeners = new Set();

  constructor(store, current) {
    this.#store = store;
    /** The StringSession as of the last change. */
    this.current = current;
  }

  /** The wasm reports a new session (decoded; null for none). */
  set(data) {
    const s = encodeSession(data);
    this.current = s;
    if (this.#store) {
      this.#store.save(s).catch((err) => console.warn('tgwasm: could not keep the session:', err));
    }
    for (const fn of [...this.#listeners]) callListener(fn, s);
  }

  watch(fn) {
    this.#listeners.add(fn);
    fn(this.current);
    return () => this.#listeners.delete(fn);
  }
}

class Client {
  #backend;
  #keeper;
  #listeners = new Set();
  #state = 'connecting';
  #nextId = 1;
  #closed = null;
  #timeout;
  #stopSignals;

  constructor(backend, keeper, timeout) {
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

  #call(method, params, callOptions) {
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

  /** account.sendChangePhoneCode: a code to verify a new number before changePhone. */
  sendChangePhoneCode(params, callOptions) { return this.#call('sendChangePhoneCode', params, callOptions); }

  /** account.sendVerifyPhoneCode: a code to verify a number for Telegram Passport. */
  sendVerifyPhoneCode(params, callOptions) { return this.#call('sendVerifyPhoneCode', params, callOptions); }

  /** account.changePhone: completes a number change; resolves to the User. */
  changePhone(params, callOptions) { return this.#call('changePhone', params, callOptions); }

  /** account.verifyPhone: completes a Passport verification; resolves to true. */
  verifyPhone(params, callOptions) { return this.#call('verifyPhone', params, callOptions); }

  /** auth.resendCode: sends the code again the way the last SentCode's nextType says. */
  resendCode(params, callOptions) { return this.#call('resendCode', params, callOptions); }

  /** auth.cancelCode: invalidates a sent code; resolves to true. */
  cancelCode(params, callOptions) { return this.#call('cancelCode', params, callOptions); }

  /** auth.sendCode: starts a login. */
  sendCode(params, callOptions) { return this.#call('sendCode', params, callOptions); }

  /** auth.signIn: logs in with the code; rejects with SESSION_PASSWORD_NEEDED when 2FA is on. */
  signIn(params, callOptions) { return this.#call('signIn', params, callOptions); }

  /** auth.checkPassword: logs in with the 2FA password (SRP; the password never leaves the client). */
  checkPassword(params, callOptions) { return this.#call('checkPassword', params, callOptions); }

  /** auth.importBotAuthorization: logs in as a bot. */
  signInBot(params, callOptions) { return this.#call('signInBot', params, callOptions); }

  /** auth.logOut: ends the login; resolves to true. */
  logOut(params, callOptions) { return this.#call('logOut', params, callOptions); }

  /** users.getUsers([inputUserSelf]): the logged-in User. */
  getMe(params, callOptions) { return this.#call('getMe', params, callOptions); }

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

/**
 * Starts fetching and compiling the wasm now, so that a page can begin
 * before it creates a client; createClient reuses the work (in thread mode,
 * and in Worker mode, where the page hands the module to the worker).
 * Takes { wasmUrl?, onProgress? } as createClient does. The promise
 * resolves once the module is compiled; it need not be awaited (a failure
 * is reported again by createClient).
 */
export function preload(options) {
  const { wasmUrl, wasmSize, onProgress } = normalizePreloadOptions(options);
  const done = compile(wasmUrl, onProgress, wasmSize).then(() => {});
  done.catch(() => {});
  return done;
}

/**
 * Creates a client. Rejects with TypeError/RangeError naming a bad option
 * before any network I/O.
 */
export async function createClient(options) {
  mark('createClient');
  const config = normalizeOptions(options);
  if (config.mode === 'thread' && typeof globalThis.WebSocket !== 'function') {
    throw new ConnectionError('tgwasm: this JavaScript environment has no WebSocket ' +
      '(Node 20: run node with --experimental-websocket; browsers and Node 22+ have one)');
  }
  // The page keeps the session in every mode but one: a SharedWorker with
  // IndexedDB (or memory) keeps its own, since it outlives the pages.
  const pageKeeps = config.storage.kind === 'localStorage' || (config.storage.kind === 'indexedDB' && config.mode !== 'shared');
  const store = pageKeeps ? openStore(config.storage) : null;
  let keeper;
  // Reading the store (IndexedDB: a few hundred ms in a browser that has
  // just started) overlaps the wasm's loading: the backend waits for it
  // only where it needs the session.
  const ready = (store ? startSession(store, config.wasm.session) : Promise.resolve(config.wasm.session)).then((data) => {
    config.wasm.session = data;
    keeper = new Keeper(store, encodeSession(data));
  });
  ready.catch(() => {}); // the backend that awaits it reports it
  let client;
  const pending = [];
  const hooks = {
    state: (s) => (client ? client._state(s) : pending.push(s)),
    session: (data) => keeper.set(data),
  };
  if (config.onProgress) hooks.progress = (p) => callListener(config.onProgress, p);
  if (config.logger) hooks.log = (level, message) => callListener(config.logger, level, message);
  if (store) hooks.claimKey = () => claimKept(store);
  const backends = { thread: inThread, worker: inWorker, shared: inShared };
  const backend = await backends[config.mode](config, hooks, ready);
  client = new Client(backend, keeper, config.timeout);
  for (const s of pending) client._state(s);
  mark('client created');
  return client;
}

