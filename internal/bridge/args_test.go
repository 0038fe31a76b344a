package bridge

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client"
	"github.com/tgwasm/tgwasm/internal/client/tl"
)

func TestParseSendCodeParams(t *testing.T) {
	p, err := ParseSendCodeParams(obj(
		"phoneNumber", str("+15551234567"),
		"settings", obj(
			"allowFlashcall", boolean(true),
			"currentNumber", boolean(false),
			"allowAppHash", boolean(true),
			"allowMissedCall", boolean(true),
			"allowFirebase", boolean(true),
			"unknownNumber", boolean(true),
			"logoutTokens", arr(u8(1, 2), u8()),
			"token", str("apns"),
			"appSandbox", boolean(true),
		),
	))
	require.NoError(t, err)
	require.Equal(t, "+15551234567", p.PhoneNumber)
	s := p.Settings
	require.True(t, s.AllowFlashcall)
	require.False(t, s.CurrentNumber)
	require.True(t, s.AllowAppHash && s.AllowMissedCall && s.AllowFirebase && s.UnknownNumber && s.AppSandbox)
	tokens, ok := s.GetLogoutTokens()
	require.True(t, ok)
	require.Equal(t, [][]byte{{1, 2}, {}}, tokens)
	tok, ok := s.GetToken()
	require.True(t, ok)
	require.Equal(t, "apns", tok)

	// settings may be left out; empty strings go to the server.
	p, err = ParseSendCodeParams(obj("phoneNumber", str("")))
	require.NoError(t, err)
	require.Equal(t, tl.CodeSettings{}, p.Settings)
	p, err = ParseSendCodeParams(obj("phoneNumber", str("+1"), "settings", undef))
	require.NoError(t, err)
	require.Equal(t, "+1", p.PhoneNumber)
}

