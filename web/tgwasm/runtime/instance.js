// A client running in a worker (worker.js, shared-worker.js): the Go
// program, its handle and its end; what a rejection becomes to cross
// postMessage; and the worker's side of the claim protocol.

import { arithmeticHooks } from './arith.js';
import { loadTiming } from './loader.js';
import { unpack } from './pack.js';
import { run } from './program.js';
import { mark, timeline } from './timeline.js';
import { toPage } from '../protocol.js';
import { thrownText } from '../values.js';

/**
 * A rejection as the ErrorInfo descriptor that crosses postMessage
 * (errors.js#toError makes an Error of it again).
 */
export function errorInfo(err) {
  if (err && typeof err === 'object' && typeof err.name === 'string' && !(err instanceof Error)) return err;
  return { name: 'Error', message: thrownText(err) };
}

/**
 * A worker's side of the claim protocol (protocol.js: Claim, Claimed,
 * Release), where a page's store decides who makes an auth key: ask(post)
 * sends a Claim with post and resolves with { session, release } once
 * answer() is handed the page's Claimed.
 */
export function pageClaims() {
  let last = 0;
  const waiting = new Map(); // claim id → settle
  return {
    ask: (post) => new Promise((resolve, reject) => {
      const id = ++last;
      waiting.set(id, (m) => {
        if (m.error) reject(new Error(m.error.message));
        else resolve({ session: m.session, release: () => post(toPage.release(id)) });
      });
      post(toPage.claim(id));
    }),
    answer: (m) => {
      const settle = waiting.get(m.id);
      waiting.delete(m.id);
      if (settle) settle(m);
    },
  };
}

/**
 * One running wasm client in a worker (worker.js, shared-worker.js): the
 * program, its handle, and its end. onStop is called if the program ends
 * without close() (a crash).
 */
export class Instance {
  #handle;
  #exited;
  #memory;
  #closing = false;
  stopped = false;

  #api;
  #wasmUrl;

  /**
   * Runs the Go program of module, ready to start a client (start): the
   * program can start while the client's options are still being settled.
   */
  static async run(module, wasmUrl, onStop) {
    const inst = new Instance();
    inst.#wasmUrl = wasmUrl;
    const r = await run(module);
    inst.#api = r.api;
    inst.#exited = r.exited;
    inst.#memory = r.memory;
    r.exited.then(() => {
      if (inst.#closing) return;
      inst.stopped = true;
      onStop();
    });
    return inst;
  }

  /** Starts the client (api.start); rejects with the wasm's descriptor. */
  async start(options, hooks) {
    this.#handle = await this.#api.start(options, { ...hooks, ...arithmeticHooks() });
    mark('client started');
  }

  /** A call with params packed by the page; rejects with a descriptor. */
  call(method, params, id, timeout) {
    let p;
    try {
      p = this.#handle.call(method, unpack(params), id, timeout);
    } catch (err) {
      p = Promise.reject(err);
    }
    return p.catch((err) => { throw errorInfo(err); });
  }

  abort(id) { if (!this.stopped) this.#handle.abort(id); }

  signal(name) { if (!this.stopped) this.#handle.signal(name); }

  exportSession() { return this.#handle.exportSession(); }

  stats() { return { ...this.#handle.stats(), wasmMemory: this.#memory(), wasmLoad: loadTiming(this.#wasmUrl), timeline: { ...timeline } }; }

  async close() {
    this.#closing = true;
    if (!this.stopped) await this.#handle.close();
    await this.#exited;
  }
}
