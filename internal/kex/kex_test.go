package kex

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/exchange"
	"github.com/gotd/td/mt"
	"github.com/gotd/td/proto"
	"github.com/gotd/td/transport"
	"github.com/stretchr/testify/require"
)

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

func serverKey(t testing.TB) *rsa.PrivateKey {
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, crypto.RSAKeyBits)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

func TestFactorPQ(t *testing.T) {
	for _, tt := range []struct {
		pq   uint64
		p, q uint64
	}{
		{0x17ED48941A08F981, 0x494C553B, 0x53911073},
		{15, 3, 5},
		{2 * 4294967291, 2, 4294967291},
		{4294967279 * 4294967291, 4294967279, 4294967291}, // two largest primes below 2^32
		{1000000007 * 998244353, 998244353, 1000000007},
	} {
		p, q, err := FactorPQ(tt.pq, rand.Reader)
		require.NoError(t, err, "pq=%d", tt.pq)
		require.Equal(t, tt.p, p, "pq=%d", tt.pq)
		require.Equal(t, tt.q, q, "pq=%d", tt.pq)
	}
	_, _, err := FactorPQ(4, rand.Reader)
	require.ErrorIs(t, err, ErrPQ)
	_, _, err = FactorPQ(4294967291, rand.Reader) // a prime has no split
	require.ErrorIs(t, err, ErrPQ)
}

// TestAgainstGotdServer runs the exchange against gotd's own server flow
// (the one tgtest uses) over an in-memory connection.
func TestAgainstGotdServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	key := serverKey(t)
	client, server := transport.Intermediate.Pipe()

	type srvResult struct {
		r   exchange.ServerExchangeResult
		err error
	}
	done := make(chan srvResult, 1)
	go func() {
		r, err := exchange.NewExchanger(server, 2).Server(exchange.PrivateKey{RSA: key}).Run(ctx)
		done <- srvResult{r, err}
	}()

	checks := PrimeChecks()
	res, err := Run(ctx, client, Options{DC: 2, Keys: []PublicKey{{RSA: &key.PublicKey}}})
	require.NoError(t, err)
	sr := <-done
	require.NoError(t, sr.err)
	require.Equal(t, sr.r.Key, res.Key)
	require.Equal(t, sr.r.ServerSalt, res.Salt)
	require.Less(t, res.Offset().Abs(), 2*time.Second)
	require.Equal(t, checks, PrimeChecks(), "Telegram's prime must not be Miller-Rabin tested")
}

// fakeServer is a scriptable server side of the exchange.
type fakeServer struct {
	key    *rsa.PrivateKey
	tamper func(step string, v any)
	prime  *big.Int
	g      int
	ga     *big.Int // override
	retry  int      // answer dh_gen_retry this many times
	offset time.Duration
}

