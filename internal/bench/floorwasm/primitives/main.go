//go:build js

// Command primitives is the second size floor of scripts/size.sh -floor:
// what any MTProto client on our dependencies links before its first TL
// type or session: nhooyr.io/websocket's dialer, gotd's obfuscated2
// handshake, intermediate framing and MTProto 2.0 message encryption.
package main

//lint:file-ignore SA1019 nhooyr.io/websocket v1.8.17 is the WebSocket library this project pins (its successor is coder/websocket).

import (
	"context"
	"syscall/js"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/mtproxy"
	"github.com/gotd/td/mtproxy/obfuscated2"
	"github.com/gotd/td/proto/codec"
	"nhooyr.io/websocket"
)

func main() {
	ctx := context.Background()
	ws, _, err := websocket.Dial(ctx, js.Global().Get("tgwasmFloor").String(), nil)
	if err != nil {
		return
	}
	o := obfuscated2.NewObfuscated2(crypto.DefaultRand(), websocket.NetConn(ctx, ws, websocket.MessageBinary))
	if err := o.Handshake(codec.Intermediate{}.ObfuscatedTag(), 2, mtproxy.Secret{}); err != nil {
		return
	}
	var b bin.Buffer
	var key crypto.AuthKey
	if err := crypto.NewClientCipher(crypto.DefaultRand()).Encrypt(key, crypto.EncryptedMessageData{}, &b); err != nil {
		return
	}
	_ = codec.Intermediate{}.Write(o, &b)
}
