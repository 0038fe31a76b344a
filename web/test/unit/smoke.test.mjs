// Node smoke test of dist/: import the ES module, connect to a local DC over
// a real WebSocket, call both methods and check the objects.
//
//   node --experimental-websocket --test web/test/unit/smoke.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDC } from '../helpers/testdc.mjs';

const { createClient, RPCError, ConnectionError } = await import('../../../dist/tgwasm.js');

test('dist/ in Node: both methods, their errors, getMe and the session', async () => {
  const dc = await startDC(['-preauth']);
  try {
    const states = [];
    const client = await createClient({
      apiId: 17349,
      apiHash: '344583e45741c457fe1862106095a5eb',
      server: dc.config,
      worker: false,
    });
    client.on('state', (s) => states.push(s));

    const sent = await client.sendChangePhoneCode({ phoneNumber: '+1 555 123 4501', settings: { allowFlashcall: true } });
    assert.equal(sent.className, 'auth.SentCode');
    assert.deepEqual(sent.type, { className: 'auth.SentCodeTypeSms', length: 5 });
    assert.deepEqual(sent.nextType, { className: 'auth.CodeTypeCall' });
    assert.equal(sent.timeout, 60);
    assert.equal(typeof sent.phoneCodeHash, 'string');
    assert.ok(!('flags' in sent));

    const verify = await client.sendVerifyPhoneCode({ phoneNumber: '+15551234508' });
    assert.equal(verify.type.className, 'auth.SentCodeTypeFirebaseSms');
    assert.ok(verify.type.nonce instanceof Uint8Array);
    assert.equal(typeof verify.type.playIntegrityProjectId, 'bigint');
    assert.equal(verify.type.playIntegrityProjectId, 1234567890123456789n);

    const noNext = await client.sendVerifyPhoneCode({ phoneNumber: '+15551234511' });
    assert.ok(!('nextType' in noNext) && !('timeout' in noNext), 'absent optional fields are absent keys');

    await assert.rejects(client.sendChangePhoneCode({ phoneNumber: '+1 555 CALL' }), (err) => {
      assert.ok(err instanceof RPCError);
      assert.equal(err.code, 400);
      assert.equal(err.errorMessage, 'PHONE_NUMBER_INVALID');
      assert.equal(err.method, 'account.sendChangePhoneCode');
      assert.equal(err.message, '400: PHONE_NUMBER_INVALID (caused by account.sendChangePhoneCode)');
      return true;
    });
    await assert.rejects(client.sendChangePhoneCode({ phoneNumber: 15551234567 }), (err) => {
      assert.ok(err instanceof TypeError);
      assert.equal(err.message, 'phoneNumber must be a string, not a number');
      return true;
    });
    await assert.rejects(client.sendChangePhoneCode({ phoneNumber: '+1', settings: { logoutTokens: [new Uint8Array(1), 'x'] } }),
      { name: 'TypeError', message: 'settings.logoutTokens[1] must be a Uint8Array, not a string' });

    const me = await client.getMe();
    assert.equal(me.className, 'User');
    assert.equal(me.firstName, 'Demo');
    assert.equal(typeof me.id, 'bigint');
    assert.equal(me.self, true);

    const session = await client.exportSession();
    assert.match(session, /^1[A-Za-z0-9+/=]+$/);

    assert.ok(states.includes('ready'), `states: ${states}`);
    await client.close();
    assert.equal(states.at(-1), 'closed');
    await assert.rejects(client.getMe(), ConnectionError);
  } finally {
    dc.stop();
  }
});
