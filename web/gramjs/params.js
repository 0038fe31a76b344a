// GramJS's TelegramClient parameters as tgwasm's createClient options.

import { didYouMean } from '../tgwasm/values.js';
import { StoreSession } from './sessions.js';

// GramJS client parameters that tune its own connection code. tgwasm's
// transport handles these itself (see README), so they are accepted and
// have no effect.
const HANDLED_PARAMS = ['connection', 'useIPV6', 'requestRetries', 'connectionRetries', 'reconnectRetries',
  'downloadRetries', 'retryDelay', 'autoReconnect', 'sequentialUpdates', 'useWSS',
  'maxConcurrentDownloads', 'securityChecks'];
const DEVICE_PARAMS = ['deviceModel', 'systemVersion', 'appVersion', 'langCode', 'systemLangCode'];
const TGWASM_PARAMS = ['server', 'dcId', 'worker', 'wasmUrl'];
const KNOWN_PARAMS = [...HANDLED_PARAMS, ...DEVICE_PARAMS, ...TGWASM_PARAMS, 'timeout', 'floodSleepThreshold', 'testServers', 'proxy', 'networkSocket',
  'baseLogger'];

/** The tgwasm options for GramJS's (session, apiId, apiHash, clientParams). */
export function clientOptions(session, apiId, apiHash, params) {
  if (!apiId || !apiHash) throw new Error('Your API ID or Hash cannot be empty or undefined');
  if (params === undefined || params === null) params = {};
  if (typeof params !== 'object' || Array.isArray(params)) throw new TypeError('TelegramClient: clientParams must be an object');
  for (const k of Object.keys(params)) {
    if (!KNOWN_PARAMS.includes(k)) {
      const near = didYouMean(k, KNOWN_PARAMS);
      throw new TypeError(`TelegramClient: unknown client parameter '${k}'${near ? ` (did you mean ${near}?)` : ''}`);
    }
  }
  for (const k of ['proxy', 'networkSocket']) {
    if (params[k] !== undefined && params[k] !== null) {
      throw new TypeError(`TelegramClient: ${k} is not supported: tgwasm connects through the browser's WebSocket`);
    }
  }
  if (params.baseLogger !== undefined && (params.baseLogger === null || typeof params.baseLogger !== 'object')) {
    throw new TypeError('TelegramClient: baseLogger must be a Logger');
  }
  const options = { apiId, apiHash };
  if (params.server !== undefined) options.server = params.server;
  else if (params.testServers) options.server = 'test';
  for (const k of ['dcId', 'worker', 'wasmUrl', 'floodSleepThreshold']) {
    if (params[k] !== undefined) options[k] = params[k];
  }
  if (params.timeout !== undefined) {
    if (typeof params.timeout !== 'number' || !(params.timeout > 0)) throw new TypeError('TelegramClient: timeout must be a positive number of seconds');
    options.timeout = Math.round(params.timeout * 1000);
  }
  const device = {};
  for (const k of DEVICE_PARAMS) if (params[k]) device[k] = params[k];
  if (Object.keys(device).length) options.device = device;
  if (session instanceof StoreSession) options.storage = { localStorage: session.storageKey };
  return options;
}
