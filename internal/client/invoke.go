package client

import (
	"context"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/tgerr"

	"github.com/tgwasm/tgwasm/internal/client/tl"
)

// idempotent lists the methods that may be sent again after a connection
// died with the request in flight.
var idempotent = map[uint32]bool{
	tl.AccountSendChangePhoneCodeRequestTypeID: true,
	tl.AccountSendVerifyPhoneCodeRequestTypeID: true,
	tl.AuthSendCodeRequestTypeID:               true,
	tl.AuthCancelCodeRequestTypeID:             true,
	tl.AuthLogOutRequestTypeID:                 true,
	tl.UsersGetUsersRequestTypeID:              true,
	tl.AccountGetPasswordRequestTypeID:         true,
	tl.AuthExportAuthorizationRequestTypeID:    true,
	tl.AuthImportBotAuthorizationRequestTypeID: true,
}

// loginMethods run before authorization: a migration during them has no
// login to carry over.
var loginMethods = map[uint32]bool{
	tl.AuthSendCodeRequestTypeID:               true,
	tl.AuthSignInRequestTypeID:                 true,
	tl.AuthCheckPasswordRequestTypeID:          true,
	tl.AccountGetPasswordRequestTypeID:         true,
	tl.AuthImportBotAuthorizationRequestTypeID: true,
	tl.AuthResendCodeRequestTypeID:             true,
	tl.AuthCancelCodeRequestTypeID:             true,
}

type typed interface {
	TypeID() uint32
	TypeName() string
}

// MethodName returns the TL name of a request ("account.sendChangePhoneCode").
func MethodName(in bin.Encoder) string {
	if t, ok := in.(typed); ok {
		return t.TypeName()
	}
	return "unknown"
}

func methodID(in bin.Encoder) uint32 {
	if t, ok := in.(typed); ok {
		return t.TypeID()
	}
	return 0
}

// Invoke sends a request and decodes the answer into out, handling
// reconnects, FLOOD_WAIT, migration and clock correction (policy.go). It
// implements tl.Invoker. Errors are *RPCError, *ConnectionError, ErrClosed
// or the context's error.
func (c *Client) Invoke(ctx context.Context, in bin.Encoder, out bin.Decoder) error {
	o := outcome{
		Method:     MethodName(in),
		Idempotent: idempotent[methodID(in)],
		FloodSleep: c.opts.FloodSleepThreshold,
	}
	for {
		conn, err := c.waitConn(ctx)
		if err != nil {
			return err
		}
		conn.begin(c.clock.Now())
		o.Err = conn.rpc.Invoke(ctx, in, out)
		conn.done()

		o.KeyLost = conn.keyLost.Load()
		o.CallDone = ctx.Err()
		c.mu.Lock()
		o.Closed = c.closed
		c.mu.Unlock()
		o.Remaining = -1
		if deadline, ok := ctx.Deadline(); ok {
			// Context deadlines are wall-clock time.
			o.Remaining = time.Until(deadline)
		}

		d := decide(o)
		if d.Drop {
			c.dropConn(conn, errSwitch)
		}
		switch d.Step {
		case stepReturn:
			return d.Err
		case stepSleep:
			c.logf(LevelInfo, "%s: %v: sleeping %s, then sending it again", o.Method, o.Err, d.Wait)
			if err := c.sleep(ctx, d.Wait); err != nil {
				return err
			}
		case stepMigrate:
			o.Migrations++
			if err := c.migrate(ctx, conn, d.DC, !loginMethods[methodID(in)]); err != nil {
				return err
			}
		case stepReplay:
			o.Replays++
			c.logf(LevelInfo, "%s: the connection was lost under it (%v); sending it again", o.Method, o.Err)
		}
	}
}

// sleep waits d on the client's clock, or until ctx ends.
func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	t := c.clock.Timer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// importLogin imports an exported authorization waiting for this DC (after
// a migration) before the connection serves calls (it is the session's
// first request: the session layer wraps it in initConnection).
func (c *Client) importLogin(ctx context.Context, conn *dcConn) error {
	c.mu.Lock()
	imp := c.imports[conn.dc]
	delete(c.imports, conn.dc)
	c.mu.Unlock()
	if imp == nil {
		return nil
	}
	var auth authResult
	err := conn.rpc.Invoke(ctx, &tl.AuthImportAuthorizationRequest{ID: imp.ID, Bytes: imp.Bytes}, &auth)
	if err == nil {
		return nil
	}
	if _, ok := tgerr.As(err); ok {
		// The call that migrated will see AUTH_KEY_UNREGISTERED.
		c.logf(LevelWarn, "dc %d: importing the login: %v", conn.dc, err)
		return nil
	}
	return errors.Wrap(err, "import authorization")
}
