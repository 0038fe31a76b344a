package bridge

import (
	"context"
	"testing"

	"github.com/go-faster/errors"
	"github.com/gotd/td/tdp"
	"github.com/gotd/td/tgerr"
	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client"
	"github.com/tgwasm/tgwasm/internal/client/tl"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// o builds an expected Object from key, value pairs.
func o(kv ...any) *Object {
	out := &Object{}
	for i := 0; i < len(kv); i += 2 {
		out.Set(kv[i].(string), kv[i+1])
	}
	return out
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"auth.sentCodeTypeSms": "auth.SentCodeTypeSms",
		"auth.sentCode":        "auth.SentCode",
		"user":                 "User",
		"userStatusRecently":   "UserStatusRecently",
		"auth.codeTypeCall":    "auth.CodeTypeCall",
	} {
		require.Equal(t, want, ClassName(in))
	}
	for in, want := range map[string]string{
		"phone_code_hash":           "phoneCodeHash",
		"type":                      "type",
		"play_integrity_project_id": "playIntegrityProjectId",
		"next_type":                 "nextType",
	} {
		require.Equal(t, want, CamelCase(in))
	}
}

func TestConvertSentCodeTypes(t *testing.T) {
	email := &tl.AuthSentCodeTypeEmailCode{EmailPattern: "d***@example.com", Length: 6, GoogleSigninAllowed: true}
	email.SetFlags()
	setup := &tl.AuthSentCodeTypeSetUpEmailRequired{AppleSigninAllowed: true}
	setup.SetFlags()
	firebase := &tl.AuthSentCodeTypeFirebaseSMS{Nonce: []byte{1, 2}, PlayIntegrityProjectID: 1 << 60, PlayIntegrityNonce: []byte{3}, PushTimeout: 30, Length: 5}
	firebase.SetFlags()
	firebaseBare := &tl.AuthSentCodeTypeFirebaseSMS{Length: 6}
	firebaseBare.SetFlags()
	word := &tl.AuthSentCodeTypeSMSWord{Beginning: "a"}
	word.SetFlags()
	phrase := &tl.AuthSentCodeTypeSMSPhrase{}
	phrase.SetFlags()
	for _, tt := range []struct {
		in   tdp.Object
		want *Object
	}{
		{&tl.AuthSentCodeTypeApp{Length: 5}, o("className", "auth.SentCodeTypeApp", "length", 5)},
		{&tl.AuthSentCodeTypeSMS{Length: 5}, o("className", "auth.SentCodeTypeSms", "length", 5)},
		{&tl.AuthSentCodeTypeCall{Length: 6}, o("className", "auth.SentCodeTypeCall", "length", 6)},
		{&tl.AuthSentCodeTypeFlashCall{Pattern: "+1*"}, o("className", "auth.SentCodeTypeFlashCall", "pattern", "+1*")},
		{&tl.AuthSentCodeTypeMissedCall{Prefix: "+1", Length: 4}, o("className", "auth.SentCodeTypeMissedCall", "prefix", "+1", "length", 4)},
		{email, o("className", "auth.SentCodeTypeEmailCode", "googleSigninAllowed", true, "emailPattern", "d***@example.com", "length", 6)},
		{setup, o("className", "auth.SentCodeTypeSetUpEmailRequired", "appleSigninAllowed", true)},
		{&tl.AuthSentCodeTypeFragmentSMS{URL: "https://fragment.com/x", Length: 5}, o("className", "auth.SentCodeTypeFragmentSms", "url", "https://fragment.com/x", "length", 5)},
		{firebase, o("className", "auth.SentCodeTypeFirebaseSms", "nonce", Bytes{1, 2}, "playIntegrityProjectId", BigInt(1<<60), "playIntegrityNonce", Bytes{3}, "receipt", "", "pushTimeout", 30, "length", 5)},
		{firebaseBare, o("className", "auth.SentCodeTypeFirebaseSms", "length", 6)},
		{word, o("className", "auth.SentCodeTypeSmsWord", "beginning", "a")},
		{phrase, o("className", "auth.SentCodeTypeSmsPhrase")},
	} {
		t.Run(tt.want.Vals[0].(string), func(t *testing.T) {
			require.Equal(t, tt.want, Convert(tt.in))
		})
	}
}

func TestConvertCodeTypes(t *testing.T) {
	for _, tt := range []struct {
		in   tdp.Object
		want string
	}{
		{&tl.AuthCodeTypeSMS{}, "auth.CodeTypeSms"},
		{&tl.AuthCodeTypeCall{}, "auth.CodeTypeCall"},
		{&tl.AuthCodeTypeFlashCall{}, "auth.CodeTypeFlashCall"},
		{&tl.AuthCodeTypeMissedCall{}, "auth.CodeTypeMissedCall"},
		{&tl.AuthCodeTypeFragmentSMS{}, "auth.CodeTypeFragmentSms"},
	} {
		require.Equal(t, o("className", tt.want), Convert(tt.in))
	}
}

