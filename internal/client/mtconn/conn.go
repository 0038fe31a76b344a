// Package mtconn is tgwasm's MTProto session layer: encrypted messages on
// one connection with an auth key, built on gotd's primitives (crypto for
// MTProto 2.0 encryption, bin for TL, mt for the service messages, tgerr
// for RPC errors).
//
// A Conn numbers messages (msg_id from the corrected clock, seqno),
// packs what waits to be sent into containers, acknowledges what the DC
// sends (in batches, or with the next message), reads containers,
// gzip_packed objects and rpc_result/rpc_error, and answers or mends the
// service messages: bad_server_salt (the new salt, and the message sent
// again), bad_msg_notification (a clock corrected and the message sent
// again; a new session where the protocol asks for one; an error
// otherwise), new_session_created, msgs_state_req, msg_resend_req and
// msg_detailed_info. Pings come two ways: ping_delay_disconnect every
// PingInterval as a keep-alive, and Ping for the client's probes.
// Anything else the DC sends (updates, or constructors this client's
// reduced schema lacks) is acknowledged and dropped.
//
// One concern per file: msgid.go (identifiers and seqno), wire.go
// (containers, gzip), send.go (the outbox and the writer), recv.go (the
// reader and dispatch), service.go (service messages), ping.go.
package mtconn

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/clock"
	"github.com/gotd/td/crypto"
)

// Transport carries MTProto frames: internal/transport's Conn, or a fake.
// Recv returns when its context ends; a transport error code arrives as
// gotd's *codec.ProtocolErr.
type Transport interface {
	Send(ctx context.Context, b *bin.Buffer) error
	Recv(ctx context.Context, b *bin.Buffer) error
}

// Options configures a Conn.
type Options struct {
	// Key is the auth key; Salt the first server salt (0 when unknown:
	// the DC answers bad_server_salt with the right one).
	Key  crypto.AuthKey
	Salt int64

	// Clock gives message identifiers their time (the client's clock as
	// corrected by the server) and runs every timer; clock.System if nil.
	Clock clock.Clock
	// ServerTime, when set, hears the server's clock from every message
	// that decrypted under the key, before anything else reads it.
	ServerTime func(time.Time)
	// Rand is the random source (session ids, ping ids, padding).
	Rand io.Reader

	// PingInterval is the keep-alive period (15 s): a ping_delay_disconnect
	// asking the DC to close the connection when the next one is
	// PingInterval+PingTimeout late. A pong later than PingTimeout (10 s)
	// ends the connection.
	PingInterval, PingTimeout time.Duration
	// AckDelay is how long acknowledgements wait for a message to travel
	// with before they go on their own (500 ms).
	AckDelay time.Duration
	// MaxAnswer bounds what a gzip_packed object may unpack to (16 MiB,
	// the transport's largest frame).
	MaxAnswer int

	// Init is the head of invokeWithLayer(layer, initConnection(...)), to
	// which a request's own bytes complete it: every request of a session
	// goes out wrapped in it until the DC answered one that was (the DC
	// learns the layer and the device per session). Nil: requests go as
	// they are.
	Init []byte

	// Log hears diagnostics: level is "debug", "info" or "warn".
	Log func(level, message string)
}

func (o *Options) setDefaults() {
	if o.Clock == nil {
		o.Clock = clock.System
	}
	if o.Rand == nil {
		o.Rand = crypto.DefaultRand()
	}
	if o.PingInterval <= 0 {
		o.PingInterval = 15 * time.Second
	}
	if o.PingTimeout <= 0 {
		o.PingTimeout = 10 * time.Second
	}
	if o.AckDelay <= 0 {
		o.AckDelay = 500 * time.Millisecond
	}
	if o.MaxAnswer <= 0 {
		o.MaxAnswer = 16 << 20
	}
}

// Conn is an MTProto session on one connection. Invoke and Ping may be
// called from any goroutine once Run has started; they fail once it ended.
type Conn struct {
	t      Transport
	opt    Options
	cipher crypto.Cipher

	wake chan struct{} // the writer has something to send now
	arm  chan struct{} // acknowledgements wait: the writer sets its timer

	mu          sync.Mutex
	err         error // why the connection ended; nil while it runs
	salt        int64
	session     int64
	sessions    map[int64]bool // every session id this connection used
	announced   map[int64]bool // sessions whose new_session_created came
	inited      map[int64]bool // sessions whose DC read Options.Init
	lastID      int64
	contentSent int32
	outbox      []*out
	sent        map[int64]*out // sent messages that wait for an answer, by msg_id
	acks        []int64
	recent      recentIDs
}

