//go:build js

package transport

import (
	"context"

	"nhooyr.io/websocket"
)

// dialWS opens the socket with the browser's WebSocket; the browser sets the
// Origin header itself, so opt.Origin is ignored here.
func dialWS(ctx context.Context, url string, _ Options) (*websocket.Conn, error) {
	ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{
		Subprotocols: []string{Subprotocol},
	})
	return ws, err
}
