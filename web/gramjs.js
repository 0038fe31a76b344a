// tgwasm/gramjs: GramJS's API over tgwasm, so GramJS code for the methods
// tgwasm supports runs with only its import changed:
//
//   import { Api, TelegramClient, sessions } from 'tgwasm/gramjs';
//   const client = new TelegramClient(new sessions.StringSession(''), apiId, apiHash, {});
//   const sent = await client.invoke(new Api.account.SendChangePhoneCode({
//     phoneNumber: '+15551234567', settings: new Api.CodeSettings({ allowFlashcall: true }) }));
//
// client.start() logs in as GramJS's does (number, code, 2FA password, or a
// bot token, asked through callbacks). Requests become calls of a tgwasm
// client (tgwasm.js); results come back as
// instances of the classes below, with GramJS's CONSTRUCTOR_ID,
// SUBCLASS_OF_ID, className and classType. Types are in gramjs.d.ts.

import {
  ConnectionError, RPCError as TgRPCError, TimeoutError, createClient,
} from './tgwasm.js';
import { LAYER, REQUESTS, TYPES } from './gramjs-schema.js';
import { SessionError, decodeSession as decodeStringSession } from './session.js';

export { LAYER, TimeoutError, ConnectionError };

// ---------------------------------------------------------------- Buffer

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * The part of Node's Buffer that GramJS code uses with these methods: a
 * Uint8Array with from/alloc/concat/isBuffer and toString(encoding). Bytes
 * in results are Buffers; requests take any Uint8Array.
 */
export class Buffer extends Uint8Array {
  /**
   * @param {string|ArrayLike<number>|ArrayBuffer|Uint8Array} value
   * @param {'utf8'|'utf-8'|'hex'|'base64'|'base64url'|'latin1'|'binary'|'ascii'} [encoding]
   */
  static from(value, encoding) {
    if (typeof value === 'string') return Buffer.#fromString(value, encoding === undefined ? 'utf8' : encoding);
    if (value instanceof ArrayBuffer) return new Buffer(value, typeof encoding === 'number' ? encoding : 0);
    if (ArrayBuffer.isView(value)) {
      const out = new Buffer(value.byteLength);
      out.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      return out;
    }
    if (value && typeof value === 'object' && typeof value.length !== 'number' && typeof value[Symbol.iterator] === 'function') value = Array.from(value);
    if (Array.isArray(value) || (value && typeof value === 'object' && typeof value.length === 'number')) {
      const out = new Buffer(value.length);
      for (let i = 0; i < value.length; i++) out[i] = Number(value[i]) & 0xff;
      return out;
    }
    throw new TypeError(`Buffer.from takes a string, an array, an ArrayBuffer or a Uint8Array, not ${value === null ? 'null' : typeof value}`);
  }

  static #fromString(s, encoding) {
    switch (String(encoding).toLowerCase()) {
      case 'utf8':
      case 'utf-8':
        return Buffer.from(new TextEncoder().encode(s));
      case 'hex': {
        if (!HEX.test(s)) throw new TypeError('Buffer.from(s, "hex"): s must hold pairs of hexadecimal digits');
        const out = new Buffer(s.length / 2);
        for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
        return out;
      }
      case 'base64':
      case 'base64url': {
        let b64 = s.replace(/[\s=]+/g, '').replaceAll('-', '+').replaceAll('_', '/');
        b64 = b64.padEnd(Math.ceil(b64.length / 4) * 4, '=');
        let raw;
        try { raw = atob(b64); } catch { throw new TypeError(`Buffer.from(s, "${encoding}"): s is not ${encoding}`); }
        return Buffer.#fromString(raw, 'latin1');
      }
      case 'latin1':
      case 'binary':
      case 'ascii': {
        const out = new Buffer(s.length);
        for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
        return out;
      }
      default:
        throw new TypeError(`unknown Buffer encoding '${encoding}' (known: utf8, hex, base64, base64url, latin1, ascii)`);
    }
  }

  /** @param {number} size @param {number} [fill] */
  static alloc(size, fill = 0) {
    return new Buffer(size).fill(fill);
  }

  /** @param {Uint8Array[]} list */
  static concat(list) {
    const out = new Buffer(list.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of list) { out.set(b, at); at += b.length; }
    return out;
  }

  static isBuffer(v) {
    return v instanceof Buffer;
  }

  /** @param {'utf8'|'hex'|'base64'|'base64url'|'latin1'|'binary'|'ascii'} [encoding] */
  toString(encoding = 'utf8') {
    switch (String(encoding).toLowerCase()) {
      case 'utf8':
      case 'utf-8':
        return new TextDecoder().decode(this);
      case 'hex':
        return Array.from(this, (b) => b.toString(16).padStart(2, '0')).join('');
      case 'base64':
        return btoa(this.toString('latin1'));
      case 'base64url':
        return this.toString('base64').replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
      case 'latin1':
      case 'binary':
      case 'ascii': {
        let s = '';
        for (let i = 0; i < this.length; i += 0x8000) s += String.fromCharCode(...this.subarray(i, i + 0x8000));
        return s;
      }
      default:
        throw new TypeError(`unknown Buffer encoding '${encoding}' (known: utf8, hex, base64, base64url, latin1, ascii)`);
    }
  }

  /** @param {Uint8Array} other */
  equals(other) {
    return other instanceof Uint8Array && other.length === this.length && this.every((b, i) => b === other[i]);
  }

  toJSON() {
    return { type: 'Buffer', data: Array.from(this) };
  }

  // Slices stay Buffers, as in Node.
  static get [Symbol.species]() { return Buffer; }
}

