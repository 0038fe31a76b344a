package bridge

import (
	"strconv"
	"time"

	"github.com/tgwasm/tgwasm/internal/client"
	"github.com/tgwasm/tgwasm/internal/session"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// ClientOptions are createClient's options after web/tgwasm.js has
// validated and normalized them: server is always an object with a kind.
type ClientOptions struct {
	Client client.Options
	// Session is the StringSession to resume ("" for none).
	Session session.Data
	// Timeout is the default per-call limit in milliseconds.
	Timeout int
}

// DefaultTimeout is the default per-call limit (ms).
const DefaultTimeout = 30000

// ParseClientOptions reads the normalized options object. It checks every
// field again (the JS wrapper is not trusted to be the only caller).
func ParseClientOptions(v Value) (ClientOptions, error) {
	var out ClientOptions
	get, err := object("options", v, []string{"apiId", "apiHash", "server", "dcId", "session", "floodSleepThreshold", "timeout", "device"})
	if err != nil {
		return out, err
	}
	o := &out.Client

	f, err := get("apiId")
	if err != nil {
		return out, err
	}
	if f.Kind() != Number {
		return out, typeErr("options.apiId", "a positive integer", f)
	}
	if f.Float() != float64(int64(f.Float())) || f.Float() < 1 || f.Float() > 1<<31-1 {
		return out, rangeErr("options.apiId", "must be a positive 32-bit integer")
	}
	o.APIID = int(f.Float())

	f, err = get("apiHash")
	if err != nil {
		return out, err
	}
	if o.APIHash, err = requiredString("options.apiHash", f); err != nil {
		return out, err
	}
	if !isHex32(o.APIHash) {
		return out, rangeErr("options.apiHash", "must be 32 hexadecimal characters")
	}

	f, err = get("server")
	if err != nil {
		return out, err
	}
	sget, err := object("options.server", f, []string{"kind", "url", "dcId", "publicKeys"})
	if err != nil {
		return out, err
	}
	kf, err := sget("kind")
	if err != nil {
		return out, err
	}
	kind, err := requiredString("options.server.kind", kf)
	if err != nil {
		return out, err
	}
	switch kind {
	case "production":
		o.Kind = transport.Production
	case "test":
		o.Kind = transport.Test
	case "custom":
		o.Kind = transport.Custom
		uf, err := sget("url")
		if err != nil {
			return out, err
		}
		if o.URL, err = requiredString("options.server.url", uf); err != nil {
			return out, err
		}
		if err := transport.CheckURL(o.URL); err != nil {
			return out, rangeErr("options.server.url", "must be a ws:// or wss:// URL ("+err.Error()+")")
		}
		df, err := sget("dcId")
		if err != nil {
			return out, err
		}
		if o.DC, err = dcID("options.server.dcId", df, 1000); err != nil {
			return out, err
		}
		pf, err := sget("publicKeys")
		if err != nil {
			return out, err
		}
		if pf.Kind() != ObjectKind || !pf.IsArray() {
			return out, typeErr("options.server.publicKeys", "an array of PEM strings", pf)
		}
		n, err := pf.Len()
		if err != nil {
			return out, readErr("options.server.publicKeys", err)
		}
		if n == 0 || n > 16 {
			return out, rangeErr("options.server.publicKeys", "must hold 1 to 16 keys")
		}
		pems := make([]string, n)
		for i := range pems {
			p := "options.server.publicKeys[" + strconv.Itoa(i) + "]"
			e, err := pf.Index(i)
			if err != nil {
				return out, readErr(p, err)
			}
			if e.Kind() != String {
				return out, typeErr(p, "a PEM string", e)
			}
			pems[i] = e.Str()
			if o.PublicKeys, err = client.ParsePublicKeys(pems[:i+1]...); err != nil {
				return out, rangeErr(p, "is not an RSA public key PEM ("+err.Error()+")")
			}
		}
	default:
		return out, rangeErr("options.server.kind", `must be "production", "test" or "custom", not "`+kind+`"`)
	}

	if o.Kind != transport.Custom {
		f, err = get("dcId")
		if err != nil {
			return out, err
		}
		if present(f) {
			if o.DC, err = dcID("options.dcId", f, transport.MaxDC); err != nil {
				return out, err
			}
		}
	}

	f, err = get("session")
	if err != nil {
		return out, err
	}
	if s, ok, err := optionalString("options.session", f); err != nil {
		return out, err
	} else if ok {
		d, err := session.Decode(s)
		if err != nil {
			return out, rangeErr("options.session", "is not a valid session string: "+err.(*session.Error).Reason)
		}
		if o.Kind != transport.Custom && !d.Empty() && (d.DC < 1 || d.DC > transport.MaxDC) {
			return out, rangeErr("options.session", "names DC "+strconv.Itoa(d.DC)+", not a Telegram DC")
		}
		out.Session = d
	}

	f, err = get("floodSleepThreshold")
	if err != nil {
		return out, err
	}
	o.FloodSleepThreshold = 60 * time.Second
	if present(f) {
		if f.Kind() != Number {
			return out, typeErr("options.floodSleepThreshold", "a number of seconds", f)
		}
		sec := f.Float()
		if sec != sec || sec < 0 || sec > 86400 {
			return out, rangeErr("options.floodSleepThreshold", "must be 0 to 86400 seconds")
		}
		o.FloodSleepThreshold = time.Duration(sec * float64(time.Second))
		if o.FloodSleepThreshold == 0 {
			o.FloodSleepThreshold = -1 // never sleep
		}
	}

	f, err = get("timeout")
	if err != nil {
		return out, err
	}
	if out.Timeout, err = ParseTimeout("options.timeout", f, DefaultTimeout); err != nil {
		return out, err
	}

	f, err = get("device")
	if err != nil {
		return out, err
	}
	if present(f) {
		dget, err := object("options.device", f, []string{"deviceModel", "systemVersion", "appVersion", "langCode", "systemLangCode", "langPack"})
		if err != nil {
			return out, err
		}
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
			df, err := dget(d.key)
			if err != nil {
				return out, err
			}
			s, _, err := optionalString("options.device."+d.key, df)
			if err != nil {
				return out, err
			}
			if len(s) > 256 {
				return out, rangeErr("options.device."+d.key, "is longer than 256 characters")
			}
			*d.dst = s
		}
	}
	return out, nil
}

func dcID(path string, v Value, max int) (int, error) {
	if v.Kind() != Number {
		return 0, typeErr(path, "an integer", v)
	}
	n := v.Float()
	if n != float64(int64(n)) || n < 1 || n > float64(max) {
		return 0, rangeErr(path, "must be an integer between 1 and "+strconv.Itoa(max))
	}
	return int(n), nil
}

func isHex32(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
