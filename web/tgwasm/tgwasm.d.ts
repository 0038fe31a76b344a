// Types for tgwasm.js. Results are plain objects in GramJS toJSON() shape:
// className, camelCase fields, absent optional fields are absent keys,
// bytes are Uint8Array and longs are bigint.

import type { Methods } from './methods.gen.js';

export const VERSION: string;

// ------------------------------------------------------------------ options

/** A custom DC, such as the local test DC (cmd/testdc). */
export interface CustomServer {
  /** ws:// or wss:// endpoint. */
  url: string | URL;
  /** The DC number of that server. */
  dcId: number;
  /** 2048-bit PEM RSA public keys (`-----BEGIN RSA PUBLIC KEY-----` or `-----BEGIN PUBLIC KEY-----`) the DC signs with. */
  publicKeys: string[];
}

/** Sent in initConnection; derived from the browser by default. */
export interface Device {
  deviceModel?: string;
  systemVersion?: string;
  appVersion?: string;
  langCode?: string;
  systemLangCode?: string;
  langPack?: string;
}

export interface ClientOptions {
  /** From my.telegram.org: a positive integer. */
  apiId: number;
  /** From my.telegram.org: 32 hex characters. */
  apiHash: string;
  /** Default 'production'. */
  server?: 'production' | 'test' | CustomServer;
  /** First DC (1..5) for 'production'/'test'. Default 2. */
  dcId?: number;
  /** A GramJS-compatible StringSession to resume; '' starts fresh. */
  session?: string;
  /**
   * Where the session is kept between page loads. Default 'memory'.
   * 'localStorage' and 'indexedDB' use the key `tgwasm.session:<server>`;
   * `{ localStorage: key }` and `{ indexedDB: key }` name it (IndexedDB:
   * database "tgwasm", store "sessions"; usable from workers too). An
   * explicit non-empty `session` replaces a kept one. Tabs that start at
   * once on an empty store end with one auth key.
   */
  storage?: 'memory' | 'localStorage' | 'indexedDB' | { localStorage: string } | { indexedDB: string };
  /** FLOOD_WAIT of at most this many seconds is slept through and the call retried. Default 60; 0 never sleeps. */
  floodSleepThreshold?: number;
  /** Default per-call limit in milliseconds. Default 30000. */
  timeout?: number;
  device?: Device;
  /**
   * Where the wasm runs. true (the default where Worker exists): a
   * dedicated Worker; false: this thread; 'shared': one SharedWorker per
   * origin and storage, serving every tab (one socket, one auth key),
   * falling back to a dedicated Worker where SharedWorker does not exist
   * (see Client.mode).
   */
  worker?: boolean | 'shared';
  /** Where to fetch the wasm. Default: tgwasm.wasm beside tgwasm.js. */
  wasmUrl?: string | URL;
  /** Hears the wasm's download, in every mode (see LoadProgress). */
  onProgress?: (progress: LoadProgress) => void;
  /**
   * Hears the client's diagnostics, in every mode (workers forward them):
   * connecting, the handshake, probes of a quiet link and their answers,
   * links dropped and why, backoff, migration, FLOOD_WAIT sleeps. Nothing
   * is logged without one. Never carries an auth key or a session string.
   */
  logger?: (level: LogLevel, message: string) => void;
}

/** How much a diagnostic matters, most serious first. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * The wasm's download: bytes of the module so far (decoded, whatever the
 * Content-Encoding) and its size (null when unknown). Events grow; the last
 * one, once the module is compiled, has loaded === total.
 */
export interface LoadProgress {
  loaded: number;
  total: number | null;
}

/** What preload() takes: where the wasm is, and who hears its download. */
export interface PreloadOptions {
  wasmUrl?: string | URL;
  onProgress?: (progress: LoadProgress) => void;
}

/** The last argument of every method. */
export interface CallOptions {
  /** Aborting rejects the call with a DOMException named AbortError. */
  signal?: AbortSignal;
  /** Milliseconds; overrides ClientOptions.timeout. */
  timeout?: number;
}

// ------------------------------------------------------------------ params

export interface CodeSettings {
  allowFlashcall?: boolean;
  currentNumber?: boolean;
  allowAppHash?: boolean;
  allowMissedCall?: boolean;
  allowFirebase?: boolean;
  unknownNumber?: boolean;
  logoutTokens?: Uint8Array[];
  token?: string;
  appSandbox?: boolean;
}

export interface SendCodeParams {
  /** International format; formatting characters are fine. '' is sent (the server answers PHONE_NUMBER_INVALID). */
  phoneNumber: string;
  settings?: CodeSettings;
}

export interface CodeParams {
  phoneNumber: string;
  phoneCodeHash: string;
  phoneCode: string;
}

export interface ResendCodeParams {
  phoneNumber: string;
  phoneCodeHash: string;
  /** Why the code is resent (auth.resendCode's reason). */
  reason?: string;
}

export interface CancelCodeParams {
  phoneNumber: string;
  phoneCodeHash: string;
}

// ------------------------------------------------------------------ results

export type SentCodeType =
  | { className: 'auth.SentCodeTypeApp'; length: number }
  | { className: 'auth.SentCodeTypeSms'; length: number }
  | { className: 'auth.SentCodeTypeCall'; length: number }
  | { className: 'auth.SentCodeTypeFlashCall'; pattern: string }
  | { className: 'auth.SentCodeTypeMissedCall'; prefix: string; length: number }
  | {
      className: 'auth.SentCodeTypeEmailCode';
      appleSigninAllowed?: true;
      googleSigninAllowed?: true;
      emailPattern: string;
      length: number;
      resetAvailablePeriod?: number;
      resetPendingDate?: number;
    }
  | { className: 'auth.SentCodeTypeSetUpEmailRequired'; appleSigninAllowed?: true; googleSigninAllowed?: true }
  | { className: 'auth.SentCodeTypeFragmentSms'; url: string; length: number }
  | {
      className: 'auth.SentCodeTypeFirebaseSms';
      nonce?: Uint8Array;
      playIntegrityProjectId?: bigint;
      playIntegrityNonce?: Uint8Array;
      receipt?: string;
      pushTimeout?: number;
      length: number;
    }
  | { className: 'auth.SentCodeTypeSmsWord'; beginning?: string }
  | { className: 'auth.SentCodeTypeSmsPhrase'; beginning?: string };

