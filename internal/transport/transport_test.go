//go:build !js

package transport_test

//lint:file-ignore SA1019 nhooyr.io/websocket v1.8.17 is the WebSocket library this project pins (its successor is coder/websocket).

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/mt"
	"github.com/gotd/td/proto"
	"github.com/stretchr/testify/require"
	"nhooyr.io/websocket"

	"github.com/tgwasm/tgwasm/internal/testdc"
	"github.com/tgwasm/tgwasm/internal/transport"
)

func TestURL(t *testing.T) {
	for _, tt := range []struct {
		network transport.Network
		dc      int
		want    string
	}{
		{transport.Production, 1, "wss://pluto.web.telegram.org/apiws"},
		{transport.Production, 2, "wss://venus.web.telegram.org/apiws"},
		{transport.Production, 3, "wss://aurora.web.telegram.org/apiws"},
		{transport.Production, 4, "wss://vesta.web.telegram.org/apiws"},
		{transport.Production, 5, "wss://flora.web.telegram.org/apiws"},
		{transport.Test, 1, "wss://pluto.web.telegram.org/apiws_test"},
		{transport.Test, 2, "wss://venus.web.telegram.org/apiws_test"},
		{transport.Test, 5, "wss://flora.web.telegram.org/apiws_test"},
	} {
		got, err := transport.URL(tt.network, tt.dc, "")
		require.NoError(t, err)
		require.Equal(t, tt.want, got)
	}
	for _, dc := range []int{0, 6, -1} {
		_, err := transport.URL(transport.Production, dc, "")
		require.Error(t, err)
	}
	got, err := transport.URL(transport.Custom, 7, "ws://127.0.0.1:1234/apiws")
	require.NoError(t, err)
	require.Equal(t, "ws://127.0.0.1:1234/apiws", got)
	for _, bad := range []string{"", "http://x/apiws", "ws:///apiws", "127.0.0.1:1234", "ws://[::1"} {
		_, err := transport.URL(transport.Custom, 2, bad)
		require.Error(t, err, bad)
	}
}