// ---------------------------------------------------------------- Api

/** Arguments of a class: 'flags:#', 'name', 'name?flags.N', 'name?flags.N:true'. */
function parseArgs(spec) {
  return spec.split(' ').filter(Boolean).map((a) => {
    if (a.endsWith(':#')) return { name: a.slice(0, -2), flagsField: true };
    const m = /^(\w+)(?:\?(\w+)\.(\d+)(:true)?)?$/.exec(a);
    return m[2] === undefined
      ? { name: m[1] }
      : { name: m[1], flagName: m[2], bit: Number(m[3]), isTrue: m[4] !== undefined };
  });
}

const META = new Set(['CONSTRUCTOR_ID', 'SUBCLASS_OF_ID', 'className', 'classType', 'originalArgs']);

function nearName(names, k) {
  const want = k.toLowerCase().replaceAll('_', '');
  return names.find((n) => n.toLowerCase() === want);
}

/** Deep copy for toJSON: BigInt → string, as GramJS's big integers do. */
function jsonable(v) {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof TLObject) return v.toJSON();
  if (v instanceof Uint8Array) return v instanceof Buffer ? v.toJSON() : Buffer.from(v).toJSON();
  if (Array.isArray(v)) return v.map(jsonable);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonable(x);
    return out;
  }
  return v;
}

/** The base of every Api class. */
export class TLObject {
  constructor(args) {
    const C = new.target;
    const own = C._args;
    if (!own) throw new TypeError(`${C.name} is a base class; make an Api class such as new Api.CodeSettings({ … })`);
    if (args !== undefined && args !== null && (typeof args !== 'object' || Array.isArray(args))) {
      throw new TypeError(`new Api.${C.className}(args): args must be an object, not ${Array.isArray(args) ? 'an array' : typeof args}`);
    }
    args = args || {};
    if (!C._reading) {
      const names = own.map((a) => a.name);
      for (const k of Object.keys(args)) {
        if (names.includes(k)) continue;
        const near = nearName(names, k);
        throw new TypeError(`Api.${C.className} has no argument '${k}'${near ? ` (did you mean ${near}?)` : ''}; its arguments: ${names.filter((n) => !own.find((a) => a.name === n).flagsField).join(', ') || 'none'}`);
      }
    }
    this.CONSTRUCTOR_ID = C.CONSTRUCTOR_ID;
    this.SUBCLASS_OF_ID = C.SUBCLASS_OF_ID;
    this.className = C.className;
    this.classType = C.classType;
    this.originalArgs = args;
    for (const a of own) this[a.name] = args[a.name];
  }

  /** GramJS's toJSON: the arguments given, and className. */
  toJSON() {
    const out = {};
    for (const [k, v] of Object.entries(this.originalArgs)) out[k] = jsonable(v);
    out.className = this.className;
    return out;
  }
}

/** The base of the request classes; invoke() resolves to its result type. */
export class TLRequest extends TLObject {}

/** Builds a class the way GramJS does: the ids and names are static and per instance. */
function defineClass(fullName, [constructorId, subclassOfId, spec], classType) {
  const name = fullName.slice(fullName.lastIndexOf('.') + 1);
  const Base = classType === 'request' ? TLRequest : TLObject;
  const cls = { [name]: class extends Base {} }[name];
  Object.defineProperties(cls, {
    CONSTRUCTOR_ID: { value: constructorId, enumerable: true },
    SUBCLASS_OF_ID: { value: subclassOfId, enumerable: true },
    className: { value: fullName, enumerable: true },
    classType: { value: classType, enumerable: true },
    _args: { value: parseArgs(spec) },
    _reading: { value: false, writable: true },
  });
  return cls;
}

const classes = new Map(); // className → class
const namespaces = { '': {} };
for (const [group, type] of [[REQUESTS, 'request'], [TYPES, 'constructor']]) {
  for (const [fullName, entry] of Object.entries(group)) {
    const cls = defineClass(fullName, entry, type);
    classes.set(fullName, cls);
    const dot = fullName.lastIndexOf('.');
    const ns = dot < 0 ? '' : fullName.slice(0, dot);
    (namespaces[ns] ||= {})[fullName.slice(dot + 1)] = cls;
  }
}

