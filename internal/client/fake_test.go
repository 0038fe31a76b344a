//go:build !js

package client

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gotd/neo"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/tgerr"
	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client/tl"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// The connection policies on fake links and a fake clock: no DC, no
// sockets, no sleeping. Time moves only when a test travels it; the tests
// wait for events (a call reaching a link, a timer being set), never for
// time.

// fakeLink is a link whose answers the test scripts.
type fakeLink struct {
	ctx    context.Context // the connection's; set when it starts serving
	invoke func(ctx context.Context, l *fakeLink, in bin.Encoder, out bin.Decoder) error
	ping   func(ctx context.Context, l *fakeLink) error
	calls  chan bin.Encoder // every request, as it arrives
	pings  chan struct{}
}

func newLink(invoke func(ctx context.Context, l *fakeLink, in bin.Encoder, out bin.Decoder) error, ping func(ctx context.Context, l *fakeLink) error) *fakeLink {
	return &fakeLink{invoke: invoke, ping: ping, calls: make(chan bin.Encoder, 100), pings: make(chan struct{}, 100)}
}

func (l *fakeLink) Invoke(ctx context.Context, in bin.Encoder, out bin.Decoder) error {
	l.calls <- in
	return l.invoke(ctx, l, in, out)
}

func (l *fakeLink) Ping(ctx context.Context) error {
	l.pings <- struct{}{}
	return l.ping(ctx, l)
}

// answering answers every call with a user and every ping at once.
func answering() *fakeLink {
	return newLink(func(_ context.Context, _ *fakeLink, _ bin.Encoder, out bin.Decoder) error {
		b := &bin.Buffer{}
		if err := (&tl.UserClassVector{Elems: []tl.UserClass{&tl.User{ID: 1, FirstName: "Fake"}}}).Encode(b); err != nil {
			return err
		}
		return out.Decode(b)
	}, func(context.Context, *fakeLink) error { return nil })
}

// silent never answers: calls and pings wait until the connection or the
// call ends, as on a link that died without a word.
func silent() *fakeLink {
	wait := func(ctx context.Context, l *fakeLink) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-l.ctx.Done():
			return errors.New("engine closed")
		}
	}
	return newLink(func(ctx context.Context, l *fakeLink, _ bin.Encoder, _ bin.Decoder) error { return wait(ctx, l) }, wait)
}

// fakeDC hands the client the next link for every connection attempt; a
// nil link is an attempt that fails.
type fakeDC struct {
	links    chan *fakeLink
	attempts chan int // the number of every attempt, as it starts
	n        atomic.Int32
}

func (f *fakeDC) run(ctx context.Context, conn *dcConn, serve func(context.Context) error) error {
	f.attempts <- int(f.n.Add(1))
	var l *fakeLink
	select {
	case l = <-f.links:
	case <-ctx.Done():
		return ctx.Err()
	}
	if l == nil {
		return errors.New("dial: refused")
	}
	l.ctx = ctx
	conn.rpc = l
	return serve(ctx)
}

type harness struct {
	c      *Client
	dc     *fakeDC
	tm     *neo.Time
	clock  *watchTimers // tm, counting the silence watch's timers
	mu     sync.Mutex
	states []State
	more   chan struct{} // closed and replaced when a state is reported
}

func (h *harness) seen() []State {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]State(nil), h.states...)
}

// reported waits until OnState has reported s, and returns every state
// reported so far. OnState runs after the client's lock is released, so
// a caller that saw the change through the client may be ahead of it.
func (h *harness) reported(s State) []State {
	for {
		h.mu.Lock()
		states, more := append([]State(nil), h.states...), h.more
		h.mu.Unlock()
		if slices.Contains(states, s) {
			return states
		}
		<-more
	}
}

// start runs a client on the fake DC with the given links queued.
func start(t *testing.T, links ...*fakeLink) *harness {
	t.Helper()
	h := &harness{tm: neo.NewTime(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)), dc: &fakeDC{links: make(chan *fakeLink, 100), attempts: make(chan int, 100)}, more: make(chan struct{})}
	h.clock = &watchTimers{Time: h.tm}
	for _, l := range links {
		h.dc.links <- l
	}
	c, err := newClient(Options{
		APIID: 1, APIHash: "0123456789abcdef0123456789abcdef", Network: transport.Custom, URL: "ws://fake/apiws", DC: 2,
		FloodSleepThreshold: time.Minute, // createClient's default (web/tgwasm/options.js)
		Clock:               h.clock,
		OnState: func(s State) {
			h.mu.Lock()
			h.states = append(h.states, s)
			close(h.more)
			h.more = make(chan struct{})
			h.mu.Unlock()
		},
		Log: func(level Level, msg string) { t.Logf("%s: %s", level, msg) },
	})
	require.NoError(t, err)
	c.run = h.dc.run
	go c.loop()
	t.Cleanup(func() { _ = c.Close() })
	h.c = c
	return h
}

