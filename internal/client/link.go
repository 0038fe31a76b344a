package client

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/mtproto"
	"github.com/gotd/td/proto/codec"
	gotdtransport "github.com/gotd/td/transport"

	"github.com/tgwasm/tgwasm/internal/kex"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// errKeyNotFound is the DC's transport error -404: it does not know our key.
var errKeyNotFound = errors.New("dc does not know the auth key (-404)")

// keyGuard sits between mtproto and the socket. It notes every frame that
// arrives (liveness.go), and turns the transport error -404 into
// errKeyNotFound so that mtproto does not start gotd's (slow) key exchange
// in place; the client makes a new key with kex on a fresh connection
// instead.
type keyGuard struct {
	gotdtransport.Conn
	conn  *dcConn
	clock interface{ Now() time.Time }
}

func (g keyGuard) Recv(ctx context.Context, b *bin.Buffer) error {
	err := g.Conn.Recv(ctx, b)
	var pe *codec.ProtocolErr
	if errors.As(err, &pe) && pe.Code == codec.CodeAuthKeyNotFound {
		g.conn.keyLost.Store(true)
		return errKeyNotFound
	}
	if err == nil {
		g.conn.heard(g.clock.Now())
	}
	return err
}

// runLink is the real link: it dials conn.dc, makes an auth key when there
// is none, runs gotd's mtproto.Conn on the socket and calls serve while it
// runs.
func (c *Client) runLink(ctx context.Context, conn *dcConn, serve func(context.Context) error) error {
	dc := conn.dc
	c.mu.Lock()
	key := c.keys[dc]
	c.mu.Unlock()

	url, err := transport.URL(c.opts.Kind, dc, c.opts.URL)
	if err != nil {
		return err
	}
	release := func() {}
	if key.Zero() && c.opts.ClaimKey != nil {
		kept, rel, err := c.opts.ClaimKey(ctx)
		if err != nil {
			return err
		}
		if !kept.Empty() && kept.DC == dc {
			// Another client (a tab on the same storage) made the key
			// meanwhile: use it rather than make a second one.
			rel()
			c.adopt(kept)
			c.logf(LevelInfo, "dc %d: using the auth key another client stored", dc)
			return errSwitch
		}
		// Ours to make: the claim is held until the key is stored.
		var once sync.Once
		release = func() { once.Do(rel) }
		defer release()
	}
	var early *kex.Early
	if key.Zero() {
		// Start on the client's DH exponentiation now: it runs while the
		// socket opens and the DC answers the first steps.
		early = kex.Precompute(c.opts.Rand, c.opts.ModExp)
	}
	c.logf(LevelInfo, "dc %d: connecting to %s", dc, url)
	tc, err := transport.Dial(ctx, url, dc, transport.Options{DialTimeout: c.opts.DialTimeout, NetDial: c.opts.NetDial})
	if err != nil {
		return err
	}
	c.setState(StateHandshake)
	if key.Zero() {
		c.logf(LevelInfo, "dc %d: socket open; making an auth key", dc)
	} else {
		c.logf(LevelInfo, "dc %d: socket open; resuming with the kept auth key", dc)
	}

	var salt int64
	fresh := key.Zero()
	if fresh {
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
			_ = tc.Close()
			return errors.Wrap(err, "key exchange")
		}
		if c.time.observe(res.ServerTime) {
			c.logf(LevelInfo, "clock corrected by the server: offset now %s", time.Duration(c.time.offset.Load()))
		}
		c.logf(LevelInfo, "dc %d: auth key made in %s", dc, c.clock.Now().Sub(start).Round(time.Millisecond))
		key, salt = res.Key, res.Salt
		c.mu.Lock()
		c.keys[dc] = key
		primary := c.dc == dc
		c.mu.Unlock()
		if primary {
			c.saveSession()
		}
		release() // stored: whoever waited finds it
	}
	conn.abandon = tc.Abandon
	dialed := false
	mt := mtproto.New(func(context.Context) (gotdtransport.Conn, error) {
		if dialed {
			return nil, errors.New("connection already used")
		}
		dialed = true
		return keyGuard{Conn: tc, conn: conn, clock: c.clock}, nil
	}, mtproto.Options{
		DC:            dc,
		Key:           key,
		Salt:          salt,
		PublicKeys:    c.opts.PublicKeys,
		Random:        c.opts.Rand,
		Clock:         c.time,
		Cipher:        learningCipher{Cipher: crypto.NewClientCipher(c.opts.Rand), clock: c.time},
		PingInterval:  c.opts.PingInterval,
		PingTimeout:   c.opts.PingTimeout,
		RetryInterval: 10 * time.Second,
		MaxRetries:    3,
	})
	conn.rpc = mt
	err = mt.Run(ctx, serve)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		// Only mtproto's keep-alive ends a connection with a deadline.
		err = fmt.Errorf("no answer to the keep-alive ping within %s: %w", c.opts.PingTimeout, err)
	}

	if conn.keyLost.Load() || errors.Is(err, errKeyNotFound) {
		// The DC forgot our key: make a new one on the next connection.
		c.mu.Lock()
		if c.keys[dc] == key {
			delete(c.keys, dc)
		}
		c.mu.Unlock()
		c.logf(LevelWarn, "dc %d forgot the auth key; a new one will be made", dc)
		if fresh {
			// Even a brand-new key was refused: a real failure.
			return errKeyNotFound
		}
		return fmt.Errorf("%w: %w", errSwitch, errKeyNotFound)
	}
	return err
}