func testUser() *tl.User {
	u := &tl.User{
		Self:       true,
		Restricted: true, // shares its flag with restriction_reason
		Premium:    true,
		ID:         1000001,
		AccessHash: -42,
		FirstName:  "Demo",
		LastName:   "User",
		Username:   "demo",
		Phone:      "9996620000",
		Status:     &tl.UserStatusOffline{WasOnline: 1700000000},
		Photo: &tl.UserProfilePhoto{
			PhotoID:       77,
			StrippedThumb: []byte{0xff},
			DCID:          2,
		},
		RestrictionReason: []tl.RestrictionReason{{Platform: "all", Reason: "test", Text: "t"}},
		Usernames:         []tl.Username{{Username: "demo", Active: true}},
		LangCode:          "en",
	}
	u.Usernames[0].SetFlags()
	u.Photo.(*tl.UserProfilePhoto).SetFlags()
	u.SetFlags()
	return u
}

func TestConvertUser(t *testing.T) {
	got := Convert(testUser())
	photo := o("className", "UserProfilePhoto", "photoId", BigInt(77), "strippedThumb", Bytes{0xff}, "dcId", 2)
	want := o(
		"className", "User",
		"self", true,
		"restricted", true,
		"premium", true,
		"id", BigInt(1000001),
		"accessHash", BigInt(-42),
		"firstName", "Demo",
		"lastName", "User",
		"username", "demo",
		"phone", "9996620000",
		"photo", photo,
		"status", o("className", "UserStatusOffline", "wasOnline", 1700000000),
		"restrictionReason", []any{o("className", "RestrictionReason", "platform", "all", "reason", "test", "text", "t")},
		"langCode", "en",
		"usernames", []any{o("className", "Username", "active", true, "username", "demo")},
	)
	require.Equal(t, want, got)
	for _, k := range got.Keys {
		require.NotEqual(t, "flags", k)
		require.NotEqual(t, "flags2", k)
	}
	// Optional fields that are absent are absent keys, not nulls.
	_, ok := got.Get("botInfoVersion")
	require.False(t, ok)
	_, ok = got.Get("contact")
	require.False(t, ok)

	stories := &tl.User{ID: 5, StoriesMaxID: tl.RecentStory{MaxID: 9}}
	stories.StoriesMaxID.SetFlags()
	stories.SetFlags()
	sm, ok := Convert(stories).Get("storiesMaxId")
	require.True(t, ok, "struct-valued optional fields convert too")
	require.Equal(t, o("className", "RecentStory", "maxId", 9), sm)
}

func TestConvertSentCodes(t *testing.T) {
	sc := &tl.AuthSentCode{Type: &tl.AuthSentCodeTypeSMS{Length: 5}, PhoneCodeHash: "2dc0d6c9e7a1b1c3a4"}
	sc.SetNextType(&tl.AuthCodeTypeCall{})
	sc.SetTimeout(60)
	require.Equal(t, o(
		"className", "auth.SentCode",
		"type", o("className", "auth.SentCodeTypeSms", "length", 5),
		"phoneCodeHash", "2dc0d6c9e7a1b1c3a4",
		"nextType", o("className", "auth.CodeTypeCall"),
		"timeout", 60,
	), Convert(sc))

	bare := &tl.AuthSentCode{Type: &tl.AuthSentCodeTypeApp{Length: 5}, PhoneCodeHash: "h"}
	require.Equal(t, o(
		"className", "auth.SentCode",
		"type", o("className", "auth.SentCodeTypeApp", "length", 5),
		"phoneCodeHash", "h",
	), Convert(bare))

	successUser := &tl.User{ID: 7, FirstName: "A"}
	successUser.SetFlags()
	success := &tl.AuthSentCodeSuccess{Authorization: &tl.AuthAuthorization{User: successUser}}
	got := Convert(success)
	require.Equal(t, "auth.SentCodeSuccess", got.Vals[0])
	auth, _ := got.Get("authorization")
	require.Equal(t, "auth.Authorization", auth.(*Object).Vals[0])
	u, _ := auth.(*Object).Get("user")
	require.Equal(t, o("className", "User", "id", BigInt(7), "firstName", "A"), u)

	pay := &tl.AuthSentCodePaymentRequired{StoreProduct: "p", PhoneCodeHash: "h", SupportEmailAddress: "a@b", SupportEmailSubject: "s", PremiumDays: 7, Currency: "USD", Amount: 199}
	require.Equal(t, o(
		"className", "auth.SentCodePaymentRequired",
		"storeProduct", "p",
		"phoneCodeHash", "h",
		"supportEmailAddress", "a@b",
		"supportEmailSubject", "s",
		"premiumDays", 7,
		"currency", "USD",
		"amount", BigInt(199),
	), Convert(pay))

	require.Nil(t, Convert((*tl.User)(nil)))
}

