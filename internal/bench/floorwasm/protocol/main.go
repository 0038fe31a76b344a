//go:build js

// Command protocol is a size probe of scripts/size.sh -floor: the floor
// (nhooyr.io/websocket and gotd's primitives) with this repository's
// protocol on it: the transport, the key exchange and the session layer,
// making one call of raw bytes. What the module adds beyond it is the TL
// types (internal/client/tl), the client's policies and the bridge.
package main

import (
	"context"
	"syscall/js"

	"github.com/gotd/td/bin"

	"github.com/tgwasm/tgwasm/internal/client/mtconn"
	"github.com/tgwasm/tgwasm/internal/kex"
	"github.com/tgwasm/tgwasm/internal/transport"
)

type raw []byte

func (r raw) Encode(b *bin.Buffer) error { b.Put(r); return nil }

func (r *raw) Decode(b *bin.Buffer) error { *r = append((*r)[:0], b.Buf...); return nil }

func main() {
	ctx := context.Background()
	tc, err := transport.Dial(ctx, js.Global().Get("tgwasmFloor").String(), 2, transport.Options{})
	if err != nil {
		return
	}
	res, err := kex.Run(ctx, tc, kex.Options{DC: 2})
	if err != nil {
		return
	}
	c, err := mtconn.New(tc, mtconn.Options{Key: res.Key, Salt: res.Salt})
	if err != nil {
		return
	}
	var out raw
	_ = c.Run(ctx, func(ctx context.Context) error { return c.Invoke(ctx, raw{1, 2, 3, 4}, &out) })
	js.Global().Set("tgwasmFloor", len(out))
}
