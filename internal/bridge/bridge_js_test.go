//go:build js

package bridge

import (
	"crypto/pbkdf2"
	"crypto/sha512"
	"math/big"
	"testing"

	"syscall/js"

	"github.com/stretchr/testify/require"
)

func eval(t *testing.T, src string) js.Value {
	t.Helper()
	return js.Global().Call("eval", src)
}

// await waits for a promise and reports its outcome.
func await(t *testing.T, p js.Value) (value js.Value, reason js.Value, ok bool) {
	t.Helper()
	type result struct {
		v  js.Value
		ok bool
	}
	ch := make(chan result, 2)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any { ch <- result{args[0], true}; return nil })
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any { ch <- result{args[0], false}; return nil })
	defer onOK.Release()
	defer onErr.Release()
	p.Call("then", onOK, onErr)
	// A promise that never settles hangs here until go test's -timeout,
	// which names this line: no wall-clock bound a slow machine can miss.
	r := <-ch
	if r.ok {
		return r.v, js.Undefined(), true
	}
	return js.Undefined(), r.v, false
}

func TestPromiseResolves(t *testing.T) {
	base := LiveFuncs()
	v, _, ok := await(t, Promise(func() (any, any) {
		return &Object{Keys: []string{"className", "id", "bytes"}, Vals: []any{"User", BigInt(-7), Bytes{1, 2}}}, nil
	}))
	require.True(t, ok)
	require.Equal(t, "User", v.Get("className").String())
	require.Equal(t, "bigint", js.Global().Call("eval", "(v) => typeof v").Invoke(v.Get("id")).String())
	require.Equal(t, "-7", js.Global().Get("String").Invoke(v.Get("id")).String())
	require.True(t, v.Get("bytes").InstanceOf(jsUint8Array))
	require.Equal(t, 2, v.Get("bytes").Length())
	require.Equal(t, base, LiveFuncs(), "the executor released itself")
}

func TestPromiseRejects(t *testing.T) {
	_, reason, ok := await(t, Promise(func() (any, any) {
		return nil, ErrorInfo{Name: "RPCError", Code: 400, ErrorMessage: "X", Method: "m", Message: "400: X (caused by m)"}.Object()
	}))
	require.False(t, ok)
	require.Equal(t, "RPCError", reason.Get("name").String())
	require.Equal(t, 400, reason.Get("code").Int())
}

func TestPanicBecomesRejection(t *testing.T) {
	_, reason, ok := await(t, Promise(func() (any, any) { panic("kaput") }))
	require.False(t, ok)
	require.Equal(t, "Error", reason.Get("name").String())
	require.Equal(t, "internal error: kaput", reason.Get("message").String())
}

func TestJSExceptionBecomesRejection(t *testing.T) {
	thrower := eval(t, "() => { throw new RangeError('from JS') }")
	_, reason, ok := await(t, Promise(func() (any, any) {
		thrower.Invoke()
		return true, nil
	}))
	require.False(t, ok)
	require.Equal(t, "Error", reason.Get("name").String())
	require.Equal(t, "from JS", reason.Get("message").String())
}

// TestSettlesOnce swaps in a Promise whose resolve throws: the helper must
// not then also reject.
func TestSettlesOnce(t *testing.T) {
	saved := js.Global().Get("Promise")
	defer js.Global().Set("Promise", saved)
	counts := eval(t, "({ resolve: 0, reject: 0 })")
	js.Global().Set("__counts", counts)
	fake := eval(t, `(function (executor) {
		executor(
			() => { __counts.resolve++; throw new Error('resolve threw') },
			() => { __counts.reject++ },
		);
	})`)
	jsPromise = fake
	defer func() { jsPromise = saved }()
	// settledThen's then runs once the helper has done all it will do.
	settle := func(work func() (any, any)) {
		done := make(chan struct{})
		settledThen(work, func() { close(done) })
		<-done
	}
	settle(func() (any, any) { return true, nil })
	require.Equal(t, 1, counts.Get("resolve").Int())
	require.Equal(t, 0, counts.Get("reject").Int())

	settle(func() (any, any) { panic("after") })
	require.Equal(t, 1, counts.Get("reject").Int())
}

func TestNoLeakedFuncs(t *testing.T) {
	base := LiveFuncs()
	for i := 0; i < 500; i++ {
		await(t, Promise(func() (any, any) { return i, nil }))
	}
	require.Equal(t, base, LiveFuncs())
}

