// createClient's options and every call's { signal, timeout }: the one
// place their rules and defaults live. Everything here runs on the page
// before any network I/O and throws a TypeError or RangeError naming the
// option. The wasm receives only the normalized shape that
// normalizeOptions returns and trusts it (internal/bridge/options.go reads
// it without checking again; internal/client has no defaults of its own
// for these).
//
// Lengths of strings are counted in UTF-16 code units, the way Telegram
// counts text (core.telegram.org/api/entities) and JavaScript's
// String.length does.

import { browserDevice } from './device.js';
import { rsaPublicKey } from './pem.js';
import { SessionError, decodeSession } from './session.js';
import { integer, milliseconds, plainObject, string, typeError } from './values.js';
import { WASM_SIZE } from './wasm-size.js';
/** @import { SessionData } from './session.js' */

const OPTION_KEYS = ['apiId', 'apiHash', 'server', 'dcId', 'session', 'storage', 'floodSleepThreshold', 'timeout', 'device', 'worker', 'wasmUrl', 'onProgress', 'logger'];
export const DEVICE_KEYS = ['deviceModel', 'systemVersion', 'appVersion', 'langCode', 'systemLangCode', 'langPack'];
/** The longest device string, in UTF-16 code units. */
export const MAX_DEVICE_FIELD = 256;
/** createClient's defaults: the first DC, the per-call limit (ms) and the flood-sleep threshold (s). */
export const DEFAULT_DC = 2;
export const DEFAULT_TIMEOUT = 30000;
export const DEFAULT_FLOOD_SLEEP = 60;
const SESSION_KEY = 'tgwasm.session';

/**
 * A session option read: the string as given (what a store keeps) and its
 * decoded form (what the wasm reads); null for ''.
 * @typedef {{ text: string, data: SessionData }} GivenSession
 */

/** Reads a session string; null for ''. */
export function sessionOption(path, s) {
  let data;
  try {
    data = decodeSession(s);
  } catch (err) {
    if (err instanceof SessionError) throw new RangeError(`${path} is not a valid session string: ${err.reason}`);
    throw err;
  }
  return data ? { text: s.trim(), data } : null;
}

/**
 * Validates createClient's options and returns
 * { wasm, session, storage, mode, wasmUrl, wasmSize, onProgress, logger, timeout }:
 * `session` the GivenSession (or null), `storage` a StorageSpec
 * (storage.js), `mode` 'worker', 'thread' or 'shared' (after any
 * fallback), and `wasm` the normalized shape the wasm reads (see
 * internal/bridge/options.go):
 *   { apiId, apiHash, server: { network: 'production'|'test', dcId } |
 *     { network: 'custom', url, dcId, publicKeys: [{ n, e }] },
 *     session: SessionData | null, floodSleepThreshold, device }
 * A session kept in storage is not read here (see storage.js).
 */
