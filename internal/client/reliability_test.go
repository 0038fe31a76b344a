//go:build !js

package client_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client"
	"github.com/tgwasm/tgwasm/internal/client/tl"
	"github.com/tgwasm/tgwasm/internal/session"
	"github.com/tgwasm/tgwasm/internal/testdc"
)

// TestRepeatedDrops drops the socket of every 4th request while 60 calls
// run, 20 at a time: every call settles exactly once and the idempotent
// ones all complete.
func TestRepeatedDrops(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true, FloodLimit: 1000})
	c, st := newClient(t, srv)
	ctx := ctxT(t, 60*time.Second)
	_, err := c.GetMe(ctx)
	require.NoError(t, err)
	srv.Faults().DropEvery(4)

	var ok, settled atomic.Int64
	sem := make(chan struct{}, 20)
	var wg sync.WaitGroup
	for i := 0; i < 60; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			callCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			_, err := c.SendChangePhoneCode(callCtx, fmt.Sprintf("+1555%05d01", i), tl.CodeSettings{})
			settled.Add(1)
			if err == nil {
				ok.Add(1)
			} else {
				t.Errorf("call %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	require.EqualValues(t, 60, settled.Load())
	require.EqualValues(t, 60, ok.Load(), "idempotent calls complete after reconnects")
	require.Greater(t, srv.Faults().Dropped(), 10)
	reconnects := 0
	for _, s := range st.list() {
		if s == client.StateReconnecting {
			reconnects++
		}
	}
	require.Greater(t, reconnects, 5, "the state events tell about each reconnect")
	require.Equal(t, client.StateReady, c.State())
}

// TestDCRefusesThenRecovers: while the DC refuses connections a call fails
// with ConnectionError within its timeout; once it accepts again, calls
// work without a new client.
func TestDCRefusesThenRecovers(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 30*time.Second)
	_, err := c.GetMe(ctx)
	require.NoError(t, err)

	srv.Faults().Refuse(true)
	srv.Faults().DropAfter(1) // the next request loses its socket
	_, err = c.GetMe(ctx)
	var connErr *client.ConnectionError
	require.ErrorAs(t, err, &connErr)
	require.NoError(t, ctx.Err(), "ended by the refused attempts, not the deadline")
	require.Contains(t, err.Error(), "503")

	srv.Faults().Refuse(false)
	me, err := c.GetMe(ctx)
	require.NoError(t, err, "recovers when the DC is back")
	require.Equal(t, "Demo", me.FirstName)
}

// TestDCComesBackOnSamePort restarts a DC on the same address.
func TestDCComesBackOnSamePort(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	addr := srv.Addr()
	key := srv.PublicKey()
	c, _ := newClient(t, srv)
	ctx := ctxT(t, 30*time.Second)
	_, err := c.GetMe(ctx)
	require.NoError(t, err)
	require.NoError(t, srv.Close())

	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_, err = c.GetMe(short)
	var connErr *client.ConnectionError
	require.ErrorAs(t, err, &connErr)

	// The same DC (same key) listens again.
	srv2, err := testdc.New(testdc.Options{PreAuthorize: true, Addr: addr, Key: nil})
	require.NoError(t, err)
	require.Equal(t, key.Fingerprint(), srv2.PublicKey().Fingerprint(), "the test key is shared per process")
	require.NoError(t, srv2.Listen())
	t.Cleanup(func() { _ = srv2.Close() })
	me, err := c.GetMe(ctx)
	require.NoError(t, err, "the client reconnects by itself (a new DC forgot the key: a new one is made)")
	require.Equal(t, "Demo", me.FirstName)
}

// TestSecretsStayOutOfLogs logs in (code and 2FA password), makes calls and
// errors, and checks that neither the log nor any error text contains the
// auth key, the session string, the login code or the password.
func TestSecretsStayOutOfLogs(t *testing.T) {
	srv := startDC(t, testdc.Options{})
	var mu sync.Mutex
	var logs bytes.Buffer
	store := &session.Memory{}
	c, _ := newClient(t, srv, func(o *client.Options) {
		o.Storage = store
		o.Log = func(level client.Level, msg string) {
			mu.Lock()
			fmt.Fprintf(&logs, "%s: %s\n", level, msg)
			mu.Unlock()
		}
	})
	ctx := ctxT(t, 60*time.Second)
	var errs []string
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	sc, err := c.SendCode(ctx, "+9996621111", tl.CodeSettings{})
	require.NoError(t, err)
	hash := sentHash(t, sc)
	_, err = c.SignIn(ctx, "+9996621111", hash, "22222")
	keep(err)
	_, err = c.CheckPassword(ctx, "not-the-password")
	keep(err)
	_, err = c.CheckPassword(ctx, "hunter2")
	require.NoError(t, err)
	_, err = c.ChangePhone(ctx, "+15550001101", "bad-hash", "22222")
	keep(err)
	srv.Faults().DropAfter(1)
	_, err = c.SendVerifyPhoneCode(ctx, "+15550001101", tl.CodeSettings{})
	keep(err)
	srv.Forget()
	_, err = c.GetMe(ctx)
	keep(err)

	d, err := store.Load()
	require.NoError(t, err)
	require.False(t, d.Empty())

	mu.Lock()
	text := logs.String() + "\n" + strings.Join(errs, "\n")
	mu.Unlock()
	require.NotEmpty(t, logs.String(), "the client did log")
	for name, secret := range map[string]string{
		"login code":     "22222",
		"password":       "hunter2",
		"wrong password": "not-the-password",
		"key (hex)":      hex.EncodeToString(d.Key[:16]),
		"key (HEX)":      strings.ToUpper(hex.EncodeToString(d.Key[:16])),
		// A session string is base64 with the key at some offset: the
		// key's base64 at each of the three alignments.
		"key (base64)":   base64.StdEncoding.EncodeToString(d.Key[:18]),
		"key (base64+1)": base64.StdEncoding.EncodeToString(d.Key[1:19]),
		"key (base64+2)": base64.StdEncoding.EncodeToString(d.Key[2:20]),
	} {
		require.NotContains(t, text, secret, name)
	}
}

