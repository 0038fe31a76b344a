//go:build !js

package client_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client"
	"github.com/tgwasm/tgwasm/internal/client/tl"
	"github.com/tgwasm/tgwasm/internal/testdc"
)

func sentHash(t *testing.T, sc client.TL) string {
	t.Helper()
	code, ok := sc.(*tl.AuthSentCode)
	require.True(t, ok, "%T", sc)
	return code.PhoneCodeHash
}

func TestLoginWithoutPassword(t *testing.T) {
	srv := startDC(t, testdc.Options{})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)

	_, err := c.GetMe(ctx)
	requireRPC(t, err, 401, "AUTH_KEY_UNREGISTERED", "users.getUsers")

	sc, err := c.SendCode(ctx, "+999 66 2 0001", tl.CodeSettings{})
	require.NoError(t, err)
	hash := sentHash(t, sc)

	_, err = c.SignIn(ctx, "+9996620001", hash, "12345")
	requireRPC(t, err, 400, "PHONE_CODE_INVALID", "auth.signIn")
	_, err = c.SignIn(ctx, "+9996620001", hash, "")
	requireRPC(t, err, 400, "PHONE_CODE_EMPTY", "auth.signIn")

	me, err := c.SignIn(ctx, "+9996620001", hash, "22222")
	require.NoError(t, err)
	require.Equal(t, "Alice", me.FirstName)
	require.True(t, me.Self)

	// The code was used up.
	_, err = c.SignIn(ctx, "+9996620001", hash, "22222")
	requireRPC(t, err, 400, "PHONE_CODE_EXPIRED", "auth.signIn")

	me, err = c.GetMe(ctx)
	require.NoError(t, err)
	require.Equal(t, "9996620001", me.Phone)

	require.NoError(t, c.LogOut(ctx))
	_, err = c.GetMe(ctx)
	requireRPC(t, err, 401, "AUTH_KEY_UNREGISTERED", "users.getUsers")
	require.NoError(t, c.LogOut(ctx), "logging out twice is fine")
}

func TestLoginWithPassword(t *testing.T) {
	srv := startDC(t, testdc.Options{})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 60*time.Second)

	sc, err := c.SendCode(ctx, "+9996621111", tl.CodeSettings{})
	require.NoError(t, err)
	_, err = c.SignIn(ctx, "+9996621111", sentHash(t, sc), "22222")
	requireRPC(t, err, 401, "SESSION_PASSWORD_NEEDED", "auth.signIn")

	_, err = c.CheckPassword(ctx, "hunter3")
	requireRPC(t, err, 400, "PASSWORD_HASH_INVALID", "auth.checkPassword")

	me, err := c.CheckPassword(ctx, "hunter2")
	require.NoError(t, err)
	require.Equal(t, "Bob", me.FirstName)
	me, err = c.GetMe(ctx)
	require.NoError(t, err)
	require.Equal(t, "Bob", me.FirstName)
}

func TestPasswordLoginOnOtherDC(t *testing.T) {
	srv := startDC(t, testdc.Options{})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 60*time.Second)
	// Dave lives on DC 1 and has a password.
	sc, err := c.SendCode(ctx, "+9996611111", tl.CodeSettings{})
	require.NoError(t, err)
	require.Equal(t, 1, c.DC())
	_, err = c.SignIn(ctx, "+9996611111", sentHash(t, sc), "11111")
	requireRPC(t, err, 401, "SESSION_PASSWORD_NEEDED", "auth.signIn")
	me, err := c.CheckPassword(ctx, "correct horse")
	require.NoError(t, err)
	require.Equal(t, "Dave", me.FirstName)
}

func TestSignUpRequired(t *testing.T) {
	srv := startDC(t, testdc.Options{})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	sc, err := c.SendCode(ctx, "+15550001234", tl.CodeSettings{})
	require.NoError(t, err)
	_, err = c.SignIn(ctx, "+15550001234", sentHash(t, sc), "22222")
	requireRPC(t, err, 400, "PHONE_NUMBER_UNOCCUPIED", "auth.signIn")
}

func TestBotLogin(t *testing.T) {
	srv := startDC(t, testdc.Options{})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	_, err := c.SignInBot(ctx, "1:nope")
	requireRPC(t, err, 400, "ACCESS_TOKEN_INVALID", "auth.importBotAuthorization")
	me, err := c.SignInBot(ctx, "1000006:TESTtokenForTheLocalDC")
	require.NoError(t, err)
	require.True(t, me.Bot)
	require.Equal(t, "tgwasm_test_bot", me.Username)
	// Bots may use the account methods too.
	_, err = c.SendVerifyPhoneCode(ctx, "+15551234501", tl.CodeSettings{})
	require.NoError(t, err)
}

