// Unit tests of the demo's readable texts (node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeError, describeSentCode, fmtDuration, rawJSON } from '../../demo/format.js';
import { RPCError, FloodWaitError, TimeoutError, ConnectionError } from '../../tgwasm/tgwasm.js';

test('durations', () => {
  assert.equal(fmtDuration(0), '0 s');
  assert.equal(fmtDuration(45), '45 s');
  assert.equal(fmtDuration(60), '1 min');
  assert.equal(fmtDuration(130), '2 min 10 s');
  assert.equal(fmtDuration(3600), '1 h');
  assert.equal(fmtDuration(3725), '1 h 2 min');
});

test('sent codes', () => {
  assert.equal(describeSentCode({ className: 'auth.SentCode', type: { className: 'auth.SentCodeTypeSms', length: 5 }, phoneCodeHash: 'h' }), 'Code sent by SMS, 5 digits');
  assert.equal(describeSentCode({ className: 'auth.SentCode', type: { className: 'auth.SentCodeTypeFlashCall', pattern: '+1*' }, phoneCodeHash: 'h' }),
    'A flash call is coming from a number matching +1*; its digits are the code');
  assert.equal(describeSentCode({ className: 'auth.SentCodePaymentRequired', amount: 199n, currency: 'USD' }), 'Telegram asks for a payment of 1.99 USD before sending a code');
  for (const c of ['App', 'Sms', 'Call', 'FlashCall', 'MissedCall', 'EmailCode', 'SetUpEmailRequired', 'FragmentSms', 'FirebaseSms', 'SmsWord', 'SmsPhrase']) {
    const s = describeSentCode({ className: 'auth.SentCode', type: { className: `auth.SentCodeType${c}`, length: 5, pattern: 'p', prefix: '+1', emailPattern: 'e' } });
    assert.ok(!s.includes('undefined') && !s.startsWith('Code sent (auth'), `${c}: ${s}`);
  }
});

test('errors', () => {
  assert.deepEqual(describeError(new RPCError(400, 'PHONE_NUMBER_INVALID', 'account.sendChangePhoneCode')),
    { text: 'This phone number is invalid', raw: 'RPCError 400 PHONE_NUMBER_INVALID — 400: PHONE_NUMBER_INVALID (caused by account.sendChangePhoneCode)' });
  assert.equal(describeError(new FloodWaitError(420, 'FLOOD_WAIT', 'm', 130)).text, 'Too many attempts, wait 2 min 10 s');
  assert.equal(describeError(new TimeoutError('x', 30000)).text, 'No answer within 30 s');
  assert.equal(describeError(new ConnectionError('down')).text, "Can't reach Telegram right now");
  assert.equal(describeError(new RPCError(400, 'SOMETHING_NEW', 'm')).text, 'Telegram answered SOMETHING_NEW');
});

test('raw JSON shows bigint and bytes', () => {
  assert.equal(rawJSON({ id: 5n, b: new Uint8Array([1, 255]) }), '{\n  "id": "5n",\n  "b": "Uint8Array(2) [01 ff]"\n}');
});