// silentLinkOpts makes silence noticed quickly, so that the tests below
// take a second rather than the defaults' few seconds; what they assert
// holds for any values.
func silentLinkOpts(o *client.Options) {
	o.SilenceAfter = 300 * time.Millisecond
	o.ProbeTimeout = 300 * time.Millisecond
}

// connected is a client on a fresh DC that has made its first call.
func connected(t *testing.T, opts ...clientOpt) (*testdc.Server, *client.Client, *states, context.Context) {
	t.Helper()
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	c, st := newClient(t, srv, opts...)
	ctx := ctxT(t, time.Minute)
	_, err := c.GetMe(ctx)
	require.NoError(t, err)
	return srv, c, st, ctx
}

// deadNAT makes the client's sockets close the way a browser's do on a
// link that went silent: never, until the test ends (the DC's blackhole
// answers no closing handshake, and a browser waits a minute for one).
func deadNAT(t *testing.T) (*testdc.Dialer, clientOpt) {
	wire := &testdc.Dialer{Hold: true}
	t.Cleanup(wire.Release)
	return wire, func(o *client.Options) { o.NetDial = wire.Dial }
}

// TestBlackholeUnderACall: the DC's connection goes silent both ways (a
// sleeping laptop, a NAT that forgot us). A call made then completes on a
// new connection instead of waiting for its deadline, and nothing waits
// for the dead socket's close.
func TestBlackholeUnderACall(t *testing.T) {
	wire, dead := deadNAT(t)
	srv, c, st, ctx := connected(t, silentLinkOpts, dead)
	opened := srv.Stats().ConnectionsOpened

	require.Equal(t, 1, srv.Blackhole())
	sc, err := c.SendChangePhoneCode(ctx, "+15551234501", tl.CodeSettings{})
	require.NoError(t, err, "completed on a new connection")
	require.IsType(t, &tl.AuthSentCode{}, sc)
	require.NoError(t, ctx.Err())
	require.Greater(t, srv.Stats().ConnectionsOpened, opened, "a new connection")
	require.Contains(t, st.list(), client.StateReconnecting)
	require.Equal(t, client.StateReady, c.State())
	require.False(t, wire.Conns()[0].Closed(), "the dead socket's close is still under way")
}

// TestBlackholeIdle: an idle connection that goes silent is noticed by
// the keep-alive (ping_delay_disconnect) and replaced, with no call and
// without waiting for the dead socket's close.
func TestBlackholeIdle(t *testing.T) {
	wire, dead := deadNAT(t)
	srv, c, st, ctx := connected(t, dead, func(o *client.Options) {
		o.PingInterval = 300 * time.Millisecond
		o.PingTimeout = 300 * time.Millisecond
	})
	opened := srv.Stats().ConnectionsOpened
	require.Equal(t, 1, srv.Blackhole())
	waitFor(t, func() bool { return srv.Stats().ConnectionsOpened > opened && c.State() == client.StateReady }, "reconnected by itself")
	require.Contains(t, st.list(), client.StateReconnecting)
	_, err := c.GetMe(ctx)
	require.NoError(t, err)
	require.False(t, wire.Conns()[0].Closed(), "the dead socket's close is still under way")
}

// TestCloseOnADeadLink: Close returns, and ends the client, while the
// dead socket's close is still under way.
func TestCloseOnADeadLink(t *testing.T) {
	wire, dead := deadNAT(t)
	srv, c, _, _ := connected(t, dead)
	require.Equal(t, 1, srv.Blackhole())
	require.NoError(t, c.Close())
	require.Equal(t, client.StateClosed, c.State())
	require.False(t, wire.Conns()[0].Closed(), "the dead socket's close is still under way")
}

