// Human-readable descriptions of SentCode objects and errors for the demo
// (pure functions, tested in Node by web/test/unit/format.test.mjs).
import { RPCError, TimeoutError, ConnectionError } from '../tgwasm/tgwasm.js';

export function fmtDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const parts = [];
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (r && !h) parts.push(`${r} s`);
  return parts.join(' ');
}

export const NEXT_NAMES = {
  'auth.CodeTypeSms': 'SMS',
  'auth.CodeTypeCall': 'phone call',
  'auth.CodeTypeFlashCall': 'flash call',
  'auth.CodeTypeMissedCall': 'missed call',
  'auth.CodeTypeFragmentSms': 'Fragment SMS',
};

function digits(n) { return n ? `, ${n} digits` : ''; }

/** "Code sent by SMS, 5 digits" */
export function describeType(t) {
  switch (t.className) {
    case 'auth.SentCodeTypeApp': return `Code sent to your Telegram app${digits(t.length)}`;
    case 'auth.SentCodeTypeSms': return `Code sent by SMS${digits(t.length)}`;
    case 'auth.SentCodeTypeCall': return `A phone call will dictate the code${digits(t.length)}`;
    case 'auth.SentCodeTypeFlashCall': return `A flash call is coming from a number matching ${t.pattern}; its digits are the code`;
    case 'auth.SentCodeTypeMissedCall': return `A missed call is coming from ${t.prefix}…; its last ${t.length} digits are the code`;
    case 'auth.SentCodeTypeEmailCode': return `Code sent by email to ${t.emailPattern}${digits(t.length)}`;
    case 'auth.SentCodeTypeSetUpEmailRequired': return 'Telegram wants a login email set up before it sends a code';
    case 'auth.SentCodeTypeFragmentSms': return `Code sent through Fragment${digits(t.length)}`;
    case 'auth.SentCodeTypeFirebaseSms': return `Code sent by SMS through Firebase${digits(t.length)}`;
    case 'auth.SentCodeTypeSmsWord': return `Code sent by SMS: a word${t.beginning ? ` starting with “${t.beginning}”` : ''}`;
    case 'auth.SentCodeTypeSmsPhrase': return `Code sent by SMS: a phrase${t.beginning ? ` starting with “${t.beginning}”` : ''}`;
    default: return `Code sent (${t.className})`;
  }
}

/** The readable line for any SentCode. */
export function describeSentCode(sc) {
  if (sc.className === 'auth.SentCodeSuccess') return 'No code needed: Telegram accepted this device directly';
  if (sc.className === 'auth.SentCodePaymentRequired') {
    return `Telegram asks for a payment of ${(Number(sc.amount) / 100).toFixed(2)} ${sc.currency} before sending a code`;
  }
  return describeType(sc.type);
}

const ERROR_TEXT = {
  PHONE_NUMBER_INVALID: 'This phone number is invalid',
  PHONE_NUMBER_OCCUPIED: 'This number already belongs to another Telegram account',
  PHONE_NUMBER_BANNED: 'This phone number is banned from Telegram',
  PHONE_NUMBER_UNOCCUPIED: 'No account uses this number (sign-up is not part of this demo)',
  FRESH_CHANGE_PHONE_FORBIDDEN: 'This session is too new to change the number; try again later',
  AUTH_KEY_UNREGISTERED: 'You are not logged in',
  PHONE_CODE_INVALID: 'The code is wrong',
  PHONE_CODE_EXPIRED: 'The code has expired; request a new one',
  PHONE_CODE_EMPTY: 'Enter the code',
  PHONE_CODE_HASH_EMPTY: 'Request a code first',
  SESSION_PASSWORD_NEEDED: 'This account has two-step verification: enter the password',
  PASSWORD_HASH_INVALID: 'Wrong password',
  SEND_CODE_UNAVAILABLE: 'There is no other way to send the code',
  ACCESS_TOKEN_INVALID: 'This bot token is invalid',
  API_ID_INVALID: 'api_id and api_hash are not valid',
};

/** What an error means, for people; and its raw form, for developers. */
export function describeError(err) {
  if (err instanceof RPCError) {
    let text = ERROR_TEXT[err.errorMessage];
    if (err.errorMessage.endsWith('_WAIT') && err.seconds !== undefined) text = `Too many attempts, wait ${fmtDuration(err.seconds)}`;
    return { text: text || `Telegram answered ${err.errorMessage}`, raw: `RPCError ${err.code} ${err.errorMessage}${err.seconds !== undefined ? ` (seconds: ${err.seconds})` : ''} — ${err.message}` };
  }
  if (err instanceof TimeoutError) return { text: `No answer within ${fmtDuration(err.timeout / 1000)}`, raw: `TimeoutError — ${err.message}` };
  if (err instanceof ConnectionError) return { text: "Can't reach Telegram right now", raw: `ConnectionError — ${err.message}${err.cause ? `: ${err.cause.message}` : ''}` };
  if (err instanceof TypeError || err instanceof RangeError) return { text: `Invalid input: ${err.message}`, raw: `${err.name} — ${err.message}` };
  if (err && err.name === 'AbortError') return { text: 'Cancelled', raw: 'AbortError' };
  return { text: 'Something went wrong', raw: String(err && err.stack ? err.stack : err) };
}

/** JSON with bigint as 123n and Uint8Array as hex; long strings shortened. */
export function rawJSON(v) {
  return JSON.stringify(v, (_k, x) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (x instanceof Uint8Array) return `Uint8Array(${x.length}) [${[...x.slice(0, 32)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}${x.length > 32 ? ' …' : ''}]`;
    if (typeof x === 'string' && x.length > 200) return `${x.slice(0, 64)}… (${x.length} characters)`;
    return x;
  }, 2);
}
