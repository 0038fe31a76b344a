// GramJS's StringSession, the one codec of the session format: createClient
// (options.session and what storage kept), exportSession() and the GramJS
// shim's StringSession all read and write it here. The wasm sees only the
// decoded form { dcId, addr, port, key }.
//
// Format (gramjs/sessions/StringSession.ts): "1" + base64(dcId: uint8,
// addrLen: int16 BE, addr, port: int16 BE, authKey: 256 bytes). Like GramJS
// it also reads Telethon's strings (a packed IPv4 or IPv6 address instead
// of addrLen + addr), and like Node's Buffer.from(s, 'base64') it takes
// standard and URL-safe base64, with or without padding.

/** The StringSession version prefix. */
export const VERSION = '1';
/** Size of an MTProto auth key in bytes. */
export const KEY_SIZE = 256;

/** base64 length of a Telethon IPv4 session (1 + 4 + 2 + 256 bytes): GramJS tells the format by it. */
const TELETHON_V4_LENGTH = 352;
/** A host name is at most 253 bytes. */
const MAX_ADDR = 253;

/** Why a session string or a session was refused; `reason` completes "invalid session: …". */
export class SessionError extends Error {
  constructor(reason) {
    super(`invalid session string: ${reason}`);
    this.name = 'SessionError';
    this.reason = reason;
  }
}

/**
 * @typedef {{ dcId: number, addr: string, port: number, key: Uint8Array }} SessionData
 * A resumable login: the DC, the address a session string records for it
 * (TCP clients such as GramJS in Node dial it) and its 256-byte auth key.
 */

function base64Bytes(s) {
  const std = s.replace(/[\s]/g, '').replaceAll('-', '+').replaceAll('_', '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(std) || std.length % 4 === 1) throw new SessionError('not base64');
  const bin = atob(std.padEnd(Math.ceil(std.length / 4) * 4, '='));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesBase64(b) {
  let bin = '';
  for (let i = 0; i < b.length; i += 0x8000) bin += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** RFC 5952 text of a packed IPv6 address (the URL parser canonicalizes it). */
function formatIPv6(b) {
  const words = Array.from({ length: 8 }, (_, i) => ((b[2 * i] << 8) | b[2 * i + 1]).toString(16));
  return new URL(`http://[${words.join(':')}]/`).hostname.slice(1, -1);
}

/** Throws SessionError unless d is a session the format can carry. */
function check(d) {
  if (!(d.key instanceof Uint8Array) || d.key.length !== KEY_SIZE) throw new SessionError(`auth key of ${d.key ? d.key.length : 0} bytes (want ${KEY_SIZE})`);
  if (d.key.every((x) => x === 0)) throw new SessionError('auth key is all zero');
  if (!Number.isInteger(d.dcId) || d.dcId < 1 || d.dcId > 255) throw new SessionError(`dc ${d.dcId} out of range 1..255`);
  // Shorter addresses make strings GramJS misreads as Telethon's format.
  if (d.addr.length < 4) throw new SessionError(`server address "${d.addr}" is shorter than 4 characters`);
  if (d.addr.length > MAX_ADDR) throw new SessionError(`server address of ${d.addr.length} bytes`);
  const bad = /[^\x21-\x7e]/.exec(d.addr);
  if (bad) throw new SessionError(`server address "${d.addr}" has a character ${JSON.stringify(bad[0])}`);
  if (!Number.isInteger(d.port) || d.port < 1 || d.port > 65535) throw new SessionError(`port ${d.port} out of range 1..65535`);
}

/**
 * Decodes a StringSession. '' (or blanks) decodes to null: no session.
 * @param {string} s
 * @returns {SessionData | null}
 * @throws {SessionError}
 */
export function decodeSession(s) {
  s = s.trim();
  if (s === '') return null;
  if (s[0] !== VERSION) throw new SessionError(`unknown version "${s[0]}" (want "${VERSION}")`);
  const raw = base64Bytes(s.slice(1));
  if (raw.length < 3) throw new SessionError(`too short (${raw.length} bytes)`);
  const n = (raw[1] << 8) | raw[2];
  let addr;
  let rest;
  if (s.length - 1 === TELETHON_V4_LENGTH) {
    addr = Array.from(raw.subarray(1, 5)).join('.');
    rest = raw.subarray(5);
  } else if (raw.length === 1 + 16 + 2 + KEY_SIZE && n > 100) {
    addr = formatIPv6(raw.subarray(1, 17));
    rest = raw.subarray(17);
  } else {
    rest = raw.subarray(3);
    if (n > rest.length) throw new SessionError(`address length ${n} exceeds the data`);
    addr = String.fromCharCode(...rest.subarray(0, n));
    rest = rest.subarray(n);
  }
  if (rest.length < 2) throw new SessionError('no port');
  // GramJS writes the port with writeInt16BE: read it unsigned so that
  // ports above 32767 survive.
  const port = (rest[0] << 8) | rest[1];
  const d = { dcId: raw[0], addr, port, key: rest.slice(2) };
  check(d);
  return d;
}

/**
 * Encodes a session; null (no session) encodes as '', as GramJS's save() does.
 * @param {SessionData | null} d
 * @returns {string}
 * @throws {SessionError}
 */
export function encodeSession(d) {
  if (!d) return '';
  check(d);
  const out = new Uint8Array(1 + 2 + d.addr.length + 2 + KEY_SIZE);
  out[0] = d.dcId;
  out[1] = d.addr.length >> 8;
  out[2] = d.addr.length & 0xff;
  for (let i = 0; i < d.addr.length; i++) out[3 + i] = d.addr.charCodeAt(i);
  out[3 + d.addr.length] = d.port >> 8;
  out[4 + d.addr.length] = d.port & 0xff;
  out.set(d.key, 5 + d.addr.length);
  return VERSION + bytesBase64(out);
}
