// tgwasm/gramjs: GramJS's API over tgwasm for the methods tgwasm supports.
// The Api classes are declared in gramjs-api.d.ts (generated).

import type { CallOptions, Client, CustomServer } from '../tgwasm/tgwasm.js';
import { ConnectionError, RPCError as TgRPCError, TimeoutError } from '../tgwasm/tgwasm.js';

export { Api } from './api.gen.js';
export { ConnectionError, TimeoutError };

/** The TL layer of the classes in Api. */
export const LAYER: number;

type BufferEncoding = 'utf8' | 'utf-8' | 'hex' | 'base64' | 'base64url' | 'latin1' | 'binary' | 'ascii';

/** Node's Buffer as far as GramJS examples use it; bytes in results are Buffers. */
export interface Buffer extends Uint8Array {
  toString(encoding?: BufferEncoding): string;
  equals(other: Uint8Array): boolean;
  toJSON(): { type: 'Buffer'; data: number[] };
}

export interface BufferConstructor {
  new (size: number): Buffer;
  readonly prototype: Buffer;
  from(value: string, encoding?: BufferEncoding): Buffer;
  from(value: ArrayLike<number> | Iterable<number> | ArrayBuffer | ArrayBufferView): Buffer;
  alloc(size: number, fill?: number): Buffer;
  concat(list: readonly Uint8Array[]): Buffer;
  isBuffer(value: unknown): value is Buffer;
}

export const Buffer: BufferConstructor;

/** The base of every Api class. */
export class TLObject {
  static readonly CONSTRUCTOR_ID: number;
  static readonly SUBCLASS_OF_ID: number;
  static readonly className: string;
  static readonly classType: 'request' | 'constructor';
  /** The TL constructor id. */
  CONSTRUCTOR_ID: number;
  /** The CRC32 of the TL type the constructor belongs to. */
  SUBCLASS_OF_ID: number;
  /** `auth.SentCode`, `User`… */
  className: string;
  classType: 'request' | 'constructor';
  /** The arguments the object was made (or read) with. */
  originalArgs: Record<string, unknown>;
  /** The arguments and className; bigint as strings. */
  toJSON(): Record<string, unknown>;
}

/** The base of the request classes; R is what invoke() resolves to. */
export class TLRequest<R = unknown> extends TLObject {
  classType: 'request';
  /** Type-level only: the result type. */
  readonly __response: R;
}

/**
 * Converts a result of tgwasm's own API into Api class instances as GramJS
 * reads them (flags numbers, absent optionals null, bytes Buffers).
 */
export function toGramJS<T = TLObject>(result: unknown): T;

/** GramJS's RPCError: `${code}: ${errorMessage} (caused by ${request.className})`. Also a tgwasm RPCError. */
export class RPCError extends TgRPCError {
  constructor(message: string, request?: TLObject, code?: number);
}

/** GramJS's 420 errors: code 420, errorMessage 'FLOOD'. */
export class FloodError extends RPCError {
  constructor(message: string, request?: TLObject);
}

/** FLOOD_WAIT_X / FLOOD_PREMIUM_WAIT_X above floodSleepThreshold: `A wait of X seconds is required (caused by …)`. */
export class FloodWaitError extends FloodError {
  constructor(args?: { request?: TLObject; capture?: number });
  seconds: number;
}

/** FLOOD_TEST_PHONE_WAIT_X on the test servers. */
export class FloodTestPhoneWaitError extends FloodError {
  constructor(args?: { request?: TLObject; capture?: number });
  seconds: number;
}

export const errors: {
  RPCError: typeof RPCError;
  FloodError: typeof FloodError;
  FloodWaitError: typeof FloodWaitError;
  FloodTestPhoneWaitError: typeof FloodTestPhoneWaitError;
  TimeoutError: typeof TimeoutError;
  ConnectionError: typeof ConnectionError;
};

/** GramJS's StringSession: '' starts fresh; save() returns the string to keep. */
export class StringSession {
  constructor(session?: string);
  /** The session string ('' before the first connection). */
  save(): string;
  load(): Promise<void>;
  readonly dcId: number | undefined;
  readonly serverAddress: string | undefined;
  readonly port: number | undefined;
}

/** A session kept in localStorage under a name. */
export class StoreSession extends StringSession {
  constructor(sessionName: string);
  readonly storageKey: string;
}

export const sessions: { StringSession: typeof StringSession; StoreSession: typeof StoreSession };

/** GramJS's log levels. */
export const LogLevel: {
  readonly NONE: 'none';
  readonly ERROR: 'error';
  readonly WARN: 'warn';
  readonly INFO: 'info';
  readonly DEBUG: 'debug';
};
export type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug';

/**
 * GramJS's Logger. TelegramClient's baseLogger receives tgwasm's
 * diagnostics through it; override log() for a custom one.
 */
export class Logger {
  constructor(level?: LogLevel);
  readonly logLevel: LogLevel;
  isBrowser: boolean;
  messageFormat: string;
  canSend(level: LogLevel): boolean;
  setLevel(level: LogLevel): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  error(message: string): void;
  format(message: string, level: string): string;
  /** Prints the message; what a custom logger overrides. */
  log(level: LogLevel, message: string, color: string): void;
}

