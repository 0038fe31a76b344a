// Loading and running tgwasm.wasm. Shared by the in-thread client
// (tgwasm.js) and the worker (worker.js); nothing here is public API.

import { ENDPOINTS } from './endpoints.js';
import { goClass } from './go.js';

const compiled = new Map(); // wasm URL → Promise<WebAssembly.Module>

/**
 * When each step of starting happened in this context, in milliseconds
 * since the epoch (so that a page's and its worker's compare): the first
 * time each was reached. Diagnostics for scripts/bench.sh, in
 * client._stats().timeline; not part of the API.
 */
export const timeline = {};

/** Notes that step name was reached now (the first time only). */
export function mark(name) {
  if (!(name in timeline)) timeline[name] = performance.timeOrigin + performance.now();
}

/**
 * What a thrown value says: its message when that is a string, else
 * String(value); '(unprintable value)' when reading either throws in turn
 * (a hostile getter). internal/bridge/value_js.go applies the same rule
 * to what the wasm reads in thread mode.
 */
export function thrownText(err) {
  try {
    if (err !== null && typeof err === 'object') {
      const m = Reflect.get(err, 'message');
      if (typeof m === 'string') return m;
    }
  } catch { /* fall back to String() */ }
  try {
    return String(err);
  } catch {
    return '(unprintable value)';
  }
}
/** Readies the Go runtime's JavaScript side (go.js) ahead of run(). */
export function preload() {
  goClass().catch(() => {});
}

/**
 * The compile of one wasm URL in this context: its promise, and how far
 * the download got, for every onProgress that asks.
 */
class Load {
  loaded = 0;
  total = null;
  done = false;
  started = performance.now();
  responded = null; // when the response's headers arrived
  finished = null; // when the module was compiled
  listeners = new Set();
  reported = 0; // loaded at the last report: one per 64 KB is plenty

  listen(fn) {
    this.listeners.add(fn);
    if (this.done || this.loaded > 0) callListener(fn, this.progress());
  }

  progress() {
    return this.done ? { loaded: this.loaded, total: this.loaded } : { loaded: this.loaded, total: this.total };
  }

  add(n) {
    const first = this.loaded === 0;
    this.loaded += n;
    // A size hint that was wrong is no size at all.
    if (this.total !== null && this.loaded > this.total) this.total = null;
    // The first bytes at once (the download has begun), then about every
    // 64 KB.
    if (first || this.loaded - this.reported >= 65536) this.report();
  }

  finish() {
    this.done = true;
    this.finished = performance.now();
    this.report();
  }

  report() {
    this.reported = this.loaded;
    const p = this.progress();
    for (const fn of this.listeners) callListener(fn, { ...p });
  }
}

/**
 * Calls a page's listener (onProgress, onState, a session watcher, the
 * logger): what it throws is reported as uncaught, not propagated into
 * tgwasm.
 */
export function callListener(fn, ...args) {
  try {
    fn(...args);
  } catch (err) {
    queueMicrotask(() => { throw err; });
  }
}

const loads = new Map(); // wasm URL → Load

/**
 * Reads a body to the end, counting what arrives; keeps the chunks only
 * when asked (a copy read only to count them would otherwise hold the
 * whole module until it is compiled).
 */
async function drain(body, load, keep = true) {
  const reader = body.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (keep) chunks.push(value);
    load.add(value.byteLength);
  }
  return chunks;
}

