//go:build !js

package client_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gotd/td/tgerr"
	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client"
	"github.com/tgwasm/tgwasm/internal/client/tl"
	"github.com/tgwasm/tgwasm/internal/kex"
	"github.com/tgwasm/tgwasm/internal/session"
	"github.com/tgwasm/tgwasm/internal/testdc"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// startDC runs a local DC on 127.0.0.1 for the test.
func startDC(t *testing.T, opts testdc.Options) *testdc.Server {
	t.Helper()
	srv, err := testdc.New(opts)
	require.NoError(t, err)
	require.NoError(t, srv.Listen())
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

type states struct {
	mu  sync.Mutex
	seq []client.State
}

func (s *states) add(st client.State) {
	s.mu.Lock()
	s.seq = append(s.seq, st)
	s.mu.Unlock()
}

func (s *states) list() []client.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]client.State(nil), s.seq...)
}

type clientOpt func(*client.Options)

// newClient connects a client to srv.
func newClient(t *testing.T, srv *testdc.Server, opts ...clientOpt) (*client.Client, *states) {
	t.Helper()
	st := &states{}
	o := client.Options{
		APIID:      17349,
		APIHash:    "344583e45741c457fe1862106095a5eb",
		Network:    transport.Custom,
		URL:        srv.URL(),
		DC:         2,
		PublicKeys: []kex.PublicKey{srv.PublicKey()},
		Device:     client.Device{DeviceModel: "test-device", SystemVersion: "test-os", AppVersion: "9.9", LangCode: "de", SystemLangCode: "de"},
		// createClient's default (web/tgwasm/options.js).
		FloodSleepThreshold: time.Minute,
		OnState:             st.add,
		Log:                 testLog(t),
	}
	for _, f := range opts {
		f(&o)
	}
	c, err := client.New(o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, st
}

// testLog sends the client's diagnostics to the test's log.
func testLog(t *testing.T) func(client.Level, string) {
	return func(level client.Level, msg string) { t.Logf("%s: %s", level, msg) }
}

// waitFor polls cond until it holds. Its bound only stops a broken test:
// it is far above anything the mechanism needs.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	require.Eventually(t, cond, time.Minute, 5*time.Millisecond, what)
}

func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// An observer hears "ready" before the answer of a call that the new
// connection carries, however the goroutines are scheduled: here the
// connection goroutine is held just after the connection is served (in
// its "ready" log line) until the call has answered.
func TestReadyIsHeardBeforeTheFirstAnswer(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	answered := make(chan struct{})
	c, st := newClient(t, srv, func(o *client.Options) {
		log := o.Log
		o.Log = func(level client.Level, msg string) {
			log(level, msg)
			if strings.HasSuffix(msg, ": ready") {
				select {
				case <-answered:
				case <-time.After(10 * time.Second):
				}
			}
		}
	})
	_, err := c.SendChangePhoneCode(ctxT(t, 20*time.Second), "+1 555 123 4501", tl.CodeSettings{})
	states := st.list()
	close(answered)
	require.NoError(t, err)
	require.Equal(t, []client.State{client.StateConnecting, client.StateHandshake, client.StateReady}, states)
}

func TestBothMethods(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, st := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)

	sc, err := c.SendChangePhoneCode(ctx, "+1 555 123 4501", tl.CodeSettings{AllowFlashcall: true, CurrentNumber: true})
	require.NoError(t, err)
	code := sc.(*tl.AuthSentCode)
	require.Equal(t, &tl.AuthSentCodeTypeSMS{Length: 5}, code.Type)
	next, ok := code.GetNextType()
	require.True(t, ok)
	require.IsType(t, &tl.AuthCodeTypeCall{}, next)
	timeout, ok := code.GetTimeout()
	require.True(t, ok)
	require.Equal(t, 60, timeout)
	require.NotEmpty(t, code.PhoneCodeHash)

	sc, err = c.SendVerifyPhoneCode(ctx, "+1 555 123 4500", tl.CodeSettings{})
	require.NoError(t, err)
	require.IsType(t, &tl.AuthSentCodeTypeApp{}, sc.(*tl.AuthSentCode).Type)

	rec, ok := srv.LastCode("15551234500")
	require.True(t, ok)
	require.Equal(t, "22222", rec.Code)
	require.Equal(t, "verify phone", rec.Purpose)

	require.Equal(t, []client.State{client.StateConnecting, client.StateHandshake, client.StateReady}, st.list())
	require.False(t, c.Session().Empty(), "the new auth key is kept")

	// Every connection starts with initConnection carrying the device.
	inits := srv.Inits()
	require.NotEmpty(t, inits)
	require.Equal(t, 17349, inits[0].APIID)
	require.Equal(t, "test-device", inits[0].DeviceModel)
	require.Equal(t, "test-os", inits[0].SystemVersion)
	require.Equal(t, "9.9", inits[0].AppVersion)
	require.Equal(t, "de", inits[0].LangCode)
}

