package client

import (
	"github.com/go-faster/errors"
	"github.com/gotd/td/crypto"

	"github.com/tgwasm/tgwasm/internal/kex"
)

// Telegram's RSA keys for the key exchange, as published with the API
// (my.telegram.org, and bundled by TDLib and gotd).
const (
	productionKeyPEM = `-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEA6LszBcC1LGzyr992NzE0ieY+BSaOW622Aa9Bd4ZHLl+TuFQ4lo4g
5nKaMBwK/BIb9xUfg0Q29/2mgIR6Zr9krM7HjuIcCzFvDtr+L0GQjae9H0pRB2OO
62cECs5HKhT5DZ98K33vmWiLowc621dQuwKWSQKjWf50XYFw42h21P2KXUGyp2y/
+aEyZ+uVgLLQbRA1dEjSDZ2iGRy12Mk5gpYc397aYp438fsJoHIgJ2lgMv5h7WY9
t6N/byY9Nw9p21Og3AoXSL2q/2IJ1WRUhebgAdGVMlV1fkuOQoEzR7EdpqtQD9Cs
5+bfo3Nhmcyvk5ftB0WkJ9z6bNZ7yxrP8wIDAQAB
-----END RSA PUBLIC KEY-----
`
	testKeyPEM = `-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAyMEdY1aR+sCR3ZSJrtztKTKqigvO/vBfqACJLZtS7QMgCGXJ6XIR
yy7mx66W0/sOFa7/1mAZtEoIokDP3ShoqF4fVNb6XeqgQfaUHd8wJpDWHcR2OFwv
plUUI1PLTktZ9uW2WE23b+ixNwJjJGwBDJPQEQFBE+vfmH0JP503wr5INS1poWg/
j25sIWeYPHYeOrFp/eXaqhISP6G+q2IeTaWTXpwZj4LzXq5YOpk4bYEQ6mvRq7D1
aHWfYmlEGepfaYR8Q0YqvvhYtMte3ITnuSJs171+GDqpdKcSwHnd6FudwGO4pcCO
j4WcDuXc2CTHgH8gFTNhp/Y8/SpDOhvn9QIDAQAB
-----END RSA PUBLIC KEY-----
`
)

// ParsePublicKeys parses "-----BEGIN RSA PUBLIC KEY-----" PEM blocks.
func ParsePublicKeys(pems ...string) ([]kex.PublicKey, error) {
	var out []kex.PublicKey
	for i, p := range pems {
		keys, err := crypto.ParseRSAPublicKeys([]byte(p))
		if err != nil {
			return nil, errors.Wrapf(err, "public key %d", i)
		}
		if len(keys) == 0 {
			return nil, errors.Errorf("public key %d: no RSA PUBLIC KEY block", i)
		}
		for _, k := range keys {
			if k.N.BitLen() != crypto.RSAKeyBits {
				return nil, errors.Errorf("public key %d: %d-bit modulus, want %d", i, k.N.BitLen(), crypto.RSAKeyBits)
			}
			out = append(out, kex.PublicKey{RSA: k})
		}
	}
	return out, nil
}
