//go:build js

// Command nhooyr is a size probe of scripts/size.sh -floor: the runtime
// and nhooyr.io/websocket's Dial, the card's WebSocket library.
package main

//lint:file-ignore SA1019 nhooyr.io/websocket v1.8.17 is the WebSocket library this project pins (its successor is coder/websocket).

import (
	"context"
	"syscall/js"

	"nhooyr.io/websocket"
)

func main() {
	ws, _, err := websocket.Dial(context.Background(), js.Global().Get("tgwasmFloor").String(), nil)
	if err != nil {
		return
	}
	_ = ws.Write(context.Background(), websocket.MessageBinary, []byte{1})
}
