// tgwasm: Telegram's MTProto API in the browser, from Go compiled to
// WebAssembly. The API is documented in docs/API.md; types are in
// tgwasm.d.ts.

import { normalizeCallOptions, normalizeOptions, sessionOption, typeError } from './options.js';
import { arithmeticHooks, compile, compiledModule, keepModule, pack, run } from './runtime.js';
import { encodeSession } from './session.js';

export { VERSION } from './options.js';

// ---------------------------------------------------------------- errors

/** The server answered rpc_error. */
export class RPCError extends Error {
  constructor(code, errorMessage, method, seconds) {
    super(`${code}: ${errorMessage} (caused by ${method})`);
    this.name = 'RPCError';
    /** @type {number} */
    this.code = code;
    /** @type {string} */
    this.errorMessage = errorMessage;
    /** @type {string} */
    this.method = method;
    if (seconds !== undefined) {
      /** @type {number|undefined} */
      this.seconds = seconds;
    }
  }
}

/** An RPCError that asks to wait: FLOOD_WAIT, FLOOD_PREMIUM_WAIT, SLOWMODE_WAIT… */
export class FloodWaitError extends RPCError {
  constructor(code, errorMessage, method, seconds) {
    super(code, errorMessage, method, seconds);
    this.name = 'FloodWaitError';
  }
}

/** The call outlived its timeout. */
export class TimeoutError extends Error {
  constructor(message, timeout) {
    super(message);
    this.name = 'TimeoutError';
    /** @type {number} milliseconds */
    this.timeout = timeout;
  }
}

/** The DC cannot be reached, or the socket failed past retries. */
export class ConnectionError extends Error {
  constructor(message, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ConnectionError';
    if (cause !== undefined) this.cause = cause;
  }
}

function abortError() {
  return new DOMException('The operation was aborted.', 'AbortError');
}

/** What calls reject with after the Go program stopped without close(). */
const STOPPED = Object.freeze({
  name: 'ConnectionError',
  message: 'tgwasm: the wasm program stopped (a Go panic: see the console); ' +
    'its session is still in exportSession(); create a new client',
});

/** Turns the { name, message, … } a call rejects with into an error. */
function toError(info) {
  if (info instanceof Error || info instanceof DOMException) return info;
  if (!info || typeof info !== 'object') return new Error(String(info));
  switch (info.name) {
    case 'RPCError':
      return info.seconds !== undefined
        ? new FloodWaitError(info.code, info.errorMessage, info.method, info.seconds)
        : new RPCError(info.code, info.errorMessage, info.method);
    case 'TimeoutError':
      return new TimeoutError(info.message, info.timeout);
    case 'ConnectionError':
      return new ConnectionError(info.message, info.cause === undefined ? undefined : new Error(info.cause));
    case 'AbortError':
      return abortError();
    case 'TypeError':
      return new TypeError(info.message);
    case 'RangeError':
      return new RangeError(info.message);
    default:
      return new Error(info.message);
  }
}

// ---------------------------------------------------------------- backends

/** Runs the wasm on this thread. */
async function inThread(config, hooks) {
  const module = await compile(config.wasmUrl);
  const { api, exited, memory } = await run(module);
  // The Go program ends only through close(), unless it crashes (a Go
  // panic outside a call): then what is in flight (start, calls) and every
  // later call rejects with STOPPED.
  let closing = false;
  let stopped = false;
  const inFlight = new Set(); // reject functions
  exited.then(() => {
    if (closing) return;
    stopped = true;
    for (const reject of inFlight) reject(STOPPED);
    inFlight.clear();
    hooks.state('closed');
  });
  const guard = (start) => {
    if (stopped) return Promise.reject(STOPPED);
    let p;
    try {
      p = start(); // now: a call reads its arguments synchronously
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      inFlight.add(reject);
      p.then(resolve, reject).finally(() => inFlight.delete(reject));
    });
  };
  let handle;
  try {
    handle = await guard(() => api.start(config.wasm, { ...hooks, ...arithmeticHooks() }));
  } catch (info) {
    throw toError(info);
  }
  return {
    call: (method, params, id, timeout) => guard(() => handle.call(method, params, id, timeout)),
    abort: (id) => { if (!stopped) handle.abort(id); },
    signal: (name) => { if (!stopped) handle.signal(name); },
    exportSession: async () => handle.exportSession(),
    stats: async () => {
      if (stopped) throw STOPPED;
      return { ...handle.stats(), wasmMemory: memory() };
    },
    stopped: () => stopped,
    close: async () => {
      closing = true;
      if (!stopped) await handle.close();
      await exited;
    },
  };
}