func startDC(t *testing.T) *testdc.Server {
	srv, err := testdc.New(testdc.Options{})
	require.NoError(t, err)
	require.NoError(t, srv.Listen())
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// reqPQ exchanges one unencrypted message, proving the whole stack
// (WebSocket, obfuscated2, intermediate framing) works both ways.
func reqPQ(ctx context.Context, t *testing.T, c *transport.Conn) {
	t.Helper()
	require.NoError(t, c.Send(ctx, testdc.ReqPQ(bin.Int128{1, 2, 3})))
	var b bin.Buffer
	require.NoError(t, c.Recv(ctx, &b))
	var answer proto.UnencryptedMessage
	require.NoError(t, answer.Decode(&b))
	var res mt.ResPQ
	require.NoError(t, res.Decode(&bin.Buffer{Buf: answer.MessageData}))
	require.Equal(t, bin.Int128{1, 2, 3}, res.Nonce)
}

func TestDialWithBrowserOrigin(t *testing.T) {
	srv := startDC(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, origin := range []string{"", "http://localhost:5173", "http://127.0.0.1:8080", "http://[::1]:3000", "http://localhost"} {
		c, err := transport.Dial(ctx, srv.URL(), 2, transport.Options{Origin: origin})
		require.NoError(t, err, "origin %q", origin)
		reqPQ(ctx, t, c)
		require.NoError(t, c.Close())
	}
}

func TestForeignOriginRefused(t *testing.T) {
	srv := startDC(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := transport.Dial(ctx, srv.URL(), 2, transport.Options{Origin: "https://evil.example"})
	var dialErr *transport.DialError
	require.ErrorAs(t, err, &dialErr)
	require.Contains(t, err.Error(), "403")
}

func TestSubprotocolRequired(t *testing.T) {
	srv := startDC(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, srv.URL(), nil)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	require.NoError(t, err)
	_, _, err = ws.Read(ctx)
	require.Equal(t, websocket.StatusPolicyViolation, websocket.CloseStatus(err))
}

// The DC counts a WebSocket that never speaks as an upgrade, not as a
// connection: the browser tests tell an early socket from the dialer's.
func TestSilentSocketCounts(t *testing.T) {
	srv := startDC(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, srv.URL(), &websocket.DialOptions{Subprotocols: []string{transport.Subprotocol}})
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	require.NoError(t, err)
	defer func() { _ = ws.CloseNow() }()
	require.Eventually(t, func() bool { return srv.Stats().Upgrades == 1 }, time.Minute, 10*time.Millisecond)
	require.Equal(t, int64(0), srv.Stats().ConnectionsOpened)

	c, err := transport.Dial(ctx, srv.URL(), 2, transport.Options{})
	require.NoError(t, err)
	defer func() { _ = c.Close() }()
	require.Eventually(t, func() bool { return srv.Stats().ConnectionsOpened == 1 }, time.Minute, 10*time.Millisecond)
	require.Equal(t, int64(2), srv.Stats().Upgrades)
}

func TestUnknownDC(t *testing.T) {
	srv := startDC(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := transport.Dial(ctx, srv.URL(), 4, transport.Options{})
	require.NoError(t, err) // the header is only read after the socket opens
	var b bin.Buffer
	require.Error(t, c.Recv(ctx, &b))
}

func TestRefusedHandshake(t *testing.T) {
	srv := startDC(t)
	srv.Faults().Refuse(true)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := transport.Dial(ctx, srv.URL(), 2, transport.Options{})
	require.ErrorContains(t, err, "503")
	_ = http.StatusServiceUnavailable
}

func TestDialTimeout(t *testing.T) {
	l, err := testdc.ListenSilent()
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	// Only DialTimeout can end this dial: the context's bound is a guard
	// for a broken test, far above it.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = transport.Dial(ctx, "ws://"+l.Addr().String()+"/apiws", 2, transport.Options{DialTimeout: 200 * time.Millisecond})
	var dialErr *transport.DialError
	require.ErrorAs(t, err, &dialErr)
	require.ErrorContains(t, err, "no answer within 200ms")
	require.NoError(t, ctx.Err(), "the dial timeout ended it")
}

func TestSplitURL(t *testing.T) {
	for _, tt := range []struct {
		in     string
		scheme string
		host   string
		port   int
	}{
		{"ws://127.0.0.1:8080/apiws", "ws", "127.0.0.1", 8080},
		{"wss://venus.web.telegram.org/apiws", "wss", "venus.web.telegram.org", 443},
		{"ws://localhost/apiws", "ws", "localhost", 80},
		{"ws://[::1]:9000/apiws?x=1", "ws", "::1", 9000},
		{"wss://[2001:db8::1]/apiws", "wss", "2001:db8::1", 443},
		{"ws://user@host:81", "ws", "host", 81},
	} {
		scheme, host, port, err := transport.SplitURL(tt.in)
		require.NoError(t, err, tt.in)
		require.Equal(t, []any{tt.scheme, tt.host, tt.port}, []any{scheme, host, port}, tt.in)
	}
	for _, bad := range []string{"", "http://x/", "ws://", "ws:///path", "ws://host:0/", "ws://host:99999/", "ws://host:x/",
		"ws://[::1/", "ws://[::1]x/", "ws://ho st/", "ws:\\\\host", "wss//host"} {
		_, _, _, err := transport.SplitURL(bad)
		require.Error(t, err, bad)
	}
}

// TestGivingUpNeverWaitsForTheClose: on a link that went silent, whose
// socket's close never completes (the DC's blackhole answers no close
// frame, and the client's TCP close is held), a Recv whose context ends
// returns, Close returns, and a Send after it fails, all while the
// socket's close is still under way.
func TestGivingUpNeverWaitsForTheClose(t *testing.T) {
	srv := startDC(t)
	wire := &testdc.Dialer{Hold: true}
	t.Cleanup(wire.Release)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := transport.Dial(ctx, srv.URL(), 2, transport.Options{NetDial: wire.Dial})
	require.NoError(t, err)
	reqPQ(ctx, t, c)
	require.Equal(t, 1, srv.Blackhole())

	transport.GiveUp(ctx, t, c)
	require.False(t, wire.Conns()[0].Closed(), "the socket's close is still under way")
}
