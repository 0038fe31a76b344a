//go:build !js

package gotdserver_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/mt"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
	"github.com/gotd/td/transport"
	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client/mtconn"
	"github.com/tgwasm/tgwasm/internal/kex"
)

// TestAgainstGotdServer runs the session against gotd's own server side
// (tgtest, over TCP with intermediate framing): a key made by kex, calls
// sent at once (in containers), an RPC error, a gzip_packed answer, a
// ping, and acknowledgements reaching the server.
func TestAgainstGotdServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)

	var mu sync.Mutex
	acked := 0
	handler := tgtest.HandlerFunc(func(srv *tgtest.Server, req *tgtest.Request) error {
		id, err := req.Buf.PeekID()
		if err != nil {
			return err
		}
		switch id {
		case mt.MsgsAckTypeID:
			var a mt.MsgsAck
			if err := a.Decode(req.Buf); err != nil {
				return err
			}
			mu.Lock()
			acked += len(a.MsgIDs)
			mu.Unlock()
			return nil
		case tg.UsersGetUsersRequestTypeID:
			var r tg.UsersGetUsersRequest
			if err := r.Decode(req.Buf); err != nil {
				return err
			}
			if len(r.ID) == 2 {
				return srv.SendGZIP(req, &tg.UserClassVector{Elems: []tg.UserClass{&tg.User{ID: 2, FirstName: "Packed"}}})
			}
			return srv.SendVector(req, &tg.User{ID: 1, FirstName: "Gotd"})
		}
		return tgerr.New(400, "METHOD_UNKNOWN")
	})
	srv := tgtest.NewServer(tgtest.NewPrivateKey(key), handler, tgtest.ServerOptions{DC: 2})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ctx, transport.Listen(l)) }()

	raw, err := net.Dial("tcp", l.Addr().String())
	require.NoError(t, err)
	conn, err := transport.Intermediate.Handshake(raw)
	require.NoError(t, err)
	defer conn.Close()
	made, err := kex.Run(ctx, conn, kex.Options{DC: 2, Keys: []kex.PublicKey{{RSA: &key.PublicKey}}})
	require.NoError(t, err)

	c, err := mtconn.New(conn, mtconn.Options{Key: made.Key, Salt: made.Salt, AckDelay: time.Millisecond,
		Log: func(level, message string) { t.Logf("%s: %s", level, message) }})
	require.NoError(t, err)
	require.NoError(t, c.Run(ctx, func(ctx context.Context) error {
		var wg sync.WaitGroup
		errs := make(chan error, 10)
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var out tg.UserClassVector
				if err := c.Invoke(ctx, &tg.UsersGetUsersRequest{ID: []tg.InputUserClass{&tg.InputUserSelf{}}}, &out); err != nil {
					errs <- err
					return
				}
				if u, ok := out.Elems[0].(*tg.User); !ok || u.FirstName != "Gotd" {
					errs <- bin.NewUnexpectedID(0)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			return err
		}

		var packed tg.UserClassVector
		if err := c.Invoke(ctx, &tg.UsersGetUsersRequest{ID: []tg.InputUserClass{&tg.InputUserSelf{}, &tg.InputUserSelf{}}}, &packed); err != nil {
			return err
		}
		require.Equal(t, "Packed", packed.Elems[0].(*tg.User).FirstName)

		err := c.Invoke(ctx, &tg.HelpGetConfigRequest{}, &tg.Config{})
		require.True(t, tgerr.Is(err, "METHOD_UNKNOWN"), "%v", err)
		if err := c.Ping(ctx); err != nil {
			return err
		}
		for {
			mu.Lock()
			n := acked
			mu.Unlock()
			if n >= 12 { // every answer, and new_session_created
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
	}))
}