// TestEverySentCode reaches every auth.SentCode constructor and every
// auth.SentCodeType and auth.CodeType through the number table.
func TestEverySentCode(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 30*time.Second)

	seenTypes := map[string]bool{}
	seenNext := map[string]bool{}
	for _, tt := range []struct {
		suffix  string
		typ     tl.AuthSentCodeTypeClass
		next    tl.AuthCodeTypeClass
		timeout bool
	}{
		{"00", &tl.AuthSentCodeTypeApp{Length: 5}, &tl.AuthCodeTypeSMS{}, true},
		{"01", &tl.AuthSentCodeTypeSMS{Length: 5}, &tl.AuthCodeTypeCall{}, true},
		{"02", &tl.AuthSentCodeTypeCall{Length: 5}, &tl.AuthCodeTypeFlashCall{}, true},
		{"03", &tl.AuthSentCodeTypeFlashCall{Pattern: "+99966*****"}, &tl.AuthCodeTypeMissedCall{}, true},
		{"04", &tl.AuthSentCodeTypeMissedCall{Prefix: "+99966", Length: 5}, &tl.AuthCodeTypeFragmentSMS{}, true},
		{"05", &tl.AuthSentCodeTypeEmailCode{}, nil, false},
		{"06", &tl.AuthSentCodeTypeSetUpEmailRequired{}, nil, false},
		{"07", &tl.AuthSentCodeTypeFragmentSMS{}, nil, false},
		{"08", &tl.AuthSentCodeTypeFirebaseSMS{}, &tl.AuthCodeTypeSMS{}, true},
		{"09", &tl.AuthSentCodeTypeSMSWord{}, nil, false},
		{"10", &tl.AuthSentCodeTypeSMSPhrase{}, nil, false},
		{"11", &tl.AuthSentCodeTypeSMS{Length: 5}, nil, false},
	} {
		t.Run(tt.suffix, func(t *testing.T) {
			sc, err := c.SendChangePhoneCode(ctx, "+4470000000"+tt.suffix, tl.CodeSettings{})
			require.NoError(t, err)
			code, ok := sc.(*tl.AuthSentCode)
			require.True(t, ok, "%T", sc)
			require.IsType(t, tt.typ, code.Type)
			if l, ok := tt.typ.(interface{ GetLength() int }); ok && l.GetLength() != 0 {
				require.Equal(t, tt.typ, code.Type)
			}
			seenTypes[code.Type.TypeName()] = true
			next, ok := code.GetNextType()
			if tt.next == nil {
				require.False(t, ok)
			} else {
				require.True(t, ok)
				require.IsType(t, tt.next, next)
				seenNext[next.TypeName()] = true
			}
			_, ok = code.GetTimeout()
			require.Equal(t, tt.timeout, ok)
		})
	}
	require.Len(t, seenTypes, 11, "all 11 auth.SentCodeType constructors")
	require.Len(t, seenNext, 5, "all 5 auth.CodeType constructors")

	firebase, err := c.SendChangePhoneCode(ctx, "+447000000108", tl.CodeSettings{})
	require.NoError(t, err)
	fb := firebase.(*tl.AuthSentCode).Type.(*tl.AuthSentCodeTypeFirebaseSMS)
	require.Equal(t, []byte{0xf0, 0x0d, 0xca, 0xfe}, fb.Nonce)
	require.Equal(t, int64(1234567890123456789), fb.PlayIntegrityProjectID)

	sc, err := c.SendChangePhoneCode(ctx, "+447000000012", tl.CodeSettings{})
	require.NoError(t, err)
	success, ok := sc.(*client.SentCodeSuccess)
	require.True(t, ok, "%T", sc)
	require.NotNil(t, success.Authorization)

	sc, err = c.SendVerifyPhoneCode(ctx, "+447000000013", tl.CodeSettings{})
	require.NoError(t, err)
	pay, ok := sc.(*tl.AuthSentCodePaymentRequired)
	require.True(t, ok, "%T", sc)
	require.Equal(t, "USD", pay.Currency)
	require.Equal(t, int64(199), pay.Amount)
}

