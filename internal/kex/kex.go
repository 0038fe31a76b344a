// Package kex is a client-side MTProto key exchange (req_pq_multi →
// req_DH_params with RSA_PAD → set_client_DH_params) built on gotd's
// primitives.
//
// It keeps every check the protocol requires
// (https://core.telegram.org/mtproto/auth_key): nonces and server nonces on
// every answer, the SHA1 of the encrypted answer, dh_prime a safe 2048-bit
// prime, g a generator of the right subgroup, g_a and g_b within
// (2^{2048-64}, dh_prime - 2^{2048-64}), new_nonce_hash on dh_gen_*. Two
// things make it fast where gotd's exchange is slow in a browser: Telegram's
// published dh_prime is recognised without Miller-Rabin (any other prime is
// proved once and remembered), and pq is factored with a uint64
// Pollard–Brent instead of big.Int arithmetic.
package kex

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/sha1" // #nosec G505 -- the protocol's hash
	"encoding/binary"
	"io"
	"math/big"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/ige"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/mt"

	"github.com/tgwasm/tgwasm/internal/client/mtconn"
)

// Errors that reject a server answer.
var (
	ErrNonce          = errors.New("nonce mismatch")
	ErrServerNonce    = errors.New("server_nonce mismatch")
	ErrFingerprint    = errors.New("no trusted public key matches the server's fingerprints")
	ErrAnswerHash     = errors.New("encrypted answer hash mismatch")
	ErrDHPrime        = errors.New("dh_prime is not a safe 2048-bit prime")
	ErrG              = errors.New("g does not generate the required subgroup")
	ErrGA             = errors.New("g_a out of range")
	ErrNewNonceHash   = errors.New("new_nonce_hash mismatch")
	ErrDHFail         = errors.New("server answered dh_gen_fail")
	ErrServerDHFail   = errors.New("server answered server_DH_params_fail")
	ErrTooManyRetries = errors.New("too many dh_gen_retry")
)

// Options configures Run.
type Options struct {
	// DC is written into p_q_inner_data_dc (callers add 10000 for test DCs).
	DC int
	// Keys are the trusted RSA keys; the server's fingerprints select one.
	Keys []PublicKey
	// Rand is the random source; crypto/rand when nil.
	Rand io.Reader
	// Now is the client clock for message ids; time.Now when nil.
	Now func() time.Time
	// Timeout bounds each read and write; 30s when zero.
	Timeout time.Duration
	// ModExp computes x^y mod m; math/big's Exp when nil. A browser build
	// passes one running on the JS engine's BigInt, which is about twice as
	// fast as math/big compiled to wasm.
	ModExp func(x, y, m *big.Int) *big.Int
	// Early is a DH exponent computed while the connection was being set
	// up (see Precompute); used when the server's g and dh_prime match.
	Early *Early
}

// Early is a client DH exponent b and g^b for Telegram's prime and g = 3,
// computed ahead of the exchange so that the work overlaps network waits.
type Early struct {
	done chan struct{}
	g    int
	b    *big.Int
	gB   *big.Int
	err  error
}

// Precompute starts computing b and g^b for Telegram's prime with g = 3 (what
// Telegram's DCs send) in a goroutine.
func Precompute(rnd io.Reader, modExp func(x, y, m *big.Int) *big.Int) *Early {
	if rnd == nil {
		rnd = crypto.DefaultRand()
	}
	if modExp == nil {
		modExp = func(x, y, m *big.Int) *big.Int { return new(big.Int).Exp(x, y, m) }
	}
	e := &Early{done: make(chan struct{}), g: 3}
	go func() {
		defer close(e.done)
		e.b, e.gB, e.err = randomExponent(rnd, big.NewInt(int64(e.g)), TelegramPrime, modExp)
	}()
	return e
}

// take returns the precomputed pair for g and prime, waiting for it.
func (e *Early) take(ctx context.Context, g int, prime *big.Int) (b, gB *big.Int, ok bool) {
	if e == nil || g != e.g || prime.Cmp(TelegramPrime) != 0 {
		return nil, nil, false
	}
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, nil, false
	}
	if e.err != nil {
		return nil, nil, false
	}
	return e.b, e.gB, true
}

// Result is a new permanent auth key.
type Result struct {
	Key crypto.AuthKey
	// Salt is the first server salt.
	Salt int64
	// ServerTime is the server's clock from server_DH_inner_data, taken
	// when the answer arrived: use it to correct the client clock.
	ServerTime time.Time
	// LocalTime is the client clock when ServerTime arrived.
	LocalTime time.Time
}