export function normalizeOptions(options) {
  if (options === undefined) throw new TypeError('options are required (at least apiId and apiHash)');
  const o = plainObject('options', options, OPTION_KEYS);
  const wasm = {};
  if (o.apiId === undefined) throw new TypeError('options.apiId is required (a positive integer from my.telegram.org)');
  wasm.apiId = integer('options.apiId', o.apiId, 1, 2 ** 31 - 1);
  if (o.apiHash === undefined) throw new TypeError('options.apiHash is required (32 hex characters from my.telegram.org)');
  string('options.apiHash', o.apiHash);
  if (!/^[0-9a-fA-F]{32}$/.test(o.apiHash)) throw new RangeError('options.apiHash must be 32 hexadecimal characters');
  wasm.apiHash = o.apiHash;

  const server = o.server === undefined ? 'production' : o.server;
  let serverId;
  let maxDC;
  if (server === 'production' || server === 'test') {
    wasm.server = { network: server, dcId: o.dcId === undefined ? DEFAULT_DC : integer('options.dcId', o.dcId, 1, 5) };
    serverId = server;
    maxDC = 5;
  } else if (typeof server === 'string') {
    throw new RangeError(`options.server must be 'production', 'test' or { url, dcId, publicKeys }, not '${server}'`);
  } else {
    const s = plainObject('options.server', server, ['url', 'dcId', 'publicKeys']);
    let url;
    if (typeof s.url !== 'string' && !(s.url instanceof URL)) throw typeError('options.server.url', 'a ws:// or wss:// URL', s.url);
    try { url = new URL(String(s.url)); } catch { throw new RangeError(`options.server.url is not a URL: ${s.url}`); }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new RangeError(`options.server.url must be ws:// or wss://, not ${url.protocol}//`);
    if (s.dcId === undefined) throw new TypeError('options.server.dcId is required (the DC number of that server)');
    const dcId = integer('options.server.dcId', s.dcId, 1, 1000);
    if (!Array.isArray(s.publicKeys)) throw typeError('options.server.publicKeys', 'an array of PEM strings', s.publicKeys);
    const pems = [...s.publicKeys];
    if (pems.length === 0 || pems.length > 16) throw new RangeError('options.server.publicKeys must hold 1 to 16 keys');
    const publicKeys = pems.map((k, i) => rsaPublicKey(`options.server.publicKeys[${i}]`, string(`options.server.publicKeys[${i}]`, k)));
    if (o.dcId !== undefined) throw new TypeError('options.dcId is for production/test; a custom server takes server.dcId');
    wasm.server = { network: 'custom', url: url.href, dcId, publicKeys };
    serverId = url.href;
    maxDC = 1000;
  }

  let session = null;
  if (o.session !== undefined) {
    session = sessionOption('options.session', string('options.session', o.session));
    if (session && session.data.dcId > maxDC) {
      throw new RangeError(`options.session names DC ${session.data.dcId}, not a DC of this server (1..${maxDC})`);
    }
  }
  wasm.session = session ? session.data : null;

  const storage = storageOption(o.storage, `${SESSION_KEY}:${serverId}`);

  wasm.floodSleepThreshold = DEFAULT_FLOOD_SLEEP;
  if (o.floodSleepThreshold !== undefined) {
    if (typeof o.floodSleepThreshold !== 'number') throw typeError('options.floodSleepThreshold', 'a number of seconds', o.floodSleepThreshold);
    if (!(o.floodSleepThreshold >= 0 && o.floodSleepThreshold <= 86400)) throw new RangeError(`options.floodSleepThreshold must be 0 to 86400 seconds, not ${o.floodSleepThreshold}`);
    wasm.floodSleepThreshold = o.floodSleepThreshold;
  }
  const timeout = o.timeout === undefined ? DEFAULT_TIMEOUT : milliseconds('options.timeout', o.timeout);

  const device = browserDevice();
  if (o.device !== undefined) {
    const given = plainObject('options.device', o.device, DEVICE_KEYS);
    for (const k of DEVICE_KEYS) {
      const v = given[k];
      if (v === undefined) continue;
      string(`options.device.${k}`, v);
      if (v.length > MAX_DEVICE_FIELD) throw new RangeError(`options.device.${k} is longer than ${MAX_DEVICE_FIELD} characters (UTF-16 code units)`);
      device[k] = v;
    }
  }
  wasm.device = device;

  const mode = modeOption(o.worker);

  const { wasmUrl, wasmSize, onProgress } = loadingOptions('options', o);

  if (o.logger !== undefined && typeof o.logger !== 'function') throw typeError('options.logger', 'a function', o.logger);

  return { wasm, session, storage, mode, wasmUrl, wasmSize, onProgress, logger: o.logger, timeout };
}

/**
 * wasmUrl and onProgress, which createClient and preload share: the URL
 * (default: tgwasm.wasm beside the bundle, dist/tgwasm.js), its size when
 * known (for progress; only for the default file) and the progress
 * callback.
 */