/**
 * GramJS's client parameters. Those that tune GramJS's own connection code
 * are accepted and have no effect; proxy and networkSocket are refused.
 */
export interface TelegramClientParams {
  /** tgwasm: 'production' (default), 'test', or one custom DC. */
  server?: 'production' | 'test' | CustomServer;
  /** tgwasm: first DC for 'production'/'test'. */
  dcId?: number;
  /** tgwasm: run the wasm in a Worker (default where Worker exists). */
  worker?: boolean;
  /** tgwasm: where to fetch tgwasm.wasm. */
  wasmUrl?: string | URL;
  /** Seconds: the connect() limit and each request's timeout (default 10 for connect, 30 for requests). */
  timeout?: number;
  /** FLOOD_WAIT at or under this many seconds is slept through (default 60). */
  floodSleepThreshold?: number;
  /** Use the test DCs (same as server: 'test'). */
  testServers?: boolean;
  deviceModel?: string;
  systemVersion?: string;
  appVersion?: string;
  langCode?: string;
  systemLangCode?: string;
  connection?: unknown;
  useIPV6?: boolean;
  requestRetries?: number;
  connectionRetries?: number;
  reconnectRetries?: number;
  downloadRetries?: number;
  retryDelay?: number;
  autoReconnect?: boolean;
  sequentialUpdates?: boolean;
  /**
   * Receives the client's diagnostics (connecting, probes, links dropped,
   * backoff, migration, FLOOD_WAIT sleeps) at its level. Without one,
   * nothing is logged (GramJS logs at INFO).
   */
  baseLogger?: Logger;
  useWSS?: boolean;
  maxConcurrentDownloads?: number;
  securityChecks?: boolean;
  /** Not supported (tgwasm uses the browser's WebSocket). */
  proxy?: never;
  /** Not supported. */
  networkSocket?: never;
}

/** start()'s login with a phone number (GramJS's UserAuthParams, without sign-up and QR login). */
export interface UserAuthParams {
  /** The number, or a function asking for it (then errors go to onError and it is asked again). */
  phoneNumber: string | (() => Promise<string>);
  /** Asks for the code; isCodeViaApp tells whether it went to the Telegram app. */
  phoneCode: (isCodeViaApp?: boolean) => Promise<string>;
  /** Asks for the 2FA password (no hint is passed: the wasm checks the password). */
  password?: (hint?: string) => Promise<string>;
  /** Called with each error; returning true stops with Error('AUTH_USER_CANCEL'). */
  onError: (err: Error) => Promise<boolean> | boolean | void;
  /** Resend a code that went to the app as SMS. */
  forceSMS?: boolean;
}

/** start()'s bot login (GramJS's BotAuthParams). */
export interface BotAuthParams {
  botAuthToken: string | (() => Promise<string>);
}

/** GramJS's TelegramClient over tgwasm. */
export class TelegramClient {
  /**
   * @param session a StringSession, or a name to keep the session in localStorage under
   */
  constructor(session: StringSession | string, apiId: number, apiHash: string, clientParams?: TelegramClientParams);
  readonly session: StringSession;
  readonly apiId: number;
  readonly apiHash: string;
  /** The layer of the classes in Api. */
  readonly layer: number;
  /** Whether a connection is open. */
  readonly connected: boolean;
  /** The baseLogger, or one that logs nothing until setLogLevel. */
  readonly logger: Logger;
  /** Sets the logger's level. */
  setLogLevel(level: LogLevel): void;
  /** The tgwasm client below, once connected. */
  readonly tgwasm: Client | null;
  /** Connects and waits for the key exchange; rejects with ConnectionError past the timeout. */
  connect(): Promise<boolean>;
  /** Sends a request; connects first when needed. */
  invoke<R extends import('./api.gen.js').Api.AnyRequest>(request: R, callOptions?: CallOptions): Promise<R['__response']>;
  /** The logged-in user. */
  getMe(): Promise<import('./api.gen.js').Api.TypeUser>;
  /** Whether the session is logged in. */
  isUserAuthorized(): Promise<boolean>;
  /** Whether the session is logged in; false on any error (GramJS). */
  checkAuthorization(): Promise<boolean>;
  /** Connects and, unless logged in already, logs in through the callbacks. */
  start(authParams: UserAuthParams | BotAuthParams): Promise<void>;
  /** Sends the login code. */
  sendCode(apiCredentials: { apiId: number; apiHash: string }, phoneNumber: string, forceSMS?: boolean): Promise<{ phoneCodeHash: string; isCodeViaApp: boolean }>;
  /** The phone number → code → password login of start(). */
  signInUser(apiCredentials: { apiId: number; apiHash: string }, authParams: UserAuthParams): Promise<import('./api.gen.js').Api.TypeUser>;
  /** The 2FA step of signInUser(). */
  signInWithPassword(apiCredentials: { apiId: number; apiHash: string }, authParams: UserAuthParams): Promise<import('./api.gen.js').Api.TypeUser>;
  /** Logs in as a bot. */
  signInBot(apiCredentials: { apiId: number; apiHash: string }, authParams: BotAuthParams): Promise<import('./api.gen.js').Api.TypeUser>;
  /** Closes the connection; the session stays. */
  disconnect(): Promise<void>;
  /** Disconnects for good. */
  destroy(): Promise<void>;
}