func requireRPC(t *testing.T, err error, code int, typ, method string) *client.RPCError {
	t.Helper()
	require.Error(t, err)
	var rpcErr *client.RPCError
	require.ErrorAs(t, err, &rpcErr, "got %v", err)
	require.Equal(t, code, rpcErr.Err.Code, "%v", err)
	require.Equal(t, typ, rpcErr.Err.Type, "%v", err)
	require.Equal(t, method, rpcErr.Method)
	return rpcErr
}

func TestErrors(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true, DCs: 1})
	c, _ := newClient(t, srv, func(o *client.Options) { o.DC = 1 })
	ctx := ctxT(t, 20*time.Second)

	for _, tt := range []struct {
		name   string
		phone  string
		verify bool
		code   int
		typ    string
	}{
		{"empty number", "", false, 400, "PHONE_NUMBER_INVALID"},
		{"letters", "+1 555 CALL NOW", false, 400, "PHONE_NUMBER_INVALID"},
		{"too short", "+12345", true, 400, "PHONE_NUMBER_INVALID"},
		{"occupied", "+9996620001", false, 400, "PHONE_NUMBER_OCCUPIED"},
		{"banned", "+447000000020", false, 400, "PHONE_NUMBER_BANNED"},
		{"banned (verify)", "+447000000020", true, 400, "PHONE_NUMBER_BANNED"},
		{"fresh change forbidden", "+447000000021", false, 406, "FRESH_CHANGE_PHONE_FORBIDDEN"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			method := "account.sendChangePhoneCode"
			if tt.verify {
				method = "account.sendVerifyPhoneCode"
				_, err = c.SendVerifyPhoneCode(ctx, tt.phone, tl.CodeSettings{})
			} else {
				_, err = c.SendChangePhoneCode(ctx, tt.phone, tl.CodeSettings{})
			}
			requireRPC(t, err, tt.code, tt.typ, method)
			require.True(t, tgerr.Is(err, tt.typ), "unwraps to tgerr.Error")
		})
	}

	// FRESH_CHANGE_PHONE_FORBIDDEN is about changing, not verifying.
	_, err := c.SendVerifyPhoneCode(ctx, "+447000000021", tl.CodeSettings{})
	require.NoError(t, err)

	// On a one-DC cluster the migrate number is served locally.
	_, err = c.SendChangePhoneCode(ctx, "+447000000022", tl.CodeSettings{})
	require.NoError(t, err)
}

func TestUnauthorizedKey(t *testing.T) {
	srv := startDC(t, testdc.Options{})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	_, err := c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{})
	requireRPC(t, err, 401, "AUTH_KEY_UNREGISTERED", "account.sendChangePhoneCode")
	_, err = c.SendVerifyPhoneCode(ctx, "+15551234501", tl.CodeSettings{})
	requireRPC(t, err, 401, "AUTH_KEY_UNREGISTERED", "account.sendVerifyPhoneCode")
}