async function load(url, state, sizeHint) {
  state.total = sizeHint;
  mark('wasm requested');
  if (url.protocol === 'file:') {
    // Node: fetch() cannot read files. Through process.getBuiltinModule
    // (Node 20.16+), not an import() that a bundler would try to follow.
    const node = globalThis.process;
    if (!node || typeof node.getBuiltinModule !== 'function') {
      throw new Error(`tgwasm: cannot read ${url.href}: file: URLs need Node 20.16 or later (process.getBuiltinModule)`);
    }
    const bytes = await node.getBuiltinModule('fs/promises').readFile(url);
    state.responded = performance.now();
    state.add(bytes.byteLength);
    return WebAssembly.compile(bytes);
  }
  const res = await fetch(url, { credentials: 'same-origin' });
  state.responded = performance.now();
  mark('wasm response');
  if (!res.ok) throw new Error(`tgwasm: fetching ${url} answered ${res.status} ${res.statusText}`);
  const length = res.headers.get('Content-Length');
  if (state.total === null && length && !res.headers.get('Content-Encoding')) state.total = Number(length);
  const streaming = typeof WebAssembly.compileStreaming === 'function' &&
    (res.headers.get('Content-Type') || '').toLowerCase() === 'application/wasm';
  if (!streaming || !res.body) {
    // Another MIME type (a misconfigured server) or no streaming: read it
    // all, then compile.
    const chunks = res.body ? await drain(res.body, state) : [new Uint8Array(await res.arrayBuffer())];
    return WebAssembly.compile(await new Blob(chunks).arrayBuffer());
  }
  // Compile while the bytes arrive, from the response itself (so that the
  // browser can use and write its code cache for it), and count the bytes
  // on a copy of the body.
  const counted = drain(res.clone().body, state, false).then(() => {}, () => {});
  const module = await WebAssembly.compileStreaming(res);
  await counted;
  return module;
}

/**
 * Compiles the wasm once per URL in this context, streaming (compilation
 * overlaps the download). onProgress, if given, hears { loaded, total } as
 * the bytes arrive (decoded bytes; total is sizeHint, or the
 * Content-Length of an uncompressed response, or null) and once more with
 * loaded === total when the module is compiled, also when it already was.
 */
export function compile(wasmUrl, onProgress, sizeHint = null) {
  preload(); // ready the runtime glue meanwhile
  const url = new URL(wasmUrl);
  const key = url.href;
  let p = compiled.get(key);
  let state = loads.get(key);
  if (!p) {
    state = new Load();
    loads.set(key, state);
    p = load(url, state, sizeHint).then((module) => { state.finish(); mark('wasm compiled'); return module; });
    compiled.set(key, p);
    p.catch(() => { compiled.delete(key); loads.delete(key); });
  }
  if (onProgress) state.listen(onProgress);
  return p;
}

/**
 * The module compiled from wasmUrl in this context, or undefined when none
 * was compiled (or is being compiled) here.
 */
export function compiledModule(wasmUrl) {
  return compiled.get(new URL(wasmUrl).href);
}

/**
 * Keeps a module compiled elsewhere (a worker) for later clients, with how
 * many bytes that took.
 */
export function keepModule(wasmUrl, module, progress) {
  const key = new URL(wasmUrl).href;
  if (compiled.has(key)) return;
  compiled.set(key, Promise.resolve(module));
  const state = new Load();
  state.loaded = progress ? progress.loaded : 0;
  state.done = true;
  loads.set(key, state);
}

/**
 * How long loading wasmUrl took in this context, in ms (diagnostics):
 * until the response arrived, and from then until the module was compiled
 * (reading the body, compiling, or using the browser's compiled-code
 * cache). null where it was not compiled here.
 */
export function loadTiming(wasmUrl) {
  const state = loads.get(new URL(wasmUrl).href);
  if (!state || state.finished === null || state.responded === null) return null;
  return { responseMs: state.responded - state.started, compileMs: state.finished - state.responded };
}

/** The progress of the compile of wasmUrl in this context, if any. */
export function progressOf(wasmUrl) {
  const state = loads.get(new URL(wasmUrl).href);
  return state ? state.progress() : null;
}

/**
 * Instantiates the module and runs the Go program. Resolves with the
 * module object the program hands over (see internal/bridge.Module) and a
 * promise that settles when the program exits.
 */
