// GramJS's TelegramClient over a tgwasm client: connect(), invoke(request),
// disconnect(), session.save(); its login flow is login.js's.

import { ConnectionError, TgRPCError, createClient } from './library.js';
import { LAYER } from './schema.gen.js';
import { TLObject, TLRequest, toGramJS } from './api.js';
import { CALLS, settingsParam } from './calls.js';
import { toGramJSError } from './errors.js';
import { Logger, LogLevel, toLogger } from './logger.js';
import { signInBot, signInUser, signInWithPassword, sendCode, start } from './login.js';
import { clientOptions } from './params.js';
import { StoreSession, StringSession } from './sessions.js';

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

  /**
   * The tgwasm client, connecting first when needed.
   * @internal
   */
  async _ensure() {
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
    const client = await this._ensure();
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
    for (const k of call.credentials || []) {
      // tgwasm signs in with the client's own apiId/apiHash.
      const own = this.#options[k];
      if (request[k] !== undefined && request[k] !== own) {
        throw new RangeError(`${request.className}: ${k} must be the TelegramClient's ${k} (tgwasm sends the client's own)`);
      }
    }
    const answer = await this._tgwasm(call.method, params, request, callOptions);
    return toGramJS(call.result ? call.result(answer) : answer);
  }

  /**
   * Calls a method of the tgwasm client; its errors become GramJS's,
   * caused by request.
   * @internal
   */
  async _tgwasm(method, params, request, callOptions) {
    const client = await this._ensure();
    try {
      return await client[method](params, callOptions);
    } catch (err) {
      throw toGramJSError(err, request);
    }
  }

  /** The logged-in user, as Api.User. */
  async getMe() {
    const client = await this._ensure();
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
   * onError, forceSMS? }, asking through the callbacks (login.js).
   * @param {object} authParams
   */
  start(authParams) { return start(this, authParams); }

  /** GramJS's sendCode(): resolves to { phoneCodeHash, isCodeViaApp } (login.js). */
  sendCode(apiCredentials, phoneNumber, forceSMS = false) { return sendCode(this, apiCredentials, phoneNumber, forceSMS); }

  /** GramJS's signInUser(): the phone number → code → 2FA password login of start() (login.js). */
  signInUser(apiCredentials, authParams) { return signInUser(this, apiCredentials, authParams); }

  /** GramJS's signInWithPassword(): the 2FA step (login.js). */
  signInWithPassword(apiCredentials, authParams) { return signInWithPassword(this, apiCredentials, authParams); }

  /** GramJS's signInBot(): logs in with { botAuthToken } (login.js). */
  signInBot(apiCredentials, authParams) { return signInBot(this, apiCredentials, authParams); }

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
