// Package transport dials one Telegram data centre over WebSocket.
//
// The stack is the one Telegram's web clients use: a WebSocket with the
// "binary" subprotocol, the obfuscated2 handshake (a 64-byte header that
// carries the DC number and the inner protocol tag) and intermediate framing
// inside it. Every outgoing MTProto frame is written as one WebSocket message.
//
// The same code runs natively (nhooyr.io/websocket over net/http) and in the
// browser (nhooyr.io/websocket over the WebSocket API); options that exist on
// one side only live in dial_js.go and dial_other.go.
package transport

//lint:file-ignore SA1019 nhooyr.io/websocket v1.8.17 is the WebSocket library this project pins (its successor is coder/websocket).

import (
	"bytes"
	"context"
	"io"
	"net"
	"sync"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/mtproxy"
	"github.com/gotd/td/mtproxy/obfuscated2"
	"github.com/gotd/td/proto/codec"
	"nhooyr.io/websocket"
)

// Subprotocol is the WebSocket subprotocol Telegram requires.
const Subprotocol = "binary"

// DefaultReadLimit is the largest WebSocket message accepted by default:
// well above Telegram's 1 MiB answers and nhooyr's 32 KiB browser default.
const DefaultReadLimit = 16 << 20

// DefaultDialTimeout bounds the WebSocket handshake.
const DefaultDialTimeout = 15 * time.Second

// Options configures Dial.
type Options struct {
	// DialTimeout bounds the WebSocket opening handshake; DefaultDialTimeout if zero.
	DialTimeout time.Duration
	// ReadLimit is the largest accepted WebSocket message; DefaultReadLimit if zero.
	ReadLimit int64
	// Origin is sent as the Origin header by native clients (browsers set
	// their own); used to test what a page sees.
	Origin string
	// NetDial opens the TCP connection of a native client (net.Dialer's
	// when nil; browsers open their own); tests use it to stand for a
	// network whose sockets misbehave.
	NetDial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// DialError reports that the WebSocket could not be opened.
type DialError struct {
	URL string
	Err error
}

func (e *DialError) Error() string { return "dial " + e.URL + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *DialError) Unwrap() error { return e.Err }

// Dial opens a WebSocket to url and performs the obfuscated2 handshake for
// DC dc with the intermediate protocol. The returned connection frames
// MTProto messages.
func Dial(ctx context.Context, url string, dc int, opt Options) (*Conn, error) {
	if opt.DialTimeout <= 0 {
		opt.DialTimeout = DefaultDialTimeout
	}
	if opt.ReadLimit <= 0 {
		opt.ReadLimit = DefaultReadLimit
	}
	dialCtx, cancel := context.WithTimeout(ctx, opt.DialTimeout)
	defer cancel()

	ws, err := dialWS(dialCtx, url, opt)
	if err != nil {
		if ctx.Err() == nil && dialCtx.Err() != nil {
			err = errors.Errorf("no answer within %s", opt.DialTimeout)
		}
		return nil, &DialError{URL: url, Err: err}
	}
	if p := ws.Subprotocol(); p != Subprotocol {
		closeInBackground(ws, false)
		return nil, &DialError{URL: url, Err: errors.Errorf("server chose subprotocol %q, want %q", p, Subprotocol)}
	}
	ws.SetReadLimit(opt.ReadLimit)

	c := &Conn{ws: ws, msgs: make(chan message), gone: make(chan struct{})}
	c.stream = &wsStream{conn: c}
	c.obfs = obfuscated2.NewObfuscated2(crypto.DefaultRand(), c.stream)
	c.stream.wctx = ctx
	tag := codec.Intermediate{}.ObfuscatedTag()
	if err := c.obfs.Handshake(tag, dc, mtproxy.Secret{}); err != nil {
		c.Abandon()
		return nil, &DialError{URL: url, Err: errors.Wrap(err, "obfuscated2 handshake")}
	}
	c.stream.wctx = nil
	go c.readLoop()
	return c, nil
}

// Conn is an MTProto connection over one WebSocket.
//
// Nothing in it waits for a WebSocket closing handshake. A link is given up
// (Close, Abandon, or a Recv whose context ends) most often because the
// peer went silent, and a silent peer never answers a close frame: a
// browser would hold the socket until its own closing timeout (a minute in
// Chromium) and nhooyr's Close would wait for it. So messages are read by
// one goroutine of the Conn's own, which Recv waits on together with its
// context, and the close runs in the background.
type Conn struct {
	ws     *websocket.Conn
	stream *wsStream
	obfs   *obfuscated2.Obfuscated2

	wmu  sync.Mutex
	wbuf bytes.Buffer
	rmu  sync.Mutex

	msgs     chan message  // from readLoop
	gone     chan struct{} // closed once Close or Abandon was called
	goneOnce sync.Once
}

// message is one WebSocket message, or the error that ended reading.
type message struct {
	data []byte
	err  error
}

// Send writes one MTProto frame as one WebSocket message.
func (c *Conn) Send(ctx context.Context, b *bin.Buffer) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()

	c.wbuf.Reset()
	if err := (codec.Intermediate{}).Write(&c.wbuf, b); err != nil {
		return errors.Wrap(err, "frame")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// nhooyr closes the socket when the write's context is cancelled while
	// the write is in progress. gotd cancels a request's context as soon as
	// its answer arrives, which on a fast link can be before Write returns:
	// so the write only inherits the deadline, never the cancellation.
	wctx := context.WithoutCancel(ctx)
	if d, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		wctx, cancel = context.WithDeadline(wctx, d)
		defer cancel()
	}
	c.stream.wctx = wctx
	defer func() { c.stream.wctx = nil }()
	if _, err := c.obfs.Write(c.wbuf.Bytes()); err != nil {
		return errors.Wrap(err, "write ws")
	}
	return nil
}

