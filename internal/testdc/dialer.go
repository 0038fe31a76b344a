package testdc

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
)

// Dialer opens the TCP connections of a native test client
// (transport.Options.NetDial) and watches each from the client's side:
// the bytes that arrive, whether the DC closed it, whether the client
// closed it. With Hold, the client's close of a connection does not end
// until Release, which stands for a socket whose close never completes:
// a browser's, on a link that went silent, waits a minute for a closing
// handshake.
type Dialer struct {
	Hold bool

	mu      sync.Mutex
	conns   []*DialedConn
	release chan struct{}
	once    sync.Once
}

// Dial is a transport.Options.NetDial.
func (d *Dialer) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var nd net.Dialer
	c, err := nd.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	dc := &DialedConn{Conn: c, hold: d.Hold, release: d.releaseLocked()}
	d.conns = append(d.conns, dc)
	return dc, nil
}

// releaseLocked is the channel Release closes. Called with d.mu held.
func (d *Dialer) releaseLocked() chan struct{} {
	if d.release == nil {
		d.release = make(chan struct{})
	}
	return d.release
}

// Conns returns the connections dialed so far, oldest first.
func (d *Dialer) Conns() []*DialedConn {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]*DialedConn(nil), d.conns...)
}

// Release lets every held close complete, now and from now on.
func (d *Dialer) Release() {
	d.mu.Lock()
	ch := d.releaseLocked()
	d.mu.Unlock()
	d.once.Do(func() { close(ch) })
}

// DialedConn is one connection of a Dialer.
type DialedConn struct {
	net.Conn
	hold    bool
	release chan struct{}

	received   atomic.Int64
	peerClosed atomic.Bool
	closing    atomic.Bool
	closed     atomic.Bool
}

func (c *DialedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.received.Add(int64(n))
	if err != nil && !c.closing.Load() {
		// Not the client's own close: the DC closed it (FIN or RST).
		c.peerClosed.Store(true)
	}
	return n, err
}

// Close closes the connection; with the Dialer's Hold it first waits for
// Release.
func (c *DialedConn) Close() error {
	c.closing.Store(true)
	if c.hold {
		<-c.release
	}
	err := c.Conn.Close()
	c.closed.Store(true)
	return err
}

// Received counts the bytes that arrived from the DC.
func (c *DialedConn) Received() int { return int(c.received.Load()) }

// PeerClosed reports whether the DC closed the connection (a FIN or a
// reset arrived before the client closed it).
func (c *DialedConn) PeerClosed() bool { return c.peerClosed.Load() }

// Closing reports whether the client began closing the connection, and
// Closed whether that close completed.
func (c *DialedConn) Closing() bool { return c.closing.Load() }

// Closed: see Closing.
func (c *DialedConn) Closed() bool { return c.closed.Load() }
