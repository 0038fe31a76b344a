// How GramJS's requests become calls of a tgwasm client: the methods of
// the API's table that the shim maps (its rows marked GramJS,
// internal/bridge/methods.go), each by its TL request's class, the
// request's fields its params; and settings as tgwasm takes them.

import { METHODS } from '../tgwasm/methods.gen.js';
import { TLObject, parseArgs } from './api.js';
import { REQUESTS } from './schema.gen.js';

/** What a few requests need beyond their fields becoming params. */
const SPECIAL = {
  // tgwasm signs in with the client's own apiId/apiHash.
  'auth.SendCode': { credentials: ['apiId', 'apiHash'] },
  'auth.SignIn': {
    unsupported: ['emailVerification'],
    // tgwasm's signIn resolves to the User; GramJS returns the authorization.
    result: (user) => ({ className: 'auth.Authorization', user }),
  },
};

/** A TL method's GramJS class name: account.sendChangePhoneCode → account.SendChangePhoneCode. */
function className(tl) {
  const dot = tl.lastIndexOf('.') + 1;
  return tl.slice(0, dot) + tl[dot].toUpperCase() + tl.slice(dot + 1);
}

/**
 * Each request class the shim sends, by className: { method, args,
 * credentials?, unsupported?, result? }, args the request's fields that
 * are the method's params.
 */
export const CALLS = Object.fromEntries(Object.entries(METHODS).filter(([, m]) => m.gramjs).map(([method, { tl }]) => {
  const name = className(tl);
  const special = SPECIAL[name] || {};
  const skip = [...(special.credentials || []), ...(special.unsupported || [])];
  const args = parseArgs(REQUESTS[name][2]).filter((a) => !a.flagsField && !skip.includes(a.name)).map((a) => a.name);
  return [name, { method, args, ...special }];
}));

/** CodeSettings (an Api.CodeSettings or a plain object) as tgwasm takes it. */
export function settingsParam(s) {
  if (s === undefined || s === null) return undefined;
  const src = s instanceof TLObject ? s.originalArgs : s;
  if (s instanceof TLObject && s.className !== 'CodeSettings') throw new TypeError(`settings must be an Api.CodeSettings, not Api.${s.className}`);
  if (typeof src !== 'object' || Array.isArray(src)) return src; // tgwasm names the type error
  const out = {};
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined || v === null || k === 'flags') continue;
    out[k] = k === 'logoutTokens' && Array.isArray(v) ? v.map((t) => (t instanceof Uint8Array ? new Uint8Array(t) : t)) : v;
  }
  return out;
}
