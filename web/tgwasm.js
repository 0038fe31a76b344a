// tgwasm: Telegram's MTProto API in the browser, from Go compiled to
// WebAssembly. The contract is API.md; types are in tgwasm.d.ts.

import { arithmeticHooks, compile, compiledModule, keepModule, pack, run } from './runtime.js';

export const VERSION = '0.1.0';

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

// ---------------------------------------------------------------- options

const OPTION_KEYS = ['apiId', 'apiHash', 'server', 'dcId', 'session', 'storage', 'floodSleepThreshold', 'timeout', 'device', 'worker', 'wasmUrl'];
const DEVICE_KEYS = ['deviceModel', 'systemVersion', 'appVersion', 'langCode', 'systemLangCode', 'langPack'];
const SESSION_KEY = 'tgwasm.session';

function kind(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  const t = typeof v;
  return t === 'object' ? 'an object' : (t === 'undefined' ? 'undefined' : `a ${t}`);
}

function typeError(path, want, v) {
  return new TypeError(`${path} must be ${want}, not ${kind(v)}`);
}

const errText = (err) => String(err && err.message !== undefined ? err.message : err);

/**
 * Checks that v is a plain object with only the given keys and returns a
 * plain copy of it. A getter or proxy trap that throws becomes a TypeError
 * naming the field, and nothing is read twice.
 */
function plainObject(path, v, keys) {
  let own;
  try {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw typeError(path, 'an object', v);
    own = Object.keys(v);
  } catch (err) {
    if (err instanceof TypeError && err.message.startsWith(path)) throw err;
    throw new TypeError(`${path} could not be read: ${errText(err)}`);
  }
  const copy = {};
  for (const k of own) {
    if (!keys.includes(k)) {
      const near = keys.find((x) => x.toLowerCase() === k.toLowerCase().replaceAll('_', ''));
      throw new TypeError(`${path}.${k} is not a known option${near ? ` (did you mean ${near}?)` : ''}`);
    }
    try {
      copy[k] = v[k];
    } catch (err) {
      throw new TypeError(`${path}.${k} could not be read: ${errText(err)}`);
    }
  }
  return copy;
}