// TestHungRequestKeepsTheLink: a request the DC never answers, on a link
// that answers pings, is not a dead link: the call ends at its deadline
// and the connection stays.
func TestHungRequestKeepsTheLink(t *testing.T) {
	srv, c, _, ctx := connected(t, silentLinkOpts)
	opened := srv.Stats().ConnectionsOpened
	srv.Faults().HangAfter(1)
	short, cancel := context.WithTimeout(ctx, 2*time.Second) // several probes long
	defer cancel()
	_, err := c.GetMe(short)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Equal(t, 1, srv.Faults().Hung())
	require.Equal(t, opened, srv.Stats().ConnectionsOpened, "no reconnect: the pings were answered")
	_, err = c.GetMe(ctx)
	require.NoError(t, err)
}

// TestCheckAndNetworkSignals: Check replaces a silent link at once; while
// offline nothing is attempted and a call says so at its deadline; online
// reconnects at once.
func TestCheckAndNetworkSignals(t *testing.T) {
	srv, c, _, ctx := connected(t, silentLinkOpts)
	opened := srv.Stats().ConnectionsOpened
	srv.Blackhole()
	c.Check()
	waitFor(t, func() bool { return srv.Stats().ConnectionsOpened > opened && c.State() == client.StateReady }, "replaced after Check")

	c.SetOnline(false)
	srv.Blackhole() // the link dies while the network is away
	c.Check()
	waitFor(t, func() bool { return c.State() == client.StateReconnecting }, "the dead link was dropped")
	opened = srv.Stats().ConnectionsOpened
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	_, err := c.GetMe(short)
	var connErr *client.ConnectionError
	require.ErrorAs(t, err, &connErr)
	require.Equal(t, "no network: the browser reports it is offline", connErr.Reason)
	require.Equal(t, opened, srv.Stats().ConnectionsOpened, "no attempt while offline")

	c.SetOnline(true)
	_, err = c.GetMe(ctx)
	require.NoError(t, err)
	require.Greater(t, srv.Stats().ConnectionsOpened, opened)
}

// sharedStore is what tabs of one origin share: one kept session, and a
// lock around making a key (web/tgwasm/storage.js does this with IndexedDB or
// localStorage and a Web Lock).
type sharedStore struct {
	mu   sync.Mutex
	d    session.Data
	lock chan struct{}
}

func (s *sharedStore) Load() (session.Data, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.d, nil
}

func (s *sharedStore) Save(d session.Data) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = d
	return nil
}

func (s *sharedStore) claim(ctx context.Context) (session.Data, func(), error) {
	select {
	case s.lock <- struct{}{}:
	case <-ctx.Done():
		return session.Data{}, nil, ctx.Err()
	}
	d, _ := s.Load()
	if !d.Empty() {
		<-s.lock
		return d, func() {}, nil
	}
	return session.Data{}, func() { <-s.lock }, nil
}

// TestOneKeyForClientsStartingAtOnce: three clients on one empty store,
// started at the same moment, end with one auth key between them.
func TestOneKeyForClientsStartingAtOnce(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	store := &sharedStore{lock: make(chan struct{}, 1)}
	ctx := ctxT(t, time.Minute)
	clients := make([]*client.Client, 3)
	for i := range clients {
		clients[i], _ = newClient(t, srv, func(o *client.Options) {
			o.Storage = store
			o.ClaimKey = store.claim
		})
	}
	getMeAtOnce(t, ctx, clients)
	require.Equal(t, 1, srv.Stats().AuthKeys, "one auth key")
	kept, _ := store.Load()
	for _, c := range clients {
		require.Equal(t, kept.Key, c.Session().Key)
	}
}

// getMeAtOnce calls GetMe on every client at once and checks that every
// call succeeded once all have returned.
func getMeAtOnce(t *testing.T, ctx context.Context, clients []*client.Client) {
	t.Helper()
	errs := make(chan error, len(clients))
	for _, c := range clients {
		go func() {
			_, err := c.GetMe(ctx)
			errs <- err
		}()
	}
	for range clients {
		require.NoError(t, <-errs)
	}
}

// TestKeysMadeWhileOthersCall: key exchanges end on some connections while
// calls arrive on others; the local DC looks up the auth key of every frame
// and adds each new one, and neither disturbs the other.
func TestKeysMadeWhileOthersCall(t *testing.T) {
	srv := startDC(t, testdc.Options{PreAuthorize: true})
	ctx := ctxT(t, time.Minute)
	busy := make([]*client.Client, 3)
	for i := range busy {
		busy[i], _ = newClient(t, srv)
		_, err := busy[i].GetMe(ctx)
		require.NoError(t, err)
	}
	fresh := make([]*client.Client, 8)
	for i := range fresh {
		fresh[i], _ = newClient(t, srv)
	}
	done := make(chan struct{})
	var calls sync.WaitGroup
	for _, c := range busy {
		calls.Add(1)
		go func() {
			defer calls.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				_, err := c.GetMe(ctx)
				require.NoError(t, err)
			}
		}()
	}
	getMeAtOnce(t, ctx, fresh)
	close(done)
	calls.Wait()
	require.Equal(t, len(busy)+len(fresh), srv.Stats().AuthKeys)
}
