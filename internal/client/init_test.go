package client

import (
	"testing"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"github.com/stretchr/testify/require"
)

func TestInitRequestBytes(t *testing.T) {
	d := Device{DeviceModel: "Chrome 156", SystemVersion: "Linux x86_64", AppVersion: "tgwasm 0.1.0", LangCode: "en", SystemLangCode: "en-US", LangPack: "web"}
	var want, got bin.Buffer
	require.NoError(t, (&tg.InvokeWithLayerRequest{Layer: tg.Layer, Query: &tg.InitConnectionRequest{
		APIID:          17349,
		DeviceModel:    d.DeviceModel,
		SystemVersion:  d.SystemVersion,
		AppVersion:     d.AppVersion,
		SystemLangCode: d.SystemLangCode,
		LangPack:       d.LangPack,
		LangCode:       d.LangCode,
		Query:          &tg.HelpGetNearestDCRequest{},
	}}).Encode(&want))
	require.NoError(t, (&initRequest{layer: tg.Layer, apiID: 17349, device: d, query: &tg.HelpGetNearestDCRequest{}}).Encode(&got))
	require.Equal(t, want.Buf, got.Buf)
}
