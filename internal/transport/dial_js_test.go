//go:build js

package transport

import (
	"context"
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// withWebSocket runs f with globalThis.WebSocket set to v.
func withWebSocket(t *testing.T, v js.Value, f func()) {
	t.Helper()
	saved := js.Global().Get("WebSocket")
	js.Global().Set("WebSocket", v)
	defer js.Global().Set("WebSocket", saved)
	f()
}

func TestDialWSWithoutWebSocket(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, tt := range []struct {
		name  string
		value js.Value
		err   string
	}{
		{"absent", js.Undefined(), "no WebSocket constructor"},
		{"not a function", js.ValueOf("ws"), "no WebSocket constructor"},
		{"throws", js.Global().Get("Function").New("throw new SyntaxError('bad url')"), "JavaScript error: bad url"},
		{"not a WebSocket", js.Global().Get("Function").New("return 5"), "websocket: syscall/js: Value.Call: property addEventListener is not a function"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			withWebSocket(t, tt.value, func() {
				ws, err := dialWS(ctx, "ws://127.0.0.1:1/apiws", Options{})
				require.Nil(t, ws)
				require.ErrorContains(t, err, tt.err)
			})
		})
	}
}
