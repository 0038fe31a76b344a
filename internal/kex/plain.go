package kex

import (
	"crypto/rsa"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
)

// PublicKey is an RSA key the client trusts for the key exchange.
type PublicKey struct {
	RSA *rsa.PublicKey
}

// Fingerprint is the key's id in resPQ: the lower 64 bits of the SHA1 of
// its TL serialization.
func (k PublicKey) Fingerprint() int64 { return crypto.RSAFingerprint(k.RSA) }

// The key exchange's messages travel unencrypted
// (core.telegram.org/mtproto/description#unencrypted-message):
// auth_key_id = 0, message_id, message_data_length, message_data.

// putPlain writes an unencrypted message.
func putPlain(b *bin.Buffer, id int64, body []byte) {
	b.PutLong(0)
	b.PutLong(id)
	b.PutInt32(int32(len(body)))
	b.Put(body)
}

// readPlain reads an unencrypted message.
func readPlain(b *bin.Buffer) (id int64, body []byte, err error) {
	key, err := b.Long()
	if err != nil {
		return 0, nil, err
	}
	if key != 0 {
		return 0, nil, errors.Errorf("auth_key_id %x, want 0", key)
	}
	if id, err = b.Long(); err != nil {
		return 0, nil, err
	}
	n, err := b.Int32()
	if err != nil {
		return 0, nil, err
	}
	if n < 0 || int(n) > b.Len() {
		return 0, nil, errors.Errorf("message_data_length %d of %d bytes", n, b.Len())
	}
	return id, b.Buf[:n], nil
}
