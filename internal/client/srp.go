package client

import (
	"crypto/sha256"
	"io"
	"math/big"

	"github.com/go-faster/errors"

	"github.com/tgwasm/tgwasm/internal/client/tl"
	"github.com/tgwasm/tgwasm/internal/kex"
)

// srpAnswer computes auth.checkPassword's InputCheckPasswordSRP
// (https://core.telegram.org/api/srp). It is gotd's crypto/srp algorithm
// (TestSRPMatchesGotd compares them) with one change: the 2048-bit prime is
// checked with kex.CheckPrime, which knows Telegram's prime, instead of
// Miller-Rabin on every login (3.5 s of CPU in a browser).
func srpAnswer(password []byte, p *tl.AccountPassword, o *Options) (*tl.InputCheckPasswordSRP, error) {
	algo, ok := p.CurrentAlgo.(*tl.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow)
	if !ok {
		return nil, errors.Errorf("unsupported password algorithm %T", p.CurrentAlgo)
	}
	random := make([]byte, 256)
	if _, err := io.ReadFull(o.Rand, random); err != nil {
		return nil, errors.Wrap(err, "random a")
	}
	a, m1, err := srpHash(password, p.SRPB, random, algo, o.ModExp, o.PBKDF2SHA512)
	if err != nil {
		return nil, err
	}
	return &tl.InputCheckPasswordSRP{SRPID: p.SRPID, A: a, M1: m1}, nil
}

func sha256Of(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func pad256(b []byte) []byte {
	if len(b) >= 256 {
		return b[len(b)-256:]
	}
	out := make([]byte, 256)
	copy(out[256-len(b):], b)
	return out
}

// srpHash returns A and M1 for password, server B and random a.
func srpHash(password, srpB, random []byte, algo *tl.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow,
	modExp func(x, y, m *big.Int) *big.Int, kdf func(password, salt []byte, iterations, keyLen int) ([]byte, error),
) (aBytes, m1 []byte, err error) {
	p := new(big.Int).SetBytes(algo.P)
	if err := kex.CheckPrime(algo.G, p); err != nil {
		return nil, nil, errors.Wrap(err, "password parameters")
	}
	g := big.NewInt(int64(algo.G))
	gBytes := pad256(g.Bytes())
	pBytes := pad256(algo.P)

	B := new(big.Int).SetBytes(srpB)
	if B.Sign() <= 0 || B.Cmp(p) >= 0 {
		return nil, nil, errors.New("password parameters: srp_B out of range")
	}
	gb := pad256(srpB)

	a := new(big.Int).SetBytes(random)
	ga := pad256(modExp(g, a, p).Bytes())

	// u = H(g_a | g_b)
	u := new(big.Int).SetBytes(sha256Of(ga, gb))

	// x = PH2(password, salt1, salt2); v = g^x mod p
	sh := func(data, salt []byte) []byte { return sha256Of(salt, data, salt) }
	ph1 := sh(sh(password, algo.Salt1), algo.Salt2)
	dk, err := kdf(ph1, algo.Salt1, 100000, 64)
	if err != nil {
		return nil, nil, errors.Wrap(err, "pbkdf2")
	}
	x := new(big.Int).SetBytes(sh(dk, algo.Salt2))
	v := modExp(g, x, p)

	// k = H(p | g); t = (g_b - k*v) mod p
	k := new(big.Int).SetBytes(sha256Of(pBytes, gBytes))
	kv := k.Mul(k, v).Mod(k, p)
	t := new(big.Int).Sub(B, kv)
	if t.Sign() < 0 {
		t.Add(t, p)
	}

	// s_a = t^(a + u*x) mod p; k_a = H(s_a)
	exp := u.Mul(u, x).Add(u, a)
	sa := pad256(modExp(t, exp, p).Bytes())
	ka := sha256Of(sa)

	// M1 = H(H(p) xor H(g) | H(salt1) | H(salt2) | g_a | g_b | k_a)
	hp, hg := sha256Of(pBytes), sha256Of(gBytes)
	for i := range hp {
		hp[i] ^= hg[i]
	}
	m1 = sha256Of(hp, sha256Of(algo.Salt1), sha256Of(algo.Salt2), ga, gb, ka)
	return ga, m1, nil
}