export type CodeType =
  | { className: 'auth.CodeTypeSms' }
  | { className: 'auth.CodeTypeCall' }
  | { className: 'auth.CodeTypeFlashCall' }
  | { className: 'auth.CodeTypeMissedCall' }
  | { className: 'auth.CodeTypeFragmentSms' };

/** Any TL object in toJSON() shape (nested objects of User). */
export interface TLObject {
  className: string;
  [field: string]: unknown;
}

export interface User {
  className: 'User';
  self?: true;
  contact?: true;
  mutualContact?: true;
  deleted?: true;
  bot?: true;
  verified?: true;
  restricted?: true;
  premium?: true;
  /** Every other `true` flag of the layer is likewise present only when set. */
  [flag: string]: unknown;
  id: bigint;
  accessHash?: bigint;
  firstName?: string;
  lastName?: string;
  username?: string;
  phone?: string;
  photo?: TLObject;
  status?: TLObject;
  botInfoVersion?: number;
  restrictionReason?: TLObject[];
  botInlinePlaceholder?: string;
  langCode?: string;
  emojiStatus?: TLObject;
  usernames?: TLObject[];
  storiesMaxId?: TLObject;
  color?: TLObject;
  profileColor?: TLObject;
  botActiveUsers?: number;
  botVerificationIcon?: bigint;
  sendPaidMessagesStars?: bigint;
}

export interface AuthSentCode {
  className: 'auth.SentCode';
  type: SentCodeType;
  phoneCodeHash: string;
  /** How auth.resendCode would send it next. */
  nextType?: CodeType;
  /** Seconds before nextType may be used. */
  timeout?: number;
}

export interface SentCodeSuccess {
  className: 'auth.SentCodeSuccess';
  authorization: TLObject & { user?: User };
}

export interface SentCodePaymentRequired {
  className: 'auth.SentCodePaymentRequired';
  storeProduct: string;
  phoneCodeHash: string;
  supportEmailAddress: string;
  supportEmailSubject: string;
  premiumDays: number;
  currency: string;
  amount: bigint;
}

export type SentCode = AuthSentCode | SentCodeSuccess | SentCodePaymentRequired;

export type State = 'connecting' | 'handshake' | 'ready' | 'reconnecting' | 'closed';

// ------------------------------------------------------------------ client

/**
 * A client. Its methods (every one returns a Promise and takes, last,
 * optional call options) are the API's table's: Methods.
 */
export interface Client extends Methods {
  /** The current connection state. */
  readonly state: State;
  /** The mode actually running, after any fallback from 'shared' to 'worker'. */
  readonly mode: 'worker' | 'thread' | 'shared';

  /** A GramJS StringSession of the current login ('' before there is a key). */
  exportSession(): Promise<string>;

  /** `fn` is called with the current state right after subscribing, then on every change. */
  on(event: 'state', fn: (state: State) => void): this;
  off(event: 'state', fn: (state: State) => void): this;

  /**
   * Closes this client. Its wasm and socket close with it, except in
   * 'shared' mode, where they close when the last tab's client is gone (a
   * few seconds later, so that a reload keeps the connection).
   */
  close(): Promise<void>;
}

/**
 * Loads the wasm and starts connecting. Rejects with TypeError/RangeError
 * naming a bad option before any network I/O, and with ConnectionError
 * where there is no WebSocket (Node 20 without --experimental-websocket).
 */
export function createClient(options: ClientOptions): Promise<Client>;

/**
 * Starts fetching and compiling the wasm in this context now; a later
 * createClient reuses the module (in Worker mode the page hands it to the
 * worker). Resolves once it is compiled; need not be awaited, a failure is
 * reported again by createClient. Throws TypeError/RangeError for bad
 * options.
 */
export function preload(options?: PreloadOptions): Promise<void>;

// ------------------------------------------------------------------ errors

/** The server answered rpc_error. message: `${code}: ${errorMessage} (caused by ${method})`. */
export class RPCError extends Error {
  readonly name: 'RPCError' | 'FloodWaitError';
  /** 400, 401, 406, 420… */
  readonly code: number;
  /** 'PHONE_NUMBER_INVALID', 'FLOOD_WAIT' (without the number)… */
  readonly errorMessage: string;
  /** The TL method, e.g. 'account.sendChangePhoneCode'. */
  readonly method: string;
  /** Seconds to wait, on FLOOD_WAIT and other …_WAIT errors only. */
  readonly seconds?: number;
}

/** An RPCError asking to wait (FLOOD_WAIT…); seconds is always set. */
export class FloodWaitError extends RPCError {
  readonly name: 'FloodWaitError';
  readonly seconds: number;
}

/** The call outlived its timeout. */
export class TimeoutError extends Error {
  readonly name: 'TimeoutError';
  /** The limit, in milliseconds. */
  readonly timeout: number;
}

/**
 * The DC cannot be reached, the socket failed past retries, the client is
 * closed, or the wasm program stopped (then exportSession() still returns
 * the session for a new client).
 */
export class ConnectionError extends Error {
  readonly name: 'ConnectionError';
  readonly cause?: Error;
}