func TestChangePhoneFlow(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)

	sc, err := c.SendChangePhoneCode(ctx, "+1 555 246 8001", tl.CodeSettings{})
	require.NoError(t, err)
	hash := sentHash(t, sc)

	_, err = c.ChangePhone(ctx, "+15552468001", hash, "00000")
	requireRPC(t, err, 400, "PHONE_CODE_INVALID", "account.changePhone")
	_, err = c.ChangePhone(ctx, "+15552468001", "wrong-hash", "22222")
	requireRPC(t, err, 400, "PHONE_CODE_EXPIRED", "account.changePhone")

	u, err := c.ChangePhone(ctx, "+15552468001", hash, "22222")
	require.NoError(t, err)
	require.Equal(t, "15552468001", u.(*tl.User).Phone)
	me, err := c.GetMe(ctx)
	require.NoError(t, err)
	require.Equal(t, "15552468001", me.Phone)

	acc, ok := srv.AccountByPhone("+15552468001")
	require.True(t, ok)
	require.Equal(t, "Demo", acc.FirstName)
	_, ok = srv.AccountByPhone("+9996620000")
	require.False(t, ok, "the old number is free")

	// The freed number can be taken again; the new one is occupied now.
	_, err = c.SendChangePhoneCode(ctx, "+9996620000", tl.CodeSettings{})
	require.NoError(t, err)
	_, err = c.SendChangePhoneCode(ctx, "+15552468001", tl.CodeSettings{})
	requireRPC(t, err, 400, "PHONE_NUMBER_OCCUPIED", "account.sendChangePhoneCode")
}

func TestVerifyPhoneFlow(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)

	sc, err := c.SendVerifyPhoneCode(ctx, "+15551357901", tl.CodeSettings{})
	require.NoError(t, err)
	hash := sentHash(t, sc)
	err = c.VerifyPhone(ctx, "+15551357901", hash, "99999")
	requireRPC(t, err, 400, "PHONE_CODE_INVALID", "account.verifyPhone")
	// A change-phone code does not verify, and vice versa.
	sc2, err := c.SendChangePhoneCode(ctx, "+15551357902", tl.CodeSettings{})
	require.NoError(t, err)
	err = c.VerifyPhone(ctx, "+15551357902", sentHash(t, sc2), "22222")
	requireRPC(t, err, 400, "PHONE_CODE_EXPIRED", "account.verifyPhone")

	require.NoError(t, c.VerifyPhone(ctx, "+15551357901", hash, "22222"))
	err = c.VerifyPhone(ctx, "+15551357901", hash, "22222")
	requireRPC(t, err, 400, "PHONE_CODE_EXPIRED", "account.verifyPhone")
}

func TestResendWalksNextType(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)

	sc, err := c.SendChangePhoneCode(ctx, "+15551112200", tl.CodeSettings{}) // app → sms → call
	require.NoError(t, err)
	first := sc.(*tl.AuthSentCode)
	require.IsType(t, &tl.AuthSentCodeTypeApp{}, first.Type)
	require.IsType(t, &tl.AuthCodeTypeSMS{}, first.NextType)

	sc, err = c.ResendCode(ctx, "+15551112200", first.PhoneCodeHash, "")
	require.NoError(t, err)
	second := sc.(*tl.AuthSentCode)
	require.IsType(t, &tl.AuthSentCodeTypeSMS{}, second.Type)
	require.IsType(t, &tl.AuthCodeTypeCall{}, second.NextType)
	require.Equal(t, first.PhoneCodeHash, second.PhoneCodeHash)

	sc, err = c.ResendCode(ctx, "+15551112200", first.PhoneCodeHash, "sms never arrived")
	require.NoError(t, err)
	third := sc.(*tl.AuthSentCode)
	require.IsType(t, &tl.AuthSentCodeTypeCall{}, third.Type)
	_, hasNext := third.GetNextType()
	require.False(t, hasNext)

	_, err = c.ResendCode(ctx, "+15551112200", first.PhoneCodeHash, "")
	requireRPC(t, err, 400, "SEND_CODE_UNAVAILABLE", "auth.resendCode")

	// The code still completes the flow after resends.
	_, err = c.ChangePhone(ctx, "+15551112200", first.PhoneCodeHash, "22222")
	require.NoError(t, err)
}

func TestCancelCode(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	sc, err := c.SendVerifyPhoneCode(ctx, "+15559990001", tl.CodeSettings{})
	require.NoError(t, err)
	hash := sentHash(t, sc)
	require.NoError(t, c.CancelCode(ctx, "+15559990001", hash))
	err = c.VerifyPhone(ctx, "+15559990001", hash, "22222")
	requireRPC(t, err, 400, "PHONE_CODE_EXPIRED", "account.verifyPhone")
	err = c.CancelCode(ctx, "+15559990001", hash)
	requireRPC(t, err, 400, "PHONE_CODE_EXPIRED", "auth.cancelCode")
}

func TestCodeExpires(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true, CodeTimeout: time.Second})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	sc, err := c.SendChangePhoneCode(ctx, "+15558880001", tl.CodeSettings{})
	require.NoError(t, err)
	code := sc.(*tl.AuthSentCode)
	timeout, ok := code.GetTimeout()
	require.True(t, ok)
	require.Equal(t, 1, timeout)
	time.Sleep(1100 * time.Millisecond)
	_, err = c.ChangePhone(ctx, "+15558880001", code.PhoneCodeHash, "22222")
	requireRPC(t, err, 400, "PHONE_CODE_EXPIRED", "account.changePhone")
}

func TestSentCodeSuccessLogsIn(t *testing.T) {
	srv := startDC(t, testdc.Options{Accounts: append(testdc.DefaultAccounts(), testdc.Account{Phone: "+15550000012", DC: 2, FirstName: "Token"})})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	sc, err := c.SendCode(ctx, "+15550000012", tl.CodeSettings{LogoutTokens: [][]byte{{1, 2, 3}}})
	require.NoError(t, err)
	require.IsType(t, &client.SentCodeSuccess{}, sc)
	me, err := c.GetMe(ctx)
	require.NoError(t, err)
	require.Equal(t, "Token", me.FirstName)
}

var _ = client.ErrSignUpRequired
