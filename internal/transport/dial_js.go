//go:build js

package transport

//lint:file-ignore SA1019 nhooyr.io/websocket v1.8.17 is the WebSocket library this project pins (its successor is coder/websocket).

import (
	"context"
	"fmt"
	"syscall/js"

	"github.com/go-faster/errors"
	"nhooyr.io/websocket"
)

// errNoWebSocket is returned when the JS environment has no WebSocket
// constructor (Node 20 without --experimental-websocket, or a page that
// replaced it).
var errNoWebSocket = errors.New("this JavaScript environment has no WebSocket constructor " +
	"(Node 20: run node with --experimental-websocket; browsers and Node 22+ have one)")

// dialWS opens the socket with the browser's WebSocket; the browser sets the
// Origin header and opens the TCP connection itself, so opt.Origin and
// opt.NetDial are ignored here. A JS failure that nhooyr does not turn into
// an error (it panics on them) becomes one.
func dialWS(ctx context.Context, url string, _ Options) (ws *websocket.Conn, err error) {
	if js.Global().Get("WebSocket").Type() != js.TypeFunction {
		return nil, errNoWebSocket
	}
	defer func() {
		if r := recover(); r != nil {
			ws, err = nil, errors.Errorf("websocket: %v", describePanic(r))
		}
	}()
	ws, _, err = websocket.Dial(ctx, url, &websocket.DialOptions{
		Subprotocols: []string{Subprotocol},
	})
	return ws, err
}

func describePanic(r any) string {
	if e, ok := r.(error); ok {
		return e.Error()
	}
	return fmt.Sprint(r)
}
