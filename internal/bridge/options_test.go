package bridge

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client"
	"github.com/tgwasm/tgwasm/internal/session"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// normalized builds options the way web/tgwasm/options.js hands them over, with
// the given top-level fields replaced.
func normalized(replace ...any) *jv {
	key := make([]byte, session.KeySize)
	key[0] = 7
	fields := []any{
		"apiId", num(17349),
		"apiHash", str("344583e45741c457fe1862106095a5eb"),
		"server", obj("network", str("custom"), "url", str("ws://127.0.0.1:8080/apiws"), "dcId", num(2),
			"publicKeys", arr(obj("n", str("c0ffee"), "e", num(65537)))),
		"session", obj("dcId", num(2), "addr", str("127.0.0.1"), "port", num(8080), "key", u8(key...)),
		"floodSleepThreshold", num(30),
		"device", obj("deviceModel", str("Chrome 156"), "systemVersion", str("Linux"), "appVersion", str("tgwasm 0.1.0"),
			"langCode", str("de"), "systemLangCode", str("de-DE"), "langPack", str("")),
	}
	for i := 0; i < len(replace); i += 2 {
		for j := 0; j < len(fields); j += 2 {
			if fields[j] == replace[i] {
				fields[j+1] = replace[i+1]
			}
		}
	}
	return obj(fields...)
}

func TestParseClientOptions(t *testing.T) {
	o, sess, err := ParseClientOptions(normalized())
	require.NoError(t, err)
	require.Equal(t, 17349, o.APIID)
	require.Equal(t, transport.Custom, o.Network)
	require.Equal(t, "ws://127.0.0.1:8080/apiws", o.URL)
	require.Equal(t, 2, o.DC)
	require.Len(t, o.PublicKeys, 1)
	require.Equal(t, "c0ffee", o.PublicKeys[0].RSA.N.Text(16))
	require.Equal(t, 65537, o.PublicKeys[0].RSA.E)
	require.Equal(t, 30*time.Second, o.FloodSleepThreshold)
	require.Equal(t, client.Device{DeviceModel: "Chrome 156", SystemVersion: "Linux", AppVersion: "tgwasm 0.1.0", LangCode: "de", SystemLangCode: "de-DE"}, o.Device)
	require.Equal(t, 2, sess.DC)
	require.Equal(t, "127.0.0.1", sess.Addr)
	require.Equal(t, 8080, sess.Port)
	require.Equal(t, byte(7), sess.Key[0])

	o, sess, err = ParseClientOptions(normalized(
		"server", obj("network", str("test"), "dcId", num(4)),
		"session", null,
		"floodSleepThreshold", num(0),
	))
	require.NoError(t, err)
	require.Equal(t, transport.Test, o.Network)
	require.Equal(t, 4, o.DC)
	require.Empty(t, o.PublicKeys, "the client adds Telegram's keys")
	require.True(t, sess.Empty())
	require.Equal(t, time.Duration(0), o.FloodSleepThreshold, "0 never sleeps")
}

// A value of another shape is tgwasm.js's bug, not the page's: a plain
// internal error, never a TypeError blaming an option.
func TestParseClientOptionsMalformed(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   *jv
		msg  string
	}{
		{"not an object", str("x"), "options must be an object, not a string"},
		{"apiId string", normalized("apiId", str("1")), "options.apiId must be a number, not a string"},
		{"server network", normalized("server", obj("network", str("staging"), "dcId", num(2))), `options.server.network "staging"`},
		{"key not hex", normalized("server", obj("network", str("custom"), "url", str("ws://x"), "dcId", num(2), "publicKeys", arr(obj("n", str("xyz"), "e", num(3))))), "options.server.publicKeys[0].n must be a hexadecimal modulus"},
		{"short session key", normalized("session", obj("dcId", num(2), "addr", str("abcd"), "port", num(1), "key", u8(1, 2))), "options.session.key must be a Uint8Array of 256 bytes, not a Uint8Array"},
		{"session as string", normalized("session", str("1AAAA")), "options.session must be an object, not a string"},
		{"device missing", normalized("device", undef), "options.device must be an object, not undefined"},
		{"getter throws", throwing(obj(), "apiId", "boom"), "options.apiId: boom"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseClientOptions(tt.in)
			require.ErrorIs(t, err, ErrMalformed)
			require.ErrorContains(t, err, tt.msg)
			info := DescribeError(t.Context(), err, "createClient", 0)
			require.Equal(t, "Error", info.Name)
			require.Contains(t, info.Message, "tgwasm internal error")
		})
	}
}

func TestSessionObject(t *testing.T) {
	require.Nil(t, SessionObject(session.Data{}))
	var d session.Data
	d.DC, d.Addr, d.Port, d.Key[255] = 3, "aurora.web.telegram.org", 443, 1
	o := SessionObject(d).(*Object)
	require.Equal(t, []string{"dcId", "addr", "port", "key"}, o.Keys)
	var r shape
	back := readSession(&r, toJV(o), "s")
	require.NoError(t, r.err)
	require.Equal(t, d, back)
}

// toJV turns a converted Object back into a jv (for round trips).
func toJV(v any) *jv {
	switch v := v.(type) {
	case *Object:
		o := obj()
		for i, k := range v.Keys {
			o.keys = append(o.keys, k)
			o.props[k] = toJV(v.Vals[i])
		}
		return o
	case int:
		return num(float64(v))
	case string:
		return str(v)
	case Bytes:
		return u8(v...)
	}
	panic("toJV: unsupported")
}
