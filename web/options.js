// createClient's options and every call's { signal, timeout }: the one
// place their rules live. Everything here runs on the page before any
// network I/O and throws a TypeError or RangeError naming the option. The
// wasm receives only the normalized shape that normalizeOptions returns and
// trusts it (internal/bridge/options.go reads it without checking again).
//
// Lengths of strings are counted in UTF-16 code units, the way Telegram
// counts text (core.telegram.org/api/entities) and JavaScript's
// String.length does.

import { thrownText } from './runtime.js';
import { SessionError, decodeSession } from './session.js';

export const VERSION = '0.1.0';
/**
 * The size of tgwasm.wasm in bytes, for download progress (compressed
 * responses do not say it); scripts/build.sh writes it in the built copy.
 */
export const WASM_SIZE = null;

const OPTION_KEYS = ['apiId', 'apiHash', 'server', 'dcId', 'session', 'storage', 'floodSleepThreshold', 'timeout', 'device', 'worker', 'wasmUrl', 'onProgress', 'logger'];
export const DEVICE_KEYS = ['deviceModel', 'systemVersion', 'appVersion', 'langCode', 'systemLangCode', 'langPack'];
/** The longest device string, in UTF-16 code units. */
export const MAX_DEVICE_FIELD = 256;
/** The longest timeout: setTimeout's limit. */
export const MAX_TIMEOUT = 2 ** 31 - 1;
/** Default per-call limit (ms) and flood-sleep threshold (s). */
export const DEFAULT_TIMEOUT = 30000;
export const DEFAULT_FLOOD_SLEEP = 60;
const SESSION_KEY = 'tgwasm.session';

/** What v is, for an error message ("a string", "null", "an array"…). */
export function kind(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  const t = typeof v;
  return t === 'object' ? 'an object' : (t === 'undefined' ? 'undefined' : `a ${t}`);
}

export function typeError(path, want, v) {
  return new TypeError(`${path} must be ${want}, not ${kind(v)}`);
}

/**
 * Checks that v is a plain object with only the given keys and returns a
 * plain copy of it. A getter or proxy trap that throws becomes a TypeError
 * naming the field, and nothing is read twice.
 */
export function plainObject(path, v, keys) {
  if (v === null || typeof v !== 'object') throw typeError(path, 'an object', v);
  let own;
  try {
    if (Array.isArray(v)) throw typeError(path, 'an object', v);
    own = Object.keys(v);
  } catch (err) {
    if (err instanceof TypeError && err.message.startsWith(`${path} must be`)) throw err;
    throw new TypeError(`${path} could not be read: ${thrownText(err)}`);
  }
  const copy = {};
  for (const k of own) {
    if (!keys.includes(k)) {
      const near = keys.find((x) => x.toLowerCase() === k.toLowerCase().replaceAll('_', ''));
      throw new TypeError(`${path}.${k} is not a known option${near ? ` (did you mean ${near}?)` : ''}`);
    }
    try {
      copy[k] = Reflect.get(v, k);
    } catch (err) {
      throw new TypeError(`${path}.${k} could not be read: ${thrownText(err)}`);
    }
  }
  return copy;
}

