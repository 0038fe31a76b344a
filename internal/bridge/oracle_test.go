package bridge

import (
	"reflect"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tdp"
)

// reflectConvert is the TypeInfo-driven converter the generated one must
// match: the test oracle (it would link every type's TypeInfo into the
// wasm, so it lives in a test file).
var (
	fieldsType = reflect.TypeFor[bin.Fields]()
	tdpObject  = reflect.TypeFor[tdp.Object]()
)

// Convert renders a gotd TL object in GramJS toJSON() shape: className,
// camelCase fields, absent optional fields left out, no flags, bytes as
// Bytes, long as BigInt, nested objects alike. It is driven by gotd's
// generated TypeInfo, so every constructor converts the same way.
func reflectConvert(obj tdp.Object) *Object {
	if obj == nil {
		return nil
	}
	rv := reflect.ValueOf(obj)
	if rv.Kind() == reflect.Pointer && rv.IsNil() {
		return nil
	}
	info := obj.TypeInfo()
	out := &Object{}
	out.Set("className", ClassName(info.Name))
	for rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	for _, f := range info.Fields {
		if f.Null {
			continue // optional and absent
		}
		fv := rv.FieldByName(f.Name)
		if !fv.IsValid() || fv.Type() == fieldsType {
			continue
		}
		v, ok := reflectConvertValue(fv)
		if !ok {
			continue
		}
		out.Set(CamelCase(f.SchemaName), v)
	}
	return out
}

// reflectConvertValue converts one field. ok is false for a nil object.
func reflectConvertValue(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Int, reflect.Int32, reflect.Int16, reflect.Int8, reflect.Uint32, reflect.Uint16, reflect.Uint8:
		if v.CanInt() {
			return int(v.Int()), true
		}
		return int(v.Uint()), true
	case reflect.Int64:
		return BigInt(v.Int()), true
	case reflect.Uint64:
		return BigInt(int64(v.Uint())), true
	case reflect.Float64, reflect.Float32:
		return v.Float(), true
	case reflect.String:
		return v.String(), true
	case reflect.Slice:
		if v.Type() == bytesType {
			return Bytes(append([]byte{}, v.Bytes()...)), true
		}
		out := make([]any, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			if e, ok := reflectConvertValue(v.Index(i)); ok {
				out = append(out, e)
			}
		}
		return out, true
	case reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			return Bytes(b), true
		}
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return nil, false
		}
		if o, ok := v.Interface().(tdp.Object); ok {
			return reflectConvert(o), true
		}
	case reflect.Struct:
		if v.CanAddr() && v.Addr().Type().Implements(tdpObject) {
			return reflectConvert(v.Addr().Interface().(tdp.Object)), true
		}
		p := reflect.New(v.Type())
		p.Elem().Set(v)
		if o, ok := p.Interface().(tdp.Object); ok {
			return reflectConvert(o), true
		}
	}
	return nil, false
}
