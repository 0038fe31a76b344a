package client

import (
	"github.com/gotd/td/bin"

	"github.com/tgwasm/tgwasm/internal/client/tl"
)

// initRequest is invokeWithLayer(layer, initConnection(...query)) with no
// proxy and no params, encoded directly. It produces the same bytes as
// tl.InvokeWithLayerRequest{Query: &tl.InitConnectionRequest{...}} (see
// TestInitRequestBytes) without linking initConnection's optional JSON and
// proxy types into the wasm.
type initRequest struct {
	layer  int
	apiID  int
	device Device
	query  bin.Encoder
}

// Encode implements bin.Encoder.
func (r *initRequest) Encode(b *bin.Buffer) error {
	b.PutID(tl.InvokeWithLayerRequestTypeID)
	b.PutInt(r.layer)
	b.PutID(tl.InitConnectionRequestTypeID)
	b.PutInt(0) // flags: no proxy (0), no params (1)
	b.PutInt(r.apiID)
	b.PutString(r.device.DeviceModel)
	b.PutString(r.device.SystemVersion)
	b.PutString(r.device.AppVersion)
	b.PutString(r.device.SystemLangCode)
	b.PutString(r.device.LangPack)
	b.PutString(r.device.LangCode)
	return r.query.Encode(b)
}

// TypeName names the request in errors.
func (r *initRequest) TypeName() string { return "initConnection" }
