// Reading values a page hands over: what type a value is (for a message),
// plain objects read once through Reflect, numbers and strings checked,
// and what a thrown value says. The errors name the value's path
// ("options.server.dcId"). internal/bridge reads call params by the same
// rules (args.go), and says the same things.

/** What type of value v is, for an error message ("a string", "null", "an array"…). */
export function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  const t = typeof v;
  return t === 'object' ? 'an object' : (t === 'undefined' ? 'undefined' : `a ${t}`);
}

export function typeError(path, want, v) {
  return new TypeError(`${path} must be ${want}, not ${typeName(v)}`);
}

/**
 * The known name that key differs from only in case or underscores
 * (allowFlashCall → allowFlashcall, phone_number → phoneNumber), if any.
 */
export function didYouMean(key, known) {
  const norm = (s) => s.toLowerCase().replaceAll('_', '');
  return known.find((k) => norm(k) === norm(key));
}

/**
 * What a thrown value says: its message when that is a string, else
 * String(value); '(unprintable value)' when reading either throws in turn
 * (a hostile getter). internal/bridge/value_js.go applies the same rule
 * to what the wasm reads in thread mode.
 */
export function thrownText(err) {
  try {
    if (err !== null && typeof err === 'object') {
      const m = Reflect.get(err, 'message');
      if (typeof m === 'string') return m;
    }
  } catch { /* fall back to String() */ }
  try {
    return String(err);
  } catch {
    return '(unprintable value)';
  }
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
      const near = didYouMean(k, keys);
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

export function integer(path, v, min, max) {
  if (typeof v !== 'number') throw typeError(path, 'an integer', v);
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${path} must be an integer from ${min} to ${max}, not ${v}`);
  return v;
}

/** The longest timeout: setTimeout's limit. */
export const MAX_TIMEOUT = 2 ** 31 - 1;

/** A timeout in milliseconds: 1..2^31-1, fractions cut. */
export function milliseconds(path, v) {
  if (typeof v !== 'number') throw typeError(path, 'a number of milliseconds', v);
  if (!(v >= 1 && v <= MAX_TIMEOUT)) throw new RangeError(`${path} must be 1 to ${MAX_TIMEOUT} milliseconds, not ${v}`);
  return Math.floor(v);
}

export function string(path, v) {
  if (typeof v !== 'string') throw typeError(path, 'a string', v);
  return v;
}
