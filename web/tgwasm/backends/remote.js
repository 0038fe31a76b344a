// A backend in another context: a dedicated Worker (backends/worker.js) or
// a SharedWorker (backends/shared.js), spoken to through a port with the
// messages of protocol.js. It gives the Client the surface of
// backends/thread.js.

import { STOPPED, toError } from '../errors.js';
import { toWorker } from '../protocol.js';
import { pack } from '../runtime/pack.js';
import { timeline } from '../runtime/timeline.js';

/**
 * Starts a backend behind port (a Worker, or a SharedWorker's
 * MessagePort): first is the message that starts it; hooks as for
 * inThread; on answers the messages only one kind of worker sends (module,
 * compile); dispose ends the port.
 */
export async function remote(mode, port, first, hooks, { on = {}, dispose }) {
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
      switch (m.type) {
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
            ({ session, release }) => { releases.set(m.id, release); port.postMessage(toWorker.claimed(m.id, session)); },
            (err) => port.postMessage(toWorker.claimFailed(m.id, { name: 'Error', message: String(err && err.message) })),
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
          if (on[m.type]) on[m.type](m, reject);
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
  let requestId = -1; // exportSession and stats: ids below the calls'
  const request = (msg) => new Promise((resolve, reject) => {
    if (failWith) { reject(failWith); return; }
    pending.set(msg.id, { resolve, reject });
    port.postMessage(msg);
  });
  return {
    mode,
    call: (method, params, id, timeout) => request(toWorker.call(id, method, pack(params), timeout)),
    abort: (id) => port.postMessage(toWorker.abort(id)),
    signal: (name) => port.postMessage(toWorker.signal(name)),
    exportSession: () => request(toWorker.exportSession(requestId--)),
    // The worker's timeline beside this page's (the page's own steps
    // under their names, the worker's prefixed).
    stats: () => request(toWorker.stats(requestId--)).then((s) => ({
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
      port.postMessage(toWorker.close());
      return done.then(dispose);
    },
    // A worker that failed (could not load its script): every call fails.
    fail: (err) => { failAll(err); if (closed) closed.resolve(); },
  };
}