/** Runs the wasm in a dedicated Worker; same surface as inThread. */
async function inWorker(config, hooks) {
  // A module compiled in this page before is handed to the worker.
  // Otherwise the worker compiles it itself (streaming, while nothing else
  // waits on this thread: measured 20-25 ms sooner than compiling here and
  // posting it) and hands it back for later clients.
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'tgwasm' });
  let module;
  const kept = compiledModule(config.wasmUrl);
  if (kept) {
    try {
      module = await kept;
    } catch (err) {
      worker.terminate();
      throw err;
    }
  }
  const pending = new Map(); // id → { resolve, reject }
  let closed;
  let stopped = false;
  let failWith = null;
  const failAll = (err) => {
    failWith = err;
    for (const { reject } of pending.values()) reject(err);
    pending.clear();
  };
  const ready = new Promise((resolve, reject) => {
    worker.onmessage = ({ data: m }) => {
      switch (m.t) {
        case 'ready': resolve(); break;
        case 'module': keepModule(config.wasmUrl, m.module); break;
        case 'compile':
          compile(config.wasmUrl).then(
            (compiled) => worker.postMessage({ t: 'init', module: compiled, wasmUrl: config.wasmUrl, options: config.wasm }),
            reject,
          );
          break;
        case 'failed': reject(toError(m.error)); break;
        case 'state': hooks.state(m.state); break;
        case 'session': hooks.session(m.session); break;
        case 'result': {
          const p = pending.get(m.id);
          if (!p) break;
          pending.delete(m.id);
          if (m.ok) p.resolve(m.value); else p.reject(m.error);
          break;
        }
        case 'closed': if (closed) closed.resolve(); break;
        case 'stopped':
          stopped = true;
          failAll(STOPPED);
          reject(toError(STOPPED)); // when it stopped while starting
          hooks.state('closed');
          break;
        default:
      }
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      const err = new Error(`tgwasm: the worker failed: ${ev.message || 'could not load worker.js'}`);
      reject(err);
      failAll({ name: 'ConnectionError', message: err.message });
      if (closed) closed.resolve();
    };
  });
  worker.postMessage({ t: 'init', module, wasmUrl: config.wasmUrl, options: config.wasm });
  try {
    await ready;
  } catch (err) {
    worker.terminate();
    throw err;
  }
  let exportId = -1;
  const request = (msg, id) => new Promise((resolve, reject) => {
    if (failWith) { reject(failWith); return; }
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...msg, id });
  });
  return {
    call: (method, params, id, timeout) => request({ t: 'call', method, params: pack(params), timeout }, id),
    abort: (id) => worker.postMessage({ t: 'abort', id }),
    signal: (name) => worker.postMessage({ t: 'signal', name }),
    exportSession: () => request({ t: 'export' }, exportId--),
    stats: () => request({ t: 'stats' }, exportId--),
    stopped: () => stopped,
    close: () => {
      let resolve;
      const done = new Promise((r) => { resolve = r; });
      closed = { resolve };
      worker.postMessage({ t: 'close' });
      return done.then(() => worker.terminate());
    },
  };
}

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

class Client {
  #backend;
  #storageKey;
  #listeners = new Set();
  #state = 'connecting';
  #nextId = 1;
  #closed = null;
  #session;
  #sessionListeners = new Set();

  #timeout;
  #stopSignals;

  constructor(backend, storageKey, session, timeout) {
    this.#backend = backend;
    this.#storageKey = storageKey;
    this.#session = session;
    this.#timeout = timeout;
    this.#stopSignals = forwardSignals((name) => {
      try { this.#backend.signal(name); } catch { /* stopped */ }
    });
  }

  /** @internal */
  _state(s) {
    if (!STATES.includes(s) || s === this.#state) return;
    this.#state = s;
    for (const fn of [...this.#listeners]) {
      try { fn(s); } catch (err) { queueMicrotask(() => { throw err; }); }
    }
  }

  /** @internal The wasm reports a new session (decoded; null for none). */
  _session(data) {
    const s = encodeSession(data);
    this.#session = s;
    for (const fn of [...this.#sessionListeners]) {
      try { fn(s); } catch (err) { queueMicrotask(() => { throw err; }); }
    }
    if (this.#storageKey === null) return;
    try {
      if (s) globalThis.localStorage.setItem(this.#storageKey, s);
      else globalThis.localStorage.removeItem(this.#storageKey);
    } catch (err) {
      console.warn('tgwasm: could not keep the session in localStorage:', err);
    }
  }

  /**
   * The session string as of the last change, synchronously, and a
   * listener for changes (for the GramJS shim's session.save()).
   * @internal
   */
  _watchSession(fn) {
    this.#sessionListeners.add(fn);
    fn(this.#session);
    return () => this.#sessionListeners.delete(fn);
  }

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
    if (this.#backend.stopped()) return this.#session || '';
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
 * Creates a client. Rejects with TypeError/RangeError naming a bad option
 * before any network I/O.
 */
export async function createClient(options) {
  const config = normalizeOptions(options);
  if (!config.wasm.session && config.storageKey !== null) {
    // The session kept from an earlier visit; one that no longer reads is
    // dropped rather than failing every future start.
    const kept = globalThis.localStorage.getItem(config.storageKey);
    if (kept) {
      try {
        config.wasm.session = sessionOption('the kept session', kept);
      } catch (err) {
        console.warn(`tgwasm: dropping the session kept under ${config.storageKey}: ${err.message}`);
        globalThis.localStorage.removeItem(config.storageKey);
      }
    }
  }
  let client;
  const pending = [];
  const hooks = {
    state: (s) => (client ? client._state(s) : pending.push(['state', s])),
    session: (s) => (client ? client._session(s) : pending.push(['session', s])),
  };
  if (!config.worker && typeof globalThis.WebSocket !== 'function') {
    throw new ConnectionError('tgwasm: this JavaScript environment has no WebSocket ' +
      '(Node 20: run node with --experimental-websocket; browsers and Node 22+ have one)');
  }
  const backend = config.worker ? await inWorker(config, hooks) : await inThread(config, hooks);
  client = new Client(backend, config.storageKey, encodeSession(config.wasm.session), config.timeout);
  for (const [kind, v] of pending) (kind === 'state' ? client._state(v) : client._session(v));
  if (config.storageKey !== null && config.wasm.session && !pending.some(([kind]) => kind === 'session')) client._session(config.wasm.session);
  return client;
}