func TestFloodWait(t *testing.T) {
	t.Run("sleeps through short waits", func(t *testing.T) {
		srv := startDC(t, testdc.Options{PreAuthorize: true})
		c, _ := newClient(t, srv)
		ctx := ctxT(t, 20*time.Second)
		start := time.Now()
		_, err := c.SendChangePhoneCode(ctx, "+447000000025", tl.CodeSettings{})
		require.NoError(t, err)
		require.GreaterOrEqual(t, time.Since(start), time.Second, "FLOOD_WAIT_1 was slept through")
	})
	t.Run("surfaces waits above the threshold", func(t *testing.T) {
		srv := startDC(t, testdc.Options{PreAuthorize: true})
		c, _ := newClient(t, srv, func(o *client.Options) { o.FloodSleepThreshold = 0 })
		ctx := ctxT(t, 20*time.Second)
		_, err := c.SendChangePhoneCode(ctx, "+447000000025", tl.CodeSettings{})
		rpcErr := requireRPC(t, err, 420, "FLOOD_WAIT", "account.sendChangePhoneCode")
		require.Equal(t, 1, rpcErr.Err.Argument)
	})
	t.Run("a wait past the call's deadline is returned at once", func(t *testing.T) {
		srv := startDC(t, testdc.Options{PreAuthorize: true, FloodLimit: 1, FloodWindow: 20 * time.Second})
		c, _ := newClient(t, srv)
		ctx := ctxT(t, 20*time.Second)
		_, err := c.SendVerifyPhoneCode(ctx, "+15551234501", tl.CodeSettings{})
		require.NoError(t, err)
		// A sleep into the deadline would end in DeadlineExceeded: the
		// FLOOD_WAIT itself is the proof it was returned at once.
		short := ctxT(t, 2*time.Second)
		_, err = c.SendVerifyPhoneCode(short, "+15551234501", tl.CodeSettings{})
		requireRPC(t, err, 420, "FLOOD_WAIT", "account.sendVerifyPhoneCode")
		require.NoError(t, short.Err(), "returned before the deadline")
	})
	t.Run("too many requests", func(t *testing.T) {
		srv := startDC(t, testdc.Options{PreAuthorize: true, FloodLimit: 3, FloodWindow: time.Hour})
		c, _ := newClient(t, srv)
		ctx := ctxT(t, 20*time.Second)
		for i := 0; i < 3; i++ {
			_, err := c.SendVerifyPhoneCode(ctx, "+15551234501", tl.CodeSettings{})
			require.NoError(t, err)
		}
		_, err := c.SendVerifyPhoneCode(ctx, "+15551234501", tl.CodeSettings{})
		rpcErr := requireRPC(t, err, 420, "FLOOD_WAIT", "account.sendVerifyPhoneCode")
		require.Greater(t, rpcErr.Err.Argument, 3500)
		require.NoError(t, ctx.Err(), "a one-hour wait is returned, not slept")
	})
	t.Run("window passes while sleeping", func(t *testing.T) {
		srv := startDC(t, testdc.Options{PreAuthorize: true, FloodLimit: 1, FloodWindow: 2 * time.Second})
		c, _ := newClient(t, srv)
		ctx := ctxT(t, 20*time.Second)
		_, err := c.SendVerifyPhoneCode(ctx, "+15551234501", tl.CodeSettings{})
		require.NoError(t, err)
		_, err = c.SendVerifyPhoneCode(ctx, "+15551234501", tl.CodeSettings{})
		require.NoError(t, err)
	})
}

func TestPhoneMigrateCarriesLogin(t *testing.T) {
	srv := startDC(t, testdc.Options{})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 30*time.Second)

	// Log in on DC 2 (no pre-authorization on this DC).
	sc, err := c.SendCode(ctx, "+9996620001", tl.CodeSettings{})
	require.NoError(t, err)
	rec, ok := srv.LastCode("+9996620001")
	require.True(t, ok)
	me, err := c.SignIn(ctx, "+9996620001", sc.(*tl.AuthSentCode).PhoneCodeHash, rec.Code)
	require.NoError(t, err)
	require.Equal(t, "Alice", me.FirstName)
	require.Equal(t, 2, c.DC())

	// The DC sends this number's codes from DC 1: 303 PHONE_MIGRATE_1.
	sc, err = c.SendChangePhoneCode(ctx, "+447000000022", tl.CodeSettings{})
	require.NoError(t, err)
	require.IsType(t, &tl.AuthSentCode{}, sc)
	require.Equal(t, 1, c.DC(), "primary DC switched")
	rec, ok = srv.LastCode("+447000000022")
	require.True(t, ok)
	require.Equal(t, "11111", rec.Code, "the code came from DC 1")

	// The login came along (auth.exportAuthorization/importAuthorization).
	me, err = c.GetMe(ctx)
	require.NoError(t, err)
	require.Equal(t, "Alice", me.FirstName)
	require.Equal(t, 1, c.Session().DC, "the session now names DC 1")
}

func TestLoginMigrates(t *testing.T) {
	srv := startDC(t, testdc.Options{})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 30*time.Second)
	// Carol lives on DC 1; the client starts on DC 2.
	sc, err := c.SendCode(ctx, "+9996610001", tl.CodeSettings{})
	require.NoError(t, err)
	require.Equal(t, 1, c.DC())
	me, err := c.SignIn(ctx, "+9996610001", sc.(*tl.AuthSentCode).PhoneCodeHash, "11111")
	require.NoError(t, err)
	require.Equal(t, "Carol", me.FirstName)
}