export async function run(module) {
  const Go = await goClass();
  const go = new Go();
  const key = `__tgwasm_${Date.now().toString(36)}_${Math.random().toString(36).slice(2)}`;
  let handedOver;
  const handed = new Promise((resolve) => { handedOver = resolve; });
  // The one private hand-off: deleted as soon as the program calls it.
  Object.defineProperty(globalThis, key, {
    configurable: true,
    value: (api) => { delete globalThis[key]; handedOver(api); },
  });
  go.argv = ['tgwasm', key];
  let instance;
  try {
    instance = await WebAssembly.instantiate(module, go.importObject);
  } catch (err) {
    delete globalThis[key];
    throw err;
  }
  mark('go instantiated');
  const exited = go.run(instance);
  // wasm_exec.js leaves the Go runtime's last idle timer scheduled when the
  // program ends from a JS callback (as close() does); it would fire into
  // an exited instance ("Go program has already exited"). The exit promise
  // settles before any timer can run, so clear them then. Sockets the
  // program gave up close after it ended (it never waits for a closing
  // handshake; a silent peer answers none), and their events, the Go
  // listeners still attached, are dropped rather than thrown.
  exited.then(() => {
    const pending = go._scheduledTimeouts;
    if (pending instanceof Map) {
      for (const id of pending.values()) clearTimeout(id);
      pending.clear();
    }
    go._resume = () => {};
  });
  handed.then(() => mark('go handed over'));
  const api = await Promise.race([
    handed,
    exited.then(() => { throw new Error('tgwasm: the wasm program exited before starting'); }),
  ]).finally(() => { delete globalThis[key]; });
  const memory = () => instance.exports.mem.buffer.byteLength;
  return { api, exited, memory };
}

// ------------------------------------------------ an early connection
//
// A worker knows where its client will connect before the wasm is compiled
// and started, and a WebSocket takes a round trip or two to open (TCP,
// TLS, the upgrade): 150-450 ms on a phone's network. preconnect opens it
// at once, and the Go dialer (nhooyr.io/websocket, through `new
// WebSocket(url, ['binary'])`) takes it over when it asks for that URL.
// Only tgwasm's own workers do this: a page's global WebSocket is left
// alone.

const early = new Map(); // url → a WebSocket opened ahead of the dialer

/**
 * The WebSocket URL a client with these (normalized) options dials first:
 * transport.URL's (endpoints.js is generated from it) for the session's
 * DC, or else the server's first DC. A custom server has one URL for
 * every DC; for Telegram's networks it is null until the session is
 * known (sessionKnown).
 */
export function firstEndpoint(wasm, sessionKnown) {
  if (wasm.server.kind === 'custom') return wasm.server.url;
  if (!sessionKnown) return null;
  const dc = wasm.session ? wasm.session.dcId : wasm.server.dcId;
  return ENDPOINTS[wasm.server.kind][dc] || null;
}

let NativeWebSocket;

/** Opens a WebSocket to url now, for the dialer to take over. */
export function preconnect(url) {
  if (!url || typeof globalThis.WebSocket !== 'function' || early.has(url)) return;
  if (!NativeWebSocket) {
    NativeWebSocket = globalThis.WebSocket;
    const Early = function WebSocket(u, protocols) {
      const ws = early.get(String(u));
      const binary = [].concat(protocols || []).join() === 'binary';
      if (ws && binary && ws.readyState <= NativeWebSocket.OPEN) {
        early.delete(String(u));
        return adopt(ws);
      }
      return new NativeWebSocket(u, protocols);
    };
    Early.prototype = NativeWebSocket.prototype;
    for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Early[k] = NativeWebSocket[k];
    globalThis.WebSocket = Early;
  }
  let ws;
  try {
    ws = new NativeWebSocket(url, ['binary']);
  } catch {
    return; // the dialer will say why
  }
  ws.binaryType = 'arraybuffer';
  early.set(url, ws);
  // Not taken within the dial timeout: the client went elsewhere.
  setTimeout(() => {
    if (early.get(url) === ws) {
      early.delete(url);
      ws.close();
    }
  }, 15000);
}

