// One table of bad input and the exact error each must give, run in Node
// (bad-input.test.mjs) and in Chromium in Worker and thread mode
// (browser/reliability.e2e.mjs): the same input gives the same class and message
// everywhere.
//
// badInput is self-contained (it is also sent into pages as source):
// badInput(base, pem) returns { options: [[label, options, expected]],
// calls: [[label, method, params, callOptions, expected]] }, expected
// being `${constructor name}: ${message}`.
export function badInput(base, pem) {
  // A thrown value whose message getter throws, and one whose toString
  // throws too.
  const hostile = { get message() { throw new Error('not this'); } };
  const unprintable = { get message() { throw new Error('not this'); }, toString() { throw new Error('nor this'); } };
  const { proxy: revoked, revoke } = Proxy.revocable({ phoneNumber: '+1' }, {});
  revoke();
  // What this JS engine says of a revoked proxy (the message is the
  // engine's, not tgwasm's).
  let revokedSays = '';
  try { Object.keys(revoked); } catch (e) { revokedSays = e.message; }
  const server = base.server;
  const key = new Uint8Array(256).fill(7);
  const options = [
    ['undefined', undefined, 'TypeError: options are required (at least apiId and apiHash)'],
    ['null', null, 'TypeError: options must be an object, not null'],
    ['string', 'options', 'TypeError: options must be an object, not a string'],
    ['array', [], 'TypeError: options must be an object, not an array'],
    ['apiId missing', { ...base, apiId: undefined }, 'TypeError: options.apiId is required (a positive integer from my.telegram.org)'],
    ['apiId string', { ...base, apiId: '1' }, 'TypeError: options.apiId must be an integer, not a string'],
    ['apiId 0', { ...base, apiId: 0 }, 'RangeError: options.apiId must be an integer from 1 to 2147483647, not 0'],
    ['apiId fraction', { ...base, apiId: 1.5 }, 'RangeError: options.apiId must be an integer from 1 to 2147483647, not 1.5'],
    ['apiId bigint', { ...base, apiId: 10n }, 'TypeError: options.apiId must be an integer, not a bigint'],
    ['apiId NaN', { ...base, apiId: NaN }, 'RangeError: options.apiId must be an integer from 1 to 2147483647, not NaN'],
    ['apiHash short', { ...base, apiHash: 'xyz' }, 'RangeError: options.apiHash must be 32 hexadecimal characters'],
    ['apiHash number', { ...base, apiHash: 7 }, 'TypeError: options.apiHash must be a string, not a number'],
    ['apiHash 10 MB', { ...base, apiHash: 'a'.repeat(10_000_000) }, 'RangeError: options.apiHash must be 32 hexadecimal characters'],
    ['server name', { ...base, server: 'staging' }, "RangeError: options.server must be 'production', 'test' or { url, dcId, publicKeys }, not 'staging'"],
    ['server number', { ...base, server: 42 }, 'TypeError: options.server must be an object, not a number'],
    ['server http', { ...base, server: { ...server, url: 'http://x' } }, 'RangeError: options.server.url must be ws:// or wss://, not http://'],
    ['server not a URL', { ...base, server: { ...server, url: 'not a url' } }, 'RangeError: options.server.url is not a URL: not a url'],
    ['server dcId 0', { ...base, server: { ...server, dcId: 0 } }, 'RangeError: options.server.dcId must be an integer from 1 to 1000, not 0'],
    ['server extra key', { ...base, server: { ...server, extra: 1 } }, 'TypeError: options.server.extra is not a known option'],
    ['publicKeys string', { ...base, server: { ...server, publicKeys: 'pem' } }, 'TypeError: options.server.publicKeys must be an array of PEM strings, not a string'],
    ['publicKeys empty', { ...base, server: { ...server, publicKeys: [] } }, 'RangeError: options.server.publicKeys must hold 1 to 16 keys'],
    ['publicKeys not PEM', { ...base, server: { ...server, publicKeys: ['not a key'] } }, 'RangeError: options.server.publicKeys[0] is not a PEM public key (-----BEGIN RSA PUBLIC KEY-----)'],
    ['publicKeys empty PEM', { ...base, server: { ...server, publicKeys: ['-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----'] } }, 'RangeError: options.server.publicKeys[0] is not an RSA public key: expected a SEQUENCE'],
    ['publicKeys cut', { ...base, server: { ...server, publicKeys: [pem.replace(/\n[^\n]*\n-----END/, '\n-----END')] } }, 'RangeError: options.server.publicKeys[0] is not an RSA public key: a SEQUENCE overflows the key'],
    ['dcId with custom server', { ...base, dcId: 1 }, 'TypeError: options.dcId is for production/test; a custom server takes server.dcId'],
    ['dcId 6', { ...base, server: 'production', dcId: 6 }, 'RangeError: options.dcId must be an integer from 1 to 5, not 6'],
    ['timeout NaN', { ...base, timeout: NaN }, 'RangeError: options.timeout must be 1 to 2147483647 milliseconds, not NaN'],
    ['timeout negative', { ...base, timeout: -5 }, 'RangeError: options.timeout must be 1 to 2147483647 milliseconds, not -5'],
    ['timeout bigint', { ...base, timeout: 2n }, 'TypeError: options.timeout must be a number of milliseconds, not a bigint'],
    ['floodSleepThreshold -1', { ...base, floodSleepThreshold: -1 }, 'RangeError: options.floodSleepThreshold must be 0 to 86400 seconds, not -1'],
    ['floodSleepThreshold string', { ...base, floodSleepThreshold: '60' }, 'TypeError: options.floodSleepThreshold must be a number of seconds, not a string'],
    ['storage name', { ...base, storage: 'sessionStorage' }, "RangeError: options.storage must be 'memory', 'localStorage', 'indexedDB', { localStorage: key } or { indexedDB: key }, not 'sessionStorage'"],
    ['storage two places', { ...base, storage: { localStorage: 'a', indexedDB: 'b' } }, 'TypeError: options.storage must name one place: { localStorage: key } or { indexedDB: key }'],
    ['storage empty key', { ...base, storage: { indexedDB: '' } }, 'TypeError: options.storage.indexedDB must be a non-empty key string, not a string'],
    ['storage number', { ...base, storage: 5 }, 'TypeError: options.storage must be an object, not a number'],
    ['session garbage', { ...base, session: 'garbage' }, 'RangeError: options.session is not a valid session string: unknown version "g" (want "1")'],
    ['session number', { ...base, session: 12 }, 'TypeError: options.session must be a string, not a number'],
    ['session short', { ...base, session: '1AA' }, 'RangeError: options.session is not a valid session string: too short (1 bytes)'],
    ['session on DC 9 of production', { ...base, server: 'production', session: `1${btoa(String.fromCharCode(9, 0, 4, 97, 98, 99, 100, 1, 187, ...key))}` }, 'RangeError: options.session names DC 9, not a DC of this server (1..5)'],
    ['device string', { ...base, device: 'chrome' }, 'TypeError: options.device must be an object, not a string'],
    ['device field number', { ...base, device: { deviceModel: 5 } }, 'TypeError: options.device.deviceModel must be a string, not a number'],
    ['device field null', { ...base, device: { langCode: null } }, 'TypeError: options.device.langCode must be a string, not null'],
    // UTF-16 code units: 257 Cyrillic letters are too many, 129 emoji
    // (258 units) too; 256 letters (512 bytes of UTF-8) are fine.
    ['device 257 × ж', { ...base, device: { deviceModel: 'ж'.repeat(257) } }, 'RangeError: options.device.deviceModel is longer than 256 characters (UTF-16 code units)'],
    ['device 129 emoji', { ...base, device: { appVersion: '😀'.repeat(129) } }, 'RangeError: options.device.appVersion is longer than 256 characters (UTF-16 code units)'],
    ['worker string', { ...base, worker: 'yes' }, "RangeError: options.worker must be true, false or 'shared', not 'yes'"],
    ['worker number', { ...base, worker: 1 }, "TypeError: options.worker must be a boolean or 'shared', not a number"],
    ['wasmUrl number', { ...base, wasmUrl: 12 }, 'TypeError: options.wasmUrl must be a string or URL, not a number'],
    ['logger string', { ...base, logger: 'console' }, 'TypeError: options.logger must be a function, not a string'],
    ['logger object', { ...base, logger: console }, 'TypeError: options.logger must be a function, not an object'],
    ['typo', { ...base, apiID: 1 }, 'TypeError: options.apiID is not a known option (did you mean apiId?)'],
    ['frozen', Object.freeze({ ...base, apiHash: 'nope' }), 'RangeError: options.apiHash must be 32 hexadecimal characters'],
    ['proxy trap', new Proxy({ ...base }, { ownKeys() { throw new Error('trap'); } }), 'TypeError: options could not be read: trap'],
    ['getter', { ...base, get apiHash() { throw new Error('getter'); } }, 'TypeError: options.apiHash could not be read: getter'],
    ['hostile thrown value', { ...base, get apiHash() { throw hostile; } }, 'TypeError: options.apiHash could not be read: [object Object]'],
    ['unprintable thrown value', { ...base, get apiHash() { throw unprintable; } }, 'TypeError: options.apiHash could not be read: (unprintable value)'],
  ];
  const send = 'sendChangePhoneCode';
  const calls = [
    ['params undefined', send, undefined, undefined, 'TypeError: params must be an object, not undefined'],
    ['params null', send, null, undefined, 'TypeError: params must be an object, not null'],
    ['params string', send, '+15551234567', undefined, 'TypeError: params must be an object, not a string'],
    ['params array', send, [], undefined, 'TypeError: params must be an object, not an array'],
    ['params function', send, () => {}, undefined, 'TypeError: params must be an object, not a function'],
    ['params symbol', send, Symbol('x'), undefined, 'TypeError: params must be an object, not a symbol'],
    ['params bigint', send, 10n, undefined, 'TypeError: params must be an object, not a bigint'],
    ['phone missing', send, {}, undefined, 'TypeError: phoneNumber is required (a string)'],
    ['phone number', send, { phoneNumber: 1555 }, undefined, 'TypeError: phoneNumber must be a string, not a number'],
    ['phone null', send, { phoneNumber: null }, undefined, 'TypeError: phoneNumber must be a string, not null'],
    ['phone NaN', send, { phoneNumber: NaN }, undefined, 'TypeError: phoneNumber must be a string, not NaN'],
    ['phone array', send, { phoneNumber: ['+1'] }, undefined, 'TypeError: phoneNumber must be a string, not an array'],
    ['phone object', send, { phoneNumber: { toString: () => '+1' } }, undefined, 'TypeError: phoneNumber must be a string, not an object'],
    ['phone 33 digits', send, { phoneNumber: '1'.repeat(33) }, undefined, 'RangeError: phoneNumber is longer than 32 characters (UTF-16 code units)'],
    ['phone 5 MB', send, { phoneNumber: '1'.repeat(5_000_000) }, undefined, 'RangeError: phoneNumber is longer than 32 characters (UTF-16 code units)'],
    ['phone 17 emoji', send, { phoneNumber: '😀'.repeat(17) }, undefined, 'RangeError: phoneNumber is longer than 32 characters (UTF-16 code units)'],
    ['settings null', send, { phoneNumber: '+1', settings: null }, undefined, 'TypeError: settings must be an object, not null'],
    ['settings string', send, { phoneNumber: '+1', settings: 'flash' }, undefined, 'TypeError: settings must be an object, not a string'],
    ['flag number', send, { phoneNumber: '+1', settings: { allowFlashcall: 1 } }, undefined, 'TypeError: settings.allowFlashcall must be a boolean, not a number'],
    ['flag typo', send, { phoneNumber: '+1', settings: { allowFlashCall: true } }, undefined, 'TypeError: settings.allowFlashCall is not a known option (did you mean allowFlashcall?)'],
    ['token number', send, { phoneNumber: '+1', settings: { token: 5 } }, undefined, 'TypeError: settings.token must be a string, not a number'],
    ['token 5000', send, { phoneNumber: '+1', settings: { token: 't'.repeat(5000) } }, undefined, 'RangeError: settings.token is longer than 4096 characters (UTF-16 code units)'],
    ['logoutTokens string', send, { phoneNumber: '+1', settings: { logoutTokens: 'x' } }, undefined, 'TypeError: settings.logoutTokens must be an array of Uint8Array, not a string'],
    ['logoutTokens numbers', send, { phoneNumber: '+1', settings: { logoutTokens: [[1, 2]] } }, undefined, 'TypeError: settings.logoutTokens[0] must be a Uint8Array, not an array'],
    ['logoutTokens Uint16Array', send, { phoneNumber: '+1', settings: { logoutTokens: [new Uint16Array(2)] } }, undefined, 'TypeError: settings.logoutTokens[0] must be a Uint8Array, not an object'],
    ['logoutTokens 65', send, { phoneNumber: '+1', settings: { logoutTokens: Array(65).fill(new Uint8Array(1)) } }, undefined, 'RangeError: settings.logoutTokens has more than 64 entries'],
    ['logoutToken 1025 bytes', send, { phoneNumber: '+1', settings: { logoutTokens: [new Uint8Array(1025)] } }, undefined, 'RangeError: settings.logoutTokens[0] is longer than 1024 bytes'],
    ['extra key', send, { phoneNumber: '+1', extra: true }, undefined, 'TypeError: extra is not a known option (known: phoneNumber, settings)'],
    ['getter', send, { get phoneNumber() { throw new Error('getter'); } }, undefined, 'TypeError: phoneNumber could not be read: getter'],
    ['hostile thrown value', send, { get phoneNumber() { throw hostile; } }, undefined, 'TypeError: phoneNumber could not be read: [object Object]'],
    ['unprintable thrown value', send, { get phoneNumber() { throw unprintable; } }, undefined, 'TypeError: phoneNumber could not be read: (unprintable value)'],
    ['revoked proxy', send, revoked, undefined, `TypeError: params could not be read: ${revokedSays}`],
    ['code missing', 'changePhone', { phoneNumber: '+1', phoneCodeHash: 'h' }, undefined, 'TypeError: phoneCode is required (a string)'],
    ['code 33 characters', 'changePhone', { phoneNumber: '+1', phoneCodeHash: 'h', phoneCode: '2'.repeat(33) }, undefined, 'RangeError: phoneCode is longer than 32 characters (UTF-16 code units)'],
    ['password number', 'checkPassword', { password: 1234 }, undefined, 'TypeError: password must be a string, not a number'],
    ['getMe with params', 'getMe', { self: true }, undefined, 'TypeError: self is not a known option (this method takes none)'],
    ['callOptions string', 'getMe', undefined, 'fast', 'TypeError: callOptions must be an object, not a string'],
    ['callOptions typo', 'getMe', undefined, { timeOut: 5 }, 'TypeError: callOptions.timeOut is not a known option (did you mean timeout?)'],
    ['timeout -1', 'getMe', undefined, { timeout: -1 }, 'RangeError: callOptions.timeout must be 1 to 2147483647 milliseconds, not -1'],
    ['timeout NaN', 'getMe', undefined, { timeout: NaN }, 'RangeError: callOptions.timeout must be 1 to 2147483647 milliseconds, not NaN'],
    ['timeout bigint', 'getMe', undefined, { timeout: 5n }, 'TypeError: callOptions.timeout must be a number of milliseconds, not a bigint'],
    ['signal string', 'getMe', undefined, { signal: 'nope' }, 'TypeError: callOptions.signal must be an AbortSignal, not a string'],
  ];
  return { options, calls };
}

/** Runs the table with tg (the tgwasm module) and returns [label, got, expected] for every row. */
export async function runBadInput(tg, base, pem, connected) {
  const { options, calls } = badInput(base, pem);
  const describe = (e) => `${e && e.constructor ? e.constructor.name : typeof e}: ${e && e.message}`;
  const out = [];
  for (const [label, o, expected] of options) {
    try { await tg.createClient(o); out.push([`option ${label}`, 'resolved', expected]); } catch (e) { out.push([`option ${label}`, describe(e), expected]); }
  }
  for (const [label, method, params, callOptions, expected] of calls) {
    try { await connected[method](params, callOptions); out.push([`call ${label}`, 'resolved', expected]); } catch (e) { out.push([`call ${label}`, describe(e), expected]); }
  }
  return out;
}