func TestReconnectMidCall(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, st := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	_, err := c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{})
	require.NoError(t, err)

	// The next request is swallowed and its socket closed.
	srv.Faults().DropAfter(1)
	sc, err := c.SendChangePhoneCode(ctx, "+15551234502", tl.CodeSettings{})
	require.NoError(t, err, "the call completes on the new connection")
	require.IsType(t, &tl.AuthSentCodeTypeCall{}, sc.(*tl.AuthSentCode).Type)
	require.Equal(t, 1, srv.Faults().Dropped())
	require.Contains(t, st.list(), client.StateReconnecting)
	require.Equal(t, client.StateReady, c.State())
	require.GreaterOrEqual(t, len(srv.Inits()), 2, "initConnection on the new connection too")
}

func TestNonIdempotentCallIsNotReplayed(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	sc, err := c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{})
	require.NoError(t, err)
	hash := sc.(*tl.AuthSentCode).PhoneCodeHash

	srv.Faults().DropAfter(1)
	_, err = c.ChangePhone(ctx, "+15551234501", hash, "22222")
	var connErr *client.ConnectionError
	require.ErrorAs(t, err, &connErr)
	require.Contains(t, err.Error(), "may or may not have been applied")

	// The client itself is fine.
	_, err = c.GetMe(ctx)
	require.NoError(t, err)
}

func TestDCDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now

	srv := startDC(t, testdc.Options{})
	c, _ := newClient(t, srv, func(o *client.Options) { o.URL = "ws://" + addr + "/apiws" })
	// Two refused dials end the call, not its deadline (a minute away).
	ctx := ctxT(t, time.Minute)
	_, err = c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{})
	var connErr *client.ConnectionError
	require.ErrorAs(t, err, &connErr)
	require.Equal(t, "cannot reach the DC", connErr.Reason)
	require.NoError(t, ctx.Err(), "ended by the failed attempts, not the deadline")
	var dialErr *transport.DialError
	require.ErrorAs(t, err, &dialErr)
}

func TestDeadlineWhileUnreachable(t *testing.T) {
	l, err := testdc.ListenSilent()
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	srv := startDC(t, testdc.Options{})
	// The dial would wait an hour; the call's deadline must end it.
	c, _ := newClient(t, srv, func(o *client.Options) {
		o.URL = "ws://" + l.Addr().String() + "/apiws"
		o.DialTimeout = time.Hour
	})
	ctx := ctxT(t, 300*time.Millisecond)
	_, err = c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{})
	require.ErrorIs(t, err, context.DeadlineExceeded, "the call ends with its deadline, while the dial still waits")
	require.Error(t, ctx.Err())
}

func TestBigAnswer(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	sc, err := c.SendChangePhoneCode(ctx, "+447000000023", tl.CodeSettings{})
	require.NoError(t, err)
	hash := sc.(*tl.AuthSentCode).PhoneCodeHash
	require.Len(t, hash, 1<<20)
	require.Equal(t, strings.Repeat("x", 1000), hash[len(hash)-1000:])

	srv.Faults().BigAnswers(true)
	sc, err = c.SendVerifyPhoneCode(ctx, "+15551234501", tl.CodeSettings{})
	require.NoError(t, err)
	require.Len(t, sc.(*tl.AuthSentCode).PhoneCodeHash, 1<<20)
}

func TestGzipAnswers(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	sc, err := c.SendChangePhoneCode(ctx, "+447000000024", tl.CodeSettings{})
	require.NoError(t, err)
	require.IsType(t, &tl.AuthSentCodeTypeSMS{}, sc.(*tl.AuthSentCode).Type)
	srv.Faults().Gzip(true)
	me, err := c.GetMe(ctx)
	require.NoError(t, err)
	require.Equal(t, "Demo", me.FirstName)
}

