package mtconn

import (
	"context"
	"strings"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/mt"
	"github.com/gotd/td/proto/codec"
	"github.com/gotd/td/tgerr"
)

// readLoop reads frames until ctx ends or the transport fails.
func (c *Conn) readLoop(ctx context.Context) error {
	b := new(bin.Buffer)
	for {
		b.Reset()
		if err := c.t.Recv(ctx, b); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var pe *codec.ProtocolErr
			if errors.As(err, &pe) {
				return &TransportError{Code: pe.Code}
			}
			return errors.Wrap(err, "read")
		}
		c.receive(b)
	}
}

// receive decrypts one frame and handles the message in it. A frame that
// does not decrypt under the key, or belongs to no session of this
// connection, is dropped: nobody else can make one that does.
func (c *Conn) receive(b *bin.Buffer) {
	data, err := c.cipher.DecryptFromBuffer(c.opt.Key, b)
	if err != nil {
		c.logf("warn", "dropped a frame that does not decrypt: %v", err)
		return
	}
	c.mu.Lock()
	ours := c.sessions[data.SessionID]
	c.mu.Unlock()
	if !ours {
		c.logf("warn", "dropped a message of session %x, not this connection's", data.SessionID)
		return
	}
	if c.opt.ServerTime != nil {
		c.opt.ServerTime(MessageTime(data.MessageID))
	}
	c.handle(data.SessionID, data.MessageID, data.Data(), false)
}

// handle handles one message: a container's messages one by one, a
// gzip_packed message unpacked, anything else acknowledged (unless it is
// an acknowledgement itself) and dispatched. A message seen before is
// acknowledged again and not handled twice.
func (c *Conn) handle(session, id int64, body []byte, inContainer bool) {
	if !FromServer(id) {
		c.logf("warn", "dropped a message whose msg_id %x is not a server's", id)
		return
	}
	b := &bin.Buffer{Buf: body}
	typ, err := b.PeekID()
	if err != nil {
		c.logf("warn", "dropped an empty message %x", id)
		return
	}
	switch typ {
	case idContainer:
		if inContainer {
			c.logf("warn", "dropped a container inside a container (msg_id %x)", id)
			return
		}
		_ = b.ConsumeID(idContainer)
		items, err := readContainer(b)
		if err != nil {
			c.logf("warn", "dropped a container that does not decode: %v", err)
			return
		}
		for _, it := range items {
			c.handle(session, it.id, it.body, true)
		}
		return
	case idGzip:
		unpacked, err := unpackGzip(body, c.opt.MaxAnswer)
		if err != nil {
			c.logf("warn", "dropped message %x: %v", id, err)
			c.mu.Lock()
			c.ackLocked(id) // received: the DC need not send it again
			c.mu.Unlock()
			return
		}
		if inner, err := (&bin.Buffer{Buf: unpacked}).PeekID(); err == nil && inner == idGzip {
			c.logf("warn", "dropped message %x: gzip_packed inside gzip_packed", id)
			c.mu.Lock()
			c.ackLocked(id)
			c.mu.Unlock()
			return
		}
		c.handle(session, id, unpacked, inContainer)
		return
	}

	c.mu.Lock()
	dup := !c.recent.add(id)
	if typ != mt.MsgsAckTypeID {
		c.ackLocked(id)
	}
	c.mu.Unlock()
	if dup {
		c.logf("debug", "message %x came again; acknowledged, not handled twice", id)
		return
	}
	c.dispatch(session, id, typ, b)
}