/** Hands the dialer an early socket: an 'open' it missed is replayed. */
function adopt(ws) {
  const add = ws.addEventListener.bind(ws);
  ws.addEventListener = (type, fn, options) => {
    add(type, fn, options);
    if (type === 'open' && ws.readyState === NativeWebSocket.OPEN) queueMicrotask(() => fn(new Event('open')));
  };
  return ws;
}

// ------------------------------------------------ a client in a worker

/** A rejection as the { name, message, … } descriptor that crosses postMessage. */
export function describe(err) {
  if (err && typeof err === 'object' && typeof err.name === 'string' && !(err instanceof Error)) return err;
  return { name: 'Error', message: thrownText(err) };
}

/**
 * A worker's side of the claim protocol (backends.js), where a page's
 * store decides who makes an auth key: ask(post) sends a 'claim' with
 * post and resolves with { session, release } once answer() is handed
 * the page's 'claimed'.
 */
export function pageClaims() {
  let last = 0;
  const waiting = new Map(); // claim id → settle
  return {
    ask: (post) => new Promise((resolve, reject) => {
      const id = ++last;
      waiting.set(id, (m) => {
        if (m.error) reject(new Error(m.error.message));
        else resolve({ session: m.session, release: () => post({ t: 'release', id }) });
      });
      post({ t: 'claim', id });
    }),
    answer: (m) => {
      const settle = waiting.get(m.id);
      waiting.delete(m.id);
      if (settle) settle(m);
    },
  };
}

/**
 * One running wasm client in a worker (worker.js, shared-worker.js): the
 * program, its handle, and its end. onStop is called if the program ends
 * without close() (a crash).
 */
export class Instance {
  #handle;
  #exited;
  #memory;
  #closing = false;
  stopped = false;

  #api;
  #wasmUrl;

