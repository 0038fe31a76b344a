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
	"sync"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/mtproxy"
	"github.com/gotd/td/mtproxy/obfuscated2"
	"github.com/gotd/td/proto/codec"
	"github.com/gotd/td/transport"
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
// MTProto messages; it implements gotd's transport.Conn.
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
		_ = ws.CloseNow()
		return nil, &DialError{URL: url, Err: errors.Errorf("server chose subprotocol %q, want %q", p, Subprotocol)}
	}
	ws.SetReadLimit(opt.ReadLimit)

	c := &Conn{ws: ws}
	c.stream = &wsStream{ws: ws}
	c.obfs = obfuscated2.NewObfuscated2(crypto.DefaultRand(), c.stream)
	c.stream.wctx = ctx
	tag := codec.Intermediate{}.ObfuscatedTag()
	if err := c.obfs.Handshake(tag, dc, mtproxy.Secret{}); err != nil {
		_ = ws.CloseNow()
		return nil, &DialError{URL: url, Err: errors.Wrap(err, "obfuscated2 handshake")}
	}
	c.stream.wctx = nil
	return c, nil
}

// Conn is an MTProto connection over one WebSocket.
type Conn struct {
	ws     *websocket.Conn
	stream *wsStream
	obfs   *obfuscated2.Obfuscated2

	wmu  sync.Mutex
	wbuf bytes.Buffer
	rmu  sync.Mutex

	closeOnce sync.Once
	closeErr  error
}

var _ transport.Conn = (*Conn)(nil)

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

// Close closes the WebSocket with a normal closure and waits for the
// close handshake.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		err := c.ws.Close(websocket.StatusNormalClosure, "")
		if err != nil && websocket.CloseStatus(err) == -1 && !isClosed(err) {
			c.closeErr = errors.Wrap(err, "close ws")
		}
	})
	return c.closeErr
}

// Abandon closes a WebSocket whose peer went silent: the close starts in
// the background and neither Abandon nor a later Close waits for the
// handshake, which cannot complete (a browser would hold the socket until
// its own closing timeout).
func (c *Conn) Abandon() {
	c.closeOnce.Do(func() {
		go func() { _ = c.ws.Close(websocket.StatusGoingAway, "no answer") }()
	})
}

// wsStream presents WebSocket messages as a byte stream to obfuscated2.
// Reads and writes each use the context of the Recv/Send in progress.
type wsStream struct {
	ws   *websocket.Conn
	rbuf []byte
	rctx context.Context
	wctx context.Context
}

func (s *wsStream) Read(p []byte) (int, error) {
	for len(s.rbuf) == 0 {
		ctx := s.rctx
		if ctx == nil {
			ctx = context.Background()
		}
		typ, data, err := s.ws.Read(ctx)
		if err != nil {
			if isClosed(err) {
				return 0, io.EOF
			}
			return 0, err
		}
		if typ != websocket.MessageBinary {
			return 0, errors.Errorf("unexpected %s message", typ)
		}
		s.rbuf = data
	}
	n := copy(p, s.rbuf)
	s.rbuf = s.rbuf[n:]
	return n, nil
}

func (s *wsStream) Write(p []byte) (int, error) {
	ctx := s.wctx
	if ctx == nil {
		ctx = context.Background()
	}
	if err := s.ws.Write(ctx, websocket.MessageBinary, p); err != nil {
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
