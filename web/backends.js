// Where the wasm runs for a client: on this thread, in a dedicated Worker,
// or in a SharedWorker that every page of the origin using the same
// storage shares. All three give the Client (tgwasm.js) one surface:
//   call(method, params, id, timeout) → Promise   abort(id)   signal(name)
//   exportSession() → Promise<SessionData|null>   stats() → Promise
//   stopped() → boolean   close() → Promise
// and report to hooks: state(name), session(SessionData|null), and, where
// the page keeps the session, claimKey() → Promise<{ session, release }>.
//
// The two worker modes speak one message protocol (worker.js,
// shared-worker.js):
//   page → worker  { t: 'load', wasmUrl, size, progress, fromPage }   dedicated Worker, at once:
//                  it starts the Go program (compiling the wasm unless fromPage:
//                  then the page sends { t: 'module', module })
//                  { t: 'connect', url }   opens the first DC's WebSocket early
//                  { t: 'init', options, claims, log }   dedicated Worker, once the session is known
//                  (claims: the page keeps the session and answers claims; log: the
//                  page has a logger)
//                  { t: 'hello', pageId, wasmUrl, size, options, storage, log }   SharedWorker
//                  { t: 'call', id, method, params, timeout }   params packed (runtime.js)
//                  { t: 'abort', id }  { t: 'signal', name }  { t: 'export', id }
//                  { t: 'stats', id }  { t: 'close' }  { t: 'claimed', id, session | error }
//   worker → page  { t: 'ready', state? } | { t: 'failed', error }
//                  { t: 'state', state }  { t: 'session', session }
//                  { t: 'result', id, ok, value | error }  { t: 'closed' }
//                  { t: 'stopped' }   the Go program ended without close() (a crash)
//                  { t: 'claim', id } { t: 'release', id }   the page's store: claimKey
//                  { t: 'progress', loaded, total }   the wasm's download
//                  { t: 'log', level, message }   the client's diagnostics (to pages with a logger)
//                  { t: 'module', module, progress } (before ready)   dedicated Worker only:
//                  { t: 'compile' }   it could not compile the wasm; the page does

import { STOPPED, toError } from './errors.js';
import { arithmeticHooks, compile, compiledModule, firstEndpoint, keepModule, loadTiming, mark, pack, run, timeline } from './runtime.js';

/**
 * Runs the wasm on this thread. ready settles config.wasm.session (the
 * page's store): the backends wait for it where they need the session.
 */
export async function inThread(config, hooks, ready) {
  const [module] = await Promise.all([compile(config.wasmUrl, config.onProgress, config.wasmSize), ready]);
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
  mark('client started');
  return {
    mode: 'thread',
    call: (method, params, id, timeout) => guard(() => handle.call(method, params, id, timeout)),
    abort: (id) => { if (!stopped) handle.abort(id); },
    signal: (name) => { if (!stopped) handle.signal(name); },
    exportSession: async () => handle.exportSession(),
    stats: async () => {
      if (stopped) throw STOPPED;
      return { ...handle.stats(), wasmMemory: memory(), wasmLoad: loadTiming(config.wasmUrl), timeline: { ...timeline } };
    },
    stopped: () => stopped,
    close: async () => {
      closing = true;
      if (!stopped) await handle.close();
      await exited;
    },
  };
}

/**
 * A backend in another context, spoken to through port (a Worker, or a
 * SharedWorker's MessagePort) with the protocol above. first is the
 * message that starts it; hooks as for inThread; on answers the messages
 * only one kind of worker sends (module, compile).
 */
