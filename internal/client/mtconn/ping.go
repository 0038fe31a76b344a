package mtconn

import (
	"context"
	"fmt"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/mt"
)

// Ping sends a ping and waits for its pong: the client's probe of a link
// that may have gone silent.
func (c *Conn) Ping(ctx context.Context) error {
	id, err := c.pingID()
	if err != nil {
		return err
	}
	return c.ping(ctx, &mt.PingRequest{PingID: id}, id)
}

func (c *Conn) pingID() (int64, error) {
	id, err := crypto.RandInt64(c.opt.Rand)
	if err != nil {
		return 0, errors.Wrap(err, "ping id")
	}
	return id, nil
}

// ping sends req (a ping or a ping_delay_disconnect) and waits for the
// pong that answers it.
func (c *Conn) ping(ctx context.Context, req bin.Encoder, id int64) error {
	data, err := c.call(ctx, &out{body: encode(req), content: true})
	if err != nil {
		return err
	}
	var p mt.Pong
	if err := p.Decode(&bin.Buffer{Buf: data}); err != nil {
		return &AnswerError{Err: errors.Wrap(err, "pong")}
	}
	if p.PingID != id {
		return &AnswerError{Err: errors.Errorf("pong for ping %x, not %x", p.PingID, id)}
	}
	return nil
}

// keepAlive sends a ping_delay_disconnect every PingInterval: the DC
// closes the connection when the next one is late, and a pong later than
// PingTimeout ends it here. An idle link that died silently is noticed
// within PingInterval+PingTimeout.
func (c *Conn) keepAlive(ctx context.Context) error {
	delay := int((c.opt.PingInterval + c.opt.PingTimeout + time.Second - 1) / time.Second)
	for {
		t := c.opt.Clock.Timer(c.opt.PingInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C():
		}
		id, err := c.pingID()
		if err != nil {
			return err
		}
		pctx, cancel := c.timeout(ctx, c.opt.PingTimeout)
		err = c.ping(pctx, &mt.PingDelayDisconnectRequest{PingID: id, DisconnectDelay: delay}, id)
		cancel()
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, context.Canceled) && pctx.Err() != nil:
			return fmt.Errorf("no answer to the keep-alive ping within %s: %w", c.opt.PingTimeout, context.DeadlineExceeded)
		default:
			return err
		}
	}
}

// timeout is context.WithTimeout on the Conn's clock: the context is
// cancelled once d has passed on it.
func (c *Conn) timeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	t := c.opt.Clock.Timer(d)
	go func() {
		select {
		case <-t.C():
			cancel()
		case <-ctx.Done():
			t.Stop()
		}
	}()
	return ctx, cancel
}