const REQUEST_NAMES = Object.keys(REQUESTS);

function unsupported(path) {
  return new TypeError(`${path} is not supported by tgwasm's GramJS shim. It supports the requests ` +
    `${REQUEST_NAMES.map((n) => `Api.${n}`).join(', ')}, Api.CodeSettings and the classes of their results ` +
    '(Api.auth.SentCode, Api.auth.SentCodeType*, Api.auth.CodeType*, Api.User, Api.auth.Authorization, …); ' +
    'for anything else use GramJS itself');
}

// Property names that code probing an object asks for without meaning a TL
// class (promise checks, inspectors, bundler interop): answered, not thrown.
const PROBES = new Set(['then', 'toJSON', 'toString', 'valueOf', 'constructor', 'default', 'inspect', 'prototype', 'asymmetricMatch', 'nodeType', 'tagName', 'length']);

function namespaceProxy(path, members) {
  return new Proxy(Object.freeze({ ...members }), {
    get(target, prop) {
      if (typeof prop === 'symbol' || Object.hasOwn(target, prop)) return target[prop];
      if (PROBES.has(prop) || prop.startsWith('_') || prop.startsWith('$') || prop.startsWith('@@')) return target[prop];
      // Older GramJS docs spell requests in lower camel case (Api.auth.sendCode).
      const upper = prop.slice(0, 1).toUpperCase() + prop.slice(1);
      if (upper !== prop && Object.hasOwn(target, upper) && target[upper].classType === 'request') return target[upper];
      throw unsupported(`${path}.${prop}`);
    },
  });
}

/**
 * GramJS's Api namespace for what tgwasm supports: Api.account.*,
 * Api.auth.*, Api.CodeSettings, Api.User and the other result classes. Any
 * other name throws a TypeError saying what is supported.
 */
export const Api = (() => {
  const root = { ...namespaces[''] };
  for (const [ns, members] of Object.entries(namespaces)) {
    if (ns !== '') root[ns] = namespaceProxy(`Api.${ns}`, members);
  }
  return namespaceProxy('Api', root);
})();

/**
 * Converts a result of tgwasm's own API (createClient's plain objects) into
 * Api class instances as GramJS reads them: flags as numbers, an absent
 * optional argument null, an unset true-flag false, bytes as Buffers.
 * @param {unknown} v
 */
export function toGramJS(v) {
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (Array.isArray(v)) return v.map(toGramJS);
  if (!v || typeof v !== 'object' || typeof v.className !== 'string') return v;
  const cls = classes.get(v.className);
  const args = {};
  for (const [k, x] of Object.entries(v)) if (k !== 'className') args[k] = toGramJS(x);
  if (!cls) return { ...args, className: v.className };
  // As GramJS reads a result: flags as numbers, an absent optional
  // argument null, an unset true-flag false.
  const flags = {};
  for (const a of cls._args) {
    if (a.flagsField) continue;
    const present = args[a.name] !== undefined && args[a.name] !== null && !(a.isTrue && args[a.name] === false);
    if (a.flagName !== undefined) {
      flags[a.flagName] = (flags[a.flagName] || 0) | (present ? 1 << a.bit : 0);
      if (!present) args[a.name] = a.isTrue ? false : null;
    }
  }
  const read = {};
  for (const a of cls._args) read[a.name] = a.flagsField ? (flags[a.name] || 0) >>> 0 : args[a.name];
  cls._reading = true;
  try {
    return new cls(read);
  } finally {
    cls._reading = false;
  }
}

// ---------------------------------------------------------------- errors

function causedBy(request) {
  return request ? ` (caused by ${request.className})` : '';
}

function methodOf(request) {
  if (!request || typeof request.className !== 'string') return undefined;
  const dot = request.className.lastIndexOf('.');
  return request.className.slice(0, dot + 1) + request.className[dot + 1].toLowerCase() + request.className.slice(dot + 2);
}

/**
 * GramJS's RPCError: `${code}: ${errorMessage} (caused by ${request.className})`.
 * Also an instance of tgwasm's RPCError.
 */
export class RPCError extends TgRPCError {
  /** @param {string} message @param {TLObject} [request] @param {number} [code] */
  constructor(message, request, code) {
    super(code, message, methodOf(request));
    this.name = new.target.name;
    this.message = `${code === undefined || code === null ? '' : code}: ${message || ''}${causedBy(request)}`;
  }
}

/** GramJS's base of the 420 errors: code 420, errorMessage 'FLOOD'. */
export class FloodError extends RPCError {
  constructor(message, request) {
    super(message, request, 420);
    this.code = 420;
    this.errorMessage = 'FLOOD';
  }
}

