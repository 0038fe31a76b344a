package session

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzDecodeSession: Decode never panics, and whatever it accepts encodes
// back to a string that decodes to the same session.
func FuzzDecodeSession(f *testing.F) {
	k := key(1)
	good, _ := Encode(Data{DC: 2, Addr: "149.154.167.51", Port: 443, Key: k})
	v6, _ := Encode(Data{DC: 4, Addr: "2001:67c:4e8:f004::b", Port: 443, Key: k})
	for _, s := range []string{"", "1", "1AAAA", good, v6, good[:len(good)-5], "2" + good[1:], good + "=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Decode(s)
		if err != nil {
			var se *Error
			require.ErrorAs(t, err, &se)
			return
		}
		if d.Empty() {
			return
		}
		again, err := Encode(d)
		require.NoError(t, err)
		d2, err := Decode(again)
		require.NoError(t, err)
		require.Equal(t, d, d2)
	})
}
