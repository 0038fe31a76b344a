// The wasm in the SharedWorker (../shared-worker.js): 'shared' mode.

import { toWorker } from '../protocol.js';
import { remote } from './remote.js';

/**
 * Joins (or starts) the SharedWorker that runs the client for this
 * storage: one wasm, one socket and one session for every page of the
 * origin that uses it. The page holds a Web Lock for as long as it is
 * alive, which the SharedWorker waits on to learn that a page closed or
 * crashed (a MessagePort says nothing when its page goes).
 */
export async function inShared(config, hooks, ready) {
  await ready;
  const name = `tgwasm:${config.storage.place}:${config.storage.key}`;
  const pageId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  let leave;
  await new Promise((held) => {
    navigator.locks.request(`tgwasm.page:${pageId}`, () => {
      held();
      return new Promise((r) => { leave = r; });
    });
  });
  // Relative to the bundle (dist/tgwasm.js), as the Worker's.
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
  const start = remote('shared', worker.port,
    toWorker.hello(pageId, config.wasmUrl, config.wasmSize, config.wasm, config.session, config.storage, Boolean(hooks.log)), hooks, {
      dispose: () => { worker.port.close(); leave(); },
    });
  backend = await Promise.race([start, new Promise((_, reject) => { failStart = reject; })]).catch((err) => {
    worker.port.close();
    leave();
    throw err;
  });
  return backend;
}
