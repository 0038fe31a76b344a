package bridge

import (
	"crypto/rsa"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/go-faster/errors"

	"github.com/tgwasm/tgwasm/internal/client"
	"github.com/tgwasm/tgwasm/internal/kex"
	"github.com/tgwasm/tgwasm/internal/session"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// ErrMalformed marks a value from web/tgwasm/ that does not have the
// normalized shape agreed between the two sides: a bug in tgwasm, not in
// the page, so it is reported as a plain Error.
var ErrMalformed = errors.New("tgwasm internal error: malformed value from tgwasm.js")

// shape reads a normalized value. Every rule about createClient's options
// lives in web/tgwasm/options.js, which has applied them; shape only reads what it
// produced, and its first mismatch is kept in err.
type shape struct{ err error }

func (r *shape) fail(path, want string, v Value) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s must be %s, not %s", ErrMalformed, path, want, typeName(v))
	}
}

func (r *shape) field(v Value, path, key string) Value {
	if r.err != nil {
		return undefinedValue{}
	}
	if v.Type() != ObjectType {
		r.fail(path, "an object", v)
		return undefinedValue{}
	}
	f, err := v.Get(key)
	if err != nil {
		r.err = fmt.Errorf("%w: %s.%s: %v", ErrMalformed, path, key, err)
		return undefinedValue{}
	}
	return f
}

func (r *shape) str(v Value, path string) string {
	if r.err == nil && v.Type() != String {
		r.fail(path, "a string", v)
	}
	if r.err != nil {
		return ""
	}
	return v.Str()
}

func (r *shape) num(v Value, path string) float64 {
	if r.err == nil && v.Type() != Number {
		r.fail(path, "a number", v)
	}
	if r.err != nil {
		return 0
	}
	return v.Float()
}

func (r *shape) elems(v Value, path string) []Value {
	if r.err == nil && (v.Type() != ObjectType || !v.IsArray()) {
		r.fail(path, "an array", v)
	}
	if r.err != nil {
		return nil
	}
	n, err := v.Len()
	if err != nil {
		r.err = fmt.Errorf("%w: %s: %v", ErrMalformed, path, err)
		return nil
	}
	out := make([]Value, n)
	for i := range out {
		if out[i], err = v.Index(i); err != nil {
			r.err = fmt.Errorf("%w: %s[%d]: %v", ErrMalformed, path, i, err)
			return nil
		}
	}
	return out
}

// undefinedValue is the undefined Value, returned after a mismatch.
type undefinedValue struct{}

func (undefinedValue) Type() JSType              { return Undefined }
func (undefinedValue) Bool() bool                { return false }
func (undefinedValue) Float() float64            { return 0 }
func (undefinedValue) Str() string               { return "" }
func (undefinedValue) IsArray() bool             { return false }
func (undefinedValue) IsBytes() bool             { return false }
func (undefinedValue) Bytes() []byte             { return nil }
func (undefinedValue) Len() (int, error)         { return 0, nil }
func (undefinedValue) Index(int) (Value, error)  { return undefinedValue{}, nil }
func (undefinedValue) Get(string) (Value, error) { return undefinedValue{}, nil }
func (undefinedValue) Keys() ([]string, error)   { return nil, nil }

// ParseClientOptions reads the options web/tgwasm/options.js normalized:
//
//	{ apiId, apiHash,
//	  server: { network: "production"|"test", dcId } | { network: "custom", url, dcId, publicKeys: [{ n, e }] },
//	  session: SessionData | null, floodSleepThreshold (seconds), device: { deviceModel, … } }
func ParseClientOptions(v Value) (client.Options, session.Data, error) {
	var r shape
	var o client.Options
	var sess session.Data
	o.APIID = int(r.num(r.field(v, "options", "apiId"), "options.apiId"))
	o.APIHash = r.str(r.field(v, "options", "apiHash"), "options.apiHash")

	server := r.field(v, "options", "server")
	o.DC = int(r.num(r.field(server, "options.server", "dcId"), "options.server.dcId"))
	switch network := r.str(r.field(server, "options.server", "network"), "options.server.network"); network {
	case "production":
		o.Network = transport.Production
	case "test":
		o.Network = transport.Test
	case "custom":
		o.Network = transport.Custom
		o.URL = r.str(r.field(server, "options.server", "url"), "options.server.url")
		for i, k := range r.elems(r.field(server, "options.server", "publicKeys"), "options.server.publicKeys") {
			path := "options.server.publicKeys[" + strconv.Itoa(i) + "]"
			n, ok := new(big.Int).SetString(r.str(r.field(k, path, "n"), path+".n"), 16)
			e := int(r.num(r.field(k, path, "e"), path+".e"))
			if r.err == nil && !ok {
				r.fail(path+".n", "a hexadecimal modulus", undefinedValue{})
			}
			if r.err == nil {
				o.PublicKeys = append(o.PublicKeys, kex.PublicKey{RSA: &rsa.PublicKey{N: n, E: e}})
			}
		}
	default:
		if r.err == nil {
			r.err = fmt.Errorf("%w: options.server.network %q", ErrMalformed, network)
		}
	}

	if s := r.field(v, "options", "session"); s.Type() != Null {
		sess = readSession(&r, s, "options.session")
	}
	sec := r.num(r.field(v, "options", "floodSleepThreshold"), "options.floodSleepThreshold")
	o.FloodSleepThreshold = time.Duration(sec * float64(time.Second))
	device := r.field(v, "options", "device")
	for _, d := range []struct {
		key string
		dst *string
	}{
		{"deviceModel", &o.Device.DeviceModel},
		{"systemVersion", &o.Device.SystemVersion},
		{"appVersion", &o.Device.AppVersion},
		{"langCode", &o.Device.LangCode},
		{"systemLangCode", &o.Device.SystemLangCode},
		{"langPack", &o.Device.LangPack},
	} {
		*d.dst = r.str(r.field(device, "options.device", d.key), "options.device."+d.key)
	}
	return o, sess, r.err
}

// readSession reads a session in the form web/tgwasm/session.js decodes it to:
// { dcId, addr, port, key: Uint8Array(256) }.
func readSession(r *shape, v Value, path string) session.Data {
	var d session.Data
	d.DC = int(r.num(r.field(v, path, "dcId"), path+".dcId"))
	d.Addr = r.str(r.field(v, path, "addr"), path+".addr")
	d.Port = int(r.num(r.field(v, path, "port"), path+".port"))
	key := r.field(v, path, "key")
	if r.err == nil && (!key.IsBytes() || func() bool { n, _ := key.Len(); return n != session.KeySize }()) {
		r.fail(path+".key", "a Uint8Array of 256 bytes", key)
	}
	if r.err == nil {
		copy(d.Key[:], key.Bytes())
	}
	return d
}

// SessionObject is the form of a session the page receives (null when
// there is none); web/tgwasm/session.js encodes it as a StringSession.
func SessionObject(d session.Data) any {
	if d.Empty() {
		return nil
	}
	o := &Object{}
	o.Set("dcId", d.DC)
	o.Set("addr", d.Addr)
	o.Set("port", d.Port)
	o.Set("key", Bytes(d.Key[:]))
	return o
}