// Recv reads one MTProto frame. A transport error (a 4-byte negative code
// such as -404) is returned as *codec.ProtocolErr.
func (c *Conn) Recv(ctx context.Context, b *bin.Buffer) error {
	c.rmu.Lock()
	defer c.rmu.Unlock()

	c.stream.rctx = ctx
	defer func() { c.stream.rctx = nil }()
	if err := (codec.Intermediate{}).Read(c.obfs, b); err != nil {
		var protoErr *codec.ProtocolErr
		if errors.As(err, &protoErr) {
			return err
		}
		return errors.Wrap(err, "read ws")
	}
	return nil
}

// readLoop hands every message to Recv until the socket fails or the
// Conn is given up. A browser reports a socket given up with a close that
// never completes only at its closing timeout; this goroutine waits for
// that, nothing else does.
func (c *Conn) readLoop() {
	for {
		typ, data, err := c.ws.Read(context.Background())
		if err == nil && typ != websocket.MessageBinary {
			err = errors.Errorf("unexpected %s message", typ)
		}
		select {
		case c.msgs <- message{data: data, err: err}:
		case <-c.gone:
			return
		}
		if err != nil {
			return
		}
	}
}

// Close closes the WebSocket with a normal closure. It does not wait: the
// close handshake runs in the background (see Conn).
func (c *Conn) Close() error {
	c.end(true)
	return nil
}

// Abandon gives up a WebSocket whose peer went silent: natively the TCP
// connection is closed without a close frame, in a browser the socket is
// closed with "going away"; neither is waited for.
func (c *Conn) Abandon() {
	c.end(false)
}

// end gives the Conn up: Recv and Send fail from now on, and the socket
// is closed in the background.
func (c *Conn) end(polite bool) {
	c.goneOnce.Do(func() {
		close(c.gone)
		closeInBackground(c.ws, polite)
	})
}

// closeInBackground closes ws without waiting for the close to complete.
// It returns once the closing goroutine has started: in a browser, where
// Go runs on one thread, that goroutine then runs until it waits for the
// socket's close event, having called the socket's close() first; so a
// program that ends right after (a client's close()) has asked the
// browser to close the socket.
func closeInBackground(ws *websocket.Conn, polite bool) {
	started := make(chan struct{})
	go func() {
		close(started)
		if polite {
			_ = ws.Close(websocket.StatusNormalClosure, "")
		} else {
			_ = ws.CloseNow()
		}
	}()
	<-started
}

// wsStream presents WebSocket messages as a byte stream to obfuscated2.
// Reads and writes each use the context of the Recv/Send in progress.
type wsStream struct {
	conn *Conn
	rbuf []byte
	rerr error // what ended reading, for every later Read
	rctx context.Context
	wctx context.Context
}

// errGone is what Recv and Send return once the Conn was given up.
var errGone = errors.New("connection closed")

func (s *wsStream) Read(p []byte) (int, error) {
	for len(s.rbuf) == 0 {
		if s.rerr != nil {
			return 0, s.rerr
		}
		ctx := s.rctx
		if ctx == nil {
			ctx = context.Background()
		}
		select {
		case m := <-s.conn.msgs:
			switch {
			case m.err == nil:
				s.rbuf = m.data
			case isClosed(m.err):
				s.rerr = io.EOF
			default:
				s.rerr = m.err
			}
		case <-s.conn.gone:
			s.rerr = errGone
		case <-ctx.Done():
			// The frame being read may be cut in two: whoever ended the
			// read gives the connection up, and it cannot be read again.
			s.rerr = errors.Wrap(ctx.Err(), "read cut short")
			return 0, ctx.Err()
		}
	}
	n := copy(p, s.rbuf)
	s.rbuf = s.rbuf[n:]
	return n, nil
}

func (s *wsStream) Write(p []byte) (int, error) {
	select {
	case <-s.conn.gone:
		return 0, errGone
	default:
	}
	ctx := s.wctx
	if ctx == nil {
		ctx = context.Background()
	}
	if err := s.conn.ws.Write(ctx, websocket.MessageBinary, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func isClosed(err error) bool {
	switch websocket.CloseStatus(err) {
	case websocket.StatusNormalClosure, websocket.StatusGoingAway:
		return true
	}
	return errors.Is(err, io.EOF)
}
