// tgwasm: Telegram's MTProto API in the browser, from Go compiled to
// WebAssembly. The API is documented in docs/API.md; types are in
// tgwasm.d.ts. This module starts clients: the options read
// (options.js), the session found (storage.js), the backend that runs the
// wasm started (backends/*), and the Client (client.js) handed back.

import { inShared } from './backends/shared.js';
import { inThread } from './backends/thread.js';
import { inWorker } from './backends/worker.js';
import { Client } from './client.js';
import { ConnectionError } from './errors.js';
import { Keeper } from './keeper.js';
import { callListener } from './listener.js';
import { normalizeOptions, normalizePreloadOptions } from './options.js';
import { compile } from './runtime/loader.js';
import { mark } from './runtime/timeline.js';
import { claimKept, openStore, startSession } from './storage.js';

export { VERSION } from './version.js';
export { ConnectionError, FloodWaitError, RPCError, TimeoutError } from './errors.js';

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
  const pageKeeps = config.storage.place === 'localStorage' || (config.storage.place === 'indexedDB' && config.mode !== 'shared');
  const store = pageKeeps ? openStore(config.storage) : null;
  let keeper;
  // Reading the store (IndexedDB: a few hundred ms in a browser that has
  // just started) overlaps the wasm's loading: the backend waits for it
  // only where it needs the session.
  const ready = (store ? startSession(store, config.session) : Promise.resolve(config.session)).then((started) => {
    config.wasm.session = started ? started.data : null;
    keeper = new Keeper(store, started ? started.text : '');
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
