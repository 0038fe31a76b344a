package mtconn

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/binary"
	"sync"
	"testing"
	"time"

	"github.com/gotd/neo"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/clock"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/mt"
	"github.com/gotd/td/proto"
	"github.com/gotd/td/proto/codec"
	"github.com/stretchr/testify/require"
)

// The DC's side of a session, scripted by each test: what the client
// sends is decrypted and read with gotd's own types (proto's container,
// mt's service messages: the oracles of this package's encodings), and
// what the test answers is encrypted with gotd's server cipher. Time is a
// fake clock that moves only when a test travels it.

// pipe is an in-memory Transport. A 4-byte frame from the peer is a
// transport error code, as internal/transport reports one.
type pipe struct {
	toPeer   chan []byte
	toClient chan []byte
	gone     chan struct{}
	goneOnce sync.Once
}

func newPipe() *pipe {
	return &pipe{toPeer: make(chan []byte, 256), toClient: make(chan []byte, 256), gone: make(chan struct{})}
}

func (p *pipe) Send(ctx context.Context, b *bin.Buffer) error {
	select {
	case p.toPeer <- bytes.Clone(b.Buf):
		return nil
	case <-p.gone:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *pipe) Recv(ctx context.Context, b *bin.Buffer) error {
	select {
	case f := <-p.toClient:
		if len(f) == 4 {
			return &codec.ProtocolErr{Code: -int32(binary.LittleEndian.Uint32(f))}
		}
		b.ResetTo(f)
		return nil
	case <-p.gone:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *pipe) close() { p.goneOnce.Do(func() { close(p.gone) }) }

// sent is one message the client sent, as the DC reads it.
type sent struct {
	salt, session, id int64
	seq               int32
	container         int64 // the container it came in; 0 alone
	body              []byte
}

func (s sent) typ() uint32 {
	id, _ := (&bin.Buffer{Buf: s.body}).PeekID()
	return id
}

// watchedClock is the fake clock; it reports every timer set on it.
type watchedClock struct {
	*neo.Time
	set chan time.Duration
}

func (w *watchedClock) Timer(d time.Duration) clock.Timer {
	t := w.Time.Timer(d)
	select {
	case w.set <- d:
	default:
	}
	return t
}

type peer struct {
	t      *testing.T
	c      *Conn
	p      *pipe
	key    crypto.AuthKey
	cipher crypto.Cipher
	clock  *watchedClock
	lastID int64
	queue  []sent
	acked  map[int64]bool // what the client acknowledged so far
	logs   chan string
	run    chan error // Run's result
	cancel context.CancelFunc
}

var epoch = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// start runs a Conn against a scripted peer.
func start(t *testing.T, opts ...func(*Options)) *peer {
	t.Helper()
	var raw crypto.Key
	_, _ = rand.Read(raw[:])
	h := &peer{
		t:      t,
		p:      newPipe(),
		key:    raw.WithID(),
		cipher: crypto.NewServerCipher(rand.Reader),
		clock:  &watchedClock{Time: neo.NewTime(epoch), set: make(chan time.Duration, 1024)},
		acked:  map[int64]bool{},
		logs:   make(chan string, 1024),
		run:    make(chan error, 1),
	}
	o := Options{
		Key:          h.key,
		Salt:         7,
		Clock:        h.clock,
		PingInterval: time.Hour, // tests of the keep-alive set their own
		Log: func(level, message string) {
			t.Logf("%s: %s", level, message)
			select {
			case h.logs <- level + ": " + message:
			default:
			}
		},
	}
	for _, f := range opts {
		f(&o)
	}
	c, err := New(h.p, o)
	require.NoError(t, err)
	h.c = c
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() {
		h.run <- c.Run(ctx, func(ctx context.Context) error {
			<-ctx.Done()
			return nil
		})
	}()
	t.Cleanup(func() {
		cancel()
		h.p.close()
	})
	return h
}

// next returns the next message the client sent (the messages of a
// container one by one), acknowledgements included.
func (h *peer) next() sent {
	h.t.Helper()
	for len(h.queue) == 0 {
		var f []byte
		select {
		case f = <-h.p.toPeer:
		case <-time.After(time.Minute):
			h.t.Fatal("the client sent nothing")
		}
		data, err := h.cipher.DecryptFromBuffer(h.key, &bin.Buffer{Buf: f})
		require.NoError(h.t, err, "the DC decrypts the client's frame")
		body := data.Data()
		if id, _ := (&bin.Buffer{Buf: body}).PeekID(); id == proto.MessageContainerTypeID {
			var c proto.MessageContainer
			require.NoError(h.t, c.Decode(&bin.Buffer{Buf: body}), "gotd reads the container")
			require.LessOrEqual(h.t, len(c.Messages), maxContainerMessages)
			require.Equal(h.t, int32(0), data.SeqNo&1, "a container is not content-related")
			for _, m := range c.Messages {
				require.Less(h.t, m.ID, data.MessageID, "a container's id is above its messages'")
				h.queue = append(h.queue, sent{salt: data.Salt, session: data.SessionID, id: m.ID, seq: int32(m.SeqNo), container: data.MessageID, body: m.Body})
			}
			continue
		}
		h.queue = append(h.queue, sent{salt: data.Salt, session: data.SessionID, id: data.MessageID, seq: data.SeqNo, body: body})
	}
	s := h.queue[0]
	h.queue = h.queue[1:]
	require.Zero(h.t, s.id&3, "a client's msg_id is divisible by 4")
	require.Equal(h.t, proto.MessageFromClient, proto.MessageID(s.id).Type(), "gotd reads it as a client's")
	if s.typ() == mt.MsgsAckTypeID {
		var a mt.MsgsAck
		require.NoError(h.t, a.Decode(&bin.Buffer{Buf: s.body}))
		for _, id := range a.MsgIDs {
			h.acked[id] = true
		}
	}
	return s
}

// nextContent returns the next message that is not an acknowledgement.
func (h *peer) nextContent() sent {
	h.t.Helper()
	for {
		if s := h.next(); s.typ() != mt.MsgsAckTypeID {
			require.Equal(h.t, int32(1), s.seq&1, "a content message has an odd seqno")
			return s
		}
	}
}

// id makes a server msg_id with gotd's rule: 1 modulo 4 for an answer,
// 3 otherwise; above every id the peer sent before.
func (h *peer) id(answer bool) int64 {
	typ := proto.MessageFromServer
	if answer {
		typ = proto.MessageServerResponse
	}
	id := int64(proto.NewMessageID(h.clock.Now(), typ))
	for id <= h.lastID {
		id += 4
	}
	h.lastID = id
	return id
}

// sendRaw sends body as message id of session.
func (h *peer) sendRaw(session, id int64, body []byte) {
	h.t.Helper()
	var b bin.Buffer
	require.NoError(h.t, h.cipher.Encrypt(h.key, crypto.EncryptedMessageData{
		SessionID:              session,
		MessageID:              id,
		SeqNo:                  1,
		MessageDataLen:         int32(len(body)),
		MessageDataWithPadding: body,
	}, &b))
	h.p.toClient <- b.Buf
}

// send sends body in the session s came in, with a new msg_id; it
// returns the id.
func (h *peer) send(s sent, body []byte) int64 {
	h.t.Helper()
	id := h.id(true)
	h.sendRaw(s.session, id, body)
	return id
}

// answer answers request s with result.
func (h *peer) answer(s sent, result bin.Encoder) int64 {
	h.t.Helper()
	return h.send(s, rpcResult(s.id, enc(result)))
}

// call starts a call of body on the client; its result arrives on the
// channel.
func (h *peer) call(body []byte) <-chan answer {
	ch := make(chan answer, 1)
	go func() {
		data, err := h.c.call(context.Background(), &out{body: body, content: true, call: true})
		ch <- answer{data: data, err: err}
	}()
	return ch
}

// waitTimer waits until a timer of d is set on the clock.
func (h *peer) waitTimer(d time.Duration) {
	h.t.Helper()
	for {
		select {
		case got := <-h.clock.set:
			if got == d {
				return
			}
		case <-time.After(time.Minute):
			h.t.Fatalf("no timer of %s was set", d)
		}
	}
}

// waitLog waits for a diagnostic containing text.
func (h *peer) waitLog(text string) {
	h.t.Helper()
	for {
		select {
		case l := <-h.logs:
			if bytes.Contains([]byte(l), []byte(text)) {
				return
			}
		case <-time.After(time.Minute):
			h.t.Fatalf("no diagnostic says %q", text)
		}
	}
}

func enc(e bin.Encoder) []byte {
	var b bin.Buffer
	if err := e.Encode(&b); err != nil {
		panic(err)
	}
	return b.Buf
}

func rpcResult(req int64, result []byte) []byte {
	var b bin.Buffer
	b.PutID(idRPCResult)
	b.PutLong(req)
	b.Put(result)
	return b.Buf
}

func gzipped(body []byte) []byte {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	_, _ = w.Write(body)
	_ = w.Close()
	var b bin.Buffer
	b.PutID(idGzip)
	b.PutBytes(z.Bytes())
	return b.Buf
}

// containerOf packs server messages with gotd's encoder.
func (h *peer) containerOf(bodies ...[]byte) []byte {
	var c proto.MessageContainer
	for _, body := range bodies {
		c.Messages = append(c.Messages, proto.Message{ID: h.id(true), SeqNo: 1, Bytes: len(body), Body: body})
	}
	return enc(&c)
}

// raw is a TL value that encodes to fixed bytes.
type raw []byte

func (r raw) Encode(b *bin.Buffer) error { b.Put(r); return nil }

// userAnswer stands for an API answer: what the client reads is opaque to
// the session layer.
var userAnswer = raw{0x15, 0xc4, 0xb5, 0x1c, 0, 0, 0, 0} // vector, empty