async function remote(mode, port, first, hooks, { on = {}, dispose }) {
  const pending = new Map(); // id → { resolve, reject }
  const releases = new Map(); // claim id → release()
  let closed;
  let stopped = false;
  let failWith = null;
  const failAll = (err) => {
    failWith = err;
    for (const { reject } of pending.values()) reject(err);
    pending.clear();
  };
  const ready = new Promise((resolve, reject) => {
    port.onmessage = ({ data: m }) => {
      switch (m.t) {
        case 'ready': if (m.state) hooks.state(m.state); resolve(); break;
        case 'failed': reject(toError(m.error)); break;
        case 'state': hooks.state(m.state); break;
        case 'session': hooks.session(m.session); break;
        case 'progress': if (hooks.progress) hooks.progress({ loaded: m.loaded, total: m.total }); break;
        case 'log': if (hooks.log) hooks.log(m.level, m.message); break;
        case 'result': {
          const p = pending.get(m.id);
          if (!p) break;
          pending.delete(m.id);
          if (m.ok) p.resolve(m.value); else p.reject(m.error);
          break;
        }
        case 'claim':
          // The worker is about to make an auth key: the page's store
          // decides whether another tab already did (storage.js).
          hooks.claimKey().then(
            ({ session, release }) => { releases.set(m.id, release); port.postMessage({ t: 'claimed', id: m.id, session }); },
            (err) => port.postMessage({ t: 'claimed', id: m.id, error: { name: 'Error', message: String(err && err.message) } }),
          );
          break;
        case 'release': {
          const release = releases.get(m.id);
          releases.delete(m.id);
          if (release) release();
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
          if (on[m.t]) on[m.t](m, reject);
      }
    };
  });
  port.postMessage(first);
  try {
    await ready;
  } catch (err) {
    dispose();
    throw err;
  }
  let exportId = -1;
  const request = (msg, id) => new Promise((resolve, reject) => {
    if (failWith) { reject(failWith); return; }
    pending.set(id, { resolve, reject });
    port.postMessage({ ...msg, id });
  });
  return {
    mode,
    call: (method, params, id, timeout) => request({ t: 'call', method, params: pack(params), timeout }, id),
    abort: (id) => port.postMessage({ t: 'abort', id }),
    signal: (name) => port.postMessage({ t: 'signal', name }),
    exportSession: () => request({ t: 'export' }, exportId--),
    // The worker's timeline beside this page's (the page's own steps
    // under their names, the worker's prefixed).
    stats: () => request({ t: 'stats' }, exportId--).then((s) => ({
      ...s,
      timeline: { ...timeline, ...Object.fromEntries(Object.entries(s.timeline || {}).map(([k, v]) => [`worker: ${k}`, v])) },
    })),
    stopped: () => stopped,
    close: () => {
      for (const release of releases.values()) release();
      releases.clear();
      let resolve;
      const done = new Promise((r) => { resolve = r; });
      closed = { resolve };
      port.postMessage({ t: 'close' });
      return done.then(dispose);
    },
    // A worker that failed (could not load its script): every call fails.
    fail: (err) => { failAll(err); if (closed) closed.resolve(); },
  };
}

/** Runs the wasm in a dedicated Worker. */
export async function inWorker(config, hooks, ready) {
  // The worker starts at once: while the page reads its store, the worker
  // loads the wasm and starts the Go program, and opens the WebSocket to
  // the first DC as soon as the page knows which (a custom server: now).
  // A module compiled in this page before (by preload(), or for an earlier
  // client) is handed to the worker, and so is one the page's
  // <link rel="preload"> is already downloading (a worker cannot use the
  // page's preload). Otherwise the worker compiles it itself (streaming,
  // while nothing else waits on this thread) and hands it back for later
  // clients.
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'tgwasm' });
  let backend;
  let failStart;
  const failed = new Promise((_, reject) => { failStart = reject; });
  failed.catch(() => {});
  worker.onerror = (ev) => {
    ev.preventDefault();
    const err = new Error(`tgwasm: the worker failed: ${ev.message || 'could not load worker.js'}`);
    if (backend) backend.fail({ name: 'ConnectionError', message: err.message });
    else failStart(err);
  };
  const fromPage = Boolean(compiledModule(config.wasmUrl) || preloadLinked(config.wasmUrl));
  const sendModule = () => compile(config.wasmUrl, config.onProgress, config.wasmSize).then(
    (module) => worker.postMessage({ t: 'module', module }),
    failStart,
  );
  worker.postMessage({
    t: 'load', wasmUrl: config.wasmUrl, size: config.wasmSize, progress: !fromPage && Boolean(hooks.progress), fromPage,
  });
  const early = firstEndpoint(config.wasm, false);
  if (early) worker.postMessage({ t: 'connect', url: early });
  if (fromPage) sendModule();
  try {
    await Promise.race([ready, failed]);
  } catch (err) {
    worker.terminate();
    throw err;
  }
  if (!early) worker.postMessage({ t: 'connect', url: firstEndpoint(config.wasm, true) });
  const start = remote('worker', worker, {
    t: 'init', options: config.wasm, claims: Boolean(hooks.claimKey), log: Boolean(hooks.log),
  }, hooks, {
    on: {
      module: (m) => keepModule(config.wasmUrl, m.module, m.progress),
      compile: sendModule,
    },
    dispose: () => worker.terminate(),
  });
  backend = await Promise.race([start, failed]).catch((err) => {
    worker.terminate();
    throw err;
  });
  return backend;
}

/** Whether the page has a <link rel="preload"> for this wasm. */
function preloadLinked(wasmUrl) {
  const doc = globalThis.document;
  if (!doc || typeof doc.querySelectorAll !== 'function') return false;
  for (const link of doc.querySelectorAll('link[rel="preload"][href]')) {
    if (new URL(link.getAttribute('href'), doc.baseURI).href === wasmUrl) return true;
  }
  return false;
}

/**
 * Joins (or starts) the SharedWorker that runs the client for this
 * storage: one wasm, one socket and one session for every page of the
 * origin that uses it. The page holds a Web Lock for as long as it is
 * alive, which the SharedWorker waits on to learn that a page closed or
 * crashed (a MessagePort says nothing when its page goes).
 */
export async function inShared(config, hooks, ready) {
  await ready;
  const name = `tgwasm:${config.storage.kind}:${config.storage.key}`;
  const pageId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  let leave;
  await new Promise((held) => {
    navigator.locks.request(`tgwasm.page:${pageId}`, () => {
      held();
      return new Promise((r) => { leave = r; });
    });
  });
  const worker = new SharedWorker(new URL('./shared-worker.js', import.meta.url), { type: 'module', name });
  worker.port.start();
  let backend;
  let failStart;
  worker.onerror = (ev) => {
    if (ev.preventDefault) ev.preventDefault();
    const err = new Error(`tgwasm: the shared worker failed: ${ev.message || 'could not load shared-worker.js'}`);
    if (backend) backend.fail({ name: 'ConnectionError', message: err.message });
    else if (failStart) failStart(err);
  };
  const start = remote('shared', worker.port, {
    t: 'hello', pageId, wasmUrl: config.wasmUrl, size: config.wasmSize, options: config.wasm, storage: config.storage,
    log: Boolean(hooks.log),
  }, hooks, {
    dispose: () => { worker.port.close(); leave(); },
  });
  backend = await Promise.race([start, new Promise((_, reject) => { failStart = reject; })]).catch((err) => {
    worker.port.close();
    leave();
    throw err;
  });
  return backend;
}
