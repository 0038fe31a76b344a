package testdc_test

import (
	"context"
	"testing"
	"time"

	"github.com/gotd/td/bin"
	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/testdc"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// TestBlackholeIsTotal: a silenced connection gets nothing at any layer:
// no MTProto answer, no WebSocket close frame when the DC closes it or
// when the client starts a close handshake, no FIN or reset; only the
// client ends it. New connections work.
func TestBlackholeIsTotal(t *testing.T) {
	srv, err := testdc.New(testdc.Options{})
	require.NoError(t, err)
	require.NoError(t, srv.Listen())
	t.Cleanup(func() { _ = srv.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var wire testdc.Dialer
	c, err := transport.Dial(ctx, srv.URL(), 2, transport.Options{NetDial: wire.Dial})
	require.NoError(t, err)
	require.NoError(t, c.Send(ctx, testdc.ReqPQ(bin.Int128{1, 2, 3})))
	var b bin.Buffer
	require.NoError(t, c.Recv(ctx, &b), "answered before the blackhole")
	tcp := wire.Conns()[0]

	require.Equal(t, 1, srv.Blackhole())
	received := tcp.Received()
	require.NoError(t, c.Send(ctx, testdc.ReqPQ(bin.Int128{1, 2, 3})))
	srv.CloseConns() // the DC's close: a close frame and a FIN, were it not silenced
	require.NoError(t, c.Close())
	// The client's close handshake gets no answer; nhooyr gives up and
	// closes the TCP connection itself.
	require.Eventually(t, tcp.Closed, time.Minute, 5*time.Millisecond, "the client closed its socket")
	require.Equal(t, received, tcp.Received(), "not a byte arrived after the blackhole")
	require.False(t, tcp.PeerClosed(), "the DC closed nothing")
	require.Eventually(t, func() bool { return srv.Stats().Silenced == 0 }, time.Minute, 5*time.Millisecond,
		"the DC lets go of the connection once its client closed it")

	c2, err := transport.Dial(ctx, srv.URL(), 2, transport.Options{})
	require.NoError(t, err)
	require.NoError(t, c2.Send(ctx, testdc.ReqPQ(bin.Int128{1, 2, 3})))
	require.NoError(t, c2.Recv(ctx, &b), "a new connection works")
	require.NoError(t, c2.Close())
}
