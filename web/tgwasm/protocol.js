// The messages between a page and tgwasm's workers: the dedicated Worker
// (worker.js) and the SharedWorker (shared-worker.js). Every message is a
// plain object tagged by `type`; the page (backends/remote.js) and both
// workers make them with the constructors below, so that a message's
// fields are written in one place, and switch on `type`.
/** @import { GivenSession } from './options.js' */
/** @import { SessionData } from './session.js' */
/** @import { StorageSpec } from './storage.js' */

/** @typedef {{ name: string, message: string } & Record<string, unknown>} ErrorInfo what an error becomes to cross postMessage (errors.js#toError reads it) */
/** @typedef {{ loaded: number, total: number | null }} LoadProgress */

// ---------------------------------------------------------------- page → worker

/**
 * @typedef {{ type: 'load', wasmUrl: string, size: number | null, progress: boolean, fromPage: boolean }} Load
 *   A dedicated Worker's first message: start the Go program, compiling the
 *   wasm itself unless fromPage (the page then sends a Module).
 * @typedef {{ type: 'module', module: WebAssembly.Module, progress?: LoadProgress | null }} Module
 *   The compiled wasm: the page's to a worker that waits for it, or a
 *   worker's to the page (before Ready) so that later clients reuse it.
 * @typedef {{ type: 'connect', url: string }} Connect   Open the first DC's WebSocket early.
 * @typedef {{ type: 'init', options: object, claims: boolean, log: boolean }} Init
 *   A dedicated Worker, once the session is known: start the client with
 *   the normalized options (claims: the page keeps the session and answers
 *   Claim; log: the page has a logger).
 * @typedef {{ type: 'hello', pageId: string, wasmUrl: string, size: number | null, options: object, session: GivenSession | null, storage: StorageSpec, log: boolean }} Hello
 *   A page joins the SharedWorker (it starts the client for the first;
 *   session: options.session as given, which the worker's store keeps).
 * @typedef {{ type: 'call', id: number, method: string, params: unknown, timeout: number }} Call
 *   params packed (runtime/pack.js).
 * @typedef {{ type: 'abort', id: number }} Abort
 * @typedef {{ type: 'signal', name: 'online' | 'offline' | 'check' }} Signal   The page's signals about the network and its life.
 * @typedef {{ type: 'export', id: number }} ExportSession
 * @typedef {{ type: 'stats', id: number }} Stats
 * @typedef {{ type: 'close' }} Close
 * @typedef {{ type: 'claimed', id: number, session?: string, error?: ErrorInfo }} Claimed
 *   The page's store answered a Claim: the session another tab stored ('' for none).
 * @typedef {Load | Module | Connect | Init | Hello | Call | Abort | Signal | ExportSession | Stats | Close | Claimed} ToWorker
 */

// ---------------------------------------------------------------- worker → page

/**
 * @typedef {{ type: 'ready', state?: string }} Ready   The client started (the SharedWorker says its state).
 * @typedef {{ type: 'failed', error: ErrorInfo }} Failed   It could not start.
 * @typedef {{ type: 'state', state: string }} StateChange
 * @typedef {{ type: 'session', session: SessionData | null }} SessionChange
 * @typedef {{ type: 'result', id: number, ok: boolean, value?: unknown, error?: ErrorInfo }} Result
 * @typedef {{ type: 'closed' }} Closed   The page's Close is done.
 * @typedef {{ type: 'stopped' }} Stopped   The Go program ended without close() (a crash).
 * @typedef {{ type: 'claim', id: number }} Claim   The client is about to make an auth key: may it?
 * @typedef {{ type: 'release', id: number }} Release   The key of that claim is stored (or making it failed).
 * @typedef {{ type: 'progress', loaded: number, total: number | null }} Progress   The wasm's download.
 * @typedef {{ type: 'log', level: string, message: string }} Log   The client's diagnostics, to pages with a logger.
 * @typedef {{ type: 'compile' }} Compile   A dedicated Worker could not compile the wasm: the page does.
 * @typedef {Ready | Failed | StateChange | SessionChange | Result | Closed | Stopped | Claim | Release | Progress | Log | Module | Compile} ToPage
 */

/** The messages a page sends. */
export const toWorker = {
  /** @returns {Load} */
  load: (wasmUrl, size, progress, fromPage) => ({ type: 'load', wasmUrl, size, progress, fromPage }),
  /** @returns {Module} */
  module: (module) => ({ type: 'module', module }),
  /** @returns {Connect} */
  connect: (url) => ({ type: 'connect', url }),
  /** @returns {Init} */
  init: (options, claims, log) => ({ type: 'init', options, claims, log }),
  /** @returns {Hello} */
  hello: (pageId, wasmUrl, size, options, session, storage, log) => ({ type: 'hello', pageId, wasmUrl, size, options, session, storage, log }),
  /** @returns {Call} */
  call: (id, method, params, timeout) => ({ type: 'call', id, method, params, timeout }),
  /** @returns {Abort} */
  abort: (id) => ({ type: 'abort', id }),
  /** @returns {Signal} */
  signal: (name) => ({ type: 'signal', name }),
  /** @returns {ExportSession} */
  exportSession: (id) => ({ type: 'export', id }),
  /** @returns {Stats} */
  stats: (id) => ({ type: 'stats', id }),
  /** @returns {Close} */
  close: () => ({ type: 'close' }),
  /** @returns {Claimed} */
  claimed: (id, session) => ({ type: 'claimed', id, session }),
  /** @returns {Claimed} */
  claimFailed: (id, error) => ({ type: 'claimed', id, error }),
};

/** The messages a worker sends. */
export const toPage = {
  /** @returns {Ready} */
  ready: (state) => (state === undefined ? { type: 'ready' } : { type: 'ready', state }),
  /** @returns {Failed} */
  failed: (error) => ({ type: 'failed', error }),
  /** @returns {StateChange} */
  state: (state) => ({ type: 'state', state }),
  /** @returns {SessionChange} */
  session: (session) => ({ type: 'session', session }),
  /** @returns {Result} */
  value: (id, value) => ({ type: 'result', id, ok: true, value }),
  /** @returns {Result} */
  error: (id, error) => ({ type: 'result', id, ok: false, error }),
  /** @returns {Closed} */
  closed: () => ({ type: 'closed' }),
  /** @returns {Stopped} */
  stopped: () => ({ type: 'stopped' }),
  /** @returns {Claim} */
  claim: (id) => ({ type: 'claim', id }),
  /** @returns {Release} */
  release: (id) => ({ type: 'release', id }),
  /** @returns {Progress} */
  progress: ({ loaded, total }) => ({ type: 'progress', loaded, total }),
  /** @returns {Log} */
  log: (level, message) => ({ type: 'log', level, message }),
  /** @returns {Module} */
  module: (module, progress) => ({ type: 'module', module, progress }),
  /** @returns {Compile} */
  compile: () => ({ type: 'compile' }),
};

/** The answer a worker gives to a Call, an ExportSession or a Stats: its value, or the error it ended with. */
export function answer(id, promise, describe) {
  return Promise.resolve(promise).then((value) => toPage.value(id, value), (err) => toPage.error(id, describe(err)));
}
