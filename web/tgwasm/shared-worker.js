// tgwasm's SharedWorker: one wasm client for every page of the origin
// that uses the same storage (backends/shared.js; the messages are
// protocol.js's). One socket, one auth key, one session; each page has its
// own calls, and every page hears the state and session.
//
// Pages come and go: a page says hello and close, and holds a Web Lock for
// its life, which this worker waits on to learn that a page closed or
// crashed without a word. The last page leaving closes the connection
// after a grace period (a reload keeps it). The worker keeps the session
// itself in IndexedDB (or memory); with localStorage, which a worker
// cannot read, the pages keep it and one of them answers claims.
import { answer, toPage } from './protocol.js';
import { firstEndpoint, preconnect } from './runtime/early-socket.js';
import { Instance, errorInfo, pageClaims } from './runtime/instance.js';
import { keepSession } from './keeper.js';
import { compile, readyGoRuntime } from './runtime/loader.js';
import { encodeSession } from './session.js';
import { claimKept, openStore, startSession } from './storage.js';
/** @import { ToWorker } from './protocol.js' */

/** How long the instance outlives its last page. */
const GRACE_MS = 5000;

const pages = new Map(); // port → { pageId, calls: Map(page's id → global id) }
let running = null; // Promise<{ instance, options, storage }>, while an instance runs or starts
let state = 'connecting';
let lastSession; // the last session the wasm reported (undefined: none yet)
let nextId = 1;
const claims = pageClaims();
let grace = null;
let progress = null; // the wasm's download, as the last report had it
const waiting = new Set(); // ports that said hello and wait for ready
const loggers = new Set(); // ports of pages with a logger

readyGoRuntime();

const broadcast = (msg) => { for (const port of pages.keys()) port.postMessage(msg); };

function hooksFor(store) {
  const hooks = {
    state: (s) => { state = s; broadcast(toPage.state(s)); },
    log: (level, message) => { for (const port of loggers) port.postMessage(toPage.log(level, message)); },
    session: (data) => {
      lastSession = data;
      broadcast(toPage.session(data));
      if (store) keepSession(store, encodeSession(data));
    },
  };
  if (store) {
    hooks.claimKey = () => claimKept(store);
  } else {
    // localStorage: a page's store decides (and keeps the session).
    hooks.claimKey = () => {
      const port = pages.keys().next().value;
      if (!port) return Promise.reject(new Error('no page to read the session from'));
      return claims.ask((m) => port.postMessage(m));
    };
  }
  return hooks;
}

/** Starts the instance for the first page's hello. */
async function start(hello) {
  const store = hello.storage.place === 'localStorage' ? null : openStore(hello.storage);
  const options = { ...hello.options };
  // The socket, the wasm and the store at once (see backends.js#inWorker).
  const early = firstEndpoint(options, false);
  if (early) preconnect(early);
  const module = compile(hello.wasmUrl, (p) => {
    progress = p;
    for (const port of waiting) port.postMessage(toPage.progress(p));
  }, hello.size);
  module.catch(() => {}); // awaited below
  if (store) {
    // The page read the given session (options.session, decoded); the
    // store keeps what the page passed as given.
    const started = await startSession(store, hello.session);
    options.session = started ? started.data : null;
  }
  if (!early) preconnect(firstEndpoint(options, true));
  state = 'connecting';
  lastSession = undefined;
  const instance = await Instance.run(await module, hello.wasmUrl, () => {
    running = null;
    broadcast(toPage.stopped());
  });
  await instance.start(options, hooksFor(store));
  return { instance, options, storage: hello.storage };
}

/** The options that must agree between pages sharing one client. */
function mismatch(a, b) {
  if (a.apiId !== b.apiId) return 'apiId';
  if (a.apiHash !== b.apiHash) return 'apiHash';
  if (JSON.stringify(a.server) !== JSON.stringify(b.server)) return 'server';
  return '';
}

async function hello(port, m) {
  clearTimeout(grace);
  grace = null;
  if (m.log) loggers.add(port);
  if (!running) running = start(m);
  // The download so far (all of it, for a page that joins a running
  // client), then what arrives while this page waits.
  waiting.add(port);
  if (progress) port.postMessage(toPage.progress(progress));
  let r;
  try {
    r = await running;
  } catch (err) {
    running = null;
    loggers.delete(port);
    port.postMessage(toPage.failed(errorInfo(err)));
    return;
  } finally {
    waiting.delete(port);
  }
  const differs = mismatch(r.options, m.options);
  if (differs) {
    loggers.delete(port);
    port.postMessage(toPage.failed({
      name: 'TypeError',
      message: `options.${differs} differs from the shared client already running for this storage ` +
        '(pages that share one must pass the same apiId, apiHash and server)',
    }));
    return;
  }
  pages.set(port, { pageId: m.pageId, calls: new Map() });
  port.postMessage(toPage.ready(state));
  if (lastSession !== undefined) port.postMessage(toPage.session(lastSession));
  // The page's lock is free only once the page is gone.
  navigator.locks.request(`tgwasm.page:${m.pageId}`, () => leave(port));
}

/** A page left (close, or its lock freed by a closed or crashed page). */
function leave(port) {
  const page = pages.get(port);
  if (!page) return;
  pages.delete(port);
  loggers.delete(port);
  // Its calls end here; the other pages' go on.
  if (running) {
    running.then(({ instance }) => {
      for (const gid of page.calls.values()) instance.abort(gid);
    }, () => {});
  }
  if (pages.size === 0) grace = setTimeout(shutdown, GRACE_MS);
}

async function shutdown() {
  grace = null;
  const r = running;
  running = null;
  if (r) {
    try {
      await (await r).instance.close();
    } catch { /* it had stopped */ }
  }
  // A page that came meanwhile started a new instance; otherwise end.
  if (pages.size === 0 && !running) self.close();
}

const CLOSED = { name: 'ConnectionError', message: 'the client is closed' };

/** @param {MessagePort} port @param {ToWorker} m */
function onMessage(port, m) {
  const page = pages.get(port);
  switch (m.type) {
    case 'hello':
      hello(port, m);
      break;
    case 'call': {
      if (!page || !running) {
        port.postMessage(toPage.error(m.id, CLOSED));
        break;
      }
      const gid = nextId++;
      page.calls.set(m.id, gid);
      answer(m.id, running.then(({ instance }) => instance.call(m.method, m.params, gid, m.timeout)), errorInfo)
        .then((msg) => port.postMessage(msg))
        .finally(() => page.calls.delete(m.id));
      break;
    }
    case 'abort': {
      const gid = page && page.calls.get(m.id);
      if (gid && running) running.then(({ instance }) => instance.abort(gid), () => {});
      break;
    }
    case 'signal':
      if (running) running.then(({ instance }) => instance.signal(m.name), () => {});
      break;
    case 'claimed':
      claims.answer(m);
      break;
    case 'export':
    case 'stats':
      if (!running) {
        port.postMessage(toPage.error(m.id, CLOSED));
        break;
      }
      answer(m.id, running.then(({ instance }) => (m.type === 'export' ? instance.exportSession() : { ...instance.stats(), tabs: pages.size })), errorInfo)
        .then((msg) => port.postMessage(msg));
      break;
    case 'close':
      leave(port);
      port.postMessage(toPage.closed());
      break;
    default:
  }
}

self.onconnect = (e) => {
  const port = e.ports[0];
  port.onmessage = ({ data }) => onMessage(port, data);
};
