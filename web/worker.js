// tgwasm's dedicated worker: runs the wasm off the page's main thread. The
// page (backends.js#inWorker) talks to it with the protocol described in
// backends.js. The page keeps the session: the worker reports every change
// and asks the page before it makes an auth key (claim / claimed / release).
import { Instance, compile, describe, mark, pageClaims, preconnect, preload, progressOf } from './runtime.js';

mark('worker running');

let instance; // the started client
let program; // Promise<Instance>: the Go program, running before its client starts
let giveModule; // resolves program's module with one the page sent
let wasmUrl;
let compiledHere = null; // the module, when this worker compiled it
const claims = pageClaims();

// Ready the Go runtime's JavaScript side now, while the module compiles.
preload();

const hooks = {
  state: (state) => self.postMessage({ t: 'state', state }),
  session: (session) => self.postMessage({ t: 'session', session }),
};

// The page keeps the session: it decides who makes an auth key.
const claimKey = () => claims.ask((m) => self.postMessage(m));

self.onmessage = async ({ data: m }) => {
  switch (m.t) {
    case 'load': {
      // The page's first message: compile (unless the page sends the
      // module) and run the Go program while the page settles the options.
      wasmUrl = m.wasmUrl;
      const module = new Promise((resolve) => { giveModule = resolve; });
      if (!m.fromPage) {
        const progress = m.progress ? (p) => self.postMessage({ t: 'progress', ...p }) : undefined;
        compile(m.wasmUrl, progress, m.size).then(
          (compiled) => { compiledHere = compiled; giveModule(compiled); },
          // Let the page compile it (and report its error as it would
          // in-thread): it sends the module.
          () => self.postMessage({ t: 'compile' }),
        );
      }
      program = module.then((compiled) => Instance.run(compiled, m.wasmUrl, () => self.postMessage({ t: 'stopped' })));
      program.catch(() => {}); // reported at init
      break;
    }
    case 'module':
      giveModule(m.module);
      break;
    case 'connect':
      preconnect(m.url);
      break;
    case 'init':
      try {
        const inst = await program;
        const log = (level, message) => self.postMessage({ t: 'log', level, message });
        await inst.start(m.options, { ...hooks, ...(m.claims ? { claimKey } : {}), ...(m.log ? { log } : {}) });
        instance = inst;
        // The module first, so that the page's next client finds it.
        if (compiledHere) self.postMessage({ t: 'module', module: compiledHere, progress: progressOf(wasmUrl) });
        self.postMessage({ t: 'ready' });
      } catch (err) {
        self.postMessage({ t: 'failed', error: describe(err) });
      }
      break;
    case 'call':
      instance.call(m.method, m.params, m.id, m.timeout).then(
        (value) => self.postMessage({ t: 'result', id: m.id, ok: true, value }),
        (error) => self.postMessage({ t: 'result', id: m.id, ok: false, error }),
      );
      break;
    case 'abort':
      instance.abort(m.id);
      break;
    case 'signal': // forwarded from the page: online, offline, check
      if (instance) instance.signal(m.name);
      break;
    case 'claimed':
      claims.answer(m);
      break;
    case 'export':
    case 'stats': {
      let answer;
      try {
        const value = m.t === 'export' ? instance.exportSession() : instance.stats();
        answer = { t: 'result', id: m.id, ok: true, value };
      } catch (err) {
        answer = { t: 'result', id: m.id, ok: false, error: describe(err) };
      }
      self.postMessage(answer);
      break;
    }
    case 'close':
      try {
        if (instance) await instance.close();
      } finally {
        self.postMessage({ t: 'closed' });
        self.close();
      }
      break;
    default:
  }
};
