package client

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/proto/codec"

	"github.com/tgwasm/tgwasm/internal/client/mtconn"
	"github.com/tgwasm/tgwasm/internal/client/tl"
	"github.com/tgwasm/tgwasm/internal/kex"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// The real link, in the order it happens: claim the right to make a key
// (other tabs may share the session), dial, make the key when there is
// none, run the session (internal/client/mtconn) while it serves calls,
// and read what its end says about the key.

// errKeyNotFound is the DC's transport error -404: it does not know our key.
var errKeyNotFound = errors.New("dc does not know the auth key (-404)")

// runLink is the real link: it dials conn.dc, makes an auth key when there
// is none, runs the session on the socket and calls serve while it runs.
func (c *Client) runLink(ctx context.Context, conn *dcConn, serve func(context.Context) error) error {
	dc := conn.dc
	c.mu.Lock()
	key := c.keys[dc]
	c.mu.Unlock()

	url, err := transport.URL(c.opts.Network, dc, c.opts.URL)
	if err != nil {
		return err
	}
	release := func() {}
	if key.Zero() {
		rel, err := c.claimKey(ctx, dc)
		if err != nil {
			return err
		}
		release = rel
		defer release()
	}
	var early *kex.Early
	if key.Zero() {
		// Start on the client's DH exponentiation now: it runs while the
		// socket opens and the DC answers the first steps.
		early = kex.Precompute(c.opts.Rand, c.opts.ModExp)
	}
	tc, err := c.dial(ctx, dc, url, key.Zero())
	if err != nil {
		return err
	}
	defer func() { _ = tc.Close() }() // does not wait; a no-op after Abandon

	var salt int64
	fresh := key.Zero()
	if fresh {
		if key, salt, err = c.makeKey(ctx, tc, dc, early); err != nil {
			return err
		}
		release() // stored: whoever waited finds it
	}
	err = c.runSession(ctx, conn, tc, key, salt, serve)
	return c.keyLoss(conn, key, fresh, err)
}

// claimKey waits for the right to make dc's key when other clients keep
// their session in the same place (Options.ClaimKey). It returns errSwitch
// when one of them stored a key meanwhile (adopted: the next connection
// uses it), or the release to call once the new key is stored.
func (c *Client) claimKey(ctx context.Context, dc int) (release func(), _ error) {
	if c.opts.ClaimKey == nil {
		return func() {}, nil
	}
	kept, rel, err := c.opts.ClaimKey(ctx)
	if err != nil {
		return nil, err
	}
	if !kept.Empty() && kept.DC == dc {
		// Another client (a tab on the same storage) made the key
		// meanwhile: use it rather than make a second one.
		rel()
		c.adopt(kept)
		c.logf(LevelInfo, "dc %d: using the auth key another client stored", dc)
		return nil, errSwitch
	}
	// Ours to make: the claim is held until the key is stored.
	var once sync.Once
	return func() { once.Do(rel) }, nil
}

// dial opens the socket to dc.
func (c *Client) dial(ctx context.Context, dc int, url string, makingKey bool) (*transport.Conn, error) {
	c.logf(LevelInfo, "dc %d: connecting to %s", dc, url)
	tc, err := transport.Dial(ctx, url, dc, transport.Options{DialTimeout: c.opts.DialTimeout, NetDial: c.opts.NetDial})
	if err != nil {
		return nil, err
	}
	c.setState(StateHandshake)
	if makingKey {
		c.logf(LevelInfo, "dc %d: socket open; making an auth key", dc)
	} else {
		c.logf(LevelInfo, "dc %d: socket open; resuming with the kept auth key", dc)
	}
	return tc, nil
}

// makeKey runs the key exchange on tc, learns the server's clock from it
// and stores the key (the session is saved when dc is the primary DC).
func (c *Client) makeKey(ctx context.Context, tc *transport.Conn, dc int, early *kex.Early) (crypto.AuthKey, int64, error) {
	start := c.clock.Now()
	res, err := kex.Run(ctx, tc, kex.Options{
		DC:      c.opts.kexDC(dc),
		Keys:    c.opts.PublicKeys,
		Rand:    c.opts.Rand,
		Now:     c.time.Now,
		Timeout: c.opts.ExchangeTimeout,
		ModExp:  c.opts.ModExp,
		Early:   early,
	})
	if err != nil {
		return crypto.AuthKey{}, 0, errors.Wrap(err, "key exchange")
	}
	c.learnClock(res.ServerTime)
	c.logf(LevelInfo, "dc %d: auth key made in %s", dc, c.clock.Now().Sub(start).Round(time.Millisecond))
	c.mu.Lock()
	c.keys[dc] = res.Key
	primary := c.dc == dc
	c.mu.Unlock()
	if primary {
		c.saveSession()
	}
	return res.Key, res.Salt, nil
}

// learnClock corrects the client's clock from the server's.
func (c *Client) learnClock(server time.Time) {
	if c.time.observe(server) {
		c.logf(LevelInfo, "clock corrected by the server: offset now %s", time.Duration(c.time.offset.Load()))
	}
}

// runSession runs the MTProto session on tc with key until it ends,
// serving calls meanwhile.
func (c *Client) runSession(ctx context.Context, conn *dcConn, tc *transport.Conn, key crypto.AuthKey, salt int64, serve func(context.Context) error) error {
	dc := conn.dc
	mc, err := mtconn.New(watchedLink{Conn: tc, conn: conn, clock: c.clock}, mtconn.Options{
		Key:          key,
		Salt:         salt,
		Clock:        c.time,
		ServerTime:   c.learnClock,
		Rand:         c.opts.Rand,
		PingInterval: c.opts.PingInterval,
		PingTimeout:  c.opts.PingTimeout,
		Init:         initConnection(tl.Layer, c.opts.APIID, c.opts.Device),
		Log: func(level, message string) {
			c.logf(Level(level), "dc %d: %s", dc, message)
		},
	})
	if err != nil {
		return err
	}
	conn.abandon = tc.Abandon
	conn.rpc = mc
	return mc.Run(ctx, serve)
}

// keyLoss reads the end of a session: when the DC answered -404 it forgot
// our key, and the next connection makes a new one.
func (c *Client) keyLoss(conn *dcConn, key crypto.AuthKey, fresh bool, err error) error {
	if !conn.keyLost.Load() {
		return err
	}
	c.mu.Lock()
	if c.keys[conn.dc] == key {
		delete(c.keys, conn.dc)
	}
	c.mu.Unlock()
	c.logf(LevelWarn, "dc %d forgot the auth key; a new one will be made", conn.dc)
	if fresh {
		// Even a brand-new key was refused: a real failure.
		return errKeyNotFound
	}
	return fmt.Errorf("%w: %w", errSwitch, errKeyNotFound)
}

// watchedLink sits between the session and the socket: it notes every
// frame that arrives (liveness.go) and a transport error -404, which
// means nothing sent on this connection was processed.
type watchedLink struct {
	*transport.Conn
	conn  *dcConn
	clock interface{ Now() time.Time }
}

func (w watchedLink) Recv(ctx context.Context, b *bin.Buffer) error {
	err := w.Conn.Recv(ctx, b)
	var pe *codec.ProtocolErr
	if errors.As(err, &pe) && pe.Code == codec.CodeAuthKeyNotFound {
		w.conn.keyLost.Store(true)
	}
	if err == nil {
		w.conn.heard(w.clock.Now())
	}
	return err
}
