package client

import (
	"context"

	"github.com/go-faster/errors"
	"github.com/gotd/td/tgerr"

	"github.com/tgwasm/tgwasm/internal/client/tl"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// migrate makes dc the primary DC. With carry, the login moves along:
// auth.exportAuthorization on the old DC, auth.importAuthorization on the
// new one before any call is sent there. One migration runs at a time;
// a call waiting for its turn gives up with its own context.
func (c *Client) migrate(ctx context.Context, from *dcConn, dc int, carry bool) error {
	select {
	case c.migrating <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-c.migrating }()
	if c.opts.Network != transport.Custom && (dc < 1 || dc > transport.MaxDC) {
		return errors.Errorf("server asked to migrate to unknown dc %d", dc)
	}
	if c.DC() == dc {
		return nil // another call migrated already
	}
	var imp *tl.AuthExportedAuthorization
	if carry {
		var exp tl.AuthExportedAuthorization
		err := from.rpc.Invoke(ctx, &tl.AuthExportAuthorizationRequest{DCID: dc}, &exp)
		switch {
		case err == nil:
			imp = &exp
		case tgerr.Is(err, "AUTH_KEY_UNREGISTERED"):
			// Not logged in: nothing to carry.
		default:
			if rpcErr, ok := tgerr.As(err); ok {
				return &RPCError{Err: rpcErr, Method: "auth.exportAuthorization"}
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &ConnectionError{Reason: "export authorization for dc migration", Cause: err}
		}
	}
	c.logf(LevelInfo, "migrating from dc %d to dc %d (login carried: %v)", from.dc, dc, imp != nil)
	c.mu.Lock()
	c.dc = dc
	if imp != nil {
		c.imports[dc] = imp
	}
	c.mu.Unlock()
	c.dropConn(from, errSwitch)
	c.saveSession()
	return nil
}
