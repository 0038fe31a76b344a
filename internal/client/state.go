package client

import (
	"github.com/gotd/td/crypto"

	"github.com/tgwasm/tgwasm/internal/session"
)

// State is the connection state reported to OnState.
type State string

// Connection states, in the order a healthy client walks them.
const (
	StateConnecting   State = "connecting"
	StateHandshake    State = "handshake"
	StateReady        State = "ready"
	StateReconnecting State = "reconnecting"
	StateClosed       State = "closed"
)

// notify wakes everything waiting on c.changed. Called with c.mu held.
func (c *Client) notify() {
	close(c.changed)
	c.changed = make(chan struct{})
}

func (c *Client) setState(s State) {
	c.mu.Lock()
	changed := c.setStateLocked(s)
	c.mu.Unlock()
	if changed {
		c.reportState(s)
	}
}

// setStateLocked records s and reports whether it changed; the caller
// reports it with reportState once c.mu is released. Called with c.mu held.
func (c *Client) setStateLocked(s State) bool {
	if c.state == s || c.state == StateClosed {
		return false
	}
	c.state = s
	c.notify()
	return true
}

func (c *Client) reportState(s State) {
	if c.opts.OnState != nil {
		c.opts.OnState(s)
	}
}

// State returns the current connection state.
func (c *Client) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state == "" {
		return StateConnecting
	}
	return c.state
}

// DC returns the primary DC.
func (c *Client) DC() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dc
}

// Session returns the resumable session of the primary DC.
func (c *Client) Session() session.Data {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sessionLocked()
}

func (c *Client) sessionLocked() session.Data {
	k, ok := c.keys[c.dc]
	if !ok || k.Zero() {
		return session.Data{}
	}
	addr, port := c.opts.address(c.dc)
	if a, ok := c.addrs[c.dc]; ok && a.Addr != "" {
		addr, port = a.Addr, a.Port
	}
	return session.Data{DC: c.dc, Addr: addr, Port: port, Key: k.Value}
}

// saveSession hands the current session to storage.
func (c *Client) saveSession() {
	c.mu.Lock()
	d := c.sessionLocked()
	c.mu.Unlock()
	if err := c.opts.Storage.Save(d); err != nil {
		c.logf(LevelError, "keeping the session: %v", err)
	}
}

// adopt makes a session another client stored the primary one.
func (c *Client) adopt(d session.Data) {
	c.mu.Lock()
	c.dc = d.DC
	c.keys[d.DC] = crypto.Key(d.Key).WithID()
	c.addrs[d.DC] = session.Data{Addr: d.Addr, Port: d.Port}
	c.mu.Unlock()
}