func TestJSValue(t *testing.T) {
	v := JSValue{eval(t, `({
		s: 'x', n: 1.5, b: true, big: 10n, u8: new Uint8Array([1, 2, 3]), arr: [1, 'a'],
		nul: null, fn() {}, sym: Symbol('s'),
		get bad() { throw new TypeError('getter exploded') },
	})`)}
	kinds := map[string]JSType{"s": String, "n": Number, "b": Boolean, "big": BigIntType, "u8": ObjectType,
		"arr": ObjectType, "nul": Null, "fn": Function, "sym": Symbol, "missing": Undefined}
	for k, want := range kinds {
		f, err := v.Get(k)
		require.NoError(t, err, k)
		require.Equal(t, want, f.Type(), k)
	}
	u8, _ := v.Get("u8")
	require.True(t, u8.IsBytes())
	require.Equal(t, []byte{1, 2, 3}, u8.Bytes())
	arr, _ := v.Get("arr")
	require.True(t, arr.IsArray())
	_, err := v.Get("bad")
	require.EqualError(t, err, "getter exploded")

	revoked := JSValue{eval(t, "(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()")}
	_, err = revoked.Keys()
	require.Error(t, err)
	frozen := JSValue{eval(t, "Object.freeze({ phoneNumber: '+1' })")}
	p, err := ParseSendCodeParams(frozen)
	require.NoError(t, err)
	require.Equal(t, "+1", p.PhoneNumber)

	trap := JSValue{eval(t, "new Proxy({}, { ownKeys() { throw new Error('trap') } })")}
	_, err = ParseSendCodeParams(trap)
	require.EqualError(t, err, "params could not be read: trap")
	_, err = ParseSendCodeParams(JSValue{eval(t, "({ get phoneNumber() { throw 'plain string thrown' } })")})
	require.EqualError(t, err, "phoneNumber could not be read: plain string thrown")
}

// A thrown value is read through Reflect too: a message getter that
// throws in turn gives String(value), and a toString that throws as well
// gives "(unprintable value)", as web/tgwasm/values.js#thrownText does.
func TestHostileThrownValues(t *testing.T) {
	for _, tt := range []struct{ thrown, want string }{
		{"new RangeError('plain')", "phoneNumber could not be read: plain"},
		{"{ message: 42, toString() { return 'by toString' } }", "phoneNumber could not be read: by toString"},
		{"{ get message() { throw new Error('not this') } }", "phoneNumber could not be read: [object Object]"},
		{"{ get message() { throw new Error('not this') }, toString() { throw new Error('nor this') } }", "phoneNumber could not be read: (unprintable value)"},
		{"Symbol('s')", "phoneNumber could not be read: Symbol(s)"},
		{"new Proxy({}, { get() { throw new Error('trap') } })", "phoneNumber could not be read: (unprintable value)"},
	} {
		_, err := ParseSendCodeParams(JSValue{eval(t, "({ get phoneNumber() { throw "+tt.thrown+" } })")})
		require.EqualError(t, err, tt.want, tt.thrown)
	}
}

func TestModuleRejectsBadOptions(t *testing.T) {
	m := NewModule()
	api := m.Value()
	hooks := eval(t, "({ state() {}, session() {} })")
	// tgwasm.js checked the options; anything else is its bug, said so.
	_, reason, ok := await(t, api.Call("start", eval(t, "({ apiId: 'x' })"), hooks))
	require.False(t, ok)
	require.Equal(t, "Error", reason.Get("name").String())
	require.Equal(t, "createClient: tgwasm internal error: malformed value from tgwasm.js: options.apiId must be a number, not a string", reason.Get("message").String())

	_, reason, ok = await(t, api.Call("start", eval(t, "({})"), hooks))
	require.False(t, ok, "start runs once per instance")
	require.Contains(t, reason.Get("message").String(), "already runs a client")
	m.release()
}

func TestArithmeticHooks(t *testing.T) {
	modPow := eval(t, `(function (x, y, m) {
		const M = BigInt('0x' + m); let b = BigInt('0x' + x) % M; let e = BigInt('0x' + y); let r = 1n;
		while (e > 0n) { if (e & 1n) r = r * b % M; b = b * b % M; e >>= 1n; }
		return r.toString(16);
	})`)
	f := ModExpHook(modPow)
	require.NotNil(t, f)
	x, _ := new(big.Int).SetString("123456789abcdef0123456789abcdef", 16)
	y, _ := new(big.Int).SetString("fedcba9876543210fedcba98765432100000000000001", 16)
	m, _ := new(big.Int).SetString("c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f", 16)
	require.Equal(t, new(big.Int).Exp(x, y, m), f(x, y, m))

	require.Nil(t, ModExpHook(eval(t, "(function () { return '1' })")), "a wrong modPow fails the self-check")
	require.Nil(t, ModExpHook(eval(t, "(function () { throw new Error('no') })")))
	require.Nil(t, ModExpHook(js.Undefined()))

	kdf := PBKDF2Hook(eval(t, `(async function (password, salt, iterations, keyLen) {
		const key = await crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
		return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-512', salt, iterations }, key, keyLen * 8));
	})`))
	require.NotNil(t, kdf)
	base := LiveFuncs()
	got, err := kdf([]byte("password"), []byte("salt"), 1000, 64)
	require.NoError(t, err)
	want, err := pbkdf2.Key(sha512.New, "password", []byte("salt"), 1000, 64)
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.Equal(t, base, LiveFuncs(), "callbacks released")
	_, err = PBKDF2Hook(eval(t, "(async function () { throw new Error('denied') })"))([]byte("p"), []byte("s"), 1, 64)
	require.ErrorContains(t, err, "denied")
}