// Offset is how far the server clock is ahead of the client clock.
func (r Result) Offset() time.Duration { return r.ServerTime.Sub(r.LocalTime) }

type flow struct {
	conn  mtconn.Transport
	opt   Options
	buf   bin.Buffer
	msgID int64
}

// Run performs the key exchange on conn, which must be freshly dialled.
func Run(ctx context.Context, conn mtconn.Transport, opt Options) (Result, error) {
	if opt.Rand == nil {
		opt.Rand = crypto.DefaultRand()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.ModExp == nil {
		opt.ModExp = func(x, y, m *big.Int) *big.Int { return new(big.Int).Exp(x, y, m) }
	}
	if len(opt.Keys) == 0 {
		return Result{}, errors.New("no public keys")
	}
	f := &flow{conn: conn, opt: opt}
	return f.run(ctx)
}

func (f *flow) send(ctx context.Context, req bin.Encoder) error {
	f.buf.Reset()
	if err := req.Encode(&f.buf); err != nil {
		return errors.Wrap(err, "encode")
	}
	id := mtconn.MessageID(f.opt.Now())
	if id <= f.msgID {
		id = f.msgID + 4
	}
	f.msgID = id
	body := f.buf.Copy()
	f.buf.Reset()
	putPlain(&f.buf, id, body)
	ctx, cancel := context.WithTimeout(ctx, f.opt.Timeout)
	defer cancel()
	return f.conn.Send(ctx, &f.buf)
}

func (f *flow) recv(ctx context.Context) (*bin.Buffer, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opt.Timeout)
	defer cancel()
	f.buf.Reset()
	if err := f.conn.Recv(ctx, &f.buf); err != nil {
		return nil, err
	}
	id, body, err := readPlain(&f.buf)
	if err != nil {
		return nil, errors.Wrap(err, "decode unencrypted message")
	}
	if !mtconn.FromServer(id) {
		return nil, errors.Errorf("answer has msg_id %x, not a server's", id)
	}
	return &bin.Buffer{Buf: body}, nil
}

