// The error classes calls reject with, and how the { name, message, … }
// descriptors from the wasm (across postMessage in the worker modes)
// become them.

/** The server answered rpc_error. */
export class RPCError extends Error {
  constructor(code, errorMessage, method, seconds) {
    super(`${code}: ${errorMessage} (caused by ${method})`);
    this.name = 'RPCError';
    /** @type {number} */
    this.code = code;
    /** @type {string} */
    this.errorMessage = errorMessage;
    /** @type {string} */
    this.method = method;
    if (seconds !== undefined) {
      /** @type {number|undefined} */
      this.seconds = seconds;
    }
  }
}

/** An RPCError that asks to wait: FLOOD_WAIT, FLOOD_PREMIUM_WAIT, SLOWMODE_WAIT… */
export class FloodWaitError extends RPCError {
  constructor(code, errorMessage, method, seconds) {
    super(code, errorMessage, method, seconds);
    this.name = 'FloodWaitError';
  }
}

/** The call outlived its timeout. */
export class TimeoutError extends Error {
  constructor(message, timeout) {
    super(message);
    this.name = 'TimeoutError';
    /** @type {number} milliseconds */
    this.timeout = timeout;
  }
}

/** The DC cannot be reached, or the socket failed past retries. */
export class ConnectionError extends Error {
  constructor(message, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ConnectionError';
    if (cause !== undefined) this.cause = cause;
  }
}

export function abortError() {
  return new DOMException('The operation was aborted.', 'AbortError');
}

/** What calls reject with after the Go program stopped without close(). */
export const STOPPED = Object.freeze({
  name: 'ConnectionError',
  message: 'tgwasm: the wasm program stopped (a Go panic: see the console); ' +
    'its session is still in exportSession(); create a new client',
});

/** Turns the { name, message, … } a call rejects with into an error. */
export function toError(info) {
  if (info instanceof Error || info instanceof DOMException) return info;
  if (!info || typeof info !== 'object') return new Error(String(info));
  switch (info.name) {
    case 'RPCError':
      return info.seconds !== undefined
        ? new FloodWaitError(info.code, info.errorMessage, info.method, info.seconds)
        : new RPCError(info.code, info.errorMessage, info.method);
    case 'TimeoutError':
      return new TimeoutError(info.message, info.timeout);
    case 'ConnectionError':
      return new ConnectionError(info.message, info.cause === undefined ? undefined : new Error(info.cause));
    case 'AbortError':
      return abortError();
    case 'TypeError':
      return new TypeError(info.message);
    case 'RangeError':
      return new RangeError(info.message);
    default:
      return new Error(info.message);
  }
}
