package bridge

import (
	"errors"
	"math"
)

// jv is a native stand-in for a JS value in table tests.
type jv struct {
	typ     JSType
	b       bool
	f       float64
	s       string
	arr     []*jv
	isArr   bool
	bytes   []byte
	isBytes bool
	keys    []string
	props   map[string]*jv
	// getterThrows names properties whose getter throws.
	getterThrows map[string]string
	// keysThrow makes Object.keys throw (a revoked proxy).
	keysThrow string
}

var (
	undef  = &jv{typ: Undefined}
	null   = &jv{typ: Null}
	nan    = &jv{typ: Number, f: math.NaN()}
	sym    = &jv{typ: Symbol}
	fn     = &jv{typ: Function}
	bigint = &jv{typ: BigIntType}
)

func str(s string) *jv     { return &jv{typ: String, s: s} }
func num(f float64) *jv    { return &jv{typ: Number, f: f} }
func boolean(b bool) *jv   { return &jv{typ: Boolean, b: b} }
func u8(b ...byte) *jv     { return &jv{typ: ObjectType, isBytes: true, bytes: b} }
func arr(items ...*jv) *jv { return &jv{typ: ObjectType, isArr: true, arr: items} }

// obj builds an object from key, value pairs.
func obj(kv ...any) *jv {
	o := &jv{typ: ObjectType, props: map[string]*jv{}}
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		o.keys = append(o.keys, k)
		o.props[k] = kv[i+1].(*jv)
	}
	return o
}

// throwing returns o with a getter on key that throws msg.
func throwing(o *jv, key, msg string) *jv {
	if o.getterThrows == nil {
		o.getterThrows = map[string]string{}
	}
	o.getterThrows[key] = msg
	o.keys = append(o.keys, key)
	return o
}

func (v *jv) Type() JSType   { return v.typ }
func (v *jv) Bool() bool     { return v.b }
func (v *jv) Float() float64 { return v.f }
func (v *jv) Str() string    { return v.s }
func (v *jv) IsArray() bool  { return v.isArr }
func (v *jv) IsBytes() bool  { return v.isBytes }
func (v *jv) Bytes() []byte  { return append([]byte{}, v.bytes...) }

func (v *jv) Len() (int, error) {
	if v.isBytes {
		return len(v.bytes), nil
	}
	return len(v.arr), nil
}

func (v *jv) Index(i int) (Value, error) {
	if i < 0 || i >= len(v.arr) {
		return undef, nil
	}
	if v.arr[i] == nil {
		return undef, nil
	}
	return v.arr[i], nil
}

func (v *jv) Get(key string) (Value, error) {
	if msg, ok := v.getterThrows[key]; ok {
		return nil, errors.New(msg)
	}
	if p, ok := v.props[key]; ok {
		return p, nil
	}
	return undef, nil
}

func (v *jv) Keys() ([]string, error) {
	if v.keysThrow != "" {
		return nil, errors.New(v.keysThrow)
	}
	return v.keys, nil
}
