// Running the Go program of a compiled module: it hands over its module
// object (internal/bridge.Module) through one private, self-deleting
// global, and settles a promise when it exits.

import { goClass } from './go.js';
import { mark } from './timeline.js';

/**
 * Instantiates the module and runs the Go program. Resolves with the
 * module object the program hands over (see internal/bridge.Module) and a
 * promise that settles when the program exits.
 */
export async function run(module) {
  const Go = await goClass();
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
  mark('go instantiated');
  const exited = go.run(instance);
  // wasm_exec.js leaves the Go runtime's last idle timer scheduled when the
  // program ends from a JS callback (as close() does); it would fire into
  // an exited instance ("Go program has already exited"). The exit promise
  // settles before any timer can run, so clear them then. Sockets the
  // program gave up close after it ended (it never waits for a closing
  // handshake; a silent peer answers none), and their events, the Go
  // listeners still attached, are dropped rather than thrown.
  exited.then(() => {
    const pending = go._scheduledTimeouts;
    if (pending instanceof Map) {
      for (const id of pending.values()) clearTimeout(id);
      pending.clear();
    }
    go._resume = () => {};
  });
  handed.then(() => mark('go handed over'));
  const api = await Promise.race([
    handed,
    exited.then(() => { throw new Error('tgwasm: the wasm program exited before starting'); }),
  ]).finally(() => { delete globalThis[key]; });
  const memory = () => instance.exports.mem.buffer.byteLength;
  return { api, exited, memory };
}
