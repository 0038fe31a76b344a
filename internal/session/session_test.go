package session

import (
	"encoding/base64"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func key(seed byte) (k [KeySize]byte) {
	for i := range k {
		k[i] = seed + byte(i)
	}
	return k
}

func TestRoundTrip(t *testing.T) {
	for _, d := range []Data{
		{DC: 2, Addr: "149.154.167.51", Port: 443, Key: key(1)},
		{DC: 4, Addr: "2001:67c:4e8:f004::b", Port: 443, Key: key(2)},
		{DC: 1, Addr: "pluto.web.telegram.org", Port: 443, Key: key(3)},
		{DC: 2, Addr: "127.0.0.1", Port: 40123, Key: key(4)},
		{DC: 255, Addr: "abcd", Port: 1, Key: key(5)},
	} {
		s, err := Encode(d)
		require.NoError(t, err)
		require.Equal(t, byte('1'), s[0])
		got, err := Decode(s)
		require.NoError(t, err)
		require.Equal(t, d, got)
	}
}

func TestLayout(t *testing.T) {
	d := Data{DC: 2, Addr: "1.2.3.4", Port: 443, Key: key(9)}
	s, err := Encode(d)
	require.NoError(t, err)
	raw, err := base64.StdEncoding.DecodeString(s[1:])
	require.NoError(t, err)
	want := append([]byte{2, 0, 7}, "1.2.3.4"...)
	want = append(want, 0x01, 0xbb)
	k := key(9)
	want = append(want, k[:]...)
	require.Equal(t, want, raw)
}

func TestEmpty(t *testing.T) {
	s, err := Encode(Data{})
	require.NoError(t, err)
	require.Equal(t, "", s)
	d, err := Decode("")
	require.NoError(t, err)
	require.True(t, d.Empty())
	d, err = Decode("   ")
	require.NoError(t, err)
	require.True(t, d.Empty())
}

func TestLenientBase64(t *testing.T) {
	d := Data{DC: 2, Addr: "1.2.3.4", Port: 443, Key: key(200)}
	s, err := Encode(d)
	require.NoError(t, err)
	for _, variant := range []string{
		s,
		strings.TrimRight(s, "="),
		strings.NewReplacer("+", "-", "/", "_").Replace(s),
		s[:40] + "\n" + s[40:],
	} {
		got, err := Decode(variant)
		require.NoError(t, err)
		require.Equal(t, d, got)
	}
}

func TestMalformed(t *testing.T) {
	good, err := Encode(Data{DC: 2, Addr: "1.2.3.4", Port: 443, Key: key(1)})
	require.NoError(t, err)
	raw, _ := base64.StdEncoding.DecodeString(good[1:])
	enc := func(b []byte) string { return "1" + base64.StdEncoding.EncodeToString(b) }
	zeroKey := append([]byte(nil), raw...)
	for i := len(zeroKey) - KeySize; i < len(zeroKey); i++ {
		zeroKey[i] = 0
	}
	for name, s := range map[string]string{
		"version 2":          "2" + good[1:],
		"not base64":         "1!!!!",
		"too short":          enc([]byte{2}),
		"address overflows":  enc([]byte{2, 0xff, 0xff, 'a'}),
		"no port":            enc([]byte{2, 0, 1, 'a'}),
		"short key":          enc(raw[:len(raw)-1]),
		"long key":           enc(append(append([]byte(nil), raw...), 0)),
		"zero dc":            enc(append([]byte{0}, raw[1:]...)),
		"zero key":           enc(zeroKey),
		"empty address":      enc(append([]byte{2, 0, 0, 1, 0xbb}, raw[len(raw)-KeySize:]...)),
		"address with space": enc(append(append([]byte{2, 0, 3}, "a b"...), append([]byte{1, 0xbb}, raw[len(raw)-KeySize:]...)...)),
		"zero port":          enc(append(append([]byte{2, 0, 4}, "abcd"...), append([]byte{0, 0}, raw[len(raw)-KeySize:]...)...)),
	} {
		_, err := Decode(s)
		var se *Error
		require.ErrorAs(t, err, &se, name)
	}
}

func TestTelethonFormats(t *testing.T) {
	k := key(7)
	v4 := append([]byte{2, 149, 154, 167, 51, 0x01, 0xbb}, k[:]...)
	s := "1" + base64.URLEncoding.EncodeToString(v4)
	require.Len(t, s, 1+telethonV4Len)
	d, err := Decode(s)
	require.NoError(t, err)
	require.Equal(t, Data{DC: 2, Addr: "149.154.167.51", Port: 443, Key: k}, d)

	ip6 := []byte{0x20, 0x01, 0x06, 0x7c, 0x04, 0xe8, 0xf0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x0a}
	v6 := append(append([]byte{2}, ip6...), append([]byte{0x01, 0xbb}, k[:]...)...)
	d, err = Decode("1" + base64.StdEncoding.EncodeToString(v6))
	require.NoError(t, err)
	require.Equal(t, Data{DC: 2, Addr: "2001:67c:4e8:f002::a", Port: 443, Key: k}, d)
}

func TestFormatIP(t *testing.T) {
	for _, s := range []string{"2001:67c:4e8:f002::a", "::1", "::", "2001:db8::", "1:0:0:1:0:0:0:1", "1::1:0:0:1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "0:1:2:3:4:5:6:0"} {
		a := netip.MustParseAddr(s)
		b := a.As16()
		require.Equal(t, a.String(), formatIPv6(b[:]), s)
	}
	require.Equal(t, "149.154.167.51", formatIPv4([]byte{149, 154, 167, 51}))
}