func (s *fakeServer) run(ctx context.Context, conn transport.Conn) error {
	var b bin.Buffer
	read := func(d bin.Decoder) error {
		b.Reset()
		if err := conn.Recv(ctx, &b); err != nil {
			return err
		}
		var m proto.UnencryptedMessage
		if err := m.Decode(&b); err != nil {
			return err
		}
		return d.Decode(&bin.Buffer{Buf: m.MessageData})
	}
	write := func(e bin.Encoder) error {
		var body bin.Buffer
		if err := e.Encode(&body); err != nil {
			return err
		}
		m := proto.UnencryptedMessage{
			MessageID:   int64(proto.NewMessageID(time.Now(), proto.MessageServerResponse)),
			MessageData: body.Buf,
		}
		b.Reset()
		if err := m.Encode(&b); err != nil {
			return err
		}
		return conn.Send(ctx, &b)
	}
	tamper := func(step string, v any) {
		if s.tamper != nil {
			s.tamper(step, v)
		}
	}

	var req mt.ReqPqMultiRequest
	if err := read(&req); err != nil {
		return err
	}
	serverNonce, _ := crypto.RandInt128(rand.Reader)
	resPQ := &mt.ResPQ{
		Nonce:                       req.Nonce,
		ServerNonce:                 serverNonce,
		Pq:                          big.NewInt(0x17ED48941A08F981).Bytes(),
		ServerPublicKeyFingerprints: []int64{crypto.RSAFingerprint(&s.key.PublicKey)},
	}
	tamper("resPQ", resPQ)
	if err := write(resPQ); err != nil {
		return err
	}

	var dhReq mt.ReqDHParamsRequest
	if err := read(&dhReq); err != nil {
		return err
	}
	raw, err := crypto.DecodeRSAPad(dhReq.EncryptedData, s.key)
	if err != nil {
		return err
	}
	var inner mt.PQInnerDataDC
	if err := inner.Decode(&bin.Buffer{Buf: raw}); err != nil {
		return err
	}
	prime := s.prime
	if prime == nil {
		prime = TelegramPrime
	}
	g := s.g
	if g == 0 {
		g = 3
	}
	aRaw := make([]byte, 256)
	_, _ = rand.Read(aRaw)
	a := new(big.Int).SetBytes(aRaw)
	ga := new(big.Int).Exp(big.NewInt(int64(g)), a, prime)
	if s.ga != nil {
		ga = s.ga
	}
	dh := &mt.ServerDHInnerData{
		Nonce:       req.Nonce,
		ServerNonce: serverNonce,
		G:           g,
		DhPrime:     prime.Bytes(),
		GA:          ga.Bytes(),
		ServerTime:  int(time.Now().Add(s.offset).Unix()),
	}
	tamper("inner", dh)
	var db bin.Buffer
	if err := dh.Encode(&db); err != nil {
		return err
	}
	tmpKey, tmpIV := crypto.TempAESKeys(inner.NewNonce.BigInt(), serverNonce.BigInt())
	withHash, err := crypto.DataWithHash(db.Buf, rand.Reader)
	if err != nil {
		return err
	}
	tamper("answerWithHash", withHash)
	enc := aesIGE(tmpKey, tmpIV, withHash)
	ok := &mt.ServerDHParamsOk{Nonce: req.Nonce, ServerNonce: serverNonce, EncryptedAnswer: enc}
	tamper("dhParamsOk", ok)
	if err := write(ok); err != nil {
		return err
	}

	for {
		var set mt.SetClientDHParamsRequest
		if err := read(&set); err != nil {
			return err
		}
		plain, err := crypto.DecryptExchangeAnswer(set.EncryptedData, tmpKey, tmpIV)
		if err != nil {
			return err
		}
		var cdh mt.ClientDHInnerData
		if err := cdh.Decode(&bin.Buffer{Buf: plain}); err != nil {
			return err
		}
		var authKey crypto.Key
		new(big.Int).Exp(new(big.Int).SetBytes(cdh.GB), a, prime).FillBytes(authKey[:])
		if s.retry > 0 {
			s.retry--
			if err := write(&mt.DhGenRetry{Nonce: req.Nonce, ServerNonce: serverNonce,
				NewNonceHash2: nonceHash(inner.NewNonce, 2, authKey)}); err != nil {
				return err
			}
			continue
		}
		genOk := &mt.DhGenOk{Nonce: req.Nonce, ServerNonce: serverNonce, NewNonceHash1: crypto.NonceHash1(inner.NewNonce, authKey)}
		tamper("dhGenOk", genOk)
		return write(genOk)
	}
}

func aesIGE(key, iv, data []byte) []byte {
	out, err := encryptIGE(key, iv, data)
	if err != nil {
		panic(err)
	}
	return out
}

func runFake(t *testing.T, s *fakeServer) (Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if s.key == nil {
		s.key = serverKey(t)
	}
	client, server := transport.Intermediate.Pipe()
	go func() {
		_ = s.run(ctx, server)
		_ = server.Close()
	}()
	defer func() { _ = client.Close() }()
	return Run(ctx, client, Options{DC: 2, Keys: []PublicKey{{RSA: &s.key.PublicKey}}, Timeout: 20 * time.Second})
}

func TestFakeServerHappyPath(t *testing.T) {
	res, err := runFake(t, &fakeServer{offset: time.Hour})
	require.NoError(t, err)
	require.False(t, res.Key.Zero())
	require.InDelta(t, float64(time.Hour), float64(res.Offset()), float64(2*time.Second))
}

func TestRetry(t *testing.T) {
	res, err := runFake(t, &fakeServer{retry: 2})
	require.NoError(t, err)
	require.False(t, res.Key.Zero())
}