/** FLOOD_WAIT_X / FLOOD_PREMIUM_WAIT_X past floodSleepThreshold: wait `seconds`. */
export class FloodWaitError extends FloodError {
  /** @param {{ request?: TLObject, capture?: number }} args */
  constructor({ request, capture } = {}) {
    const seconds = Number(capture || 0);
    super(`A wait of ${seconds} seconds is required${causedBy(request)}`, request);
    this.message = `A wait of ${seconds} seconds is required${causedBy(request)}`;
    this.seconds = seconds;
  }
}

/** FLOOD_TEST_PHONE_WAIT_X: the test servers' flood wait. */
export class FloodTestPhoneWaitError extends FloodError {
  /** @param {{ request?: TLObject, capture?: number }} args */
  constructor({ request, capture } = {}) {
    const seconds = Number(capture || 0);
    super(`A wait of ${seconds} seconds is required in the test servers${causedBy(request)}`, request);
    this.message = `A wait of ${seconds} seconds is required in the test servers${causedBy(request)}`;
    this.seconds = seconds;
  }
}

/** tgwasm's error as the one GramJS raises for the same answer. */
function toGramJSError(err, request) {
  if (err instanceof TgRPCError) {
    const { code, errorMessage, seconds } = err;
    if (seconds === undefined) return new RPCError(errorMessage, request, code);
    if (errorMessage === 'FLOOD_WAIT' || errorMessage === 'FLOOD_PREMIUM_WAIT') return new FloodWaitError({ request, capture: seconds });
    if (errorMessage === 'FLOOD_TEST_PHONE_WAIT') return new FloodTestPhoneWaitError({ request, capture: seconds });
    return new RPCError(`${errorMessage}_${seconds}`, request, code);
  }
  if (err instanceof TypeError || err instanceof RangeError) {
    const Cls = err instanceof RangeError ? RangeError : TypeError;
    return new Cls(`${request.className}: ${err.message}`);
  }
  return err;
}

export const errors = { RPCError, FloodError, FloodWaitError, FloodTestPhoneWaitError, TimeoutError, ConnectionError };

// ---------------------------------------------------------------- sessions

/** Decodes a GramJS (or Telethon) StringSession as GramJS does; throws on anything else. */
function decodeSession(s) {
  let d;
  try {
    d = decodeStringSession(s);
  } catch (err) {
    if (err instanceof SessionError) throw new Error('Not a valid string');
    throw err;
  }
  return { dcId: d.dcId, serverAddress: d.addr, port: d.port };
}

/**
 * GramJS's StringSession: `new StringSession('')` starts fresh,
 * `new StringSession(saved)` resumes, `save()` returns the string to keep.
 */
export class StringSession {
  #value;

  /** @param {string} [session] */
  constructor(session = '') {
    if (typeof session !== 'string') throw new TypeError(`StringSession takes a string, not ${session === null ? 'null' : typeof session}`);
    session = session.trim();
    if (session !== '') decodeSession(session);
    this.#value = session;
  }

  /** The session as a string to keep and pass back later ('' before the first connection). */
  save() {
    return this.#value;
  }

  /** Kept for GramJS code that calls it; the session is loaded on connect. */
  async load() {}