// advanceUntil moves the fake clock in steps until ch delivers, and
// reports how far it moved. Between steps it yields to the client's
// goroutines; a slow machine only makes it take more steps, so callers
// assert lower bounds on the fake time, which follow from the mechanism.
func advanceUntil[T any](h *harness, ch <-chan T, step time.Duration) (T, time.Duration) {
	start := h.tm.Now()
	for {
		select {
		case v := <-ch:
			return v, h.tm.Now().Sub(start)
		default:
		}
		h.tm.Travel(step)
		select {
		case v := <-ch:
			return v, h.tm.Now().Sub(start)
		case <-time.After(time.Millisecond):
		}
	}
}

// ready waits until the client serves calls.
func (h *harness) ready(t *testing.T) *dcConn {
	t.Helper()
	conn, err := h.c.waitConn(context.Background())
	require.NoError(t, err)
	return conn
}

func getMe(c *Client, ctx context.Context) error {
	var out tl.UserClassVector
	return c.Invoke(ctx, &tl.UsersGetUsersRequest{ID: []tl.InputUserClass{&tl.InputUserSelf{}}}, &out)
}

func TestFakeFloodWaitSleptOnTheClock(t *testing.T) {
	n := 0
	l := newLink(func(ctx context.Context, l *fakeLink, in bin.Encoder, out bin.Decoder) error {
		if n++; n == 1 {
			return tgerr.New(420, "FLOOD_WAIT_30")
		}
		return answering().invoke(ctx, l, in, out)
	}, nil)
	h := start(t, l)
	h.ready(t)
	errc := make(chan error, 1)
	go func() { errc <- getMe(h.c, context.Background()) }()
	<-l.calls
	_, slept := advanceUntil(h, l.calls, time.Second) // sent again after the wait
	require.GreaterOrEqual(t, slept, 30*time.Second, "FLOOD_WAIT_30 was slept through on the clock")
	require.NoError(t, <-errc)
}

func TestFakeBackoffOnTheClock(t *testing.T) {
	// Three refused attempts, then a working link.
	h := start(t, nil, nil, nil, answering())
	require.Equal(t, 1, <-h.dc.attempts)
	for i, wait := range []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second} {
		n, waited := advanceUntil(h, h.dc.attempts, 10*time.Millisecond)
		require.Equal(t, i+2, n)
		require.GreaterOrEqual(t, waited, wait, "attempt %d waited its backoff", n)
	}
	h.ready(t)
	require.Equal(t, StateReady, h.c.State(), "a served connection is reported ready")
	require.Equal(t, []State{StateConnecting, StateReconnecting, StateReady}, h.reported(StateReady))
}

// A call on a link that went silent moves to a new connection: the link
// is probed after SilenceAfter without a frame and dropped when the ping
// is ProbeTimeout late.
func TestFakeSilentLinkUnderACall(t *testing.T) {
	dead, fresh := silent(), answering()
	h := start(t, dead, fresh)
	h.ready(t)
	errc := make(chan error, 1)
	go func() { errc <- getMe(h.c, context.Background()) }()
	<-dead.calls
	_, quiet := advanceUntil(h, dead.pings, 100*time.Millisecond)
	require.GreaterOrEqual(t, quiet, h.c.opts.SilenceAfter, "probed only after SilenceAfter of silence")
	// The probe's deadline started before the ping was sent, and the
	// clock may have moved a step or more before the test saw the ping:
	// measure from the deadline's start.
	probed := h.clock.setAt(h.c.opts.ProbeTimeout)
	advanceUntil(h, fresh.calls, 100*time.Millisecond)
	require.GreaterOrEqual(t, h.tm.Now().Sub(probed), h.c.opts.ProbeTimeout, "dropped only when the pong was ProbeTimeout late")
	require.NoError(t, <-errc, "the call completed on the new connection")
	require.Contains(t, h.seen(), StateReconnecting)
	require.Equal(t, 2, int(h.dc.n.Load()))
}

// watchTimers counts the timers the silence watch sets and remembers when
// the last timer of each length was set.
type watchTimers struct {
	*neo.Time
	n   atomic.Int32
	mu  sync.Mutex
	set map[time.Duration]time.Time
}

