// Reading a PEM RSA public key (a custom server's publicKeys option) into
// the modulus and exponent the key exchange uses. Only the DER the keys
// need is read here: the wasm never parses PEM (it would link crypto/x509's
// key parsing).

/** One DER element of type tag at der[at]: its body and where it ends. */
function tlv(der, at, tag, what, bad) {
  if (der[at] !== tag) throw bad(`expected ${what}`);
  let len = der[at + 1];
  let i = at + 2;
  if (len === undefined) throw bad(`${what} is cut short`);
  if (len & 0x80) {
    const k = len & 0x7f;
    if (k < 1 || k > 3 || i + k > der.length) throw bad(`bad length of ${what}`);
    len = 0;
    for (let j = 0; j < k; j++) len = len * 256 + der[i++];
  }
  if (i + len > der.length) throw bad(`${what} overflows the key`);
  return { body: der.subarray(i, i + len), end: i + len };
}

/** A positive DER INTEGER as hex without leading zeros. */
function positiveHex(b, what, bad) {
  if (b.length === 0 || b[0] & 0x80) throw bad(`${what} is not a positive integer`);
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return Array.from(b.subarray(i), (x) => x.toString(16).padStart(2, '0')).join('');
}

// rsaEncryption, 1.2.840.113549.1.1.1, as DER.
const RSA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/**
 * Reads a PEM RSA public key (PKCS #1 "RSA PUBLIC KEY" or SPKI "PUBLIC
 * KEY") into the modulus (hex) and exponent the key exchange uses.
 */
export function rsaPublicKey(path, pem) {
  const m = /^\s*-----BEGIN (RSA )?PUBLIC KEY-----([A-Za-z0-9+/=\s]*)-----END (RSA )?PUBLIC KEY-----\s*$/.exec(pem);
  if (!m || m[1] !== m[3]) throw new RangeError(`${path} is not a PEM public key (-----BEGIN RSA PUBLIC KEY-----)`);
  let der;
  try {
    der = Uint8Array.from(atob(m[2].replace(/\s/g, '')), (c) => c.charCodeAt(0));
  } catch {
    throw new RangeError(`${path} is not a PEM public key: its body is not base64`);
  }
  const bad = (what) => new RangeError(`${path} is not an RSA public key: ${what}`);
  let seq = tlv(der, 0, 0x30, 'a SEQUENCE', bad);
  if (seq.end !== der.length) throw bad('data after the key');
  if (!m[1]) {
    // SubjectPublicKeyInfo { AlgorithmIdentifier { rsaEncryption, … }, BIT STRING { RSAPublicKey } }
    const alg = tlv(seq.body, 0, 0x30, 'an AlgorithmIdentifier', bad);
    if (!RSA_OID.every((x, i) => alg.body[i] === x)) throw bad('not an rsaEncryption key');
    const bits = tlv(seq.body, alg.end, 0x03, 'a BIT STRING', bad);
    if (bits.end !== seq.body.length || bits.body[0] !== 0) throw bad('malformed BIT STRING');
    const inner = bits.body.subarray(1);
    seq = tlv(inner, 0, 0x30, 'a SEQUENCE', bad);
    if (seq.end !== inner.length) throw bad('data after the key');
  }
  const nEl = tlv(seq.body, 0, 0x02, 'the modulus', bad);
  const eEl = tlv(seq.body, nEl.end, 0x02, 'the exponent', bad);
  if (eEl.end !== seq.body.length) throw bad('data after the exponent');
  const n = positiveHex(nEl.body, 'the modulus', bad);
  const eHex = positiveHex(eEl.body, 'the exponent', bad);
  const bitsN = n.length * 4 - (Math.clz32(parseInt(n[0], 16)) - 28);
  if (bitsN !== 2048) throw new RangeError(`${path} has a ${bitsN}-bit modulus; Telegram keys have 2048 bits`);
  if (eHex.length > 8) throw bad('the exponent is too large');
  const e = parseInt(eHex, 16);
  if (e < 3 || e % 2 === 0) throw bad(`the exponent ${e} is not an odd number of 3 or more`);
  return { n, e };
}
