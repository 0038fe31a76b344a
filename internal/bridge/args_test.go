package bridge

import (
	"context"
	"strings"
	"testing"

	"github.com/gotd/td/tg"
	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client"
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
	require.Equal(t, tg.CodeSettings{}, p.Settings)
	p, err = ParseSendCodeParams(obj("phoneNumber", str("+1"), "settings", undef))
	require.NoError(t, err)
	require.Equal(t, "+1", p.PhoneNumber)
}

// TestMalformedArguments lists argument shapes that must be refused before
// anything is sent, with the error class and the path named in the message.
func TestMalformedArguments(t *testing.T) {
	long := strings.Repeat("9", client.MaxPhoneNumber+1)
	tooMany := make([]*jv, client.MaxLogoutTokens+1)
	for i := range tooMany {
		tooMany[i] = u8(1)
	}
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
		rng   bool   // RangeError rather than TypeError
		msg   string // expected message
	}{
		{"params undefined", sendCode, undef, false, "params must be an object, not undefined"},
		{"params null", sendCode, null, false, "params must be an object, not null"},
		{"params string", sendCode, str("+1555"), false, "params must be an object, not a string"},
		{"params number", sendCode, num(1), false, "params must be an object, not a number"},
		{"params array", sendCode, arr(str("+1")), false, "params must be an object, not an array"},
		{"params function", sendCode, fn, false, "params must be an object, not a function"},
		{"params bigint", sendCode, bigint, false, "params must be an object, not a bigint"},
		{"params Uint8Array", sendCode, u8(1), false, "params must be an object, not a Uint8Array"},
		{"params symbol", sendCode, sym, false, "params must be an object, not a symbol"},
		{"phone missing", sendCode, obj(), false, "phoneNumber is required (a string)"},
		{"phone number", sendCode, obj("phoneNumber", num(15551234567)), false, "phoneNumber must be a string, not a number"},
		{"phone bigint", sendCode, obj("phoneNumber", bigint), false, "phoneNumber must be a string, not a bigint"},
		{"phone null", sendCode, obj("phoneNumber", null), false, "phoneNumber must be a string, not null"},
		{"phone NaN", sendCode, obj("phoneNumber", nan), false, "phoneNumber must be a string, not NaN"},
		{"phone object", sendCode, obj("phoneNumber", obj()), false, "phoneNumber must be a string, not an object"},
		{"phone array", sendCode, obj("phoneNumber", arr()), false, "phoneNumber must be a string, not an array"},
		{"phone too long", sendCode, obj("phoneNumber", str(long)), true, "phoneNumber is longer than 32 characters"},
		{"phone huge", sendCode, obj("phoneNumber", str(strings.Repeat("1", 1<<20))), true, "phoneNumber is longer than 32 characters"},
		{"phone bad utf-8", sendCode, obj("phoneNumber", str("+1\xff")), false, "phoneNumber must be valid UTF-8"},
		{"phone getter throws", sendCode, throwing(obj(), "phoneNumber", "boom"), false, "phoneNumber could not be read: boom"},
		{"typo in key", sendCode, obj("phonenumber", str("+1")), false, "phonenumber is not a known option (did you mean phoneNumber?)"},
		{"unknown key", sendCode, obj("phoneNumber", str("+1"), "force", boolean(true)), false, "force is not a known option (known: phoneNumber, settings)"},
		{"keys throw (revoked proxy)", sendCode, &jv{kind: ObjectKind, keysThrow: "proxy revoked"}, false, "params could not be read: proxy revoked"},
		{"settings null", sendCode, obj("phoneNumber", str("+1"), "settings", null), false, "settings must be an object, not null"},
		{"settings string", sendCode, obj("phoneNumber", str("+1"), "settings", str("{}")), false, "settings must be an object, not a string"},
		{"settings array", sendCode, obj("phoneNumber", str("+1"), "settings", arr()), false, "settings must be an object, not an array"},
		{"settings true", sendCode, obj("phoneNumber", str("+1"), "settings", boolean(true)), false, "settings must be an object, not a boolean"},
		{"settings camel typo", sendCode, obj("phoneNumber", str("+1"), "settings", obj("allowFlashCall", boolean(true))), false, "settings.allowFlashCall is not a known option (did you mean allowFlashcall?)"},
		{"settings snake case", sendCode, obj("phoneNumber", str("+1"), "settings", obj("allow_app_hash", boolean(true))), false, "settings.allow_app_hash is not a known option (did you mean allowAppHash?)"},
		{"flag as string", sendCode, obj("phoneNumber", str("+1"), "settings", obj("allowFlashcall", str("true"))), false, "settings.allowFlashcall must be a boolean, not a string"},
		{"flag as number", sendCode, obj("phoneNumber", str("+1"), "settings", obj("currentNumber", num(1))), false, "settings.currentNumber must be a boolean, not a number"},
		{"flag as null", sendCode, obj("phoneNumber", str("+1"), "settings", obj("appSandbox", null)), false, "settings.appSandbox must be a boolean, not null"},
		{"flag getter throws", sendCode, obj("phoneNumber", str("+1"), "settings", throwing(obj(), "allowFirebase", "nope")), false, "settings.allowFirebase could not be read: nope"},
		{"token number", sendCode, obj("phoneNumber", str("+1"), "settings", obj("token", num(5))), false, "settings.token must be a string, not a number"},
		{"token too long", sendCode, obj("phoneNumber", str("+1"), "settings", obj("token", str(strings.Repeat("t", client.MaxToken+1)))), true, "settings.token is longer than 4096 characters"},
		{"logoutTokens not array", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", u8(1))), false, "settings.logoutTokens must be an array of Uint8Array, not a Uint8Array"},
		{"logoutTokens string", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", str("x"))), false, "settings.logoutTokens must be an array of Uint8Array, not a string"},
		{"logoutTokens item string", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", arr(u8(1), u8(2), str("c")))), false, "settings.logoutTokens[2] must be a Uint8Array, not a string"},
		{"logoutTokens item array", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", arr(arr(num(1))))), false, "settings.logoutTokens[0] must be a Uint8Array, not an array"},
		{"logoutTokens hole", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", arr(u8(1), nil))), false, "settings.logoutTokens[1] must be a Uint8Array, not undefined"},
		{"logoutTokens too many", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", arr(tooMany...))), true, "settings.logoutTokens has more than 64 entries"},
		{"logoutToken too big", sendCode, obj("phoneNumber", str("+1"), "settings", obj("logoutTokens", arr(&jv{kind: ObjectKind, isBytes: true, bytes: make([]byte, client.MaxLogoutToken+1)}))), true, "settings.logoutTokens[0] is longer than 1024 bytes"},
		{"hash missing", withCode, obj("phoneNumber", str("+1"), "phoneCode", str("22222")), false, "phoneCodeHash is required (a string)"},
		{"code missing", withCode, okHash(), false, "phoneCode is required (a string)"},
		{"code number", withCode, okHash("phoneCode", num(22222)), false, "phoneCode must be a string, not a number"},
		{"code too long", withCode, okHash("phoneCode", str(strings.Repeat("2", 33))), true, "phoneCode is longer than 32 characters"},
		{"hash too long", withCode, obj("phoneNumber", str("+1"), "phoneCodeHash", str(strings.Repeat("h", client.MaxPhoneCodeHash+1)), "phoneCode", str("1")), true, "phoneCodeHash is longer than 4096 characters"},
		{"hash bigint", withCode, obj("phoneNumber", str("+1"), "phoneCodeHash", bigint, "phoneCode", str("1")), false, "phoneCodeHash must be a string, not a bigint"},
		{"code on cancel", withReason, okHash("phoneCode", str("1")), false, "phoneCode is not a known option (known: phoneCodeHash, phoneNumber, reason)"},
		{"reason number", withReason, okHash("reason", num(1)), false, "reason must be a string, not a number"},
		{"password missing", password, obj(), false, "password is required (a string)"},
		{"password number", password, obj("password", num(1234)), false, "password must be a string, not a number"},
		{"getMe with args", none, obj("self", boolean(true)), false, "self is not a known option (known: )"},
		{"getMe with string", none, str("me"), false, "params must be an object, not a string"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse(tt.in)
			var argErr *client.ArgError
			require.ErrorAs(t, err, &argErr)
			require.Equal(t, tt.rng, argErr.Range, "RangeError?")
			require.Equal(t, tt.msg, argErr.Error())
			info := DescribeError(context.Background(), err, "x", 0)
			if tt.rng {
				require.Equal(t, "RangeError", info.Name)
			} else {
				require.Equal(t, "TypeError", info.Name)
			}
		})
	}
}

func TestParseTimeout(t *testing.T) {
	got, err := ParseTimeout("timeout", undef, 30000)
	require.NoError(t, err)
	require.Equal(t, 30000, got)
	got, err = ParseTimeout("timeout", num(1500.7), 0)
	require.NoError(t, err)
	require.Equal(t, 1500, got)
	for _, tt := range []struct {
		in  *jv
		rng bool
		msg string
	}{
		{nan, true, "timeout must be a finite number of milliseconds, not NaN"},
		{inf, true, "timeout must be a finite number of milliseconds, not +Inf"},
		{num(0), true, "timeout must be between 1 and 2147483647 milliseconds, not 0"},
		{num(-5), true, "timeout must be between 1 and 2147483647 milliseconds, not -5"},
		{num(1e12), true, "timeout must be between 1 and 2147483647 milliseconds, not 1e+12"},
		{bigint, false, "timeout must be a number of milliseconds, not a bigint"},
		{str("1000"), false, "timeout must be a number of milliseconds, not a string"},
		{null, false, "timeout must be a number of milliseconds, not null"},
	} {
		_, err := ParseTimeout("timeout", tt.in, 0)
		var argErr *client.ArgError
		require.ErrorAs(t, err, &argErr)
		require.Equal(t, tt.rng, argErr.Range)
		require.Equal(t, tt.msg, err.Error())
	}
}

func TestPrepare(t *testing.T) {
	for name := range Methods {
		_, tl, err := Prepare(name, undef)
		require.NotEmpty(t, tl)
		if name == "logOut" || name == "getMe" {
			require.NoError(t, err, name)
		} else {
			require.Error(t, err, name)
		}
	}
	_, _, err := Prepare("sendChangePhonecode", obj())
	require.ErrorIs(t, err, ErrUnknownMethod)
}
