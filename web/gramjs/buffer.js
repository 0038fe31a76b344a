// The part of Node's Buffer that GramJS code uses with the shim's methods.

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * The part of Node's Buffer that GramJS code uses with these methods: a
 * Uint8Array with from/alloc/concat/isBuffer and toString(encoding). Bytes
 * in results are Buffers; requests take any Uint8Array.
 */
export class Buffer extends Uint8Array {
  /**
   * @param {string|ArrayLike<number>|ArrayBuffer|Uint8Array} value
   * @param {'utf8'|'utf-8'|'hex'|'base64'|'base64url'|'latin1'|'binary'|'ascii'} [encoding]
   */
  static from(value, encoding) {
    if (typeof value === 'string') return Buffer.#fromString(value, encoding === undefined ? 'utf8' : encoding);
    if (value instanceof ArrayBuffer) return new Buffer(value, typeof encoding === 'number' ? encoding : 0);
    if (ArrayBuffer.isView(value)) {
      const out = new Buffer(value.byteLength);
      out.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      return out;
    }
    if (value && typeof value === 'object' && typeof value.length !== 'number' && typeof value[Symbol.iterator] === 'function') value = Array.from(value);
    if (Array.isArray(value) || (value && typeof value === 'object' && typeof value.length === 'number')) {
      const out = new Buffer(value.length);
      for (let i = 0; i < value.length; i++) out[i] = Number(value[i]) & 0xff;
      return out;
    }
    throw new TypeError(`Buffer.from takes a string, an array, an ArrayBuffer or a Uint8Array, not ${value === null ? 'null' : typeof value}`);
  }

  static #fromString(s, encoding) {
    switch (String(encoding).toLowerCase()) {
      case 'utf8':
      case 'utf-8':
        return Buffer.from(new TextEncoder().encode(s));
      case 'hex': {
        if (!HEX.test(s)) throw new TypeError('Buffer.from(s, "hex"): s must hold pairs of hexadecimal digits');
        const out = new Buffer(s.length / 2);
        for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
        return out;
      }
      case 'base64':
      case 'base64url': {
        let b64 = s.replace(/[\s=]+/g, '').replaceAll('-', '+').replaceAll('_', '/');
        b64 = b64.padEnd(Math.ceil(b64.length / 4) * 4, '=');
        let raw;
        try { raw = atob(b64); } catch { throw new TypeError(`Buffer.from(s, "${encoding}"): s is not ${encoding}`); }
        return Buffer.#fromString(raw, 'latin1');
      }
      case 'latin1':
      case 'binary':
      case 'ascii': {
        const out = new Buffer(s.length);
        for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
        return out;
      }
      default:
        throw new TypeError(`unknown Buffer encoding '${encoding}' (known: utf8, hex, base64, base64url, latin1, ascii)`);
    }
  }

  /** @param {number} size @param {number} [fill] */
  static alloc(size, fill = 0) {
    return new Buffer(size).fill(fill);
  }

  /** @param {Uint8Array[]} list */
  static concat(list) {
    const out = new Buffer(list.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of list) { out.set(b, at); at += b.length; }
    return out;
  }

  static isBuffer(v) {
    return v instanceof Buffer;
  }

  /** @param {'utf8'|'hex'|'base64'|'base64url'|'latin1'|'binary'|'ascii'} [encoding] */
  toString(encoding = 'utf8') {
    switch (String(encoding).toLowerCase()) {
      case 'utf8':
      case 'utf-8':
        return new TextDecoder().decode(this);
      case 'hex':
        return Array.from(this, (b) => b.toString(16).padStart(2, '0')).join('');
      case 'base64':
        return btoa(this.toString('latin1'));
      case 'base64url':
        return this.toString('base64').replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
      case 'latin1':
      case 'binary':
      case 'ascii': {
        let s = '';
        for (let i = 0; i < this.length; i += 0x8000) s += String.fromCharCode(...this.subarray(i, i + 0x8000));
        return s;
      }
      default:
        throw new TypeError(`unknown Buffer encoding '${encoding}' (known: utf8, hex, base64, base64url, latin1, ascii)`);
    }
  }

  /** @param {Uint8Array} other */
  equals(other) {
    return other instanceof Uint8Array && other.length === this.length && this.every((b, i) => b === other[i]);
  }

  toJSON() {
    return { type: 'Buffer', data: Array.from(this) };
  }

  // Slices stay Buffers, as in Node.
  static get [Symbol.species]() { return Buffer; }
}
