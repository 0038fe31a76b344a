// Loading and running tgwasm.wasm. Shared by the in-thread client
// (tgwasm.js) and the worker (worker.js); nothing here is public API.

const compiled = new Map(); // wasm URL → Promise<WebAssembly.Module>

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
let wasmExec; // Promise of the Go class from wasm_exec.js

/** Loads wasm_exec.js (from beside this file: it must match the compiler). */
function loadWasmExec() {
  if (!wasmExec) {
    wasmExec = (async () => {
      if (typeof globalThis.Go !== 'function') {
        await import(new URL('./wasm_exec.js', import.meta.url).href);
      }
      if (typeof globalThis.Go !== 'function') {
        throw new Error('tgwasm: wasm_exec.js did not define Go');
      }
      return globalThis.Go;
    })();
    wasmExec.catch(() => { wasmExec = undefined; });
  }
  return wasmExec;
}

/** Starts loading wasm_exec.js ahead of run(). */
export function preload() {
  loadWasmExec().catch(() => {});
}

async function fetchBytes(url) {
  if (url.protocol === 'file:') {
    // Node: fetch() cannot read files.
    const fsName = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fsName);
    return readFile(url);
  }
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`tgwasm: fetching ${url} answered ${res.status} ${res.statusText}`);
  return res.arrayBuffer();
}

/**
 * The module compiled from wasmUrl in this context, or undefined when none
 * was compiled (or is being compiled) here.
 */
export function compiledModule(wasmUrl) {
  return compiled.get(new URL(wasmUrl).href);
}

/** Keeps a module compiled elsewhere (a worker) for later clients. */
export function keepModule(wasmUrl, module) {
  const key = new URL(wasmUrl).href;
  if (!compiled.has(key)) compiled.set(key, Promise.resolve(module));
}

/**
 * Compiles the wasm once per URL. The first load streams
 * (WebAssembly.compileStreaming, so compilation overlaps the download) and
 * falls back to fetch + compile when the server sends another MIME type.
 */
export function compile(wasmUrl) {
  loadWasmExec().catch(() => {}); // fetch the runtime glue meanwhile
  const url = new URL(wasmUrl);
  const key = url.href;
  let p = compiled.get(key);
  if (!p) {
    p = (async () => {
      if (url.protocol !== 'file:' && typeof WebAssembly.compileStreaming === 'function' && typeof fetch === 'function') {
        try {
          const res = await fetch(url, { credentials: 'same-origin' });
          if (!res.ok) throw new Error(`tgwasm: fetching ${url} answered ${res.status} ${res.statusText}`);
          return await WebAssembly.compileStreaming(res);
        } catch (err) {
          // Wrong Content-Type (not application/wasm) or no streaming:
          // fall back below. Network errors fail there again, clearly.
          if (String(err && err.message).startsWith('tgwasm:')) throw err;
        }
      }
      return WebAssembly.compile(await fetchBytes(url));
    })();
    compiled.set(key, p);
    p.catch(() => compiled.delete(key));
  }
  return p;
}

/**
 * Instantiates the module and runs the Go program. Resolves with the
 * module object the program hands over (see internal/bridge.Module) and a
 * promise that settles when the program exits.
 */
export async function run(module) {
  const Go = await loadWasmExec();
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
  const exited = go.run(instance);
  // wasm_exec.js leaves the Go runtime's last idle timer scheduled when the
  // program ends from a JS callback (as close() does); it would fire into
  // an exited instance ("Go program has already exited"). The exit promise
  // settles before any timer can run, so clear them then.
  exited.then(() => {
    const pending = go._scheduledTimeouts;
    if (pending instanceof Map) {
      for (const id of pending.values()) clearTimeout(id);
      pending.clear();
    }
  });
  const api = await Promise.race([
    handed,
    exited.then(() => { throw new Error('tgwasm: the wasm program exited before starting'); }),
  ]).finally(() => { delete globalThis[key]; });
  const memory = () => instance.exports.mem.buffer.byteLength;
  return { api, exited, memory };
}

// ------------------------------------------------ a client in a worker

/** A rejection as the { name, message, … } descriptor that crosses postMessage. */
export function describe(err) {
  if (err && typeof err === 'object' && typeof err.name === 'string' && !(err instanceof Error)) return err;
  return { name: 'Error', message: thrownText(err) };
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

  static async start(module, options, hooks, onStop) {
    const inst = new Instance();
    const r = await run(module);
    inst.#exited = r.exited;
    inst.#memory = r.memory;
    r.exited.then(() => {
      if (inst.#closing) return;
      inst.stopped = true;
      onStop();
    });
    inst.#handle = await r.api.start(options, { ...hooks, ...arithmeticHooks() });
    return inst;
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

  stats() { return { ...this.#handle.stats(), wasmMemory: this.#memory() }; }

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