// out is a message to send: a call, a ping, an answer to the DC.
type out struct {
	body    []byte
	content bool        // content-related: it counts in seqno
	call    bool        // an API request: Options.Init may wrap it
	done    chan answer // nil: nothing waits for an answer
	resends int         // times it was sent again

	// Set when sent (under Conn.mu).
	id        int64
	session   int64
	container int64
	wrapped   bool // it went out wrapped in Options.Init
}

type answer struct {
	data []byte
	err  error
}

// New returns a Conn speaking over t.
func New(t Transport, opt Options) (*Conn, error) {
	opt.setDefaults()
	session, err := crypto.NewSessionID(opt.Rand)
	if err != nil {
		return nil, errors.Wrap(err, "session id")
	}
	return &Conn{
		t:         t,
		opt:       opt,
		cipher:    crypto.NewClientCipher(opt.Rand),
		wake:      make(chan struct{}, 1),
		arm:       make(chan struct{}, 1),
		salt:      opt.Salt,
		session:   session,
		sessions:  map[int64]bool{session: true},
		announced: map[int64]bool{},
		inited:    map[int64]bool{},
		sent:      map[int64]*out{},
		recent:    newRecentIDs(recentWindow),
	}, nil
}

// errServed ends the loops when serve returned.
var errServed = errors.New("served")

// Run reads and writes the connection and keeps it alive while serve
// runs. It returns serve's result when serve returns first; otherwise
// why the connection ended: a failed read or write, a transport error,
// a keep-alive left unanswered, or ctx's end. Every call still waiting
// then fails with that error. The transport is the caller's to close: a
// write in progress ends with it.
func (c *Conn) Run(ctx context.Context, serve func(context.Context) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	for _, loop := range []func(context.Context) error{c.readLoop, c.writeLoop, c.keepAlive} {
		go func() {
			if err := loop(ctx); err != nil {
				cancel(err)
			}
		}()
	}
	served := make(chan error, 1)
	go func() { served <- serve(ctx) }()

	var result error
	servedFirst := false
	select {
	case result = <-served:
		servedFirst = true
		cancel(errServed)
	case <-ctx.Done():
	}
	cause := context.Cause(ctx)
	if servedFirst || cause == nil {
		cause = ErrClosed
	}
	c.end(cause)
	if servedFirst {
		return result
	}
	<-served // serve ends with ctx
	return cause
}

// end fails every message still waiting with err; later calls fail at once.
func (c *Conn) end(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	for _, m := range c.sent {
		m.done <- answer{err: err}
	}
	for _, m := range c.outbox {
		if m.done != nil {
			m.done <- answer{err: err}
		}
	}
	c.sent, c.outbox = map[int64]*out{}, nil
}

// Invoke sends a request and decodes its answer into result. An RPC error
// comes back as *tgerr.Error; an answer that cannot be read as
// *AnswerError; a refused message as *BadMsgError; the end of the
// connection as its cause.
func (c *Conn) Invoke(ctx context.Context, in bin.Encoder, result bin.Decoder) error {
	var b bin.Buffer
	if err := in.Encode(&b); err != nil {
		return errors.Wrap(err, "encode request")
	}
	data, err := c.call(ctx, &out{body: b.Buf, content: true, call: true})
	if err != nil {
		return err
	}
	if err := result.Decode(&bin.Buffer{Buf: data}); err != nil {
		return &AnswerError{Err: errors.Wrap(err, "decode")}
	}
	return nil
}

// call sends m and waits for its answer.
func (c *Conn) call(ctx context.Context, m *out) ([]byte, error) {
	m.done = make(chan answer, 1)
	if err := c.queue(m); err != nil {
		return nil, err
	}
	select {
	case a := <-m.done:
		return a.data, a.err
	case <-ctx.Done():
		c.forget(m)
		return nil, ctx.Err()
	}
}

func (c *Conn) logf(level, format string, args ...any) {
	if c.opt.Log != nil {
		c.opt.Log(level, fmt.Sprintf(format, args...))
	}
}
