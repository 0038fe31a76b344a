// GramJS's Api namespace for what tgwasm supports: classes built from the
// schema of the layer tgwasm speaks (schema.gen.js), TLObject and
// TLRequest, and toGramJS, which turns tgwasm's plain results into them.

import { didYouMean } from '../tgwasm/values.js';
import { Buffer } from './buffer.js';
import { REQUESTS, TYPES } from './schema.gen.js';

/** Arguments of a class: 'flags:#', 'name', 'name?flags.N', 'name?flags.N:true'. */
export function parseArgs(spec) {
  return spec.split(' ').filter(Boolean).map((a) => {
    if (a.endsWith(':#')) return { name: a.slice(0, -2), flagsField: true };
    const m = /^(\w+)(?:\?(\w+)\.(\d+)(:true)?)?$/.exec(a);
    return m[2] === undefined
      ? { name: m[1] }
      : { name: m[1], flagName: m[2], bit: Number(m[3]), isTrue: m[4] !== undefined };
  });
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
        const near = didYouMean(k, names);
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
