package kex

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"sync"

	"github.com/go-faster/errors"
	"github.com/gotd/td/crypto"
)

// TelegramPrime is the 2048-bit safe prime Telegram's servers use for the
// key exchange and for SRP (published at core.telegram.org/api/srp).
var TelegramPrime, _ = new(big.Int).SetString(""+
	"C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F"+
	"48198A0AA7C14058229493D22530F4DBFA336F6E0AC925139543AED44CCE7C37"+
	"20FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454F18FAF8C595F64"+
	"2477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4"+
	"A4A695811051907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754"+
	"FD17ED950D5965B4B9DD46582DB1178D169C6BC465B0D6FF9CA3928FEF5B9AE4"+
	"E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F"+
	"0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B", 16)

var primes = struct {
	sync.Mutex
	safe map[[32]byte]bool // verdicts of full checks
}{safe: map[[32]byte]bool{}}

// CheckPrime checks that p is a safe 2048-bit prime (p and (p-1)/2 prime)
// and that g is one of 2..7 and generates the subgroup of order (p-1)/2.
//
// Telegram's published prime is known to be safe and is accepted without
// Miller-Rabin; any other prime is tested once (64 rounds on p and on
// (p-1)/2, as TDLib does) and the verdict is cached for the process.
func CheckPrime(g int, p *big.Int) error {
	if p.BitLen() != crypto.RSAKeyBits {
		return errors.Wrapf(ErrDHPrime, "%d bits", p.BitLen())
	}
	if err := crypto.CheckGP(g, p); err != nil {
		return fmt.Errorf("%w: %w", ErrG, err)
	}
	if p.Cmp(TelegramPrime) == 0 {
		return nil
	}
	sum := sha256.Sum256(p.Bytes())
	primes.Lock()
	verdict, known := primes.safe[sum]
	primes.Unlock()
	if !known {
		verdict = isSafePrime(p)
		primes.Lock()
		primes.safe[sum] = verdict
		primes.Unlock()
	}
	if !verdict {
		return ErrDHPrime
	}
	return nil
}

func isSafePrime(p *big.Int) bool {
	if !p.ProbablyPrime(64) {
		return false
	}
	half := new(big.Int).Rsh(new(big.Int).Sub(p, big.NewInt(1)), 1)
	return half.ProbablyPrime(64)
}

// PrimeChecks reports how many primes have been fully tested (for tests
// and benchmarks: Telegram's prime never is).
func PrimeChecks() int {
	primes.Lock()
	defer primes.Unlock()
	return len(primes.safe)
}
