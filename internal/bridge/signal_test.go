package bridge

import (
	"testing"

	"github.com/stretchr/testify/require"
)

type network struct{ got []string }

func (n *network) SetOnline(online bool) {
	n.got = append(n.got, map[bool]string{true: "SetOnline(true)", false: "SetOnline(false)"}[online])
}
func (n *network) Check() { n.got = append(n.got, "Check()") }

func TestSignal(t *testing.T) {
	for _, tt := range []struct {
		name string
		want []string
	}{
		{"online", []string{"SetOnline(true)"}},
		{"offline", []string{"SetOnline(false)"}},
		{"check", []string{"Check()"}},
		{"resume", nil},
		{"", nil},
	} {
		n := &network{}
		Signal(n, tt.name)
		require.Equal(t, tt.want, n.got, tt.name)
	}
}
