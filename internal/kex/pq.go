package kex

import (
	"encoding/binary"
	"io"
	"math/bits"

	"github.com/go-faster/errors"
)

// ErrPQ reports a pq the client cannot or will not factor.
var ErrPQ = errors.New("bad pq")

// mulmod returns a*b mod m for a, b < m.
func mulmod(a, b, m uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	_, rem := bits.Div64(hi, lo, m) // hi < m because a, b < m
	return rem
}

// addmod returns a+b mod m for a, b < m.
func addmod(a, b, m uint64) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 || s >= m {
		s -= m
	}
	return s
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

// FactorPQ splits pq into p < q with Pollard–Brent rho on uint64 (the
// proof of work of the key exchange: pq is a product of two primes below
// 2^32). It reads random start values from rnd.
func FactorPQ(pq uint64, rnd io.Reader) (p, q uint64, err error) {
	if pq < 6 {
		return 0, 0, errors.Wrapf(ErrPQ, "pq %d too small", pq)
	}
	if pq%2 == 0 {
		return order(2, pq/2)
	}
	var seed [16]byte
	for attempt := 0; attempt < 64; attempt++ {
		if _, err := io.ReadFull(rnd, seed[:]); err != nil {
			return 0, 0, errors.Wrap(err, "random")
		}
		y := binary.LittleEndian.Uint64(seed[:8]) % pq
		c := binary.LittleEndian.Uint64(seed[8:])%(pq-1) + 1
		if d := brent(pq, y, c); d != 1 && d != pq {
			return order(d, pq/d)
		}
	}
	return 0, 0, errors.Wrapf(ErrPQ, "no factor of %d found", pq)
}

func order(a, b uint64) (uint64, uint64, error) {
	if a > b {
		a, b = b, a
	}
	if a < 2 {
		return 0, 0, ErrPQ
	}
	return a, b, nil
}

// brent runs one Pollard–Brent cycle with f(x) = x² + c. It returns a
// divisor of n, possibly 1 or n when the cycle failed.
func brent(n, y, c uint64) uint64 {
	const m = 128
	// Bound the work so that a hostile pq cannot stall the client: a
	// 64-bit semiprime needs about 2^16 steps.
	const maxSteps = 1 << 22
	f := func(x uint64) uint64 { return addmod(mulmod(x, x, n), c, n) }
	var x, ys uint64
	g, r, q := uint64(1), uint64(1), uint64(1)
	steps := 0
	for g == 1 {
		x = y
		for i := uint64(0); i < r; i++ {
			y = f(y)
		}
		for k := uint64(0); k < r && g == 1; k += m {
			ys = y
			lim := m
			if r-k < m {
				lim = int(r - k)
			}
			for i := 0; i < lim; i++ {
				y = f(y)
				q = mulmod(q, absDiff(x, y), n)
			}
			g = gcd(q, n)
			steps += lim
		}
		r *= 2
		if steps > maxSteps {
			return 1
		}
	}
	if g == n {
		for i := 0; i < maxSteps; i++ {
			ys = f(ys)
			g = gcd(absDiff(x, ys), n)
			if g != 1 {
				break
			}
		}
	}
	return g
}
