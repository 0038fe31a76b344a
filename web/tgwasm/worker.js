// tgwasm's dedicated worker: runs the wasm off the page's main thread. The
// page (backends/worker.js) talks to it with the messages of protocol.js.
// The page keeps the session: the worker reports every change and asks the
// page before it makes an auth key (Claim / Claimed / Release).
import { answer, toPage } from './protocol.js';
import { preconnect } from './runtime/early-socket.js';
import { Instance, errorInfo, pageClaims } from './runtime/instance.js';
import { compile, progressOf, readyGoRuntime } from './runtime/loader.js';
import { mark } from './runtime/timeline.js';
/** @import { ToWorker } from './protocol.js' */

mark('worker running');

let instance; // the started client
let program; // Promise<Instance>: the Go program, running before its client starts
let giveModule; // resolves program's module with one the page sent
let wasmUrl;
let compiledHere = null; // the module, when this worker compiled it
const claims = pageClaims();
const post = (m) => self.postMessage(m);

// Ready the Go runtime's JavaScript side now, while the module compiles.
readyGoRuntime();

const hooks = {
  state: (state) => post(toPage.state(state)),
  session: (session) => post(toPage.session(session)),
};

// The page keeps the session: it decides who makes an auth key.
const claimKey = () => claims.ask(post);

/** @param {MessageEvent<ToWorker>} e */
self.onmessage = async ({ data: m }) => {
  switch (m.type) {
    case 'load': {
      // The page's first message: compile (unless the page sends the
      // module) and run the Go program while the page settles the options.
      wasmUrl = m.wasmUrl;
      const module = new Promise((resolve) => { giveModule = resolve; });
      if (!m.fromPage) {
        const progress = m.progress ? (p) => post(toPage.progress(p)) : undefined;
        compile(m.wasmUrl, progress, m.size).then(
          (compiled) => { compiledHere = compiled; giveModule(compiled); },
          // Let the page compile it (and report its error as it would
          // in-thread): it sends the module.
          () => post(toPage.compile()),
        );
      }
      program = module.then((compiled) => Instance.run(compiled, m.wasmUrl, () => post(toPage.stopped())));
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
        const log = (level, message) => post(toPage.log(level, message));
        await inst.start(m.options, { ...hooks, ...(m.claims ? { claimKey } : {}), ...(m.log ? { log } : {}) });
        instance = inst;
        // The module first, so that the page's next client finds it.
        if (compiledHere) post(toPage.module(compiledHere, progressOf(wasmUrl)));
        post(toPage.ready());
      } catch (err) {
        post(toPage.failed(errorInfo(err)));
      }
      break;
    case 'call':
      answer(m.id, instance.call(m.method, m.params, m.id, m.timeout), errorInfo).then(post);
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
      answer(m.id, new Promise((resolve) => { resolve(instance.exportSession()); }), errorInfo).then(post);
      break;
    case 'stats':
      answer(m.id, new Promise((resolve) => { resolve(instance.stats()); }), errorInfo).then(post);
      break;
    case 'close':
      try {
        if (instance) await instance.close();
      } finally {
        post(toPage.closed());
        self.close();
      }
      break;
    default:
  }
};