// dispatch handles one message by its constructor.
func (c *Conn) dispatch(session, id int64, typ uint32, b *bin.Buffer) {
	var err error
	switch typ {
	case idRPCResult:
		err = c.onResult(b)
	case mt.PongTypeID:
		err = c.onPong(b)
	case mt.BadServerSaltTypeID:
		err = c.onBadServerSalt(b)
	case mt.BadMsgNotificationTypeID:
		err = c.onBadMsg(b)
	case mt.NewSessionCreatedTypeID:
		err = c.onNewSession(session, b)
	case mt.MsgsStateReqTypeID:
		err = c.onStateReq(id, b)
	case mt.MsgResendReqTypeID:
		err = c.onResendReq(b)
	case mt.MsgDetailedInfoTypeID, mt.MsgNewDetailedInfoTypeID:
		err = c.onDetailedInfo(b)
	case mt.MsgsAckTypeID, mt.MsgsAllInfoTypeID, mt.FutureSaltsTypeID,
		mt.DestroySessionOkTypeID, mt.DestroySessionNoneTypeID:
		// Nothing to do: the answers are what calls wait for.
	default:
		// Updates, and whatever this client's schema does not know.
		c.logf("debug", "acknowledged and dropped a %#08x the client does not read", typ)
	}
	if err != nil {
		c.logf("warn", "dropped message %x (%#08x) that does not decode: %v", id, typ, err)
	}
}

// onResult hands an rpc_result to the call that waits for it.
func (c *Conn) onResult(b *bin.Buffer) error {
	_ = b.ConsumeID(idRPCResult)
	req, err := b.Long()
	if err != nil {
		return err
	}
	c.mu.Lock()
	m := c.sent[req]
	delete(c.sent, req)
	c.mu.Unlock()
	if m == nil {
		c.logf("debug", "dropped an answer to message %x, which nothing waits for", req)
		return nil
	}
	a := c.readResult(b.Buf)
	if c.initAnswered(m, a) {
		m.done <- a
	}
	return nil
}

// initAnswered notes what an answer says about Options.Init: a wrapped
// request answered with anything but a CONNECTION_ error means the DC
// read it; CONNECTION_NOT_INITED to one that was not wrapped means the DC
// lost the session's, and the request goes again, wrapped. It reports
// whether the answer is the call's.
func (c *Conn) initAnswered(m *out, a answer) bool {
	e, rpc := tgerr.As(a.err)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case m.wrapped && (!rpc || !strings.HasPrefix(e.Type, "CONNECTION_")):
		c.inited[m.session] = true
	case !m.wrapped && rpc && e.Type == "CONNECTION_NOT_INITED" && c.opt.Init != nil && m.resends < maxResends:
		c.logf("info", "the DC asks for initConnection again; sending the request wrapped in it")
		c.inited[m.session] = false
		m.resends++
		c.requeueLocked([]*out{m})
		return false
	}
	return true
}

// readResult reads rpc_result's object: an rpc_error, or the answer,
// either perhaps gzip_packed.
func (c *Conn) readResult(raw []byte) answer {
	data, err := unpackGzip(raw, c.opt.MaxAnswer)
	if err != nil {
		return answer{err: &AnswerError{Err: err}}
	}
	b := &bin.Buffer{Buf: data}
	if id, err := b.PeekID(); err == nil && id == mt.RPCErrorTypeID {
		var e mt.RPCError
		if err := e.Decode(b); err != nil {
			return answer{err: &AnswerError{Err: errors.Wrap(err, "rpc_error")}}
		}
		return answer{err: tgerr.New(e.ErrorCode, e.ErrorMessage)}
	}
	return answer{data: data}
}

// recentWindow is how many message identifiers from the DC are
// remembered to tell a message that comes again.
const recentWindow = 1024

// recentIDs remembers the last identifiers received.
type recentIDs struct {
	ring []int64
	next int
	set  map[int64]bool
}

func newRecentIDs(n int) recentIDs {
	return recentIDs{ring: make([]int64, 0, n), set: make(map[int64]bool, n)}
}

// add records id; false when it was there already.
func (r *recentIDs) add(id int64) bool {
	if r.set[id] {
		return false
	}
	if len(r.ring) < cap(r.ring) {
		r.ring = append(r.ring, id)
	} else {
		delete(r.set, r.ring[r.next])
		r.ring[r.next] = id
		r.next = (r.next + 1) % len(r.ring)
	}
	r.set[id] = true
	return true
}

func (r *recentIDs) has(id int64) bool { return r.set[id] }

// bounds returns the lowest and highest identifier remembered.
func (r *recentIDs) bounds() (lo, hi int64) {
	for i, id := range r.ring {
		if i == 0 || id < lo {
			lo = id
		}
		if i == 0 || id > hi {
			hi = id
		}
	}
	return lo, hi
}
