package client

import (
	"context"
	"time"

	"github.com/go-faster/errors"
)

// The commonest failure of a browser connection is silence, not a close:
// after sleep, a switch from Wi-Fi to mobile data or a NAT timeout the
// WebSocket still reads OPEN and nothing passes. Three things notice it:
//
//   - while a call is in flight and nothing at all has come from the DC
//     for SilenceAfter, watch probes the link with a ping that must be
//     answered within ProbeTimeout; no answer drops the link, and the calls
//     in flight move to a new connection (idempotent ones are sent again);
//   - when idle, mtproto's keep-alive sends ping_delay_disconnect every
//     PingInterval and drops the link when a pong is PingTimeout late;
//   - the browser's signals (Check, SetOnline): a page that becomes
//     visible or resumes, or a network that comes back, probes at once;
//     while offline no connection is attempted.

// errSilent ends a link that did not answer a probe.
var errSilent = errors.New("the link went silent: no answer to a ping")

// watchTick is how often watch looks at a busy link.
const watchTick = 500 * time.Millisecond

// heard notes that something arrived from the DC.
func (conn *dcConn) heard(now time.Time) { conn.lastRecv.Store(now.UnixNano()) }

// begin and done bracket a call on the link.
func (conn *dcConn) begin(now time.Time) {
	if conn.inflight.Add(1) == 1 {
		conn.busySince.Store(now.UnixNano())
		select {
		case conn.busy <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}

func (conn *dcConn) done() { conn.inflight.Add(-1) }

// silentFor is how long a busy link has been quiet: since the later of
// the last frame received and the moment calls started waiting on it.
// An idle link is never silent here (the keep-alive covers it).
func (conn *dcConn) silentFor(now time.Time) time.Duration {
	if conn.inflight.Load() == 0 {
		return 0
	}
	since := max(conn.lastRecv.Load(), conn.busySince.Load())
	return now.Sub(time.Unix(0, since))
}

// watch probes conn whenever calls wait on it and it has been silent for
// SilenceAfter. An idle link is left to the keep-alive: watch sleeps until
// a call begins, so that an idle tab is not woken twice a second. It
// returns when ctx ends.
func (c *Client) watch(ctx context.Context, conn *dcConn) {
	for {
		if conn.inflight.Load() == 0 {
			select {
			case <-ctx.Done():
				return
			case <-conn.busy:
			}
			continue
		}
		// A timer per look rather than a ticker: nothing piles up while a
		// probe runs.
		t := c.clock.Timer(watchTick)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C():
		}
		if quiet := conn.silentFor(c.clock.Now()); quiet >= c.opts.SilenceAfter {
			c.logf(LevelInfo, "dc %d: nothing received for %s while calls wait; probing the link", conn.dc, quiet.Round(time.Millisecond))
			c.probe(ctx, conn)
		}
	}
}

// probe pings conn and drops it when no pong comes within ProbeTimeout.
// One probe runs at a time per link; probe returns when it is settled.
func (c *Client) probe(ctx context.Context, conn *dcConn) {
	if !conn.probing.CompareAndSwap(false, true) {
		return
	}
	defer conn.probing.Store(false)
	c.probes.Add(1)
	pctx, cancel := c.timeout(ctx, c.opts.ProbeTimeout)
	defer cancel()
	start := c.clock.Now()
	err := conn.rpc.Ping(pctx)
	if ctx.Err() != nil {
		return
	}
	if err == nil {
		c.logf(LevelInfo, "dc %d: the link answered the probe in %s", conn.dc, c.clock.Now().Sub(start).Round(time.Millisecond))
		return
	}
	c.logf(LevelWarn, "dc %d: no answer to the probe within %s; dropping the link", conn.dc, c.opts.ProbeTimeout)
	c.dropConn(conn, errSilent)
}

// timeout is context.WithTimeout on the client's clock.
func (c *Client) timeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	t := c.clock.Timer(d)
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

// Check makes sure the connection still works, at once rather than at the
// next keep-alive: the current link is probed (and replaced if it does not
// answer within ProbeTimeout), or, with none, the reconnect loop stops
// backing off. For a page that becomes visible, resumes from being frozen,
// or comes back online.
func (c *Client) Check() {
	c.checks.Add(1)
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn == nil {
		c.kick()
		return
	}
	c.logf(LevelInfo, "dc %d: probing the link now", conn.dc)
	go c.probe(c.ctx, conn)
}

// SetOnline tells the client what the browser reports about the network.
// Offline, no connection is attempted (calls wait for the network until
// their deadline) and the current link is probed; online, the next attempt
// goes out at once with the backoff started over, and the link is probed.
func (c *Client) SetOnline(online bool) {
	c.mu.Lock()
	changed := c.offline == online
	c.offline = !online
	if online && changed {
		c.freshStart = true
	}
	c.notify()
	c.mu.Unlock()
	if changed {
		c.logf(LevelInfo, "the browser reports the network %s", map[bool]string{true: "online", false: "offline"}[online])
	}
	if online {
		c.kick()
	}
	c.Check()
}

// waitOnline blocks while the browser reports no network. It reports
// false when the client was closed meanwhile.
func (c *Client) waitOnline() bool {
	for {
		c.mu.Lock()
		offline, ch := c.offline, c.changed
		c.mu.Unlock()
		if !offline {
			return true
		}
		c.setState(StateReconnecting)
		select {
		case <-ch:
		case <-c.ctx.Done():
			return false
		}
	}
}
