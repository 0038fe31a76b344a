// Unit tests of web/tgwasm/session.js, the one StringSession codec.
//   node --test web/test/session.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { KEY_SIZE, SessionError, decodeSession, encodeSession } from '../../tgwasm/session.js';

const key = (seed) => Uint8Array.from({ length: KEY_SIZE }, (_, i) => (seed + i) & 0xff);
const b64 = (bytes) => Buffer.from(bytes).toString('base64');

test('round trip: IPv4, IPv6, a host name, a loopback port, the edges', () => {
  for (const d of [
    { dcId: 2, addr: '149.154.167.51', port: 443, key: key(1) },
    { dcId: 4, addr: '2001:67c:4e8:f004::b', port: 443, key: key(2) },
    { dcId: 1, addr: 'pluto.web.telegram.org', port: 443, key: key(3) },
    { dcId: 2, addr: '127.0.0.1', port: 40123, key: key(4) },
    { dcId: 255, addr: 'abcd', port: 1, key: key(5) },
  ]) {
    const s = encodeSession(d);
    assert.equal(s[0], '1');
    assert.deepEqual(decodeSession(s), d);
  }
});

test('layout: dc, address length and address, port, key', () => {
  const s = encodeSession({ dcId: 2, addr: '1.2.3.4', port: 443, key: key(9) });
  assert.deepEqual(Buffer.from(s.slice(1), 'base64'), Buffer.concat([Buffer.from([2, 0, 7]), Buffer.from('1.2.3.4'), Buffer.from([0x01, 0xbb]), key(9)]));
});

test('empty: no session is the empty string, both ways', () => {
  assert.equal(encodeSession(null), '');
  assert.equal(decodeSession(''), null);
  assert.equal(decodeSession('   '), null);
});

test('lenient base64: URL-safe, unpadded, line breaks', () => {
  const d = { dcId: 2, addr: '1.2.3.4', port: 443, key: key(200) };
  const s = encodeSession(d);
  for (const variant of [s, s.replace(/=+$/, ''), s.replaceAll('+', '-').replaceAll('/', '_'), `${s.slice(0, 40)}\n${s.slice(40)}`]) {
    assert.deepEqual(decodeSession(variant), d, variant);
  }
});

test('malformed strings are SessionErrors that say why', () => {
  const good = encodeSession({ dcId: 2, addr: '1.2.3.4', port: 443, key: key(1) });
  const raw = Buffer.from(good.slice(1), 'base64');
  const k = raw.subarray(raw.length - KEY_SIZE);
  const enc = (b) => `1${b64(b)}`;
  const zeroKey = Buffer.from(raw);
  zeroKey.fill(0, raw.length - KEY_SIZE);
  for (const [name, s, reason] of [
    ['version 2', `2${good.slice(1)}`, /unknown version "2"/],
    ['not base64', '1!!!!', /not base64/],
    ['too short', enc([2]), /too short/],
    ['address overflows', enc([2, 0xff, 0xff, 0x61]), /exceeds the data/],
    ['no port', enc([2, 0, 1, 0x61]), /no port/],
    ['short key', enc(raw.subarray(0, raw.length - 1)), /auth key of 255 bytes/],
    ['long key', enc(Buffer.concat([raw, Buffer.from([0])])), /auth key of 257 bytes/],
    ['zero dc', enc(Buffer.concat([Buffer.from([0]), raw.subarray(1)])), /dc 0 out of range/],
    ['zero key', enc(zeroKey), /all zero/],
    ['empty address', enc(Buffer.concat([Buffer.from([2, 0, 0, 1, 0xbb]), k])), /shorter than 4/],
    ['address with space', enc(Buffer.concat([Buffer.from([2, 0, 4]), Buffer.from('a bc'), Buffer.from([1, 0xbb]), k])), /has a character " "/],
    ['zero port', enc(Buffer.concat([Buffer.from([2, 0, 4]), Buffer.from('abcd'), Buffer.from([0, 0]), k])), /port 0 out of range/],
  ]) {
    assert.throws(() => decodeSession(s), (e) => e instanceof SessionError && reason.test(e.message), name);
  }
});

test("Telethon's formats, which GramJS also reads", () => {
  const k = key(7);
  const v4 = `1${Buffer.concat([Buffer.from([2, 149, 154, 167, 51, 0x01, 0xbb]), k]).toString('base64').replaceAll('+', '-').replaceAll('/', '_')}`;
  assert.equal(v4.length, 1 + 352);
  assert.deepEqual(decodeSession(v4), { dcId: 2, addr: '149.154.167.51', port: 443, key: k });
  const ip6 = [0x20, 0x01, 0x06, 0x7c, 0x04, 0xe8, 0xf0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x0a];
  const v6 = `1${b64(Buffer.concat([Buffer.from([2, ...ip6, 0x01, 0xbb]), k]))}`;
  assert.deepEqual(decodeSession(v6), { dcId: 2, addr: '2001:67c:4e8:f002::a', port: 443, key: k });
});

// (GramJS tells a packed IPv6 by a first word above 100.)
test('IPv6 addresses are written in RFC 5952 form', () => {
  for (const [words, want] of [
    [[0xfe80, 0, 0, 0, 0, 0, 0, 1], 'fe80::1'],
    [[0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], '2001:db8::'],
    [[0x2001, 0, 0, 1, 0, 0, 0, 1], '2001:0:0:1::1'],
    [[0xfe80, 0, 0, 0, 1, 2, 3, 4], 'fe80::1:2:3:4'],
    [[0x100, 2, 3, 4, 5, 6, 7, 8], '100:2:3:4:5:6:7:8'],
  ]) {
    const ip = Buffer.alloc(16);
    words.forEach((w, i) => ip.writeUInt16BE(w, 2 * i));
    const s = `1${b64(Buffer.concat([Buffer.from([2]), ip, Buffer.from([0x01, 0xbb]), key(1)]))}`;
    const { addr } = decodeSession(s);
    assert.equal(addr, want);
    assert.ok(isIPv6(addr));
  }
});

test('random input: a session or a SessionError, never anything else', () => {
  const good = encodeSession({ dcId: 2, addr: '1.2.3.4', port: 443, key: key(3) });
  for (let i = 0; i < 2000; i++) {
    let s;
    switch (i % 3) {
      case 0: s = `1${b64(randomBytes(i % 400))}`; break;
      case 1: { // flip bytes of a good string
        const b = Buffer.from(good.slice(1), 'base64');
        b[i % b.length] ^= 1 + (i % 255);
        s = `1${b64(b)}`;
        break;
      }
      default: s = String.fromCharCode(...randomBytes(i % 64));
    }
    try {
      const d = decodeSession(s);
      if (d) assert.equal(decodeSession(encodeSession(d)).addr, d.addr);
    } catch (e) {
      assert.ok(e instanceof SessionError, `${JSON.stringify(s)}: ${e}`);
    }
  }
});
