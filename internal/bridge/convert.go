package bridge

import (
	"reflect"
	"strings"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tdp"
)

// ClassName turns a TL constructor name into GramJS's className: the part
// after the namespace dot is capitalised ("auth.sentCodeTypeSms" →
// "auth.SentCodeTypeSms", "user" → "User").
func ClassName(tl string) string {
	i := strings.LastIndexByte(tl, '.') + 1
	if i >= len(tl) {
		return tl
	}
	return tl[:i] + strings.ToUpper(tl[i:i+1]) + tl[i+1:]
}

// CamelCase turns a TL field name into GramJS's property name
// ("phone_code_hash" → "phoneCodeHash").
func CamelCase(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	up := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			up = true
			continue
		}
		if up && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		up = false
		b.WriteByte(c)
	}
	return b.String()
}

var (
	fieldsType = reflect.TypeFor[bin.Fields]()
	bytesType  = reflect.TypeFor[[]byte]()
	tdpObject  = reflect.TypeFor[tdp.Object]()
)

// Convert renders a gotd TL object in GramJS toJSON() shape: className,
// camelCase fields, absent optional fields left out, no flags, bytes as
// Bytes, long as BigInt, nested objects alike. It is driven by gotd's
// generated TypeInfo, so every constructor converts the same way.
func Convert(obj tdp.Object) *Object {
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
		v, ok := convertValue(fv)
		if !ok {
			continue
		}
		out.Set(CamelCase(f.SchemaName), v)
	}
	return out
}

// convertValue converts one field. ok is false for a nil object (absent).
func convertValue(v reflect.Value) (any, bool) {
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
			if e, ok := convertValue(v.Index(i)); ok {
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
			return Convert(o), true
		}
	case reflect.Struct:
		if v.CanAddr() && v.Addr().Type().Implements(tdpObject) {
			return Convert(v.Addr().Interface().(tdp.Object)), true
		}
		p := reflect.New(v.Type())
		p.Elem().Set(v)
		if o, ok := p.Interface().(tdp.Object); ok {
			return Convert(o), true
		}
	}
	return nil, false
}