func TestRefusals(t *testing.T) {
	key := serverKey(t)
	otherKey, err := rsa.GenerateKey(rand.Reader, crypto.RSAKeyBits)
	require.NoError(t, err)

	one := big.NewInt(1)
	pMinusOne := new(big.Int).Sub(TelegramPrime, one)
	smallGA := new(big.Int).Lsh(one, 2048-65) // below 2^{2048-64}

	// A 2048-bit prime that is not safe: (p-1)/2 is even for p ≡ 1 mod 4.
	unsafe := findUnsafePrime(t)
	composite := new(big.Int).Add(TelegramPrime, big.NewInt(2))

	for _, tt := range []struct {
		name string
		srv  *fakeServer
		want error
	}{
		{"wrong nonce in resPQ", &fakeServer{tamper: func(step string, v any) {
			if step == "resPQ" {
				v.(*mt.ResPQ).Nonce[0] ^= 1
			}
		}}, ErrNonce},
		{"unknown fingerprint", &fakeServer{key: key, tamper: func(step string, v any) {
			if step == "resPQ" {
				v.(*mt.ResPQ).ServerPublicKeyFingerprints = []int64{crypto.RSAFingerprint(&otherKey.PublicKey)}
			}
		}}, ErrFingerprint},
		{"wrong server nonce in server_DH_params_ok", &fakeServer{tamper: func(step string, v any) {
			if step == "dhParamsOk" {
				v.(*mt.ServerDHParamsOk).ServerNonce[3] ^= 1
			}
		}}, ErrServerNonce},
		{"wrong nonce in server_DH_inner_data", &fakeServer{tamper: func(step string, v any) {
			if step == "inner" {
				v.(*mt.ServerDHInnerData).Nonce[5] ^= 1
			}
		}}, ErrNonce},
		{"bad answer hash", &fakeServer{tamper: func(step string, v any) {
			if step == "answerWithHash" {
				v.([]byte)[0] ^= 0xff
			}
		}}, ErrAnswerHash},
		{"non-safe prime", &fakeServer{prime: unsafe, g: 4}, ErrDHPrime},
		{"composite prime", &fakeServer{prime: composite, g: 4}, ErrDHPrime},
		{"short prime", &fakeServer{prime: new(big.Int).Rsh(TelegramPrime, 1), g: 4}, ErrDHPrime},
		{"g outside 2..7", &fakeServer{g: 9}, ErrG},
		{"g not a generator of the subgroup", &fakeServer{g: 2}, ErrG},
		{"g_a = 1", &fakeServer{ga: one}, ErrGA},
		{"g_a = p-1", &fakeServer{ga: pMinusOne}, ErrGA},
		{"g_a below 2^{2048-64}", &fakeServer{ga: smallGA}, ErrGA},
		{"g_a above p - 2^{2048-64}", &fakeServer{ga: new(big.Int).Sub(TelegramPrime, smallGA)}, ErrGA},
		{"wrong new_nonce_hash1", &fakeServer{tamper: func(step string, v any) {
			if step == "dhGenOk" {
				v.(*mt.DhGenOk).NewNonceHash1[0] ^= 1
			}
		}}, ErrNewNonceHash},
		{"wrong server nonce in dh_gen_ok", &fakeServer{tamper: func(step string, v any) {
			if step == "dhGenOk" {
				v.(*mt.DhGenOk).ServerNonce[0] ^= 1
			}
		}}, ErrServerNonce},
		{"endless dh_gen_retry", &fakeServer{retry: 100}, ErrTooManyRetries},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runFake(t, tt.srv)
			require.ErrorIs(t, err, tt.want)
		})
	}
}

// findUnsafePrime returns a 2048-bit prime p ≡ 1 mod 4, so (p-1)/2 is even.
func findUnsafePrime(t *testing.T) *big.Int {
	for {
		p, err := rand.Prime(rand.Reader, 2048)
		require.NoError(t, err)
		if p.Bit(1) == 0 { // p ≡ 1 mod 4
			return p
		}
	}
}

func TestCheckPrimeCachesVerdicts(t *testing.T) {
	before := PrimeChecks()
	require.NoError(t, CheckPrime(3, TelegramPrime))
	require.Equal(t, before, PrimeChecks())
}

func BenchmarkRun(b *testing.B) {
	key := serverKey(b)
	for i := 0; i < b.N; i++ {
		client, server := transport.Intermediate.Pipe()
		ctx := context.Background()
		go func() {
			_, _ = exchange.NewExchanger(server, 2).Server(exchange.PrivateKey{RSA: key}).Run(ctx)
		}()
		if _, err := Run(ctx, client, Options{DC: 2, Keys: []PublicKey{{RSA: &key.PublicKey}}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFactorPQ(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, _, err := FactorPQ(0x17ED48941A08F981, rand.Reader); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPrecomputed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	key := serverKey(t)
	client, server := transport.Intermediate.Pipe()
	go func() {
		_, _ = exchange.NewExchanger(server, 2).Server(exchange.PrivateKey{RSA: key}).Run(ctx)
	}()
	calls := 0
	modExp := func(x, y, m *big.Int) *big.Int { calls++; return new(big.Int).Exp(x, y, m) }
	early := Precompute(rand.Reader, modExp)
	<-early.done
	require.Equal(t, 1, calls)
	res, err := Run(ctx, client, Options{DC: 2, Keys: []PublicKey{{RSA: &key.PublicKey}}, ModExp: modExp, Early: early})
	require.NoError(t, err)
	require.False(t, res.Key.Zero())
	require.Equal(t, 2, calls, "the exchange used g^b from Precompute and computed only the key")

	// Other parameters: the precomputed pair is not used.
	other := Precompute(rand.Reader, nil)
	_, _, ok := other.take(ctx, 2, TelegramPrime)
	require.False(t, ok, "another g")
	_, _, ok = other.take(ctx, 3, new(big.Int).Add(TelegramPrime, big.NewInt(2)))
	require.False(t, ok, "another prime")
	_, _, ok = other.take(ctx, 3, TelegramPrime)
	require.True(t, ok)
	var none *Early
	_, _, ok = none.take(ctx, 3, TelegramPrime)
	require.False(t, ok)
}
