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

// deadSocket is a WebSocket class whose sockets open, take what is sent,
// deliver nothing and never complete a close: a link that went silent, in
// a browser that would wait a minute for the closing handshake.
// deadSocket.made lists the sockets made.
func deadSocket() js.Value {
	return js.Global().Get("Function").New(`
		class DeadSocket extends EventTarget {
			constructor(url, protocols) {
				super();
				this.url = url;
				this.protocol = 'binary';
				this.readyState = 0;
				this.binaryType = 'blob';
				this.sent = 0;
				this.closeCalls = 0;
				DeadSocket.made.push(this);
				setTimeout(() => { this.readyState = 1; this.dispatchEvent(new Event('open')); }, 0);
			}
			send() { this.sent++; }
			close() { this.closeCalls++; this.readyState = 2; }
		}
		DeadSocket.made = [];
		return DeadSocket;
	`).Invoke()
}

// TestDialWSOnADeadLink: a Recv whose context ends returns, and Close
// returns having asked the socket to close, though the socket's close
// never completes.
func TestDialWSOnADeadLink(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	class := deadSocket()
	withWebSocket(t, class, func() {
		c, err := Dial(ctx, "ws://127.0.0.1:1/apiws", 2, Options{})
		require.NoError(t, err)
		socket := class.Get("made").Index(0)
		require.Equal(t, 1, socket.Get("sent").Int(), "the obfuscated2 header went out")

		GiveUp(ctx, t, c)
		require.Equal(t, 1, socket.Get("closeCalls").Int(), "Close asked the socket to close")
		require.Equal(t, 2, socket.Get("readyState").Int(), "and did not wait for it")
	})
}
