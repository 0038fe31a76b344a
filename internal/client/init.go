package client

import (
	"github.com/gotd/td/bin"

	"github.com/tgwasm/tgwasm/internal/client/tl"
)

// initConnection returns the head of invokeWithLayer(layer,
// initConnection(...)) with no proxy and no params: a request's own bytes
// complete it. The session layer sends a session's requests wrapped in it
// until the DC read one (mtconn.Options.Init), as Telegram's own clients
// do: no round trip of its own. It is encoded directly and makes the same
// bytes as tl.InvokeWithLayerRequest{Query: &tl.InitConnectionRequest{...}}
// (TestInitConnectionBytes) without linking initConnection's optional JSON
// and proxy types into the wasm.
func initConnection(layer, apiID int, d Device) []byte {
	var b bin.Buffer
	b.PutID(tl.InvokeWithLayerRequestTypeID)
	b.PutInt(layer)
	b.PutID(tl.InitConnectionRequestTypeID)
	b.PutInt(0) // flags: no proxy (0), no params (1)
	b.PutInt(apiID)
	b.PutString(d.DeviceModel)
	b.PutString(d.SystemVersion)
	b.PutString(d.AppVersion)
	b.PutString(d.SystemLangCode)
	b.PutString(d.LangPack)
	b.PutString(d.LangCode)
	return b.Buf
}
