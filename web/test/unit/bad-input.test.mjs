// The bad-input table (helpers/bad-input.mjs) in Node, against the built module:
// the same errors as in Chromium's Worker and thread modes.
//   NODE_OPTIONS=--experimental-websocket node --test web/test/bad-input.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBadInput } from '../helpers/bad-input.mjs';
import { startDC } from '../helpers/testdc.mjs';

const tg = await import('../../../dist/tgwasm.js');

test('bad options and arguments: the documented error, nothing sent', async () => {
  const dc = await startDC(['-preauth']);
  try {
    const base = { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: dc.config, worker: false };
    const client = await tg.createClient(base);
    await client.getMe();
    const stats = async () => (await (await fetch(`${dc.base}/testdc/stats`)).json()).requests;
    const before = await stats();
    const rows = await runBadInput(tg, base, dc.config.publicKeys[0], client);
    assert.equal(await stats(), before, 'no request reached the DC');
    await client.close();
    assert.deepEqual(rows.filter(([, got, expected]) => got !== expected), [], 'every row gives its documented error');
    assert.ok(rows.length >= 90, `${rows.length} rows`);
  } finally {
    dc.stop();
  }
});
