package testdc

import (
	"bufio"
	"maps"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/go-faster/errors"
)

// The blackhole stands for a link that died without a word: a NAT that
// forgot the mapping, a laptop that slept, a phone that changed networks.
// Nothing passes at any layer, so it sits below the WebSocket server, on
// the TCP connection: once a connection is silenced, what the client sends
// is read and dropped (a WebSocket close frame included, so a close
// handshake the client starts never completes), what the server writes
// (MTProto answers, a close frame, a ping) goes nowhere, and closing the
// connection on the server's side does not close the TCP connection (no
// FIN, no RST). The TCP connection ends when the client closes its side,
// or when the Server closes.

// tapConn is a WebSocket's TCP connection on the server's side, which the
// blackhole can silence. One goroutine (pump) reads the TCP connection from
// the start, so that a silenced connection is drained, and its client's
// close seen, whatever the WebSocket server is doing.
type tapConn struct {
	net.Conn
	s      *Server
	id     int64 // in the order the connections were accepted
	silent atomic.Bool

	chunks chan []byte   // what pump read, for Read
	rerr   error         // why pump stopped; set before chunks is closed
	buf    []byte        // the rest of the chunk Read is handing out
	ended  chan struct{} // closed by Close: Read returns
	end    sync.Once
	once   sync.Once // untracks it and closes the TCP connection
}

// tap tracks a hijacked TCP connection (with the next id) and starts
// pumping it.
func (s *Server) tap(conn net.Conn) *tapConn {
	c := &tapConn{Conn: conn, s: s, chunks: make(chan []byte), ended: make(chan struct{})}
	s.connMu.Lock()
	s.tapped++
	c.id = s.tapped
	s.taps[c] = struct{}{}
	s.connMu.Unlock()
	go c.pump()
	return c
}

func (s *Server) untap(c *tapConn) {
	s.connMu.Lock()
	delete(s.taps, c)
	s.connMu.Unlock()
}

// pump reads the TCP connection until it fails: the client's bytes go to
// Read, or nowhere once the connection is silenced. A silenced connection
// whose client closed it is let go of.
func (c *tapConn) pump() {
	for {
		b := make([]byte, 32<<10)
		n, err := c.Conn.Read(b)
		if n > 0 && !c.silent.Load() {
			select {
			case c.chunks <- b[:n]:
			case <-c.ended:
			}
		}
		if err != nil {
			c.rerr = err
			close(c.chunks)
			if c.silent.Load() {
				c.release()
			}
			return
		}
	}
}

func (c *tapConn) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		select {
		case b, ok := <-c.chunks:
			if !ok {
				return 0, c.rerr
			}
			c.buf = b
		case <-c.ended:
			return 0, net.ErrClosed
		}
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

func (c *tapConn) Write(p []byte) (int, error) {
	if c.silent.Load() {
		return len(p), nil // lost on the way
	}
	return c.Conn.Write(p)
}

// Close ends the server's side. The TCP connection is closed, unless it
// is silenced: then only its client (or the Server's Close) ends it.
func (c *tapConn) Close() error {
	c.end.Do(func() { close(c.ended) })
	if !c.silent.Load() {
		c.release()
	}
	return nil
}

// release stops tracking the connection and closes it.
func (c *tapConn) release() {
	c.once.Do(func() {
		c.s.untap(c)
		_ = c.Conn.Close()
	})
}

// tapWriter hands the WebSocket server a tapConn when it hijacks the HTTP
// connection.
type tapWriter struct {
	http.ResponseWriter
	s *Server
}

func (w *tapWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("http.ResponseWriter does not implement http.Hijacker")
	}
	conn, brw, err := hj.Hijack()
	if err != nil {
		return nil, nil, err
	}
	tap := w.s.tap(conn)
	// Bytes the HTTP server read ahead stay in brw.Reader (the WebSocket
	// server reads them first, then the connection it was handed);
	// writes must go through the tap.
	brw.Writer = bufio.NewWriter(tap)
	return tap, brw, nil
}

// Blackhole silences every WebSocket connection open now (see above),
// whether or not it has spoken MTProto yet, as when a laptop sleeps or a
// NAT forgets the mapping. New connections work. It reports how many
// connections went silent.
func (s *Server) Blackhole() int {
	return len(s.BlackholeIDs())
}

// BlackholeIDs is Blackhole, reporting the ids of the connections it
// silenced (see Stats.SilencedIDs).
func (s *Server) BlackholeIDs() []int64 {
	return s.tapIDs(func(c *tapConn) bool { return !c.silent.Swap(true) })
}

// silencedOpen lists the silenced connections whose clients still hold
// them open.
func (s *Server) silencedOpen() []int64 {
	return s.tapIDs(func(c *tapConn) bool { return c.silent.Load() })
}

// tapIDs lists, in order, the ids of the tracked connections for which
// pick (called under connMu) is true.
func (s *Server) tapIDs(pick func(*tapConn) bool) []int64 {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	ids := []int64{}
	for c := range s.taps {
		if pick(c) {
			ids = append(ids, c.id)
		}
	}
	slices.Sort(ids)
	return ids
}

// closeTaps ends every TCP connection, silenced or not (Server.Close).
func (s *Server) closeTaps() {
	s.connMu.Lock()
	taps := slices.Collect(maps.Keys(s.taps))
	s.connMu.Unlock()
	for _, c := range taps {
		c.release()
	}
}
