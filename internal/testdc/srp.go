package testdc

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"math/big"

	"github.com/gotd/td/tg"
)

// telegramPrime is the 2048-bit safe prime Telegram uses for both the key
// exchange and SRP (core.telegram.org/api/srp), with generator 3.
var telegramPrime, _ = new(big.Int).SetString(""+
	"C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F"+
	"48198A0AA7C14058229493D22530F4DBFA336F6E0AC925139543AED44CCE7C37"+
	"20FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454F18FAF8C595F64"+
	"2477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4"+
	"A4A695811051907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754"+
	"FD17ED950D5965B4B9DD46582DB1178D169C6BC465B0D6FF9CA3928FEF5B9AE4"+
	"E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F"+
	"0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B", 16)

const srpG = 3

// srpVerifier is what the server keeps for a password: salts and v = g^x.
type srpVerifier struct {
	salt1, salt2 []byte
	v            *big.Int
}

// srpSession is one account.getPassword answer awaiting auth.checkPassword.
type srpSession struct {
	userID int64
	b      *big.Int
	gb     []byte // srp_B, padded
}

func sha256All(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func pad256(x *big.Int) []byte {
	out := make([]byte, 256)
	x.FillBytes(out)
	return out
}

// newSRPVerifier derives v for password with fresh salts, following
// https://core.telegram.org/api/srp (written independently of the client).
func newSRPVerifier(password string) (*srpVerifier, error) {
	salt1 := make([]byte, 40)
	salt2 := make([]byte, 16)
	if _, err := rand.Read(salt1); err != nil {
		return nil, err
	}
	if _, err := rand.Read(salt2); err != nil {
		return nil, err
	}
	// SH(data, salt) = H(salt | data | salt)
	sh := func(data, salt []byte) []byte { return sha256All(salt, data, salt) }
	ph1 := sh(sh([]byte(password), salt1), salt2)
	dk, err := pbkdf2.Key(sha512.New, string(ph1), salt1, 100000, 64)
	if err != nil {
		return nil, err
	}
	ph2 := sh(dk, salt2)
	x := new(big.Int).SetBytes(ph2)
	v := new(big.Int).Exp(big.NewInt(srpG), x, telegramPrime)
	return &srpVerifier{salt1: salt1, salt2: salt2, v: v}, nil
}

func (s *srpVerifier) algo() *tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow {
	return &tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow{
		Salt1: s.salt1,
		Salt2: s.salt2,
		G:     srpG,
		P:     pad256(telegramPrime),
	}
}

// k = H(p | g)
func srpK() *big.Int {
	return new(big.Int).SetBytes(sha256All(pad256(telegramPrime), pad256(big.NewInt(srpG))))
}

// challenge makes B = (k*v + g^b) mod p for a fresh random b.
func (s *srpVerifier) challenge(userID int64) (*srpSession, error) {
	max := new(big.Int).Lsh(big.NewInt(1), 2048)
	b, err := rand.Int(rand.Reader, max)
	if err != nil {
		return nil, err
	}
	gb := new(big.Int).Exp(big.NewInt(srpG), b, telegramPrime)
	B := new(big.Int).Mul(srpK(), s.v)
	B.Add(B, gb).Mod(B, telegramPrime)
	return &srpSession{userID: userID, b: b, gb: pad256(B)}, nil
}

// check verifies the client's A and M1 against the session.
func (s *srpVerifier) check(sess *srpSession, aBytes, m1 []byte) bool {
	p := telegramPrime
	A := new(big.Int).SetBytes(aBytes)
	if A.Sign() <= 0 || A.Cmp(p) >= 0 {
		return false
	}
	ga := pad256(A)
	u := new(big.Int).SetBytes(sha256All(ga, sess.gb))
	// S = (A * v^u) ^ b mod p
	S := new(big.Int).Exp(s.v, u, p)
	S.Mul(S, A).Mod(S, p)
	S.Exp(S, sess.b, p)
	K := sha256All(pad256(S))

	hp := sha256All(pad256(p))
	hg := sha256All(pad256(big.NewInt(srpG)))
	x := make([]byte, len(hp))
	for i := range x {
		x[i] = hp[i] ^ hg[i]
	}
	want := sha256All(x, sha256All(s.salt1), sha256All(s.salt2), ga, sess.gb, K)
	return subtle.ConstantTimeCompare(want, m1) == 1
}