// TestMalformedArguments lists argument shapes that must be refused before
// anything is sent, with the error class and the path named in the message.
func TestMalformedArguments(t *testing.T) {
	type parse func(Value) error
	sendCode := func(v Value) error { _, err := ParseSendCodeParams(v); return err }
	withCode := func(v Value) error { _, err := ParseCodeParams(v, true, false); return err }
	withReason := func(v Value) error { _, err := ParseCodeParams(v, false, true); return err }
	password := func(v Value) error { _, err := ParseStringParam(v, "password"); return err }
	none := ParseNoParams
	okHash := func(extra ...any) *jv {
		kv := append([]any{"phoneNumber", str("+1555"), "phoneCodeHash", str("abc")}, extra...)
		return obj(kv...)
	}
	for _, tt := range []struct {
		name  string
		parse parse
		in    *jv
		msg   string // expected message (always a TypeError)
		// Lengths and counts are not checked here: internal/client owns
		// those limits (TestArgumentsCheckedLocally).
	}{
		{"params undefined", sendCode, undef, "params must be an object, not undefined"},
		{"params null", sendCode, null, "params must be an object, not null"},
		{"params string", sendCode, str("+1555"), "params must be an object, not a string"},
		{"params number", sendCode, num(1), "params must be an object, not a number"},
		{"params array", sendCode, arr(str("+1")), "params must be an object, not an array"},
		{"params function", sendCode, fn, "params must be an object, not a function"},
		{"params bigint", sendCode, bigint, "params must be an object, not a bigint"},
		{"params Uint8Array", sendCode, u8(1), "params must be an object, not a Uint8Array"},
		{"params symbol", sendCode, sym, "params must be an object, not a symbol"},
		{"phone missing", sendCode, obj(), "phoneNumber is required (a string)"},
		{"phone number", sendCode, obj("phoneNumber", num(15551234567)), "phoneNumber must be a string, not a number"},
		{"phone bigint", sendCode, obj("phoneNumber", bigint), "phoneNumber must be a string, not a bigint"},
		{"phone null", sendCode, obj("phoneNumber", null), "phoneNumber must be a string, not null"},
		{"phone NaN", sendCode, obj("phoneNumber", nan), "phoneNumber must be a string, not NaN"},
		{"phone object", sendCode, obj("phoneNumber", obj()), "phoneNumber must be a string, not an object"},
		{"phone array", sendCode, obj("phoneNumber", arr()), "phoneNumber must be a string, not an array"},
		{"phone getter throws", sendCode, throwing(obj(), "phoneNumber", "boom"), "phoneNumber could not be read: boom"},
		{"typo in key", sendCode, obj("phonenumber", str("+1")), "phonenumber is not a known option (did you mean phoneNumber?)"},
		{"unknown key", sendCode, obj("phoneNumber", str("+1"), "force", boolean(true)), "force is not a known option (known: phoneNumber, settings)"},
		{"keys throw (revoked proxy)", sendCode, &jv{typ: ObjectType, keysThrow: "proxy revoked"}, "params could not be read: proxy revoked"},
		{"settings null", sendCode, obj("phoneNumber", str("+1"), "settings", null), "settings must be an object, not null"},
		{"settings string", sendCode, obj("phoneNumber", str("+1"), "settings", str("{}")), "settings must be an object, not a string"},
		{"settings array", sendCode, obj("phoneNumber", str("+1"), "settings", arr()), "settings must be an object, not an array"},
		{"settings true", sendCode, obj("phoneNumber", str("+1"), "settings", boolean(true)), "settings must be an object, not a boolean"},
		{"settings camel typo", sendCode, obj("phoneNumber", str("+1"), "settings", obj("allowFlashCall", boolean(true))), "settings.allowFlashCall is not a known option (did you mean allowFlashcall?)"},
		{"settings snake case", sendCode, obj("phoneNumber", str("+1"), "settings", obj("allow_app_hash", boolean(true))), "settings.allow_app_hash is not a known option (did you mean allowAppHash?)"},
		{"flag as string", sendCode, obj("phoneNumber", str("+1"), "settings", obj("allowFlashcall", str("true"))), "settings.allowFlashcall must be a boolean, not a string"},
		{"flag as number", sendCode, obj("phoneNumber", str("+1"), "settings", obj("currentNumber", num(1))), "settings.currentNumber must be a boolean, not a number"},
		{"flag as null", sendCode, obj("phoneNumber", str("+1"), "settings", obj("appSandbox", null)), "settings.appSandbox must be a boolean, not null"},
		{"flag getter throws", sendCode, obj("phoneNumber", str("+1"), "settings", throwing(obj(), "allowFirebase", "nope")), "settings.allowFirebase could not be read: nope"},
		{"token number", sendCode, obj("phoneNumber", str("+1"), "settings", obj("token", num(5))), "settings.token must be a string, not a number"},
		{"logoutTokens not array", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", u8(1))), "settings.logoutTokens must be an array of Uint8Array, not a Uint8Array"},
		{"logoutTokens string", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", str("x"))), "settings.logoutTokens must be an array of Uint8Array, not a string"},
		{"logoutTokens item string", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", arr(u8(1), u8(2), str("c")))), "settings.logoutTokens[2] must be a Uint8Array, not a string"},
		{"logoutTokens item array", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", arr(arr(num(1))))), "settings.logoutTokens[0] must be a Uint8Array, not an array"},
		{"logoutTokens hole", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", arr(u8(1), nil))), "settings.logoutTokens[1] must be a Uint8Array, not undefined"},
		{"hash missing", withCode, obj("phoneNumber", str("+1"), "phoneCode", str("22222")), "phoneCodeHash is required (a string)"},
		{"code missing", withCode, okHash(), "phoneCode is required (a string)"},
		{"code number", withCode, okHash("phoneCode", num(22222)), "phoneCode must be a string, not a number"},
		{"hash bigint", withCode, obj("phoneNumber", str("+1"), "phoneCodeHash", bigint, "phoneCode", str("1")), "phoneCodeHash must be a string, not a bigint"},
		{"code on cancel", withReason, okHash("phoneCode", str("1")), "phoneCode is not a known option (known: phoneCodeHash, phoneNumber, reason)"},
		{"reason number", withReason, okHash("reason", num(1)), "reason must be a string, not a number"},
		{"password missing", password, obj(), "password is required (a string)"},
		{"password number", password, obj("password", num(1234)), "password must be a string, not a number"},
		{"getMe with args", none, obj("self", boolean(true)), "self is not a known option (this method takes none)"},
		{"getMe with string", none, str("me"), "params must be an object, not a string"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse(tt.in)
			var argErr *client.ArgError
			require.ErrorAs(t, err, &argErr)
			require.False(t, argErr.Range)
			require.Equal(t, tt.msg, argErr.Error())
			require.Equal(t, ErrorInfo{Name: "TypeError", Message: tt.msg}, DescribeError(context.Background(), err, "x", 0))
		})
	}
}

func TestPrepare(t *testing.T) {
	for _, m := range Methods {
		_, tl, err := Prepare(m.Name, undef)
		require.Equal(t, m.TL, tl)
		if m.Params.Shape == "none" {
			require.NoError(t, err, m.Name)
		} else {
			require.Error(t, err, m.Name)
		}
	}
	_, _, err := Prepare("sendChangePhonecode", obj())
	require.ErrorIs(t, err, ErrUnknownMethod)
}
