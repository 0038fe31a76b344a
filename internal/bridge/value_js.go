//go:build js

package bridge

import (
	"fmt"
	"syscall/js"

	"github.com/go-faster/errors"
)

var (
	jsArray      = js.Global().Get("Array")
	jsObject     = js.Global().Get("Object")
	jsUint8Array = js.Global().Get("Uint8Array")
	jsBigInt     = js.Global().Get("BigInt")
	jsPromise    = js.Global().Get("Promise")
	jsReflect    = js.Global().Get("Reflect")
	jsString     = js.Global().Get("String")
	jsSetTimeout = js.Global().Get("setTimeout")
	jsToString   = jsObject.Get("prototype").Get("toString")
	jsSlice      = jsUint8Array.Get("prototype").Get("slice")
)

// JSValue never uses js.Value.Get/Index/InstanceOf on page values: those
// run getters and proxy traps outside wasm_exec.js's try/catch, so a throw
// would crash the program. Everything that can run page code goes through
// Call/Invoke, whose exceptions become recoverable js.Error panics.

// JSValue is a Value backed by a js.Value. Every access that can run page
// code (getters, proxies) turns a thrown exception into an error.
type JSValue struct{ V js.Value }

// catch runs f and turns a JS exception (a Go panic of js.Error) into err.
func catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = exceptionError(r)
		}
	}()
	f()
	return nil
}

// exceptionError describes a recovered panic, JS or Go.
func exceptionError(r any) error {
	if jsErr, ok := r.(js.Error); ok {
		return errors.New(thrownText(jsErr.Value))
	}
	if err, ok := r.(error); ok {
		return err
	}
	return errors.New(fmt.Sprint(r))
}

// thrownText is what a thrown value says: its message when that is a
// string, else String(value); "(unprintable value)" when reading either
// throws in turn. web/tgwasm/values.js#thrownText applies the same rule in
// worker mode. The message is read with Reflect.get, as every page value
// is: js.Value.Get would run a throwing getter outside any try/catch.
func thrownText(v js.Value) string {
	if v.Type() == js.TypeObject {
		var m js.Value
		if catchJS(func() { m = jsReflect.Call("get", v, "message") }) && m.Type() == js.TypeString {
			return m.String()
		}
	}
	var s string
	if catchJS(func() { s = jsString.Invoke(v).String() }) {
		return s
	}
	return "(unprintable value)"
}

// catchJS runs f and reports whether it returned without a JS exception.
func catchJS(f func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, isJS := r.(js.Error); !isJS {
				panic(r)
			}
		}
	}()
	f()
	return true
}

// JSType implements Value. BigInt is the one JS type syscall/js cannot name:
// Type panics on it.
func (v JSValue) Type() (k JSType) {
	defer func() {
		if recover() != nil {
			k = BigIntType
		}
	}()
	switch v.V.Type() {
	case js.TypeUndefined:
		return Undefined
	case js.TypeNull:
		return Null
	case js.TypeBoolean:
		return Boolean
	case js.TypeNumber:
		return Number
	case js.TypeString:
		return String
	case js.TypeSymbol:
		return Symbol
	case js.TypeFunction:
		return Function
	default:
		return ObjectType
	}
}

func (v JSValue) Bool() bool     { return v.V.Bool() }
func (v JSValue) Float() float64 { return v.V.Float() }
func (v JSValue) Str() string    { return v.V.String() }

func (v JSValue) IsArray() (ok bool) {
	_ = catch(func() { ok = jsArray.Call("isArray", v.V).Bool() })
	return ok
}

func (v JSValue) IsBytes() (ok bool) {
	_ = catch(func() { ok = jsToString.Call("call", v.V).String() == "[object Uint8Array]" })
	return ok
}

// Bytes copies through Uint8Array.prototype.slice, which yields a genuine
// Uint8Array even for a proxy.
func (v JSValue) Bytes() []byte {
	b := []byte{}
	_ = catch(func() {
		c := jsSlice.Call("call", v.V)
		b = make([]byte, c.Length())
		js.CopyBytesToGo(b, c)
	})
	return b
}

func (v JSValue) Len() (n int, err error) {
	err = catch(func() {
		l := jsReflect.Call("get", v.V, "length")
		if l.Type() != js.TypeNumber {
			panic(errors.New("length is not a number"))
		}
		n = l.Int()
	})
	return n, err
}

func (v JSValue) Index(i int) (out Value, err error) {
	err = catch(func() { out = JSValue{jsReflect.Call("get", v.V, i)} })
	return out, err
}

func (v JSValue) Get(key string) (out Value, err error) {
	err = catch(func() { out = JSValue{jsReflect.Call("get", v.V, key)} })
	return out, err
}

func (v JSValue) Keys() (keys []string, err error) {
	err = catch(func() {
		arr := jsObject.Call("keys", v.V)
		n := arr.Length()
		keys = make([]string, n)
		for i := range keys {
			keys[i] = arr.Index(i).String()
		}
	})
	return keys, err
}

// ToJS converts a value of the Object model to JS.
func ToJS(v any) js.Value {
	switch v := v.(type) {
	case nil:
		return js.Undefined()
	case *Object:
		if v == nil {
			return js.Undefined()
		}
		o := jsObject.New()
		for i, k := range v.Keys {
			o.Set(k, ToJS(v.Vals[i]))
		}
		return o
	case BigInt:
		return jsBigInt.Invoke(fmt.Sprint(int64(v)))
	case Bytes:
		a := jsUint8Array.New(len(v))
		js.CopyBytesToJS(a, v)
		return a
	case []any:
		a := jsArray.New(len(v))
		for i, e := range v {
			a.SetIndex(i, ToJS(e))
		}
		return a
	case bool, int, float64, string:
		return js.ValueOf(v)
	case js.Value:
		return v
	}
	return js.ValueOf(fmt.Sprint(v))
}
