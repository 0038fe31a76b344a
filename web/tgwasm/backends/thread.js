// The wasm on this thread: the simplest backend, and the one the others
// mirror (backends/remote.js). A backend gives the Client (client.js) one
// surface:
//   call(method, params, id, timeout) → Promise   abort(id)   signal(name)
//   exportSession() → Promise<SessionData|null>   stats() → Promise
//   stopped() → boolean   close() → Promise
// and reports to hooks: state(name), session(SessionData|null), and, where
// the page keeps the session, claimKey() → Promise<{ session, release }>.

import { STOPPED, toError } from '../errors.js';
import { arithmeticHooks } from '../runtime/arith.js';
import { compile, loadTiming } from '../runtime/loader.js';
import { run } from '../runtime/program.js';
import { mark, timeline } from '../runtime/timeline.js';

/**
 * Runs the wasm on this thread. ready settles config.wasm.session (the
 * page's store): a backend waits for it where it needs the session.
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