func TestSessionResume(t *testing.T) {
	srv := startDC(t, testdc.Options{})
	store := &session.Memory{}
	c, _ := newClient(t, srv, func(o *client.Options) { o.Storage = store })
	ctx := ctxT(t, 20*time.Second)
	sc, err := c.SendCode(ctx, "+9996620001", tl.CodeSettings{})
	require.NoError(t, err)
	_, err = c.SignIn(ctx, "+9996620001", sc.(*tl.AuthSentCode).PhoneCodeHash, "22222")
	require.NoError(t, err)
	require.NoError(t, c.Close())

	saved, err := store.Load()
	require.NoError(t, err)
	require.False(t, saved.Empty())
	require.Equal(t, 2, saved.DC)
	require.Equal(t, "127.0.0.1", saved.Addr)

	// A new client on the same storage is still logged in and makes no key.
	c2, st := newClient(t, srv, func(o *client.Options) { o.Storage = store })
	me, err := c2.GetMe(ctx)
	require.NoError(t, err)
	require.Equal(t, "Alice", me.FirstName)
	require.Equal(t, saved.Key, c2.Session().Key)
	require.Equal(t, []client.State{client.StateConnecting, client.StateHandshake, client.StateReady}, st.list())
}

func TestForgottenKey(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	_, err := c.GetMe(ctx)
	require.NoError(t, err)
	before := c.Session().Key

	require.Equal(t, 1, srv.Forget())
	sc, err := c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{})
	require.NoError(t, err, "a fresh key is made and the call completes")
	require.NotNil(t, sc)
	require.NotEqual(t, before, c.Session().Key)
}

func TestRevokedKeyIsReported(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	_, err := c.GetMe(ctx)
	require.NoError(t, err)
	srv.Revoke()
	before := srv.Requests()
	_, err = c.GetMe(ctx)
	requireRPC(t, err, 401, "AUTH_KEY_UNREGISTERED", "users.getUsers")
	require.Equal(t, before+1, srv.Requests(), "reported once, no retry loop")
}

func TestClockSkew(t *testing.T) {
	for _, skew := range []time.Duration{time.Hour, -time.Hour} {
		t.Run(fmt.Sprint(skew), func(t *testing.T) {
			srv := startDC(t, testdc.Options{PreAuthorize: true})
			store := &session.Memory{}
			ctx := ctxT(t, 20*time.Second)
			// First a client with a good clock makes the key...
			c, _ := newClient(t, srv, func(o *client.Options) { o.Storage = store })
			_, err := c.GetMe(ctx)
			require.NoError(t, err)
			require.NoError(t, c.Close())
			// ...then one with a wrong clock resumes it: it must learn the
			// offset from the DC's messages.
			c2, _ := newClient(t, srv, func(o *client.Options) { o.Storage = store; o.ClockSkew = skew })
			_, err = c2.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{})
			require.NoError(t, err)
			// A fresh key learns it from the key exchange.
			c3, _ := newClient(t, srv, func(o *client.Options) { o.ClockSkew = skew })
			_, err = c3.SendChangePhoneCode(ctx, "+15551234502", tl.CodeSettings{})
			require.NoError(t, err)
		})
	}
}

// TestDCClockMovesUnderAConnection: the DC's clock jumps an hour either
// way under a connected client. The session layer learns the time from the
// refusal and sends the call again on the same connection: with the
// identifiers going back, in a new session, wrapped in initConnection
// again.
func TestDCClockMovesUnderAConnection(t *testing.T) {
	for _, offset := range []time.Duration{time.Hour, -time.Hour} {
		t.Run(fmt.Sprint(offset), func(t *testing.T) {
			srv := startDC(t, testdc.Options{PreAuthorize: true})
			c, _ := newClient(t, srv)
			ctx := ctxT(t, 20*time.Second)
			_, err := c.GetMe(ctx)
			require.NoError(t, err)
			opened := srv.Stats().ConnectionsOpened
			srv.Faults().ClockOffset(offset)
			_, err = c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{})
			require.NoError(t, err)
			require.Equal(t, opened, srv.Stats().ConnectionsOpened, "mended on the same connection")
		})
	}
}

func TestServerClockSkew(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true, ClockOffset: -time.Hour})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	_, err := c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{})
	require.NoError(t, err)
}

