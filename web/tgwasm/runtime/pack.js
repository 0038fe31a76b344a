// Call arguments across postMessage.
//
// In worker mode the page must copy a call's params into the message, and
// postMessage fails on functions, symbols and proxies, and throws when a
// getter does. pack() copies what structured clone can carry and marks the
// rest; unpack() (in the worker) rebuilds look-alikes (a function, a
// symbol, a throwing getter, a revoked proxy) so that the wasm reports
// exactly what it reports in-thread.

import { thrownText } from '../values.js';

const MARK = '__tgwasm_mark__';

export function pack(value, depth = 0, seen = new Map()) {
  const t = typeof value;
  if (t === 'function') return { [MARK]: 'function' };
  if (t === 'symbol') return { [MARK]: 'symbol' };
  if (value === null || t !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  let keys;
  let isArray;
  try {
    // Any of these can throw for a proxy (a revoked one, or with traps).
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date || value instanceof RegExp) {
      try { return structuredClone(value); } catch { return { [MARK]: 'object' }; }
    }
    isArray = Array.isArray(value);
    keys = isArray ? null : Object.keys(value);
  } catch (err) {
    // The wasm meets such a value at Object.keys (its other probes are
    // guarded): carry the message that one gives.
    let message = thrownText(err);
    try { Object.keys(value); } catch (keysErr) { message = thrownText(keysErr); }
    return { [MARK]: 'revoked', message };
  }
  if (depth > 16) return { [MARK]: 'object' };
  if (isArray) {
    let n;
    try { n = Math.min(Reflect.get(value, 'length') >>> 0, 1 << 20); } catch (err) {
      return { [MARK]: 'revoked', message: thrownText(err) };
    }
    const out = new Array(n);
    seen.set(value, out);
    for (let i = 0; i < n; i++) out[i] = packField(value, i, depth, seen);
    return out;
  }
  const out = {};
  seen.set(value, out);
  for (const k of keys) out[k] = packField(value, k, depth, seen);
  return out;
}

function packField(obj, key, depth, seen) {
  try {
    return pack(Reflect.get(obj, key), depth + 1, seen);
  } catch (err) {
    return { [MARK]: 'throws', message: thrownText(err) };
  }
}

export function unpack(value, seen = new Set()) {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Object.prototype.hasOwnProperty.call(value, MARK)) {
    switch (value[MARK]) {
      case 'function': return function packed() {};
      case 'symbol': return Symbol('packed');
      case 'revoked': {
        const msg = value.message;
        return new Proxy({}, { ownKeys() { throw new Error(msg); }, get() { throw new Error(msg); } });
      }
      default: return {};
    }
  }
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) unpackField(value, i, seen);
    return value;
  }
  for (const k of Object.keys(value)) unpackField(value, k, seen);
  return value;
}

function unpackField(obj, key, seen) {
  const v = obj[key];
  if (v && typeof v === 'object' && v[MARK] === 'throws') {
    const msg = v.message;
    Object.defineProperty(obj, key, { enumerable: true, get() { throw new Error(msg); } });
    return;
  }
  obj[key] = unpack(v, seen);
}