  /**
   * Runs the Go program of module, ready to start a client (start): the
   * program can start while the client's options are still being settled.
   */
  static async run(module, wasmUrl, onStop) {
    const inst = new Instance();
    inst.#wasmUrl = wasmUrl;
    const r = await run(module);
    inst.#api = r.api;
    inst.#exited = r.exited;
    inst.#memory = r.memory;
    r.exited.then(() => {
      if (inst.#closing) return;
      inst.stopped = true;
      onStop();
    });
    return inst;
  }

  /** Starts the client (api.start); rejects with the wasm's descriptor. */
  async start(options, hooks) {
    this.#handle = await this.#api.start(options, { ...hooks, ...arithmeticHooks() });
    mark('client started');
  }

  /** A call with params packed by the page; rejects with a descriptor. */
  call(method, params, id, timeout) {
    let p;
    try {
      p = this.#handle.call(method, unpack(params), id, timeout);
    } catch (err) {
      p = Promise.reject(err);
    }
    return p.catch((err) => { throw describe(err); });
  }

  abort(id) { if (!this.stopped) this.#handle.abort(id); }

  signal(name) { if (!this.stopped) this.#handle.signal(name); }

  exportSession() { return this.#handle.exportSession(); }

  stats() { return { ...this.#handle.stats(), wasmMemory: this.#memory(), wasmLoad: loadTiming(this.#wasmUrl), timeline: { ...timeline } }; }

  async close() {
    this.#closing = true;
    if (!this.stopped) await this.#handle.close();
    await this.#exited;
  }
}

// ------------------------------------------------ call arguments across postMessage
//
// In worker mode the page must copy a call's params into the message, and
// postMessage fails on functions, symbols and proxies, and throws when a
// getter does. pack() copies what structured clone can carry and marks the
// rest; unpack() (in the worker) rebuilds look-alikes (a function, a
// symbol, a throwing getter, a revoked proxy) so that the wasm reports
// exactly what it reports in-thread.

const MARK = '__tgwasm_mark__';

export function pack(value, depth = 0, seen = new Map()) {
  const t = typeof value;
  if (t === 'function') return { [MARK]: 'function' };
  if (t === 'symbol') return { [MARK]: 'symbol' };
  if (value === null || t !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  let keys;
  let isArray;
  try {
    // Any of these can throw for a proxy (a revoked one, or with traps).
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date || value instanceof RegExp) {
      try { return structuredClone(value); } catch { return { [MARK]: 'object' }; }
    }
    isArray = Array.isArray(value);
    keys = isArray ? null : Object.keys(value);
  } catch (err) {
    // The wasm meets such a value at Object.keys (its other probes are
    // guarded): carry the message that one gives.
    let message = thrownText(err);
    try { Object.keys(value); } catch (keysErr) { message = thrownText(keysErr); }
    return { [MARK]: 'revoked', message };
  }
  if (depth > 16) return { [MARK]: 'object' };
  if (isArray) {
    let n;
    try { n = Math.min(Reflect.get(value, 'length') >>> 0, 1 << 20); } catch (err) {
      return { [MARK]: 'revoked', message: thrownText(err) };
    }
    const out = new Array(n);
    seen.set(value, out);
    for (let i = 0; i < n; i++) out[i] = packField(value, i, depth, seen);
    return out;
  }
  const out = {};
  seen.set(value, out);
  for (const k of keys) out[k] = packField(value, k, depth, seen);
  return out;
}

function packField(obj, key, depth, seen) {
  try {
    return pack(Reflect.get(obj, key), depth + 1, seen);
  } catch (err) {
    return { [MARK]: 'throws', message: thrownText(err) };
  }
}

export function unpack(value, seen = new Set()) {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Object.prototype.hasOwnProperty.call(value, MARK)) {
    switch (value[MARK]) {
      case 'function': return function packed() {};
      case 'symbol': return Symbol('packed');
      case 'revoked': {
        const msg = value.message;
        return new Proxy({}, { ownKeys() { throw new Error(msg); }, get() { throw new Error(msg); } });
      }
      default: return {};
    }
  }
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) unpackField(value, i, seen);
    return value;
  }
  for (const k of Object.keys(value)) unpackField(value, k, seen);
  return value;
}

function unpackField(obj, key, seen) {
  const v = obj[key];
  if (v && typeof v === 'object' && v[MARK] === 'throws') {
    const msg = v.message;
    Object.defineProperty(obj, key, { enumerable: true, get() { throw new Error(msg); } });
    return;
  }
  obj[key] = unpack(v, seen);
}

// ------------------------------------------------ arithmetic for the wasm
//
// The key exchange and the 2FA password check need 2048-bit modular
// exponentiations and 100,000 rounds of PBKDF2-HMAC-SHA512. The JS engine's
// BigInt and WebCrypto do these about twice (and, for PBKDF2, ten times)
// faster than the same Go compiled to wasm, so the wasm is handed these.

/** x^y mod m over hex strings, with a fixed 4-bit window. */
function modPow(xHex, yHex, mHex) {
  const m = BigInt(`0x${mHex}`);
  const x = BigInt(`0x${xHex}`) % m;
  const table = [1n, x];
  for (let i = 2; i < 16; i++) table.push((table[i - 1] * x) % m);
  let r = 1n;
  for (let i = 0; i < yHex.length; i++) {
    r = (r * r) % m; r = (r * r) % m; r = (r * r) % m; r = (r * r) % m;
    const d = parseInt(yHex[i], 16);
    if (d) r = (r * table[d]) % m;
  }
  return r.toString(16);
}

async function pbkdf2SHA512(password, salt, iterations, keyLen) {
  const key = await crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-512', salt, iterations }, key, keyLen * 8);
  return new Uint8Array(bits);
}

/** The hooks the wasm's start() accepts besides state and session. */
export function arithmeticHooks() {
  const hooks = { modPow };
  if (globalThis.crypto && globalThis.crypto.subtle) hooks.pbkdf2 = pbkdf2SHA512;
  return hooks;
}