  /** The DC this session belongs to (undefined before the first connection). */
  get dcId() { return this.#value ? decodeSession(this.#value).dcId : undefined; }

  /** That DC's address as the session stores it. */
  get serverAddress() { return this.#value ? decodeSession(this.#value).serverAddress : undefined; }

  /** That DC's port. */
  get port() { return this.#value ? decodeSession(this.#value).port : undefined; }

  /** @internal */
  _set(value) {
    this.#value = value || '';
  }
}

/**
 * GramJS's StoreSession for the browser: a session kept in localStorage
 * under a name (what `new TelegramClient('name', …)` uses).
 */
export class StoreSession extends StringSession {
  /** @param {string} sessionName */
  constructor(sessionName) {
    if (typeof sessionName !== 'string' || sessionName === '') throw new TypeError('StoreSession takes a non-empty session name');
    if (!globalThis.localStorage) throw new TypeError('StoreSession keeps the session in localStorage, which is not available here');
    const key = `tgwasm.gramjs:${sessionName}`;
    let kept = globalThis.localStorage.getItem(key) || '';
    try { if (kept) decodeSession(kept); } catch { kept = ''; }
    super(kept);
    /** The localStorage key. */
    this.storageKey = key;
  }
}

export const sessions = { StringSession, StoreSession };

// ---------------------------------------------------------------- logging

/** GramJS's log levels. */
export const LogLevel = Object.freeze({ NONE: 'none', ERROR: 'error', WARN: 'warn', INFO: 'info', DEBUG: 'debug' });

/**
 * GramJS's Logger: a level, and log(level, message, color), which prints
 * to the console and which a custom logger overrides. TelegramClient's
 * baseLogger (or setLogLevel) receives tgwasm's diagnostics through it.
 * Unlike GramJS, a client logs nothing unless given one or a level.
 */
export class Logger {
  levels = ['error', 'warn', 'info', 'debug'];
  isBrowser = typeof globalThis.document !== 'undefined' || typeof globalThis.WorkerGlobalScope !== 'undefined';
  colors = {
    start: '%c', warn: 'color : #ff00ff', info: 'color : #ffff00', debug: 'color : #00ffff', error: 'color : #ff0000', end: '',
  };
  messageFormat = '[%t] [%l] - [%m]';
  tzOffset = new Date().getTimezoneOffset() * 60000;

  constructor(level) {
    this._logLevel = level || LogLevel.INFO;
    if (!this.isBrowser) {
      this.colors = { start: '\x1b[2m', warn: '\x1b[35m', info: '\x1b[33m', debug: '\x1b[36m', error: '\x1b[31m', end: '\x1b[0m' };
    }
  }

  canSend(level) {
    return this._logLevel ? this.levels.indexOf(this._logLevel) >= this.levels.indexOf(level) : false;
  }

  warn(message) { this._log(LogLevel.WARN, message, this.colors.warn); }

  info(message) { this._log(LogLevel.INFO, message, this.colors.info); }

  debug(message) { this._log(LogLevel.DEBUG, message, this.colors.debug); }

  error(message) { this._log(LogLevel.ERROR, message, this.colors.error); }

  format(message, level) {
    return this.messageFormat.replace('%t', this.getDateTime()).replace('%l', level.toUpperCase()).replace('%m', message);
  }

  get logLevel() { return this._logLevel; }

  setLevel(level) { this._logLevel = level; }

  _log(level, message, color) {
    if (this.canSend(level)) this.log(level, message, color);
  }

  /** Override this for a custom logger. */
  log(level, message, color) {
    if (!this.isBrowser) console.log(color + this.format(message, level) + this.colors.end);
    else console.log(this.colors.start + this.format(message, level), color);
  }

  getDateTime() {
    return new Date(Date.now() - this.tzOffset).toISOString().slice(0, -1);
  }
}

/** Hands a tgwasm diagnostic to a GramJS-style logger, as GramJS's own code does. */
function toLogger(logger, level, message) {
  if (typeof logger._log === 'function') logger._log(level, message, logger.colors ? logger.colors[level] : '');
  else if (typeof logger[level] === 'function') logger[level](message);
}

// ---------------------------------------------------------------- client

// GramJS client parameters that tune its own connection code. tgwasm's
// transport handles these itself (see README), so they are accepted and
// have no effect.
const HANDLED_PARAMS = ['connection', 'useIPV6', 'requestRetries', 'connectionRetries', 'reconnectRetries',
  'downloadRetries', 'retryDelay', 'autoReconnect', 'sequentialUpdates', 'useWSS',
  'maxConcurrentDownloads', 'securityChecks'];
const DEVICE_PARAMS = ['deviceModel', 'systemVersion', 'appVersion', 'langCode', 'systemLangCode'];
const TGWASM_PARAMS = ['server', 'dcId', 'worker', 'wasmUrl'];
const KNOWN_PARAMS = [...HANDLED_PARAMS, ...DEVICE_PARAMS, ...TGWASM_PARAMS, 'timeout', 'floodSleepThreshold', 'testServers', 'proxy', 'networkSocket',
  'baseLogger'];

/** The tgwasm options for GramJS's (session, apiId, apiHash, clientParams). */
function clientOptions(session, apiId, apiHash, params) {
  if (!apiId || !apiHash) throw new Error('Your API ID or Hash cannot be empty or undefined');
  if (params === undefined || params === null) params = {};
  if (typeof params !== 'object' || Array.isArray(params)) throw new TypeError('TelegramClient: clientParams must be an object');
  for (const k of Object.keys(params)) {
    if (!KNOWN_PARAMS.includes(k)) {
      const near = nearName(KNOWN_PARAMS, k);
      throw new TypeError(`TelegramClient: unknown client parameter '${k}'${near ? ` (did you mean ${near}?)` : ''}`);
    }
  }
  for (const k of ['proxy', 'networkSocket']) {
    if (params[k] !== undefined && params[k] !== null) {
      throw new TypeError(`TelegramClient: ${k} is not supported: tgwasm connects through the browser's WebSocket`);
    }
  }
  if (params.baseLogger !== undefined && (params.baseLogger === null || typeof params.baseLogger !== 'object')) {
    throw new TypeError('TelegramClient: baseLogger must be a Logger');
  }
  const options = { apiId, apiHash };
  if (params.server !== undefined) options.server = params.server;
  else if (params.testServers) options.server = 'test';
  for (const k of ['dcId', 'worker', 'wasmUrl', 'floodSleepThreshold']) {
    if (params[k] !== undefined) options[k] = params[k];
  }
  if (params.timeout !== undefined) {
    if (typeof params.timeout !== 'number' || !(params.timeout > 0)) throw new TypeError('TelegramClient: timeout must be a positive number of seconds');
    options.timeout = Math.round(params.timeout * 1000);
  }
  const device = {};
  for (const k of DEVICE_PARAMS) if (params[k]) device[k] = params[k];
  if (Object.keys(device).length) options.device = device;
  if (session instanceof StoreSession) options.storage = { localStorage: session.storageKey };
  return options;
}

/** How each request becomes a tgwasm call, and its answer a GramJS result. */
const CALLS = {
  'account.SendChangePhoneCode': { method: 'sendChangePhoneCode', args: ['phoneNumber', 'settings'] },
  'account.SendVerifyPhoneCode': { method: 'sendVerifyPhoneCode', args: ['phoneNumber', 'settings'] },
  'account.ChangePhone': { method: 'changePhone', args: ['phoneNumber', 'phoneCodeHash', 'phoneCode'] },
  'account.VerifyPhone': { method: 'verifyPhone', args: ['phoneNumber', 'phoneCodeHash', 'phoneCode'] },
  'auth.SendCode': { method: 'sendCode', args: ['phoneNumber', 'settings'], credentials: true },
  'auth.SignIn': {
    method: 'signIn',
    args: ['phoneNumber', 'phoneCodeHash', 'phoneCode'],
    unsupported: ['emailVerification'],
    // tgwasm's signIn resolves to the User; GramJS returns the authorization.
    result: (user) => ({ className: 'auth.Authorization', user }),
  },
  'auth.ResendCode': { method: 'resendCode', args: ['phoneNumber', 'phoneCodeHash', 'reason'] },
  'auth.CancelCode': { method: 'cancelCode', args: ['phoneNumber', 'phoneCodeHash'] },
};

/** CodeSettings (an Api.CodeSettings or a plain object) as tgwasm takes it. */
function settingsParam(s) {
  if (s === undefined || s === null) return undefined;
  const src = s instanceof TLObject ? s.originalArgs : s;
  if (s instanceof TLObject && s.className !== 'CodeSettings') throw new TypeError(`settings must be an Api.CodeSettings, not Api.${s.className}`);
  if (typeof src !== 'object' || Array.isArray(src)) return src; // tgwasm names the type error
  const out = {};
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined || v === null || k === 'flags') continue;
    out[k] = k === 'logoutTokens' && Array.isArray(v) ? v.map((t) => (t instanceof Uint8Array ? new Uint8Array(t) : t)) : v;
  }
  return out;
}

/**
 * The login's error rule (GramJS's auth.js): the error goes to
 * authParams.onError, and when that answers true the login ends.
 */
async function stopIfAsked(authParams, err) {
  if (typeof authParams.onError === 'function' && await authParams.onError(err)) throw new Error('AUTH_USER_CANCEL');
}

/**
 * GramJS's TelegramClient over tgwasm: connect(), invoke(request),
 * disconnect(), session.save(). invoke connects first when needed.
 */
export class TelegramClient {
  #options;
  #client = null;
  #connecting = null;
  #destroyed = false;
  #unwatch = null;

