// The wasm in a dedicated Worker (../worker.js), the default mode.

import { toWorker } from '../protocol.js';
import { firstEndpoint } from '../runtime/early-socket.js';
import { compile, compiledModule, keepModule } from '../runtime/loader.js';
import { remote } from './remote.js';

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
  // clients. The worker's URL is relative to the bundle (dist/tgwasm.js).
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
    (module) => worker.postMessage(toWorker.module(module)),
    failStart,
  );
  worker.postMessage(toWorker.load(config.wasmUrl, config.wasmSize, !fromPage && Boolean(hooks.progress), fromPage));
  const early = firstEndpoint(config.wasm, false);
  if (early) worker.postMessage(toWorker.connect(early));
  if (fromPage) sendModule();
  try {
    await Promise.race([ready, failed]);
  } catch (err) {
    worker.terminate();
    throw err;
  }
  if (!early) worker.postMessage(toWorker.connect(firstEndpoint(config.wasm, true)));
  const start = remote('worker', worker, toWorker.init(config.wasm, Boolean(hooks.claimKey), Boolean(hooks.log)), hooks, {
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
