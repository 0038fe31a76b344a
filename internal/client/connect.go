package client

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
)

// link is one connection to a DC as the rest of the client uses it:
// gotd's mtproto.Conn over internal/transport (link.go), or a fake in
// tests.
type link interface {
	Invoke(ctx context.Context, in bin.Encoder, out bin.Decoder) error
	Ping(ctx context.Context) error
}

// dcConn is one connection to a DC.
type dcConn struct {
	dc  int
	rpc link
	// end ends the connection; its cause tells why (errSwitch, errSilent).
	end context.CancelCauseFunc
	// abandon closes the socket without a close handshake (set by the
	// link before it serves; nil for fakes).
	abandon func()
	// keyLost is set when the DC answered -404: nothing sent on this
	// connection was processed.
	keyLost atomic.Bool

	// Liveness (liveness.go): when anything last came from the DC, how
	// many calls are in flight and since when, whether a probe runs, and
	// the wake-up of an idle watch when calls start.
	lastRecv  atomic.Int64 // unix nanoseconds on the client's clock
	inflight  atomic.Int32
	busySince atomic.Int64
	probing   atomic.Bool
	busy      chan struct{} // capacity 1
}

// errSwitch ends a connection on purpose (migration, clock correction, a
// new key): the loop reconnects at once.
var errSwitch = errors.New("switching connection")

// kick makes a backing-off reconnect loop try now.
func (c *Client) kick() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// loop keeps one connection to the primary DC alive until Close.
func (c *Client) loop() {
	defer close(c.done)
	defer c.setState(StateClosed)
	backoff := c.opts.ReconnectMin
	first := true
	for c.ctx.Err() == nil {
		if !c.waitOnline() {
			return
		}
		c.mu.Lock()
		if c.freshStart {
			c.freshStart = false
			backoff = c.opts.ReconnectMin
		}
		c.mu.Unlock()
		if first {
			c.setState(StateConnecting)
		} else {
			c.setState(StateReconnecting)
		}
		first = false
		c.started.Add(1)
		wasReady, err := c.connect()
		if c.ctx.Err() != nil {
			return
		}
		c.mu.Lock()
		c.attempts++
		if wasReady {
			c.failures = 0
			backoff = c.opts.ReconnectMin
		}
		if err != nil && !wasReady && !errors.Is(err, errSwitch) {
			c.failures++
			c.lastErr = err
		}
		c.notify()
		c.mu.Unlock()
		if err != nil {
			level := LevelWarn
			if errors.Is(err, errSwitch) {
				level = LevelInfo // on purpose: a migration, a clock correction, a new key
			}
			c.logf(level, "dc %d: the connection ended: %v", c.DC(), err)
		}
		if errors.Is(err, errSwitch) || wasReady {
			// A deliberate switch, or a connection that worked: the
			// next attempt goes out at once.
			continue
		}
		var wait time.Duration
		wait, backoff = nextBackoff(backoff, c.opts.ReconnectMax, rand.Int64N)
		c.logf(LevelInfo, "reconnecting in %s", wait.Round(time.Millisecond))
		t := c.clock.Timer(wait)
		select {
		case <-t.C():
		case <-c.wake:
		case <-c.ctx.Done():
		}
		t.Stop()
	}
}

// connect runs one connection to the primary DC until it ends. wasReady
// reports whether it got as far as serving calls.
func (c *Client) connect() (wasReady bool, _ error) {
	c.mu.Lock()
	dc := c.dc
	c.mu.Unlock()

	ctx, end := context.WithCancelCause(c.ctx)
	defer end(nil)
	conn := &dcConn{dc: dc, end: end, busy: make(chan struct{}, 1)}
	conn.heard(c.clock.Now())
	err := c.run(ctx, conn, func(ctx context.Context) error {
		if err := c.importLogin(ctx, conn); err != nil {
			if isBadMsgTime(err) {
				// Our clock was off; it is corrected now (see
				// learningCipher). Start over with a new session.
				c.logf(LevelWarn, "dc %d refused our clock (%v); reconnecting with the corrected clock", dc, err)
				return errSwitch
			}
			return err
		}
		// StateReady first, reported, then the connection: whoever finds
		// c.conn also finds StateReady, and an observer hears "ready"
		// before any call's answer that the connection carries.
		c.mu.Lock()
		changed := c.setStateLocked(StateReady)
		c.mu.Unlock()
		if changed {
			c.reportState(StateReady)
		}
		c.mu.Lock()
		c.conn = conn
		c.failures = 0
		c.lastErr = nil
		c.notify()
		c.mu.Unlock()
		wasReady = true
		c.logf(LevelInfo, "dc %d: ready", dc)
		c.watch(ctx, conn)
		return nil
	})

	c.mu.Lock()
	if c.conn == conn {
		c.conn = nil
		c.notify()
	}
	c.mu.Unlock()

	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		err = cause // ended on purpose (dropConn): say why
	}
	if err == nil {
		err = errors.New("connection closed")
	}
	return wasReady, err
}

// waitConn returns a ready connection, waiting for one if needed. It gives
// up with a ConnectionError once two connection attempts failed while it
// waited, or when ctx ends after at least one failed attempt or while the
// browser reports no network.
func (c *Client) waitConn(ctx context.Context) (*dcConn, error) {
	c.mu.Lock()
	startAttempts := c.attempts
	c.mu.Unlock()
	kicked := false
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil, ErrClosed
		}
		if c.conn != nil {
			conn := c.conn
			c.mu.Unlock()
			return conn, nil
		}
		// Attempts that ended since we started waiting, all failed.
		failedSince := min(c.failures, c.attempts-startAttempts)
		lastErr := c.lastErr
		offline := c.offline
		ch := c.changed
		c.mu.Unlock()

		if failedSince >= 2 {
			return nil, &ConnectionError{Reason: "cannot reach the DC", Cause: lastErr}
		}
		if !kicked {
			kicked = true
			c.kick()
		}
		select {
		case <-ch:
		case <-ctx.Done():
			if offline {
				return nil, &ConnectionError{Reason: "no network: the browser reports it is offline", Cause: ctx.Err()}
			}
			if lastErr != nil {
				return nil, &ConnectionError{Reason: "cannot reach the DC", Cause: lastErr}
			}
			return nil, ctx.Err()
		}
	}
}

// dropConn ends conn on purpose, for the given reason; the loop connects
// again at once.
func (c *Client) dropConn(conn *dcConn, why error) {
	c.mu.Lock()
	if c.conn == conn {
		c.conn = nil
		c.notify()
	}
	c.mu.Unlock()
	if errors.Is(why, errSilent) && conn.abandon != nil {
		// A silent peer cannot complete a close handshake.
		conn.abandon()
	}
	conn.end(why)
}
