// Arithmetic for the wasm.
//
// The key exchange and the 2FA password check need 2048-bit modular
// exponentiations and 100,000 rounds of PBKDF2-HMAC-SHA512. The JS engine's
// BigInt and WebCrypto do these about twice (and, for PBKDF2, ten times)
// faster than the same Go compiled to wasm, so the wasm is handed these.

/** x^y mod m over hex strings, with a fixed 4-bit window. */
function modPow(xHex, yHex, mHex) {
  const m = BigInt(`0x${mHex}`);
  const x = BigInt(`0x${xHex}`) % m;
  const table = [1n, x];
  for (let i = 2; i < 16; i++) table.push((table[i - 1] * x) % m);
  let r = 1n;
  for (let i = 0; i < yHex.length; i++) {
    r = (r * r) % m; r = (r * r) % m; r = (r * r) % m; r = (r * r) % m;
    const d = parseInt(yHex[i], 16);
    if (d) r = (r * table[d]) % m;
  }
  return r.toString(16);
}

async function pbkdf2SHA512(password, salt, iterations, keyLen) {
  const key = await crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-512', salt, iterations }, key, keyLen * 8);
  return new Uint8Array(bits);
}

/** The hooks the wasm's start() accepts besides state and session. */
export function arithmeticHooks() {
  const hooks = { modPow };
  if (globalThis.crypto && globalThis.crypto.subtle) hooks.pbkdf2 = pbkdf2SHA512;
  return hooks;
}