  /**
   * @param {StringSession|string} session a StringSession, or a name to keep the session in localStorage under
   * @param {number} apiId
   * @param {string} apiHash
   * @param {object} [clientParams] GramJS's client parameters, plus tgwasm's server, dcId, worker and wasmUrl
   */
  constructor(session, apiId, apiHash, clientParams = {}) {
    if (typeof session === 'string') session = new StoreSession(session);
    if (!(session instanceof StringSession)) {
      throw new TypeError('TelegramClient: session must be a StringSession from tgwasm/gramjs (sessions.StringSession) ' +
        'or a name; to carry a GramJS session over, pass new StringSession(gramjsSession.save())');
    }
    this.#options = clientOptions(session, apiId, apiHash, clientParams);
    // GramJS logs at INFO unless told otherwise; tgwasm logs nothing
    // unless given a baseLogger or a level (setLogLevel).
    this._log = (clientParams && clientParams.baseLogger) || new Logger(LogLevel.NONE);
    this.#options.logger = (level, message) => toLogger(this._log, level, message);
    /** The session; session.save() returns it as a string. */
    this.session = session;
    this.apiId = apiId;
    this.apiHash = apiHash;
    /** The layer of the classes in Api. */
    this.layer = LAYER;
  }

  /** Sets the level of the client's logger (GramJS's LogLevel). */
  setLogLevel(level) {
    this._log.setLevel(level);
  }

  /** The client's logger (the baseLogger given, or one that logs nothing until setLogLevel). */
  get logger() {
    return this._log;
  }

  /** Whether a connection is open (after connect() or the first invoke). */
  get connected() {
    return this.#client !== null && this.#client.state !== 'closed';
  }

  /** The tgwasm client below (createClient's), once connected. */
  get tgwasm() {
    return this.#client;
  }

