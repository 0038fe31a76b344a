// StringSession compatibility with the real GramJS package (npm
// "telegram"), both ways, through the built module (dist/).
//   NODE_OPTIONS=--experimental-websocket node --test web/test/gramjs-session.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { startDC } from '../helpers/testdc.mjs';

const require = createRequire(import.meta.url);
const { StringSession } = require('telegram/sessions');
const { AuthKey } = require('telegram/crypto/AuthKey');
const { createClient } = await import('../../../dist/tgwasm.js');

const API = { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', worker: false };
// A DC that is never reached: the client only loads and exports here.
const NOWHERE = (keys) => ({ url: 'ws://127.0.0.1:9/apiws', dcId: 2, publicKeys: keys });

async function gramjsString(dcId, address, port, key) {
  const s = new StringSession('');
  s.setDC(dcId, address, port);
  const ak = new AuthKey();
  await ak.setKey(key);
  s.setAuthKey(ak);
  return s.save();
}

async function gramjsRead(str) {
  const s = new StringSession(str);
  await s.load();
  return { dcId: s.dcId, serverAddress: s.serverAddress, port: s.port, key: Buffer.from(s.getAuthKey().getKey()) };
}

let dc;
test.before(async () => {
  // A port GramJS can write (it stores the port with writeInt16BE).
  for (let i = 0; ; i++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    try {
      dc = await startDC(['-preauth', '-addr', `127.0.0.1:${port}`]);
      break;
    } catch (err) {
      if (i === 5) throw err;
    }
  }
});
test.after(() => dc && dc.stop());

for (const [name, dcId, address, port] of [
  ['IPv4', 2, '149.154.167.51', 443],
  ['IPv6', 4, '2001:67c:4e8:f004::b', 443],
  ['host name', 1, 'pluto.web.telegram.org', 443],
  ['loopback with a port', 2, '127.0.0.1', 8080],
]) {
  test(`GramJS → tgwasm → GramJS: ${name}`, async () => {
    const key = randomBytes(256);
    const str = await gramjsString(dcId, address, port, key);
    const client = await createClient({ ...API, server: { ...NOWHERE(dc.config.publicKeys), dcId }, session: str });
    try {
      assert.equal(await client.exportSession(), str, 'exported byte for byte');
    } finally {
      await client.close();
    }
  });
}

test('tgwasm → GramJS: a session made against the local DC', async () => {
  const client = await createClient({ ...API, server: dc.config });
  let str;
  try {
    await client.getMe(); // makes the auth key (pre-authorized DC)
    str = await client.exportSession();
  } finally {
    await client.close();
  }
  const read = await gramjsRead(str);
  const url = new URL(dc.config.url);
  assert.equal(read.dcId, 2);
  assert.equal(read.serverAddress, '127.0.0.1');
  assert.equal(read.port, Number(url.port));
  const raw = Buffer.from(str.slice(1), 'base64');
  assert.deepEqual(read.key, raw.subarray(raw.length - 256));
  assert.equal(await gramjsString(read.dcId, read.serverAddress, read.port, read.key), str, 'GramJS writes the same string');

  // And the session resumes the login in tgwasm.
  const again = await createClient({ ...API, server: dc.config, session: str });
  try {
    const me = await again.getMe();
    assert.equal(me.firstName, 'Demo');
    assert.equal(await again.exportSession(), str);
  } finally {
    await again.close();
  }
});

test('Telethon-format strings, which GramJS also reads, load', async () => {
  const key = randomBytes(256);
  const telethon = `1${Buffer.concat([Buffer.from([2, 149, 154, 167, 51, 0x01, 0xbb]), key]).toString('base64')}`;
  const g = await gramjsRead(telethon);
  const client = await createClient({ ...API, server: NOWHERE(dc.config.publicKeys), session: telethon });
  try {
    const ours = await gramjsRead(await client.exportSession());
    assert.deepEqual(ours, g);
  } finally {
    await client.close();
  }
});

test('malformed session strings are refused before anything starts', async () => {
  const good = await gramjsString(2, '149.154.167.51', 443, randomBytes(256));
  for (const bad of ['x', '2' + good.slice(1), good.slice(0, -8), '1!!!!', `1${Buffer.alloc(300).toString('base64')}`]) {
    await assert.rejects(createClient({ ...API, server: NOWHERE(dc.config.publicKeys), session: bad }), RangeError, bad.slice(0, 20));
  }
});