func (w *watchTimers) Timer(d time.Duration) neo.Timer {
	if d == watchTick {
		w.n.Add(1)
	}
	w.mu.Lock()
	if w.set == nil {
		w.set = map[time.Duration]time.Time{}
	}
	w.set[d] = w.Time.Now()
	w.mu.Unlock()
	return w.Time.Timer(d)
}

// setAt reports when the last timer of length d was set.
func (w *watchTimers) setAt(d time.Duration) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.set[d]
}

// An idle link is left to the keep-alive: the silence watch sets no timer
// (an idle tab is not woken twice a second) until a call waits, and then
// notices the silence as before.
func TestFakeIdleWatchSleeps(t *testing.T) {
	dead, fresh := silent(), answering()
	h := start(t, dead, fresh)
	w := h.clock
	h.ready(t)
	for range 20 {
		h.tm.Travel(watchTick)
		time.Sleep(time.Millisecond)
	}
	require.Zero(t, w.n.Load(), "no timer while idle")
	errc := make(chan error, 1)
	go func() { errc <- getMe(h.c, context.Background()) }()
	<-dead.calls
	advanceUntil(h, dead.pings, 100*time.Millisecond)
	require.Positive(t, w.n.Load())
	advanceUntil(h, fresh.calls, 100*time.Millisecond)
	require.NoError(t, <-errc)
}

// A call that is not idempotent is not sent twice: it reports that it may
// or may not have been applied.
func TestFakeSilentLinkUnderANonIdempotentCall(t *testing.T) {
	dead := silent()
	h := start(t, dead, answering())
	h.ready(t)
	errc := make(chan error, 1)
	go func() {
		var out tl.UserBox
		errc <- h.c.Invoke(context.Background(), &tl.AccountChangePhoneRequest{PhoneNumber: "+1", PhoneCodeHash: "h", PhoneCode: "1"}, &out)
	}()
	<-dead.calls
	err, _ := advanceUntil(h, errc, 100*time.Millisecond)
	var connErr *ConnectionError
	require.ErrorAs(t, err, &connErr)
	require.Contains(t, err.Error(), "may or may not have been applied")
	require.Len(t, dead.calls, 0, "sent once")
}

// A slow answer on a live link is not mistaken for silence: the pong
// keeps the link.
func TestFakeSlowAnswerKeepsTheLink(t *testing.T) {
	release := make(chan struct{})
	l := newLink(func(ctx context.Context, l *fakeLink, in bin.Encoder, out bin.Decoder) error {
		<-release
		return answering().invoke(ctx, l, in, out)
	}, func(context.Context, *fakeLink) error { return nil })
	h := start(t, l)
	h.ready(t)
	errc := make(chan error, 1)
	go func() { errc <- getMe(h.c, context.Background()) }()
	<-l.calls
	advanceUntil(h, l.pings, 100*time.Millisecond)
	advanceUntil(h, l.pings, 100*time.Millisecond) // probed again, still answered
	close(release)
	require.NoError(t, <-errc)
	require.Equal(t, 1, int(h.dc.n.Load()), "no reconnect")
}

// Check probes at once; a dead link is replaced without waiting for a
// call or the keep-alive.
func TestFakeCheckReplacesADeadLink(t *testing.T) {
	dead, fresh := silent(), answering()
	h := start(t, dead, fresh)
	h.ready(t)
	<-h.dc.attempts
	h.c.Check()
	<-dead.pings // at once, without travelling
	n, late := advanceUntil(h, h.dc.attempts, 100*time.Millisecond)
	require.Equal(t, 2, n)
	require.GreaterOrEqual(t, late, h.c.opts.ProbeTimeout)
	require.NoError(t, getMe(h.c, context.Background()))
	<-fresh.calls
}

// Offline: no attempts, however long; calls wait and then say why. Online:
// the next attempt goes out at once.
func TestFakeOfflineOnline(t *testing.T) {
	h := start(t, nil)
	require.Equal(t, 1, <-h.dc.attempts)
	h.c.SetOnline(false)
	for range 100 {
		h.tm.Travel(time.Minute) // would have been many attempts
	}
	select {
	case n := <-h.dc.attempts:
		t.Fatalf("attempt %d while offline", n)
	default:
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := getMe(h.c, ctx)
	var connErr *ConnectionError
	require.ErrorAs(t, err, &connErr)
	require.Equal(t, "no network: the browser reports it is offline", connErr.Reason)

	h.dc.links <- answering()
	h.c.SetOnline(true)
	require.Equal(t, 2, <-h.dc.attempts, "at once, without travelling")
	h.ready(t)
}
