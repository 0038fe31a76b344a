package bridge

import (
	"reflect"
	"sort"
	"strings"
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

//go:generate go run ./gen -o convert_gen.go -js ../../web/gramjs/schema.gen.js -dts ../../web/gramjs/api.gen.d.ts -methods ../../web/tgwasm/methods.gen.js -docs ../../docs/API.md

// How a field's presence is told.
const (
	always        = iota // a required field
	presentIfTrue        // flags.N?true: present when true
	presentIfFlag        // flags.N?T: present when bit N of the flags field is set
)

type fieldSpec struct {
	key   string // GramJS property name
	index uint16 // Go struct field index
	mode  uint8
	flags uint8 // index of the bin.Fields field (presentIfFlag)
	bit   uint8
}

type typeSpec struct {
	id     uint32
	class  string
	fields []fieldSpec
}

func specFor(id uint32) *typeSpec {
	i := sort.Search(len(specs), func(i int) bool { return specs[i].id >= id })
	if i < len(specs) && specs[i].id == id {
		return &specs[i]
	}
	return nil
}

// Convert renders a gotd TL object in GramJS toJSON() shape: className,
// camelCase fields, absent optional fields left out, no flags, bytes as
// Bytes, long as BigInt, nested objects alike. It walks the value by
// reflection, guided by the generated table (specs) of every constructor
// reachable from auth.SentCode and User. Other TL objects give just their
// className; non-TL values give nil.
func Convert(v any) *Object {
	t, ok := v.(interface{ TypeID() uint32 })
	if !ok {
		return nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil
	}
	spec := specFor(t.TypeID())
	if spec == nil {
		if n, ok := v.(interface{ TypeName() string }); ok {
			o := &Object{}
			o.Set("className", ClassName(n.TypeName()))
			return o
		}
		return nil
	}
	s := rv.Elem()
	o := &Object{Keys: make([]string, 0, len(spec.fields)+1), Vals: make([]any, 0, len(spec.fields)+1)}
	o.Set("className", spec.class)
	for _, f := range spec.fields {
		fv := s.Field(int(f.index))
		switch f.mode {
		case presentIfTrue:
			if !fv.Bool() {
				continue
			}
		case presentIfFlag:
			if s.Field(int(f.flags)).Uint()&(1<<f.bit) == 0 {
				continue
			}
		}
		if x, ok := convertValue(fv); ok {
			o.Set(f.key, x)
		}
	}
	return o
}

var bytesType = reflect.TypeFor[[]byte]()

// convertValue converts one field. ok is false for a nil object (absent).
func convertValue(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Int, reflect.Int32:
		return int(v.Int()), true
	case reflect.Int64:
		return BigInt(v.Int()), true
	case reflect.Float64:
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
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return nil, false
		}
		if o := Convert(v.Interface()); o != nil {
			return o, true
		}
	case reflect.Struct:
		if v.CanAddr() {
			if o := Convert(v.Addr().Interface()); o != nil {
				return o, true
			}
		}
	}
	return nil, false
}
