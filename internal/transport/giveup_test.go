package transport

import (
	"context"
	"testing"

	"github.com/gotd/td/bin"
	"github.com/stretchr/testify/require"
)

// GiveUp gives up c as the client gives up a dead link, checking that
// nothing waits for the socket's close: a Recv whose context ends returns,
// Close returns, and a Send after it fails. ctx bounds the wait only to
// fail a broken test instead of hanging it.
func GiveUp(ctx context.Context, t *testing.T, c *Conn) {
	t.Helper()
	readCtx, stopRead := context.WithCancel(ctx)
	recvErr := make(chan error, 1)
	go func() {
		var b bin.Buffer
		recvErr <- c.Recv(readCtx, &b)
	}()
	stopRead()
	select {
	case err := <-recvErr:
		require.ErrorIs(t, err, context.Canceled)
	case <-ctx.Done():
		t.Fatal("Recv did not return when its context ended")
	}

	closed := make(chan error, 1)
	go func() { closed <- c.Close() }()
	select {
	case err := <-closed:
		require.NoError(t, err)
	case <-ctx.Done():
		t.Fatal("Close waited for the socket's close")
	}
	var b bin.Buffer
	require.Error(t, c.Send(ctx, &b), "a connection given up sends nothing")
}
