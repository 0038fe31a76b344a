//go:build js

package bridge

import (
	"math/big"
	"syscall/js"

	"github.com/go-faster/errors"
)

// ModExpHook adapts the page's modPow(xHex, yHex, mHex) → hex. It returns
// nil (math/big is used) when fn is not a function or fails a self-check;
// a later failure falls back to math/big for that call.
func ModExpHook(fn js.Value) func(x, y, m *big.Int) *big.Int {
	if (JSValue{fn}).Type() != Function {
		return nil
	}
	call := func(x, y, m *big.Int) (*big.Int, bool) {
		var out *big.Int
		ok := false
		err := catch(func() {
			r := fn.Invoke(x.Text(16), y.Text(16), m.Text(16))
			if r.Type() == js.TypeString {
				out, ok = new(big.Int).SetString(r.String(), 16)
			}
		})
		return out, err == nil && ok
	}
	// 3^(2^64+1) mod (2^127-1), compared with math/big.
	x, y := big.NewInt(3), new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(1))
	m := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
	if got, ok := call(x, y, m); !ok || got.Cmp(new(big.Int).Exp(x, y, m)) != 0 {
		return nil
	}
	return func(x, y, m *big.Int) *big.Int {
		if got, ok := call(x, y, m); ok {
			return got
		}
		return new(big.Int).Exp(x, y, m)
	}
}

// PBKDF2Hook adapts the page's async pbkdf2(password, salt, iterations,
// keyLen) → Promise<Uint8Array> (WebCrypto); nil when there is none.
func PBKDF2Hook(fn js.Value) func(password, salt []byte, iterations, keyLen int) ([]byte, error) {
	if (JSValue{fn}).Type() != Function {
		return nil
	}
	return func(password, salt []byte, iterations, keyLen int) ([]byte, error) {
		r := <-awaitJS(func() js.Value {
			return fn.Invoke(ToJS(Bytes(password)), ToJS(Bytes(salt)), iterations, keyLen)
		})
		if r.err != nil {
			return nil, errors.Wrap(r.err, "pbkdf2")
		}
		v := JSValue{r.v}
		if !v.IsBytes() {
			return nil, errors.New("pbkdf2 did not give a Uint8Array")
		}
		b := v.Bytes()
		if len(b) != keyLen {
			return nil, errors.Errorf("pbkdf2 gave %d bytes, want %d", len(b), keyLen)
		}
		return b, nil
	}
}

// settled is what a JS promise came to.
type settled struct {
	v   js.Value
	err error // the rejection, described (thrownText)
}

// awaitJS calls start, which returns a promise (or throws), and delivers
// what it settles to. The channel receives exactly one value.
func awaitJS(start func() js.Value) <-chan settled {
	ch := make(chan settled, 1)
	var onOK, onErr js.Func
	release := func() {
		ReleaseFunc(onOK)
		ReleaseFunc(onErr)
	}
	onOK = NewFunc(func(_ js.Value, args []js.Value) any {
		release()
		ch <- settled{v: arg(args, 0)}
		return nil
	})
	onErr = NewFunc(func(_ js.Value, args []js.Value) any {
		release()
		ch <- settled{err: errors.New(thrownText(arg(args, 0)))}
		return nil
	})
	if err := catch(func() { jsPromise.Call("resolve", start()).Call("then", onOK, onErr) }); err != nil {
		release()
		ch <- settled{err: err}
	}
	return ch
}