func TestArgumentsCheckedLocally(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 20*time.Second)
	_, err := c.GetMe(ctx)
	require.NoError(t, err)
	before := srv.Requests()
	for _, tt := range []struct {
		name string
		call func() error
		path string
	}{
		{"long phone", func() error {
			_, err := c.SendChangePhoneCode(ctx, strings.Repeat("1", 33), tl.CodeSettings{})
			return err
		}, "phoneNumber"},
		{"invalid utf-8", func() error {
			_, err := c.SendVerifyPhoneCode(ctx, "+1\xff", tl.CodeSettings{})
			return err
		}, "phoneNumber"},
		{"many logout tokens", func() error {
			_, err := c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{LogoutTokens: make([][]byte, 65)})
			return err
		}, "settings.logoutTokens"},
		{"big logout token", func() error {
			_, err := c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{LogoutTokens: [][]byte{{1}, make([]byte, 1025)}})
			return err
		}, "settings.logoutTokens[1]"},
		{"long token", func() error {
			_, err := c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{Token: strings.Repeat("t", 4097)})
			return err
		}, "settings.token"},
		{"long code", func() error {
			_, err := c.ChangePhone(ctx, "+15551234501", "abc", strings.Repeat("1", 33))
			return err
		}, "phoneCode"},
		{"long hash", func() error {
			_, err := c.SignIn(ctx, "+15551234501", strings.Repeat("h", client.MaxPhoneCodeHash+1), "1")
			return err
		}, "phoneCodeHash"},
		{"long reason", func() error {
			_, err := c.ResendCode(ctx, "+15551234501", "h", strings.Repeat("r", client.MaxReason+1))
			return err
		}, "reason"},
		{"long password", func() error {
			_, err := c.CheckPassword(ctx, strings.Repeat("p", client.MaxPassword+1))
			return err
		}, "password"},
		{"long bot token", func() error {
			_, err := c.SignInBot(ctx, strings.Repeat("b", client.MaxBotToken+1))
			return err
		}, "botToken"},
		// UTF-16 code units: a character outside the BMP counts twice.
		{"17 emoji are 34 units", func() error {
			_, err := c.ChangePhone(ctx, "+15551234501", "abc", strings.Repeat("😀", 17))
			return err
		}, "phoneCode"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var argErr *client.ArgError
			require.ErrorAs(t, err, &argErr)
			require.Equal(t, tt.path, argErr.Path)
			require.Equal(t, tt.name != "invalid utf-8", argErr.Range, "a RangeError, but for bad UTF-8")
		})
	}
	// Within the limits in UTF-16 code units, however many bytes: 32
	// Cyrillic letters are 64 bytes of UTF-8, 16 emoji 32 units.
	for _, code := range []string{strings.Repeat("ж", 32), strings.Repeat("😀", 16)} {
		_, err := c.ChangePhone(ctx, "+15551234501", "abc", code)
		var argErr *client.ArgError
		require.False(t, errors.As(err, &argErr), "%q: %v", code, err)
	}
	require.Equal(t, 32, client.UTF16Len(strings.Repeat("ж", 32)))
	require.Equal(t, 4, client.UTF16Len("a😀b"))
	require.Equal(t, before+2, srv.Requests(), "only the two calls within the limits were sent")
}

func TestClose(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true, DCs: 1})
	c, st := newClient(t, srv, func(o *client.Options) { o.DC = 1 })
	ctx := ctxT(t, 20*time.Second)
	_, err := c.GetMe(ctx)
	require.NoError(t, err)

	srv.Faults().HangAfter(1)
	errc := make(chan error, 1)
	go func() {
		_, err := c.GetMe(ctx)
		errc <- err
	}()
	waitFor(t, func() bool { return srv.Faults().Hung() == 1 }, "the request reached the DC")
	require.NoError(t, c.Close())
	require.ErrorIs(t, <-errc, client.ErrClosed)
	_, err = c.GetMe(ctx)
	require.ErrorIs(t, err, client.ErrClosed)
	seq := st.list()
	require.Equal(t, client.StateClosed, seq[len(seq)-1])
}

func TestConcurrentCalls(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true, FloodLimit: 1000})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 30*time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := c.SendVerifyPhoneCode(ctx, fmt.Sprintf("+1555100%04d", i*100+1), tl.CodeSettings{})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// TestDCInURL: a client whose obfuscated2 header names no known DC
// (GramJS in a browser leaves it random) names it in the URL.
func TestDCInURL(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	ctx := ctxT(t, 20*time.Second)
	exchange := func(url string) error {
		tc, err := transport.Dial(ctx, url, 9, transport.Options{}) // the header says DC 9
		if err != nil {
			return err
		}
		defer func() { _ = tc.Close() }()
		_, err = kex.Run(ctx, tc, kex.Options{DC: 2, Keys: []kex.PublicKey{srv.PublicKey()}, Timeout: 10 * time.Second})
		return err
	}
	require.Error(t, exchange(srv.URL()), "no DC 9 here")
	require.NoError(t, exchange(srv.URL()+"?dc=2"), "the URL names DC 2")
}
