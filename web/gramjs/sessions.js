// GramJS's sessions: StringSession, and StoreSession (localStorage), over
// tgwasm's one StringSession codec.

import { SessionError, decodeSession as decodeStringSession } from '../tgwasm/session.js';

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
