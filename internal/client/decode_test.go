//go:build !js

package client

import (
	"testing"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client/tl"
)

// The answers are encoded by gotd's tg, the oracle, and decoded by the
// client into its own tl types: equal values encode to equal bytes.

func encode(t *testing.T, e bin.Encoder) *bin.Buffer {
	t.Helper()
	var b bin.Buffer
	require.NoError(t, e.Encode(&b))
	return &b
}

func TestSentCodeResult(t *testing.T) {
	user := &tg.User{ID: 7, FirstName: "A"}
	user.SetFlags()
	sc := &tg.AuthSentCode{Type: &tg.AuthSentCodeTypeSMS{Length: 5}, PhoneCodeHash: "h"}
	sc.SetTimeout(60)
	pay := &tg.AuthSentCodePaymentRequired{StoreProduct: "p", PhoneCodeHash: "h", Currency: "USD", Amount: 1}
	for _, want := range []bin.Encoder{sc, pay} {
		var r sentCodeResult
		require.NoError(t, r.Decode(encode(t, want)))
		require.Equal(t, encode(t, want).Buf, encode(t, r.v.(bin.Encoder)).Buf)
	}

	var r sentCodeResult
	require.NoError(t, r.Decode(encode(t, &tg.AuthSentCodeSuccess{Authorization: &tg.AuthAuthorization{User: user}})))
	s, ok := r.v.(*SentCodeSuccess)
	require.True(t, ok)
	require.Equal(t, encode(t, user).Buf, encode(t, s.Authorization.User).Buf)
	require.Equal(t, uint32(tg.AuthSentCodeSuccessTypeID), s.TypeID())
	require.Equal(t, uint32(tl.AuthSentCodeSuccessTypeID), s.TypeID())

	signUp := &tg.AuthSentCodeSuccess{Authorization: &tg.AuthAuthorizationSignUpRequired{
		TermsOfService: tg.HelpTermsOfService{ID: tg.DataJSON{Data: "{}"}, Text: "t", Entities: []tg.MessageEntityClass{&tg.MessageEntityBold{Offset: 0, Length: 1}}},
	}}
	signUp.Authorization.(*tg.AuthAuthorizationSignUpRequired).SetFlags()
	require.ErrorIs(t, (&sentCodeResult{}).Decode(encode(t, signUp)), ErrSignUpRequired)
	require.Error(t, (&sentCodeResult{}).Decode(encode(t, &tg.User{})))
}

func TestAuthResult(t *testing.T) {
	user := &tg.User{ID: 9}
	user.SetFlags()
	var a authResult
	require.NoError(t, a.Decode(encode(t, &tg.AuthAuthorization{User: user})))
	require.Equal(t, encode(t, user).Buf, encode(t, a.auth.User).Buf)
	var b authResult
	require.NoError(t, b.Decode(encode(t, &tg.AuthAuthorizationSignUpRequired{})))
	require.True(t, b.signUp)
}