  async #ensure() {
    if (this.#destroyed) throw new ConnectionError('the client was destroyed');
    if (this.#client) return this.#client;
    if (!this.#connecting) {
      const options = { ...this.#options };
      const saved = this.session.save();
      if (saved) options.session = saved;
      this.#connecting = createClient(options).then((client) => {
        this.#client = client;
        this.#unwatch = client._watchSession((s) => { if (s !== undefined) this.session._set(s); });
        return client;
      }).finally(() => { this.#connecting = null; });
    }
    return this.#connecting;
  }

  /**
   * Connects and waits for the key exchange with the DC. Resolves true;
   * rejects with ConnectionError when the DC cannot be reached within the
   * timeout client parameter (10 s unless set).
   */
  async connect() {
    const client = await this.#ensure();
    if (client.state === 'ready') return true;
    const limit = this.#options.timeout || 10000;
    await new Promise((resolve, reject) => {
      const done = (err) => {
        clearTimeout(timer);
        client.off('state', onState);
        if (err) reject(err); else resolve();
      };
      const onState = (s) => {
        if (s === 'ready') done();
        else if (s === 'closed') done(new ConnectionError('the connection was closed'));
      };
      const timer = setTimeout(() => done(new ConnectionError(`could not connect to the DC within ${limit / 1000} s`)), limit);
      client.on('state', onState);
    });
    return true;
  }

  /**
   * Sends a request (an Api.account.* or Api.auth.* instance) and resolves
   * to its result as an Api class instance. Connects first when needed.
   * @param {TLObject} request
   * @param {{ signal?: AbortSignal, timeout?: number }} [callOptions] tgwasm's per-call abort signal and timeout (ms)
   */
  async invoke(request, callOptions) {
    if (!(request instanceof TLRequest)) {
      let what = request === null ? 'null' : typeof request;
      if (request instanceof TLObject) what = `Api.${request.className}, which is not a request`;
      else if (request && typeof request.className === 'string') what = `a ${request.className} that was not made with tgwasm/gramjs's Api`;
      throw new TypeError(`invoke takes a request such as new Api.account.SendChangePhoneCode({ … }), not ${what}`);
    }
    const call = CALLS[request.className];
    const params = {};
    for (const k of call.args) {
      const v = k === 'settings' ? settingsParam(request[k]) : request[k];
      if (v !== undefined && v !== null) params[k] = v;
    }
    for (const k of call.unsupported || []) {
      if (request[k] !== undefined && request[k] !== null) throw new TypeError(`${request.className}: ${k} is not supported by tgwasm`);
    }
    if (call.credentials) {
      // tgwasm signs in with the client's own apiId/apiHash.
      for (const [k, own] of [['apiId', this.#options.apiId], ['apiHash', this.#options.apiHash]]) {
        if (request[k] !== undefined && request[k] !== own) {
          throw new RangeError(`${request.className}: ${k} must be the TelegramClient's ${k} (tgwasm sends the client's own)`);
        }
      }
    }
    const answer = await this.#tgwasm(call.method, params, request, callOptions);
    return toGramJS(call.result ? call.result(answer) : answer);
  }

  /** Calls a method of the tgwasm client; its errors become GramJS's, caused by request. */
  async #tgwasm(method, params, request, callOptions) {
    const client = await this.#ensure();
    try {
      return await client[method](params, callOptions);
    } catch (err) {
      throw toGramJSError(err, request);
    }
  }

  /** The logged-in user, as Api.User. */
  async getMe() {
    const client = await this.#ensure();
    return toGramJS(await client.getMe());
  }

  /** Whether the session is logged in. */
  async isUserAuthorized() {
    try {
      await this.getMe();
      return true;
    } catch (err) {
      if (err instanceof TgRPCError && err.code === 401) return false;
      throw err;
    }
  }

  /**
   * GramJS's checkAuthorization(): whether the session is logged in; false
   * on any error, as in GramJS.
   */
  async checkAuthorization() {
    try {
      await this.getMe();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * GramJS's start(): connects and, unless the session is logged in, logs
   * in with { botAuthToken } or with { phoneNumber, phoneCode, password?,
   * onError, forceSMS? }, asking through the callbacks. An error goes to
   * onError; when that returns true the login ends with
   * Error('AUTH_USER_CANCEL'). Not supported (a clear error): signing up a
   * new account and QR login.
   * @param {object} authParams
   */
  async start(authParams) {
    if (!authParams || typeof authParams !== 'object') {
      throw new TypeError('start takes { phoneNumber, phoneCode, password?, onError } or { botAuthToken }');
    }
    if (!this.connected) await this.connect();
    if (await this.checkAuthorization()) return;
    const apiCredentials = { apiId: this.apiId, apiHash: this.apiHash };
    if ('phoneNumber' in authParams) await this.signInUser(apiCredentials, authParams);
    else await this.signInBot(apiCredentials, authParams);
  }

  /**
   * GramJS's sendCode(): sends the login code; resolves to { phoneCodeHash,
   * isCodeViaApp }. With forceSMS, a code sent in the app is resent.
   */
  async sendCode(apiCredentials, phoneNumber, forceSMS = false) {
    const { apiId, apiHash } = apiCredentials || {};
    const codeOf = (sent, verb) => {
      if (sent.className === 'auth.SentCodeSuccess') throw new Error(`logged in right after ${verb} the code`);
      return { phoneCodeHash: sent.phoneCodeHash, isCodeViaApp: sent.type?.className === 'auth.SentCodeTypeApp' };
    };
    try {
      const sent = await this.invoke(new Api.auth.SendCode({ phoneNumber, apiId, apiHash, settings: new Api.CodeSettings({}) }));
      if (!forceSMS || sent.className !== 'auth.SentCode' || sent.type?.className === 'auth.SentCodeTypeSms') return codeOf(sent, 'sending');
      return codeOf(await this.invoke(new Api.auth.ResendCode({ phoneNumber, phoneCodeHash: sent.phoneCodeHash })), 'resending');
    } catch (err) {
      if (err.errorMessage === 'AUTH_RESTART') return this.sendCode(apiCredentials, phoneNumber, forceSMS);
      throw err;
    }
  }

  /** GramJS's signInUser(): the phone number → code → 2FA password login of start(). Resolves to Api.User. */
  async signInUser(apiCredentials, authParams) {
    let phoneNumber;
    let phoneCodeHash;
    let isCodeViaApp = false;
    for (;;) {
      try {
        phoneNumber = typeof authParams.phoneNumber === 'function' ? await authParams.phoneNumber() : authParams.phoneNumber;
        ({ phoneCodeHash, isCodeViaApp } = await this.sendCode(apiCredentials, phoneNumber, authParams.forceSMS));
        if (typeof phoneCodeHash !== 'string') throw new Error('Failed to retrieve phone code hash');
        break;
      } catch (err) {
        if (typeof authParams.phoneNumber !== 'function') throw err;
        await stopIfAsked(authParams, err);
      }
    }
    for (;;) {
      try {
        let phoneCode;
        try {
          phoneCode = await authParams.phoneCode(isCodeViaApp);
        } catch (err) {
          // GramJS: the code screen may go back to the number.
          if (err && err.errorMessage === 'RESTART_AUTH') return this.signInUser(apiCredentials, authParams);
        }
        if (!phoneCode) throw new Error('Code is empty');
        const { user } = await this.invoke(new Api.auth.SignIn({ phoneNumber, phoneCodeHash, phoneCode }));
        return user;
      } catch (err) {
        if (err && err.errorMessage === 'SESSION_PASSWORD_NEEDED') return this.signInWithPassword(apiCredentials, authParams);
        if (err && err.errorMessage === 'PHONE_NUMBER_UNOCCUPIED') {
          throw new Error(`${phoneNumber} has no account, and tgwasm does not sign up new accounts`);
        }
        await stopIfAsked(authParams, err);
      }
    }
  }

  /**
   * GramJS's signInWithPassword(): the 2FA step. password(hint) is asked
   * without the hint (tgwasm checks the password inside the wasm, SRP).
   */
  async signInWithPassword(apiCredentials, authParams) {
    if (!authParams.password) throw new Error('Account has 2FA enabled.');
    await this.#ensure(); // not connecting is thrown, not passed to onError
    for (;;) {
      try {
        const password = await authParams.password(undefined);
        if (!password) throw new Error('Password is empty');
        return toGramJS(await this.#tgwasm('checkPassword', { password }, { className: 'auth.CheckPassword' }));
      } catch (err) {
        await stopIfAsked(authParams, err);
      }
    }
  }

  /** GramJS's signInBot(): logs in with { botAuthToken } (a string or a function returning one). */
  async signInBot(apiCredentials, authParams) {
    let { botAuthToken } = authParams || {};
    if (!botAuthToken) throw new Error('a valid BotToken is required');
    if (typeof botAuthToken === 'function') {
      let token;
      do token = await botAuthToken(); while (!token);
      botAuthToken = token;
    }
    return toGramJS(await this.#tgwasm('signInBot', { botToken: botAuthToken }, { className: 'auth.ImportBotAuthorization' }));
  }

  /** Closes the connection; the session stays, and connect() or invoke() opens a new one. */
  async disconnect() {
    const client = this.#client || (this.#connecting && await this.#connecting.catch(() => null));
    this.#client = null;
    if (!client) return;
    try {
      this.session._set(await client.exportSession());
    } catch { /* the last saved session stays */ }
    if (this.#unwatch) { this.#unwatch(); this.#unwatch = null; }
    await client.close();
  }

  /** Disconnects for good: later calls reject. */
  async destroy() {
    this.#destroyed = true;
    await this.disconnect();
  }
}
