//go:build !js

package client

import (
	"crypto/rand"
	"testing"

	"github.com/gotd/td/crypto/srp"
	"github.com/gotd/td/tg"
	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client/tl"
	"github.com/tgwasm/tgwasm/internal/kex"
)

// TestSRPMatchesGotd checks srpHash against gotd's crypto/srp.
func TestSRPMatchesGotd(t *testing.T) {
	oracle := &tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow{
		Salt1: []byte("salt one, with the client's part"),
		Salt2: []byte("salt two"),
		G:     3,
		P:     kex.TelegramPrime.Bytes(),
	}
	algo := &tl.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow{Salt1: oracle.Salt1, Salt2: oracle.Salt2, G: oracle.G, P: oracle.P}
	for i := 0; i < 3; i++ {
		random := make([]byte, 256)
		_, _ = rand.Read(random)
		srpB := make([]byte, 256)
		_, _ = rand.Read(srpB)
		srpB[0] &= 0x7f // below p
		want, err := srp.NewSRP(rand.Reader).Hash([]byte("hunter2"), srpB, random, srp.Input(*oracle))
		require.NoError(t, err)
		o := &Options{APIID: 1, APIHash: "x", Network: 0}
		require.NoError(t, o.setDefaults())
		a, m1, err := srpHash([]byte("hunter2"), srpB, random, algo, o.ModExp, o.PBKDF2SHA512)
		require.NoError(t, err)
		require.Equal(t, want.A, a)
		require.Equal(t, want.M1, m1)
	}
	bad := *algo
	bad.G = 2 // not a generator of the right subgroup for this prime
	o := &Options{APIID: 1, APIHash: "x"}
	require.NoError(t, o.setDefaults())
	_, _, err := srpHash([]byte("x"), []byte{1}, make([]byte, 256), &bad, o.ModExp, o.PBKDF2SHA512)
	require.Error(t, err)
}
