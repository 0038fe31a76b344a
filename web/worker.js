// tgwasm's dedicated worker: runs the wasm off the page's main thread.
// The page (tgwasm.js) talks to it with these messages:
//   page → worker  { t: 'init', module, wasmUrl, options }
//                  { t: 'call', id, method, params, timeout }   params packed (runtime.js)
//                  { t: 'abort', id }  { t: 'export', id }  { t: 'stats', id }  { t: 'close' }
//                  { t: 'signal', name }   online, offline or check (see tgwasm.js)
//                  (module: the page's compiled module, or absent: the worker compiles)
//   worker → page  { t: 'ready' } | { t: 'failed', error }
//                  { t: 'compile' }   the worker could not compile it: the page compiles
//                                     it and sends init again with the module
//                  { t: 'module', module }   after ready, when the worker compiled it
//                  { t: 'state', state }  { t: 'session', session }
//                  { t: 'result', id, ok, value | error }  { t: 'closed' }
//                  { t: 'stopped' }   the Go program ended without close() (a crash)
import { arithmeticHooks, compile, preload, run, thrownText, unpack } from './runtime.js';

let handle;
let exited;
let closing = false;
let stopped = false;
let memory;

// Start loading wasm_exec.js now, while the module compiles.
preload();

function describe(err) {
  if (err && typeof err === 'object' && typeof err.name === 'string' && !(err instanceof Error)) return err;
  return { name: 'Error', message: thrownText(err) };
}

self.onmessage = async ({ data: m }) => {
  switch (m.t) {
    case 'init':
      try {
        const given = m.module instanceof WebAssembly.Module;
        let module = m.module;
        if (!given) {
          try {
            module = await compile(m.wasmUrl);
          } catch {
            // Let the page compile it (and report its error as it would
            // in-thread): it sends init again with the module.
            self.postMessage({ t: 'compile' });
            break;
          }
        }
        const r = await run(module);
        exited = r.exited;
        // The program ends only through close(), unless it crashes.
        exited.then(() => {
          if (closing) return;
          stopped = true;
          self.postMessage({ t: 'stopped' });
        });
        memory = r.memory;
        handle = await r.api.start(m.options, {
          state: (state) => self.postMessage({ t: 'state', state }),
          session: (session) => self.postMessage({ t: 'session', session }),
          ...arithmeticHooks(),
        });
        self.postMessage({ t: 'ready' });
        if (!given) self.postMessage({ t: 'module', module });
      } catch (err) {
        self.postMessage({ t: 'failed', error: describe(err) });
      }
      break;
    case 'call': {
      let p;
      try {
        p = handle.call(m.method, unpack(m.params), m.id, m.timeout);
      } catch (err) {
        p = Promise.reject(describe(err));
      }
      p.then(
        (value) => self.postMessage({ t: 'result', id: m.id, ok: true, value }),
        (error) => self.postMessage({ t: 'result', id: m.id, ok: false, error: describe(error) }),
      );
      break;
    }
    case 'abort':
      if (!stopped) handle.abort(m.id);
      break;
    case 'signal': // forwarded from the page: online, offline, check
      if (handle && !stopped) handle.signal(m.name);
      break;
    case 'export':
    case 'stats': {
      let answer;
      try {
        const value = m.t === 'export' ? handle.exportSession() : { ...handle.stats(), wasmMemory: memory() };
        answer = { t: 'result', id: m.id, ok: true, value };
      } catch (err) {
        answer = { t: 'result', id: m.id, ok: false, error: describe(err) };
      }
      self.postMessage(answer);
      break;
    }
    case 'close':
      closing = true;
      try {
        if (handle && !stopped) await handle.close();
        await exited;
      } finally {
        self.postMessage({ t: 'closed' });
        self.close();
      }
      break;
    default:
  }
};
