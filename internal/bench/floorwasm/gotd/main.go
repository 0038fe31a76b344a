//go:build js

// Command gotd is a size probe of scripts/size.sh -floor: the runtime and
// gotd's primitives on an in-memory stream: obfuscated2, intermediate
// framing and MTProto 2.0 encryption.
package main

import (
	"bytes"
	"syscall/js"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/mtproxy"
	"github.com/gotd/td/mtproxy/obfuscated2"
	"github.com/gotd/td/proto/codec"
)

type stream struct{ bytes.Buffer }

func main() {
	o := obfuscated2.NewObfuscated2(crypto.DefaultRand(), &stream{})
	if err := o.Handshake(codec.Intermediate{}.ObfuscatedTag(), 2, mtproxy.Secret{}); err != nil {
		return
	}
	var b bin.Buffer
	var key crypto.AuthKey
	if err := crypto.NewClientCipher(crypto.DefaultRand()).Encrypt(key, crypto.EncryptedMessageData{}, &b); err != nil {
		return
	}
	js.Global().Set("tgwasmFloor", codec.Intermediate{}.Write(o, &b) == nil)
}