function integer(path, v, min, max) {
  if (typeof v !== 'number') throw typeError(path, 'an integer', v);
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${path} must be an integer from ${min} to ${max}, not ${v}`);
  return v;
}

/** A light check of a GramJS StringSession (full parsing is in Go). */
function looksLikeSession(s) {
  if (typeof s !== 'string' || s === '') return false;
  if (s[0] !== '1') return false;
  try {
    const raw = atob(s.slice(1).replaceAll('-', '+').replaceAll('_', '/').replace(/=+$/, '').padEnd(Math.ceil((s.length - 1) / 4) * 4, '='));
    if (raw.length < 3) return false;
    const n = (raw.charCodeAt(1) << 8) | raw.charCodeAt(2);
    if (s.length - 1 === 352) return raw.length === 263; // Telethon, IPv4
    if (raw.length === 275 && n > 100) return true; // Telethon, IPv6
    return raw.length === 3 + n + 2 + 256;
  } catch {
    return false;
  }
}

function browserDevice() {
  const nav = globalThis.navigator || {};
  const ua = String(nav.userAgent || '');
  let model = 'Browser';
  let m;
  if (typeof process === 'object' && process.versions && process.versions.node && !nav.userAgentData) model = `Node.js ${process.versions.node}`;
  else if ((m = /(Edg|OPR|Firefox|Chrome|Chromium)\/(\d+)/.exec(ua))) model = `${{ Edg: 'Edge', OPR: 'Opera' }[m[1]] || m[1]} ${m[2]}`;
  else if ((m = /Version\/(\d+).*Safari/.exec(ua))) model = `Safari ${m[1]}`;
  const system = (nav.userAgentData && nav.userAgentData.platform) || nav.platform ||
    (typeof process === 'object' && process.platform) || 'Web';
  const lang = String(nav.language || 'en');
  return {
    deviceModel: model,
    systemVersion: String(system),
    appVersion: `tgwasm ${VERSION}`,
    langCode: lang.split('-')[0].toLowerCase() || 'en',
    systemLangCode: lang,
    langPack: '',
  };
}

/**
 * Validates createClient's options; throws TypeError/RangeError naming the
 * option. Returns the normalized options the wasm reads.
 */
function normalizeOptions(options) {
  if (options === undefined) throw new TypeError('options are required (at least apiId and apiHash)');
  const o = plainObject('options', options, OPTION_KEYS);
  const out = {};
  if (o.apiId === undefined) throw new TypeError('options.apiId is required (a positive integer from my.telegram.org)');
  out.apiId = integer('options.apiId', o.apiId, 1, 2 ** 31 - 1);
  if (o.apiHash === undefined) throw new TypeError('options.apiHash is required (32 hex characters from my.telegram.org)');
  if (typeof o.apiHash !== 'string') throw typeError('options.apiHash', 'a string', o.apiHash);
  if (!/^[0-9a-fA-F]{32}$/.test(o.apiHash)) throw new RangeError('options.apiHash must be 32 hexadecimal characters');
  out.apiHash = o.apiHash;

  let server = o.server === undefined ? 'production' : o.server;
  let serverId;
  if (server === 'production' || server === 'test') {
    out.server = { kind: server };
    serverId = server;
    if (o.dcId !== undefined) out.dcId = integer('options.dcId', o.dcId, 1, 5);
  } else if (typeof server === 'string') {
    throw new RangeError(`options.server must be 'production', 'test' or { url, dcId, publicKeys }, not '${server}'`);
  } else {
    server = plainObject('options.server', server, ['url', 'dcId', 'publicKeys']);
    let url;
    if (typeof server.url !== 'string' && !(server.url instanceof URL)) throw typeError('options.server.url', 'a ws:// or wss:// URL', server.url);
    try { url = new URL(String(server.url)); } catch { throw new RangeError(`options.server.url is not a URL: ${server.url}`); }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new RangeError(`options.server.url must be ws:// or wss://, not ${url.protocol}//`);
    if (server.dcId === undefined) throw new TypeError('options.server.dcId is required (the DC number of that server)');
    const dcId = integer('options.server.dcId', server.dcId, 1, 1000);
    if (!Array.isArray(server.publicKeys)) throw typeError('options.server.publicKeys', 'an array of PEM strings', server.publicKeys);
    if (server.publicKeys.length === 0 || server.publicKeys.length > 16) throw new RangeError('options.server.publicKeys must hold 1 to 16 keys');
    [...server.publicKeys].forEach((k, i) => {
      if (typeof k !== 'string') throw typeError(`options.server.publicKeys[${i}]`, 'a PEM string', k);
      if (!/-----BEGIN (RSA )?PUBLIC KEY-----[\s\S]+-----END (RSA )?PUBLIC KEY-----/.test(k)) {
        throw new RangeError(`options.server.publicKeys[${i}] is not a PEM public key (-----BEGIN RSA PUBLIC KEY-----)`);
      }
    });
    if (o.dcId !== undefined) throw new TypeError('options.dcId is for production/test; a custom server takes server.dcId');
    out.server = { kind: 'custom', url: url.href, dcId, publicKeys: [...server.publicKeys] };
    serverId = url.href;
  }

  if (o.session !== undefined && typeof o.session !== 'string') throw typeError('options.session', 'a string', o.session);
  if (o.session !== undefined && o.session !== '' && !looksLikeSession(o.session.trim())) {
    throw new RangeError('options.session is not a session string (a GramJS StringSession starts with "1" and is base64)');
  }

  let storageKey = null;
  const storage = o.storage === undefined ? 'memory' : o.storage;
  if (storage === 'localStorage') storageKey = `${SESSION_KEY}:${serverId}`;
  else if (storage !== 'memory') {
    if (typeof storage === 'string') throw new RangeError(`options.storage must be 'memory', 'localStorage' or { localStorage: key }, not '${storage}'`);
    const st = plainObject('options.storage', storage, ['localStorage']);
    if (typeof st.localStorage !== 'string' || st.localStorage === '') throw typeError('options.storage.localStorage', 'a non-empty key string', st.localStorage);
    storageKey = st.localStorage;
  }
  if (storageKey !== null && !globalThis.localStorage) throw new TypeError('options.storage: localStorage is not available here');

  if (o.floodSleepThreshold !== undefined) {
    if (typeof o.floodSleepThreshold !== 'number') throw typeError('options.floodSleepThreshold', 'a number of seconds', o.floodSleepThreshold);
    if (!(o.floodSleepThreshold >= 0 && o.floodSleepThreshold <= 86400)) throw new RangeError(`options.floodSleepThreshold must be 0 to 86400 seconds, not ${o.floodSleepThreshold}`);
    out.floodSleepThreshold = o.floodSleepThreshold;
  }
  if (o.timeout !== undefined) {
    if (typeof o.timeout !== 'number') throw typeError('options.timeout', 'a number of milliseconds', o.timeout);
    if (!(o.timeout >= 1 && o.timeout <= 2 ** 31 - 1)) throw new RangeError(`options.timeout must be 1 to 2147483647 milliseconds, not ${o.timeout}`);
    out.timeout = Math.floor(o.timeout);
  }
  const device = browserDevice();
  if (o.device !== undefined) {
    const given = plainObject('options.device', o.device, DEVICE_KEYS);
    for (const k of DEVICE_KEYS) {
      const v = given[k];
      if (v === undefined) continue;
      if (typeof v !== 'string') throw typeError(`options.device.${k}`, 'a string', v);
      if (v.length > 256) throw new RangeError(`options.device.${k} is longer than 256 characters`);
      device[k] = v;
    }
  }
  out.device = device;

  const hasWorker = typeof Worker === 'function';
  if (o.worker !== undefined && typeof o.worker !== 'boolean') throw typeError('options.worker', 'a boolean', o.worker);
  const worker = o.worker === undefined ? hasWorker : o.worker;
  if (worker && !hasWorker) throw new TypeError('options.worker: Worker is not available here; pass worker: false');

  let wasmUrl;
  if (o.wasmUrl === undefined) wasmUrl = new URL('./tgwasm.wasm', import.meta.url);
  else if (typeof o.wasmUrl === 'string' || o.wasmUrl instanceof URL) {
    try { wasmUrl = new URL(String(o.wasmUrl), globalThis.location ? globalThis.location.href : import.meta.url); } catch { throw new RangeError(`options.wasmUrl is not a URL: ${o.wasmUrl}`); }
  } else throw typeError('options.wasmUrl', 'a string or URL', o.wasmUrl);

  // The session: an explicit one wins; else what storage kept.
  let session = o.session === undefined ? '' : o.session.trim();
  if (session === '' && storageKey !== null) {
    const kept = globalThis.localStorage.getItem(storageKey);
    if (kept && looksLikeSession(kept)) session = kept;
    else if (kept) globalThis.localStorage.removeItem(storageKey);
  }
  out.session = session;
  return { wasm: out, storageKey, worker, wasmUrl: wasmUrl.href };
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

  constructor(backend, storageKey, session) {
    this.#backend = backend;
    this.#storageKey = storageKey;
    this.#session = session;
  }

  /** @internal */
  _state(s) {
    if (!STATES.includes(s) || s === this.#state) return;
    this.#state = s;
    for (const fn of [...this.#listeners]) {
      try { fn(s); } catch (err) { queueMicrotask(() => { throw err; }); }
    }
  }

  /** @internal */
  _session(s) {
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
      if (callOptions !== undefined) {
        let co;
        try {
          co = plainObject('callOptions', callOptions, ['signal', 'timeout']);
        } catch (err) { reject(err); return; }
        signal = co.signal;
        timeout = co.timeout;
        if (signal !== undefined && !(typeof AbortSignal === 'function' && signal instanceof AbortSignal)) {
          reject(typeError('callOptions.signal', 'an AbortSignal', signal));
          return;
        }
      }
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
    return this.#backend.exportSession();
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
  let backend;
  if (config.worker) {
    backend = await inWorker(config, hooks);
  } else {
    backend = await inThread(config, hooks);
  }
  client = new Client(backend, config.storageKey, config.wasm.session);
  for (const [kind, v] of pending) (kind === 'state' ? client._state(v) : client._session(v));
  if (config.storageKey !== null && config.wasm.session && !pending.some(([kind]) => kind === 'session')) client._session(config.wasm.session);
  return client;
}
