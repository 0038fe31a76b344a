// tgwasm/gramjs: GramJS's API over tgwasm, so GramJS code for the methods
// tgwasm supports runs with only its import changed:
//
//   import { Api, TelegramClient, sessions } from 'tgwasm/gramjs';
//   const client = new TelegramClient(new sessions.StringSession(''), apiId, apiHash, {});
//   const sent = await client.invoke(new Api.account.SendChangePhoneCode({
//     phoneNumber: '+15551234567', settings: new Api.CodeSettings({ allowFlashcall: true }) }));
//
// client.start() logs in as GramJS's does (number, code, 2FA password, or a
// bot token, asked through callbacks). Requests become calls of a tgwasm
// client (../tgwasm/tgwasm.js; calls.js says which); results come back as
// instances of the Api classes (api.js), with GramJS's CONSTRUCTOR_ID,
// SUBCLASS_OF_ID, className and classType. Types are in gramjs.d.ts.

export { ConnectionError, TimeoutError } from './library.js';
export { LAYER } from './schema.gen.js';
export { Buffer } from './buffer.js';
export { Api, TLObject, TLRequest, toGramJS } from './api.js';
export { FloodError, FloodTestPhoneWaitError, FloodWaitError, RPCError, errors } from './errors.js';
export { StoreSession, StringSession, sessions } from './sessions.js';
export { LogLevel, Logger } from './logger.js';
export { TelegramClient } from './client.js';