func (f *flow) run(ctx context.Context) (Result, error) {
	// 1. req_pq_multi
	nonce, err := crypto.RandInt128(f.opt.Rand)
	if err != nil {
		return Result{}, errors.Wrap(err, "nonce")
	}
	if err := f.send(ctx, &mt.ReqPqMultiRequest{Nonce: nonce}); err != nil {
		return Result{}, errors.Wrap(err, "send req_pq_multi")
	}
	b, err := f.recv(ctx)
	if err != nil {
		return Result{}, errors.Wrap(err, "read resPQ")
	}
	var res mt.ResPQ
	if err := res.Decode(b); err != nil {
		return Result{}, errors.Wrap(err, "decode resPQ")
	}
	if res.Nonce != nonce {
		return Result{}, errors.Wrap(ErrNonce, "resPQ")
	}
	serverNonce := res.ServerNonce
	key, ok := selectKey(f.opt.Keys, res.ServerPublicKeyFingerprints)
	if !ok {
		return Result{}, ErrFingerprint
	}

	// 2. proof of work: factor pq.
	if len(res.Pq) == 0 || len(res.Pq) > 8 {
		return Result{}, errors.Wrapf(ErrPQ, "pq is %d bytes", len(res.Pq))
	}
	var pqBytes [8]byte
	copy(pqBytes[8-len(res.Pq):], res.Pq)
	p, q, err := FactorPQ(binary.BigEndian.Uint64(pqBytes[:]), f.opt.Rand)
	if err != nil {
		return Result{}, err
	}
	pb, qb := trimmed(p), trimmed(q)

	// 3. req_DH_params with RSA_PAD(p_q_inner_data_dc).
	newNonce, err := crypto.RandInt256(f.opt.Rand)
	if err != nil {
		return Result{}, errors.Wrap(err, "new_nonce")
	}
	inner := mt.PQInnerDataDC{
		Pq:          res.Pq,
		P:           pb,
		Q:           qb,
		Nonce:       nonce,
		ServerNonce: serverNonce,
		NewNonce:    newNonce,
		DC:          f.opt.DC,
	}
	var ib bin.Buffer
	if err := inner.Encode(&ib); err != nil {
		return Result{}, errors.Wrap(err, "encode p_q_inner_data_dc")
	}
	encrypted, err := crypto.RSAPad(ib.Buf, key.RSA, f.opt.Rand)
	if err != nil {
		return Result{}, errors.Wrap(err, "rsa_pad")
	}
	if err := f.send(ctx, &mt.ReqDHParamsRequest{
		Nonce:                nonce,
		ServerNonce:          serverNonce,
		P:                    pb,
		Q:                    qb,
		PublicKeyFingerprint: key.Fingerprint(),
		EncryptedData:        encrypted,
	}); err != nil {
		return Result{}, errors.Wrap(err, "send req_DH_params")
	}
	if b, err = f.recv(ctx); err != nil {
		return Result{}, errors.Wrap(err, "read server_DH_params")
	}
	params, err := mt.DecodeServerDHParams(b)
	if err != nil {
		return Result{}, errors.Wrap(err, "decode server_DH_params")
	}
	var ok2 *mt.ServerDHParamsOk
	switch v := params.(type) {
	case *mt.ServerDHParamsOk:
		ok2 = v
	case *mt.ServerDHParamsFail:
		return Result{}, ErrServerDHFail
	default:
		return Result{}, errors.Errorf("unexpected %T", v)
	}
	if ok2.Nonce != nonce {
		return Result{}, errors.Wrap(ErrNonce, "server_DH_params_ok")
	}
	if ok2.ServerNonce != serverNonce {
		return Result{}, errors.Wrap(ErrServerNonce, "server_DH_params_ok")
	}
	tmpKey, tmpIV := crypto.TempAESKeys(newNonce.BigInt(), serverNonce.BigInt())
	dh, err := decryptInner(ok2.EncryptedAnswer, tmpKey, tmpIV)
	if err != nil {
		return Result{}, err
	}
	local := f.opt.Now()
	if dh.Nonce != nonce {
		return Result{}, errors.Wrap(ErrNonce, "server_DH_inner_data")
	}
	if dh.ServerNonce != serverNonce {
		return Result{}, errors.Wrap(ErrServerNonce, "server_DH_inner_data")
	}
	prime := new(big.Int).SetBytes(dh.DhPrime)
	if err := CheckPrime(dh.G, prime); err != nil {
		return Result{}, err
	}
	gA := new(big.Int).SetBytes(dh.GA)
	if !inSafeRange(gA, prime) {
		return Result{}, ErrGA
	}
	result := Result{ServerTime: time.Unix(int64(dh.ServerTime), 0), LocalTime: local}

	// 4. set_client_DH_params, retrying on dh_gen_retry.
	g := big.NewInt(int64(dh.G))
	var retryID int64
	early := f.opt.Early
	for attempt := 0; attempt < 4; attempt++ {
		bExp, gB, ok := early.take(ctx, dh.G, prime)
		early = nil // a retry needs a new b
		if !ok {
			var err error
			if bExp, gB, err = randomExponent(f.opt.Rand, g, prime, f.opt.ModExp); err != nil {
				return Result{}, err
			}
		}
		var cb bin.Buffer
		if err := (&mt.ClientDHInnerData{
			Nonce:       nonce,
			ServerNonce: serverNonce,
			RetryID:     retryID,
			GB:          gB.Bytes(),
		}).Encode(&cb); err != nil {
			return Result{}, errors.Wrap(err, "encode client_DH_inner_data")
		}
		enc, err := crypto.EncryptExchangeAnswer(f.opt.Rand, cb.Buf, tmpKey, tmpIV)
		if err != nil {
			return Result{}, errors.Wrap(err, "encrypt client_DH_inner_data")
		}
		if err := f.send(ctx, &mt.SetClientDHParamsRequest{
			Nonce:         nonce,
			ServerNonce:   serverNonce,
			EncryptedData: enc,
		}); err != nil {
			return Result{}, errors.Wrap(err, "send set_client_DH_params")
		}

		var authKey crypto.Key
		f.opt.ModExp(gA, bExp, prime).FillBytes(authKey[:])

		if b, err = f.recv(ctx); err != nil {
			return Result{}, errors.Wrap(err, "read dh_gen")
		}
		ans, err := mt.DecodeSetClientDHParamsAnswer(b)
		if err != nil {
			return Result{}, errors.Wrap(err, "decode dh_gen")
		}
		switch v := ans.(type) {
		case *mt.DhGenOk:
			if v.Nonce != nonce {
				return Result{}, errors.Wrap(ErrNonce, "dh_gen_ok")
			}
			if v.ServerNonce != serverNonce {
				return Result{}, errors.Wrap(ErrServerNonce, "dh_gen_ok")
			}
			if v.NewNonceHash1 != nonceHash(newNonce, 1, authKey) {
				return Result{}, errors.Wrap(ErrNewNonceHash, "dh_gen_ok")
			}
			result.Key = authKey.WithID()
			result.Salt = crypto.ServerSalt(newNonce, serverNonce)
			return result, nil
		case *mt.DhGenRetry:
			if v.Nonce != nonce || v.ServerNonce != serverNonce {
				return Result{}, errors.Wrap(ErrNonce, "dh_gen_retry")
			}
			if v.NewNonceHash2 != nonceHash(newNonce, 2, authKey) {
				return Result{}, errors.Wrap(ErrNewNonceHash, "dh_gen_retry")
			}
			aux := authKey.AuxHash()
			retryID = int64(binary.LittleEndian.Uint64(aux[:]))
		case *mt.DhGenFail:
			if v.NewNonceHash3 != nonceHash(newNonce, 3, authKey) {
				return Result{}, errors.Wrap(ErrNewNonceHash, "dh_gen_fail")
			}
			return Result{}, ErrDHFail
		default:
			return Result{}, errors.Errorf("unexpected %T", v)
		}
	}
	return Result{}, ErrTooManyRetries
}

