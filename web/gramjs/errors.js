// GramJS's error classes, and tgwasm's errors as the ones GramJS raises
// for the same answer.

import { ConnectionError, TgRPCError, TimeoutError } from './library.js';

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
export function toGramJSError(err, request) {
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