function loadingOptions(path, o) {
  const builtIn = new URL('./tgwasm.wasm', import.meta.url).href;
  let url;
  if (o.wasmUrl === undefined) url = new URL(builtIn);
  else if (typeof o.wasmUrl === 'string' || o.wasmUrl instanceof URL) {
    try { url = new URL(String(o.wasmUrl), globalThis.location ? globalThis.location.href : import.meta.url); } catch { throw new RangeError(`${path}.wasmUrl is not a URL: ${o.wasmUrl}`); }
  } else throw typeError(`${path}.wasmUrl`, 'a string or URL', o.wasmUrl);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw typeError(`${path}.onProgress`, 'a function', o.onProgress);
  return { wasmUrl: url.href, wasmSize: url.href === builtIn ? WASM_SIZE : null, onProgress: o.onProgress };
}

/** Validates preload's options: { wasmUrl?, onProgress? }. */
export function normalizePreloadOptions(options) {
  if (options === undefined) return loadingOptions('options', {});
  return loadingOptions('options', plainObject('options', options, ['wasmUrl', 'onProgress']));
}

/**
 * The storage option as a StorageSpec: { place: 'memory' | 'localStorage'
 * | 'indexedDB', key }, where key is the given name or, for the plain
 * string forms, defaultKey (per server; for memory it only names what
 * shared-mode pages share).
 */
function storageOption(v, defaultKey) {
  if (v === undefined || v === 'memory') return { place: 'memory', key: defaultKey };
  if (v === 'localStorage' || v === 'indexedDB') return available({ place: v, key: defaultKey });
  if (typeof v === 'string') throw new RangeError(`options.storage must be 'memory', 'localStorage', 'indexedDB', { localStorage: key } or { indexedDB: key }, not '${v}'`);
  const st = plainObject('options.storage', v, ['localStorage', 'indexedDB']);
  const places = Object.keys(st);
  if (places.length !== 1) throw new TypeError('options.storage must name one place: { localStorage: key } or { indexedDB: key }');
  const place = places[0];
  if (typeof st[place] !== 'string' || st[place] === '') throw typeError(`options.storage.${place}`, 'a non-empty key string', st[place]);
  return available({ place, key: st[place] });
}

function available(spec) {
  if (spec.place === 'localStorage' && !globalThis.localStorage) throw new TypeError("options.storage: localStorage is not available here (in a worker, use 'indexedDB')");
  if (spec.place === 'indexedDB' && !globalThis.indexedDB) throw new TypeError('options.storage: IndexedDB is not available here');
  return spec;
}

/**
 * The worker option as the mode that will run: 'shared' falls back to a
 * dedicated Worker where SharedWorker does not exist (Chrome on Android).
 */
function modeOption(v) {
  const hasWorker = typeof Worker === 'function';
  if (v !== undefined && typeof v !== 'boolean' && v !== 'shared') {
    if (typeof v === 'string') throw new RangeError(`options.worker must be true, false or 'shared', not '${v}'`);
    throw typeError('options.worker', "a boolean or 'shared'", v);
  }
  if (v === 'shared' && typeof SharedWorker === 'function') return 'shared';
  const worker = v === undefined ? hasWorker : Boolean(v);
  if (worker && !hasWorker) throw new TypeError('options.worker: Worker is not available here; pass worker: false');
  return worker ? 'worker' : 'thread';
}

/**
 * Validates a call's last argument, { signal, timeout }, and returns
 * { signal, timeout } with the client's default timeout filled in.
 */
export function normalizeCallOptions(callOptions, defaultTimeout) {
  if (callOptions === undefined) return { signal: undefined, timeout: defaultTimeout };
  const co = plainObject('callOptions', callOptions, ['signal', 'timeout']);
  if (co.signal !== undefined && !(typeof AbortSignal === 'function' && co.signal instanceof AbortSignal)) {
    throw typeError('callOptions.signal', 'an AbortSignal', co.signal);
  }
  const timeout = co.timeout === undefined ? defaultTimeout : milliseconds('callOptions.timeout', co.timeout);
  return { signal: co.signal, timeout };
}
