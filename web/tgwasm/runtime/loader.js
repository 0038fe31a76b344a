// Loading tgwasm.wasm: one streaming compile per URL in this context (a
// page, or a worker), its download's progress for every onProgress that
// asks, and a module compiled elsewhere (a worker) kept for later clients.

import { callListener } from '../listener.js';
import { goClass } from './go.js';
import { mark } from './timeline.js';

const compiled = new Map(); // wasm URL → Promise<WebAssembly.Module>

/** Readies the Go runtime's JavaScript side (go.js) ahead of run(). */
export function readyGoRuntime() {
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
  readyGoRuntime(); // meanwhile
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
