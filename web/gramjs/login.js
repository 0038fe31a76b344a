// GramJS's login flow over the shim's TelegramClient: start(), and the
// steps it takes (sendCode, signInUser, signInWithPassword, signInBot),
// asking through the callbacks of authParams as GramJS's auth.js does.
// Not supported (a clear error): signing up a new account and QR login.

import { Api, toGramJS } from './api.js';

/**
 * The login's error rule (GramJS's auth.js): the error goes to
 * authParams.onError, and when that answers true the login ends.
 */
async function stopIfAsked(authParams, err) {
  if (typeof authParams.onError === 'function' && await authParams.onError(err)) throw new Error('AUTH_USER_CANCEL');
}


/**
 * GramJS's start(): connects and, unless the session is logged in, logs
 * in with { botAuthToken } or with { phoneNumber, phoneCode, password?,
 * onError, forceSMS? }, asking through the callbacks. An error goes to
 * onError; when that returns true the login ends with
 * Error('AUTH_USER_CANCEL'). Not supported (a clear error): signing up a
 * new account and QR login.
 * @param {object} authParams
 */
export async function start(client, authParams) {
  if (!authParams || typeof authParams !== 'object') {
    throw new TypeError('start takes { phoneNumber, phoneCode, password?, onError } or { botAuthToken }');
  }
  if (!client.connected) await client.connect();
  if (await client.checkAuthorization()) return;
  const apiCredentials = { apiId: client.apiId, apiHash: client.apiHash };
  if ('phoneNumber' in authParams) await signInUser(client, apiCredentials, authParams);
  else await signInBot(client, apiCredentials, authParams);
}

/**
 * GramJS's sendCode(): sends the login code; resolves to { phoneCodeHash,
 * isCodeViaApp }. With forceSMS, a code sent in the app is resent.
 */
export async function sendCode(client, apiCredentials, phoneNumber, forceSMS = false) {
  const { apiId, apiHash } = apiCredentials || {};
  const codeOf = (sent, verb) => {
    if (sent.className === 'auth.SentCodeSuccess') throw new Error(`logged in right after ${verb} the code`);
    return { phoneCodeHash: sent.phoneCodeHash, isCodeViaApp: sent.type?.className === 'auth.SentCodeTypeApp' };
  };
  try {
    const sent = await client.invoke(new Api.auth.SendCode({ phoneNumber, apiId, apiHash, settings: new Api.CodeSettings({}) }));
    if (!forceSMS || sent.className !== 'auth.SentCode' || sent.type?.className === 'auth.SentCodeTypeSms') return codeOf(sent, 'sending');
    return codeOf(await client.invoke(new Api.auth.ResendCode({ phoneNumber, phoneCodeHash: sent.phoneCodeHash })), 'resending');
  } catch (err) {
    if (err.errorMessage === 'AUTH_RESTART') return sendCode(client, apiCredentials, phoneNumber, forceSMS);
    throw err;
  }
}

/** GramJS's signInUser(): the phone number → code → 2FA password login of start(). Resolves to Api.User. */
export async function signInUser(client, apiCredentials, authParams) {
  let phoneNumber;
  let phoneCodeHash;
  let isCodeViaApp = false;
  for (;;) {
    try {
      phoneNumber = typeof authParams.phoneNumber === 'function' ? await authParams.phoneNumber() : authParams.phoneNumber;
      ({ phoneCodeHash, isCodeViaApp } = await sendCode(client, apiCredentials, phoneNumber, authParams.forceSMS));
      if (typeof phoneCodeHash !== 'string') throw new Error('Failed to retrieve phone code hash');
      break;
    } catch (err) {
      if (typeof authParams.phoneNumber !== 'function') throw err;
      await stopIfAsked(authParams, err);
    }
  }
  for (;;) {
    try {
      let phoneCode;
      try {
        phoneCode = await authParams.phoneCode(isCodeViaApp);
      } catch (err) {
        // GramJS: the code screen may go back to the number.
        if (err && err.errorMessage === 'RESTART_AUTH') return signInUser(client, apiCredentials, authParams);
      }
      if (!phoneCode) throw new Error('Code is empty');
      const { user } = await client.invoke(new Api.auth.SignIn({ phoneNumber, phoneCodeHash, phoneCode }));
      return user;
    } catch (err) {
      if (err && err.errorMessage === 'SESSION_PASSWORD_NEEDED') return signInWithPassword(client, apiCredentials, authParams);
      if (err && err.errorMessage === 'PHONE_NUMBER_UNOCCUPIED') {
        throw new Error(`${phoneNumber} has no account, and tgwasm does not sign up new accounts`);
      }
      await stopIfAsked(authParams, err);
    }
  }
}

/**
 * GramJS's signInWithPassword(): the 2FA step. password(hint) is asked
 * without the hint (tgwasm checks the password inside the wasm, SRP).
 */
export async function signInWithPassword(client, apiCredentials, authParams) {
  if (!authParams.password) throw new Error('Account has 2FA enabled.');
  await client._ensure(); // not connecting is thrown, not passed to onError
  for (;;) {
    try {
      const password = await authParams.password(undefined);
      if (!password) throw new Error('Password is empty');
      return toGramJS(await client._tgwasm('checkPassword', { password }, { className: 'auth.CheckPassword' }));
    } catch (err) {
      await stopIfAsked(authParams, err);
    }
  }
}

/** GramJS's signInBot(): logs in with { botAuthToken } (a string or a function returning one). */
export async function signInBot(client, apiCredentials, authParams) {
  let { botAuthToken } = authParams || {};
  if (!botAuthToken) throw new Error('a valid BotToken is required');
  if (typeof botAuthToken === 'function') {
    let token;
    do token = await botAuthToken(); while (!token);
    botAuthToken = token;
  }
  return toGramJS(await client._tgwasm('signInBot', { botToken: botAuthToken }, { className: 'auth.ImportBotAuthorization' }));
}
