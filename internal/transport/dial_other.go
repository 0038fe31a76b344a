//go:build !js

package transport

//lint:file-ignore SA1019 nhooyr.io/websocket v1.8.17 is the WebSocket library this project pins (its successor is coder/websocket).

import (
	"context"
	"net/http"

	"nhooyr.io/websocket"
)

func dialWS(ctx context.Context, url string, opt Options) (*websocket.Conn, error) {
	var header http.Header
	if opt.Origin != "" {
		header = http.Header{"Origin": []string{opt.Origin}}
	}
	var client *http.Client
	if opt.NetDial != nil {
		client = &http.Client{Transport: &http.Transport{DialContext: opt.NetDial}}
	}
	ws, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{
		Subprotocols: []string{Subprotocol},
		HTTPHeader:   header,
		HTTPClient:   client,
	})
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	return ws, err
}