func selectKey(keys []PublicKey, fingerprints []int64) (PublicKey, bool) {
	for _, fp := range fingerprints {
		for _, k := range keys {
			if k.RSA != nil && k.Fingerprint() == fp {
				return k, true
			}
		}
	}
	return PublicKey{}, false
}

func trimmed(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	i := 0
	for i < 7 && b[i] == 0 {
		i++
	}
	return append([]byte(nil), b[i:]...)
}

// decryptInner decrypts server_DH_inner_data and verifies
// answer_with_hash = SHA1(answer) + answer + (0..15 bytes of padding).
func decryptInner(encrypted, key, iv []byte) (*mt.ServerDHInnerData, error) {
	if len(encrypted) == 0 || len(encrypted)%aes.BlockSize != 0 {
		return nil, errors.Wrapf(ErrAnswerHash, "encrypted answer of %d bytes", len(encrypted))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, errors.Wrap(err, "aes")
	}
	plain := make([]byte, len(encrypted))
	ige.DecryptBlocks(block, iv, plain, encrypted)
	if len(plain) < sha1.Size+4 {
		return nil, ErrAnswerHash
	}
	answer := &bin.Buffer{Buf: plain[sha1.Size:]}
	var dh mt.ServerDHInnerData
	if err := dh.Decode(answer); err != nil {
		return nil, errors.Wrap(ErrAnswerHash, "undecodable server_DH_inner_data")
	}
	n := len(plain) - sha1.Size - answer.Len()
	if answer.Len() >= aes.BlockSize {
		return nil, errors.Wrap(ErrAnswerHash, "too much padding")
	}
	sum := sha1.Sum(plain[sha1.Size : sha1.Size+n]) // #nosec G401
	if !bytes.Equal(sum[:], plain[:sha1.Size]) {
		return nil, ErrAnswerHash
	}
	return &dh, nil
}

// nonceHash computes new_nonce_hash1/2/3: the last 128 bits of
// SHA1(new_nonce + byte(n) + auth_key_aux_hash).
func nonceHash(newNonce bin.Int256, n byte, key crypto.Key) bin.Int128 {
	aux := key.AuxHash()
	var buf []byte
	buf = append(buf, newNonce[:]...)
	buf = append(buf, n)
	buf = append(buf, aux[:]...)
	sum := sha1.Sum(buf) // #nosec G401
	var out bin.Int128
	copy(out[:], sum[4:20])
	return out
}

// randomExponent picks a 2048-bit b with g^b inside the safe range.
func randomExponent(rnd io.Reader, g, prime *big.Int, modExp func(x, y, m *big.Int) *big.Int) (b, gB *big.Int, err error) {
	raw := make([]byte, 256)
	for i := 0; i < 16; i++ {
		if _, err := io.ReadFull(rnd, raw); err != nil {
			return nil, nil, errors.Wrap(err, "random b")
		}
		b = new(big.Int).SetBytes(raw)
		gB = modExp(g, b, prime)
		if inSafeRange(gB, prime) {
			return b, gB, nil
		}
	}
	return nil, nil, errors.New("no usable b found")
}

// inSafeRange checks 1 < x < p-1 and 2^{2048-64} < x < p - 2^{2048-64}.
func inSafeRange(x, p *big.Int) bool {
	one := big.NewInt(1)
	if x.Cmp(one) <= 0 || x.Cmp(new(big.Int).Sub(p, one)) >= 0 {
		return false
	}
	low := new(big.Int).Lsh(one, 2048-64)
	high := new(big.Int).Sub(p, low)
	return x.Cmp(low) > 0 && x.Cmp(high) < 0
}
