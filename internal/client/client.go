// Package client is a lean Telegram client on gotd's primitives.
//
// It owns one connection to the primary DC at a time and keeps it alive:
// it dials (internal/transport), makes an auth key when there is none
// (internal/kex) and runs the MTProto session (internal/client/mtconn),
// whose first requests go out wrapped in
// invokeWithLayer(initConnection(...)), as Telegram's own clients do,
// which saves a round trip. The TL types are package tl's. Calls wait for a
// ready connection, survive reconnects (idempotent calls are replayed),
// sleep through short FLOOD_WAITs, follow *_MIGRATE_X (exporting and
// importing the login), and learn the server's clock. A link that goes
// silent under a call is probed and replaced within seconds.
//
// The package is split by concern, as gotd's telegram package is:
// connect.go (connection life and backoff), link.go (the real link:
// claim, dial, key exchange, session), liveness.go (silent links, network
// signals), invoke.go (sending a call), policy.go (what to do with
// an outcome: a pure function), migrate.go and state.go. Every timer runs
// on Options.Clock, so the policies are tested with a fake clock.
package client

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/go-faster/errors"
	"github.com/gotd/td/clock"
	"github.com/gotd/td/crypto"

	"github.com/tgwasm/tgwasm/internal/client/tl"
	"github.com/tgwasm/tgwasm/internal/session"
)

// Client is a Telegram client. It is safe for concurrent use.
type Client struct {
	opts  Options
	clock clock.Clock // opts.Clock
	time  *serverClock

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	wake   chan struct{}

	// run opens a link to conn.dc and serves it until ctx ends or the
	// link fails (runLink; tests put fake links here).
	run func(ctx context.Context, conn *dcConn, serve func(context.Context) error) error

	// migrating is held by the one migration in progress (a lock that
	// gives up with the caller's context).
	migrating chan struct{}

	started atomic.Int64 // connection attempts started
	probes  atomic.Int64 // links probed (liveness.go)
	checks  atomic.Int64 // Check calls (the page's signals)

	mu       sync.Mutex
	dc       int
	keys     map[int]crypto.AuthKey
	conn     *dcConn
	changed  chan struct{} // closed and replaced on every change below
	state    State
	failures int   // consecutive failed connection attempts
	attempts int   // connection attempts that ended, ever
	lastErr  error // why the last attempt failed
	imports  map[int]*tl.AuthExportedAuthorization
	// addrs keeps the address a loaded session named for its DC, so that
	// exporting it again gives back the same string.
	addrs   map[int]session.Data
	offline bool // the browser reports no network: no attempts
	// freshStart makes the next backoff start over (the network is back).
	freshStart bool
	closed     bool
}

// New creates a client and starts connecting in the background.
func New(opts Options) (*Client, error) {
	c, err := newClient(opts)
	if err != nil {
		return nil, err
	}
	c.run = c.runLink
	go c.loop()
	return c, nil
}

// newClient builds a client without starting it.
func newClient(opts Options) (*Client, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	data, err := opts.Storage.Load()
	if err != nil {
		return nil, errors.Wrap(err, "load session")
	}
	c := &Client{
		opts:      opts,
		clock:     opts.Clock,
		time:      &serverClock{base: opts.Clock, skew: opts.ClockSkew},
		done:      make(chan struct{}),
		wake:      make(chan struct{}, 1),
		migrating: make(chan struct{}, 1),
		dc:        opts.DC,
		keys:      map[int]crypto.AuthKey{},
		changed:   make(chan struct{}),
		imports:   map[int]*tl.AuthExportedAuthorization{},
		addrs:     map[int]session.Data{},
	}
	if !data.Empty() {
		c.adopt(data)
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	return c, nil
}

// Attempts reports how many connection attempts were started, and Probes
// how many times a link was probed (diagnostics for tests and benchmarks).
func (c *Client) Attempts() int64 { return c.started.Load() }

// Probes and Checks: see Attempts.
func (c *Client) Probes() int64 { return c.probes.Load() }

// Checks counts the calls of Check (see Attempts).
func (c *Client) Checks() int64 { return c.checks.Load() }

// Reconnect drops the current connection; calls in flight follow the
// usual rules (idempotent ones are sent again).
func (c *Client) Reconnect() {
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn != nil {
		c.dropConn(conn, errSwitch)
	}
}

// Close closes the connection and ends every call with ErrClosed. It
// returns once the connection loop has stopped.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		<-c.done
		return nil
	}
	c.closed = true
	c.notify()
	c.mu.Unlock()
	c.cancel()
	<-c.done
	return nil
}
