//go:build !js

package client

import (
	"testing"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client/tl"
)

func TestInitConnectionBytes(t *testing.T) {
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
		Query:          &tg.UsersGetUsersRequest{ID: []tg.InputUserClass{&tg.InputUserSelf{}}},
	}}).Encode(&want))
	require.Equal(t, tg.Layer, tl.Layer, "the reduced schema's layer is gotd's")
	got.Put(initConnection(tl.Layer, 17349, d))
	require.NoError(t, (&tl.UsersGetUsersRequest{ID: []tl.InputUserClass{&tl.InputUserSelf{}}}).Encode(&got))
	require.Equal(t, want.Buf, got.Buf)
}
