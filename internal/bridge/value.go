// Package bridge is every crossing between Go and JavaScript: arguments in,
// results and errors out, and the Promise plumbing.
//
// Conversion logic is pure Go over small value models (this file and
// Value) so that it runs and is tested natively; only the *_js.go files
// touch syscall/js.
package bridge

// Object is a JS plain object with ordered keys.
type Object struct {
	Keys []string
	Vals []any
}

// Set appends a key. (Not inlined: the generated converters call it for
// every field, and inlining the appends would multiply their code.)
//
//go:noinline
func (o *Object) Set(k string, v any) {
	o.Keys = append(o.Keys, k)
	o.Vals = append(o.Vals, v)
}

// Get returns the value of k.
func (o *Object) Get(k string) (any, bool) {
	for i, key := range o.Keys {
		if key == k {
			return o.Vals[i], true
		}
	}
	return nil, false
}

// BigInt is a JS BigInt (TL long).
type BigInt int64

// Bytes is a JS Uint8Array (TL bytes).
type Bytes []byte

// Values an Object may hold: bool, int (a JS number), float64, string,
// BigInt, Bytes, []any and *Object.