function integer(path, v, min, max) {
  if (typeof v !== 'number') throw typeError(path, 'an integer', v);
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${path} must be an integer from ${min} to ${max}, not ${v}`);
  return v;
}

/** A timeout in milliseconds: 1..2^31-1, fractions cut. */
export function milliseconds(path, v) {
  if (typeof v !== 'number') throw typeError(path, 'a number of milliseconds', v);
  if (!(v >= 1 && v <= MAX_TIMEOUT)) throw new RangeError(`${path} must be 1 to ${MAX_TIMEOUT} milliseconds, not ${v}`);
  return Math.floor(v);
}

function string(path, v) {
  if (typeof v !== 'string') throw typeError(path, 'a string', v);
  return v;
}

/** One DER element of type tag at der[at]: its body and where it ends. */
function tlv(der, at, tag, what, bad) {
  if (der[at] !== tag) throw bad(`expected ${what}`);
  let len = der[at + 1];
  let i = at + 2;
  if (len === undefined) throw bad(`${what} is cut short`);
  if (len & 0x80) {
    const k = len & 0x7f;
    if (k < 1 || k > 3 || i + k > der.length) throw bad(`bad length of ${what}`);
    len = 0;
    for (let j = 0; j < k; j++) len = len * 256 + der[i++];
  }
  if (i + len > der.length) throw bad(`${what} overflows the key`);
  return { body: der.subarray(i, i + len), end: i + len };
}

/** A positive DER INTEGER as hex without leading zeros. */
function positiveHex(b, what, bad) {
  if (b.length === 0 || b[0] & 0x80) throw bad(`${what} is not a positive integer`);
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return Array.from(b.subarray(i), (x) => x.toString(16).padStart(2, '0')).join('');
}

// rsaEncryption, 1.2.840.113549.1.1.1, as DER.
const RSA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/**
 * Reads a PEM RSA public key (PKCS #1 "RSA PUBLIC KEY" or SPKI "PUBLIC
 * KEY") into the modulus (hex) and exponent the key exchange uses.
 */
export function rsaPublicKey(path, pem) {
  const m = /^\s*-----BEGIN (RSA )?PUBLIC KEY-----([A-Za-z0-9+/=\s]*)-----END (RSA )?PUBLIC KEY-----\s*$/.exec(pem);
  if (!m || m[1] !== m[3]) throw new RangeError(`${path} is not a PEM public key (-----BEGIN RSA PUBLIC KEY-----)`);
  let der;
  try {
    der = Uint8Array.from(atob(m[2].replace(/\s/g, '')), (c) => c.charCodeAt(0));
  } catch {
    throw new RangeError(`${path} is not a PEM public key: its body is not base64`);
  }
  const bad = (what) => new RangeError(`${path} is not an RSA public key: ${what}`);
  let seq = tlv(der, 0, 0x30, 'a SEQUENCE', bad);
  if (seq.end !== der.length) throw bad('data after the key');
  if (!m[1]) {
    // SubjectPublicKeyInfo { AlgorithmIdentifier { rsaEncryption, … }, BIT STRING { RSAPublicKey } }
    const alg = tlv(seq.body, 0, 0x30, 'an AlgorithmIdentifier', bad);
    if (!RSA_OID.every((x, i) => alg.body[i] === x)) throw bad('not an rsaEncryption key');
    const bits = tlv(seq.body, alg.end, 0x03, 'a BIT STRING', bad);
    if (bits.end !== seq.body.length || bits.body[0] !== 0) throw bad('malformed BIT STRING');
    const inner = bits.body.subarray(1);
    seq = tlv(inner, 0, 0x30, 'a SEQUENCE', bad);
    if (seq.end !== inner.length) throw bad('data after the key');
  }
  const nEl = tlv(seq.body, 0, 0x02, 'the modulus', bad);
  const eEl = tlv(seq.body, nEl.end, 0x02, 'the exponent', bad);
  if (eEl.end !== seq.body.length) throw bad('data after the exponent');
  const n = positiveHex(nEl.body, 'the modulus', bad);
  const eHex = positiveHex(eEl.body, 'the exponent', bad);
  const bitsN = n.length * 4 - (Math.clz32(parseInt(n[0], 16)) - 28);
  if (bitsN !== 2048) throw new RangeError(`${path} has a ${bitsN}-bit modulus; Telegram keys have 2048 bits`);
  if (eHex.length > 8) throw bad('the exponent is too large');
  const e = parseInt(eHex, 16);
  if (e < 3 || e % 2 === 0) throw bad(`the exponent ${e} is not an odd number of 3 or more`);
  return { n, e };
}

/** The device fields initConnection carries, derived from the browser. */
function browserDevice() {
  const nav = globalThis.navigator || {};
  const ua = String(nav.userAgent || '');
  let model = 'Browser';
  let m;
  if (typeof process === 'object' && process.versions && process.versions.node && !nav.userAgentData) model = `Node.js ${process.versions.node}`;
  else if ((m = /(Edg|OPR|Firefox|Chrome|Chromium)\/(\d+)/.exec(ua))) model = `${{ Edg: 'Edge', OPR: 'Opera' }[m[1]] || m[1]} ${m[2]}`;
  else if ((m = /Version\/(\d+).*Safari/.exec(ua))) model = `Safari ${m[1]}`;
  const system = (nav.userAgentData && nav.userAgentData.platform) || nav.platform ||
    (typeof process === 'object' && process.platform) || 'Web';
  const lang = String(nav.language || 'en');
  return {
    deviceModel: model,
    systemVersion: String(system),
    appVersion: `tgwasm ${VERSION}`,
    langCode: lang.split('-')[0].toLowerCase() || 'en',
    systemLangCode: lang,
    langPack: '',
  };
}

/** Reads a session string into its decoded form (null for ''). */
export function sessionOption(path, s) {
  try {
    return decodeSession(s);
  } catch (err) {
    if (err instanceof SessionError) throw new RangeError(`${path} is not a valid session string: ${err.reason}`);
    throw err;
  }
}

/**
 * Validates createClient's options and returns
 * { wasm, storage, mode, wasmUrl, wasmSize, onProgress, logger, timeout }: `storage` a StorageSpec
 * (storage.js), `mode` 'worker', 'thread' or 'shared' (after any
 * fallback), and `wasm` the normalized shape the wasm reads (see
 * internal/bridge/options.go):
 *   { apiId, apiHash, server: { kind: 'production'|'test', dcId } |
 *     { kind: 'custom', url, dcId, publicKeys: [{ n, e }] },
 *     session: { dcId, addr, port, key } | null, floodSleepThreshold, device }
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
    wasm.server = { kind: server, dcId: o.dcId === undefined ? 2 : integer('options.dcId', o.dcId, 1, 5) };
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
    wasm.server = { kind: 'custom', url: url.href, dcId, publicKeys };
    serverId = url.href;
    maxDC = 1000;
  }

  wasm.session = null;
  if (o.session !== undefined) {
    wasm.session = sessionOption('options.session', string('options.session', o.session));
    if (wasm.session && wasm.session.dcId > maxDC) {
      throw new RangeError(`options.session names DC ${wasm.session.dcId}, not a DC of this server (1..${maxDC})`);
    }
  }

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

  return { wasm, storage, mode, wasmUrl, wasmSize, onProgress, logger: o.logger, timeout };
}

/**
 * wasmUrl and onProgress, which createClient and preload share: the URL
 * (default: tgwasm.wasm beside this file), its size when known (for
 * progress; only for the default file) and the progress callback.
 */
function loadingOptions(path, o) {
  let url;
  if (o.wasmUrl === undefined) url = new URL('./tgwasm.wasm', import.meta.url);
  else if (typeof o.wasmUrl === 'string' || o.wasmUrl instanceof URL) {
    try { url = new URL(String(o.wasmUrl), globalThis.location ? globalThis.location.href : import.meta.url); } catch { throw new RangeError(`${path}.wasmUrl is not a URL: ${o.wasmUrl}`); }
  } else throw typeError(`${path}.wasmUrl`, 'a string or URL', o.wasmUrl);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw typeError(`${path}.onProgress`, 'a function', o.onProgress);
  const builtIn = new URL('./tgwasm.wasm', import.meta.url).href;
  return { wasmUrl: url.href, wasmSize: url.href === builtIn ? WASM_SIZE : null, onProgress: o.onProgress };
}

/** Validates preload's options: { wasmUrl?, onProgress? }. */
export function normalizePreloadOptions(options) {
  if (options === undefined) return loadingOptions('options', {});
  return loadingOptions('options', plainObject('options', options, ['wasmUrl', 'onProgress']));
}

/**
 * The storage option as a StorageSpec: { kind: 'memory' | 'localStorage'
 * | 'indexedDB', key }, where key is the given name or, for the plain
 * string forms, defaultKey (per server; for memory it only names what
 * shared-mode pages share).
 */
function storageOption(v, defaultKey) {
  if (v === undefined || v === 'memory') return { kind: 'memory', key: defaultKey };
  if (v === 'localStorage' || v === 'indexedDB') return available({ kind: v, key: defaultKey });
  if (typeof v === 'string') throw new RangeError(`options.storage must be 'memory', 'localStorage', 'indexedDB', { localStorage: key } or { indexedDB: key }, not '${v}'`);
  const st = plainObject('options.storage', v, ['localStorage', 'indexedDB']);
  const kinds = Object.keys(st);
  if (kinds.length !== 1) throw new TypeError('options.storage must name one place: { localStorage: key } or { indexedDB: key }');
  const kind = kinds[0];
  if (typeof st[kind] !== 'string' || st[kind] === '') throw typeError(`options.storage.${kind}`, 'a non-empty key string', st[kind]);
  return available({ kind, key: st[kind] });
}

function available(spec) {
  if (spec.kind === 'localStorage' && !globalThis.localStorage) throw new TypeError("options.storage: localStorage is not available here (in a worker, use 'indexedDB')");
  if (spec.kind === 'indexedDB' && !globalThis.indexedDB) throw new TypeError('options.storage: IndexedDB is not available here');
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