func TestDescribeError(t *testing.T) {
	timeoutCtx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	<-timeoutCtx.Done()
	abortCtx, abort := context.WithCancelCause(context.Background())
	abort(ErrAborted)
	bg := context.Background()

	for _, tt := range []struct {
		name string
		ctx  context.Context
		err  error
		want ErrorInfo
	}{
		{"rpc", bg, &client.RPCError{Err: tgerr.New(400, "PHONE_NUMBER_INVALID"), Method: "account.sendChangePhoneCode"},
			ErrorInfo{Name: "RPCError", Code: 400, ErrorMessage: "PHONE_NUMBER_INVALID", Method: "account.sendChangePhoneCode",
				Message: "400: PHONE_NUMBER_INVALID (caused by account.sendChangePhoneCode)"}},
		{"flood", bg, &client.RPCError{Err: tgerr.New(420, "FLOOD_WAIT_130"), Method: "account.sendVerifyPhoneCode"},
			ErrorInfo{Name: "RPCError", Code: 420, ErrorMessage: "FLOOD_WAIT", Seconds: 130, HasSeconds: true, Method: "account.sendVerifyPhoneCode",
				Message: "420: FLOOD_WAIT (caused by account.sendVerifyPhoneCode)"}},
		{"premium flood", bg, &client.RPCError{Err: tgerr.New(420, "FLOOD_PREMIUM_WAIT_5"), Method: "m"},
			ErrorInfo{Name: "RPCError", Code: 420, ErrorMessage: "FLOOD_PREMIUM_WAIT", Seconds: 5, HasSeconds: true, Method: "m",
				Message: "420: FLOOD_PREMIUM_WAIT (caused by m)"}},
		{"migrate has no seconds", bg, &client.RPCError{Err: tgerr.New(303, "PHONE_MIGRATE_4"), Method: "m"},
			ErrorInfo{Name: "RPCError", Code: 303, ErrorMessage: "PHONE_MIGRATE", Method: "m", Message: "303: PHONE_MIGRATE (caused by m)"}},
		{"fresh", bg, &client.RPCError{Err: tgerr.New(406, "FRESH_CHANGE_PHONE_FORBIDDEN"), Method: "account.sendChangePhoneCode"},
			ErrorInfo{Name: "RPCError", Code: 406, ErrorMessage: "FRESH_CHANGE_PHONE_FORBIDDEN", Method: "account.sendChangePhoneCode",
				Message: "406: FRESH_CHANGE_PHONE_FORBIDDEN (caused by account.sendChangePhoneCode)"}},
		{"timeout", timeoutCtx, errors.Wrap(context.DeadlineExceeded, "rpcDoRequest"),
			ErrorInfo{Name: "TimeoutError", Message: "account.sendChangePhoneCode timed out after 1500 ms", Timeout: 1500}},
		{"abort", abortCtx, context.Canceled, ErrorInfo{Name: "AbortError", Message: "The operation was aborted."}},
		{"abort wins over connection", abortCtx, &client.ConnectionError{Reason: "x", Cause: errors.New("y")}, ErrorInfo{Name: "AbortError", Message: "The operation was aborted."}},
		{"unreachable", bg, &client.ConnectionError{Reason: "cannot reach the DC", Cause: &transport.DialError{URL: "ws://x", Err: errors.New("refused")}},
			ErrorInfo{Name: "ConnectionError", Message: "cannot reach the DC", Cause: "dial ws://x: refused"}},
		{"closed", bg, client.ErrClosed, ErrorInfo{Name: "ConnectionError", Message: "the client is closed"}},
		{"arg", bg, &client.ArgError{Path: "settings.token", Reason: "must be a string, not a number"},
			ErrorInfo{Name: "TypeError", Message: "settings.token must be a string, not a number"}},
		{"range", bg, &client.ArgError{Path: "phoneNumber", Reason: "is longer than 32 characters", Range: true},
			ErrorInfo{Name: "RangeError", Message: "phoneNumber is longer than 32 characters"}},
		{"other", bg, errors.New("weird"), ErrorInfo{Name: "Error", Message: "account.sendChangePhoneCode: weird"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, DescribeError(tt.ctx, tt.err, "account.sendChangePhoneCode", 1500))
		})
	}
	flood := DescribeError(context.Background(), &client.RPCError{Err: tgerr.New(420, "FLOOD_WAIT_3"), Method: "m"}, "m", 0).Object()
	sec, ok := flood.Get("seconds")
	require.True(t, ok)
	require.Equal(t, 3, sec)
	plain := DescribeError(context.Background(), &client.RPCError{Err: tgerr.New(400, "X"), Method: "m"}, "m", 0).Object()
	_, ok = plain.Get("seconds")
	require.False(t, ok, "seconds only on *_WAIT errors")
}

func TestConvertOwnSentCodeSuccess(t *testing.T) {
	u := &tl.User{ID: 7, FirstName: "A"}
	u.SetFlags()
	want := Convert(&tl.AuthSentCodeSuccess{Authorization: &tl.AuthAuthorization{User: u}})
	require.Equal(t, want, Convert(&client.SentCodeSuccess{Authorization: &tl.AuthAuthorization{User: u}}))
}
