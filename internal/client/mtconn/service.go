package mtconn

import (
	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/mt"
)

// The service messages (core.telegram.org/mtproto/service_messages and
// service_messages_about_messages): what the DC says about the messages
// it got, and what it asks about the ones it sent.

// onPong hands a pong to the ping that waits for it.
func (c *Conn) onPong(b *bin.Buffer) error {
	var p mt.Pong
	if err := p.Decode(b); err != nil {
		return err
	}
	c.mu.Lock()
	m := c.sent[p.MsgID]
	delete(c.sent, p.MsgID)
	c.mu.Unlock()
	if m == nil {
		c.logf("debug", "dropped a pong to message %x, which nothing waits for", p.MsgID)
		return nil
	}
	m.done <- answer{data: encode(&p)}
	return nil
}

// onBadServerSalt takes the new salt and sends the refused message again.
func (c *Conn) onBadServerSalt(b *bin.Buffer) error {
	var s mt.BadServerSalt
	if err := s.Decode(b); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.salt = s.NewServerSalt
	c.logf("debug", "the DC gave a new server salt; sending message %x again", s.BadMsgID)
	c.resendLocked(s.BadMsgID, &BadMsgError{Code: 48})
	return nil
}

// onBadMsg mends what bad_msg_notification reports where the protocol
// says how: 16/17 (the clock, corrected by now from this very message,
// see Options.ServerTime) and 19/20/48 send the message again; 32/33 (the
// session's seqno is off) start a new session. Anything else is the
// client's own mistake and fails the message.
func (c *Conn) onBadMsg(b *bin.Buffer) error {
	var n mt.BadMsgNotification
	if err := n.Decode(b); err != nil {
		return err
	}
	refusal := &BadMsgError{Code: n.ErrorCode}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch n.ErrorCode {
	case 16, 17:
		if c.clockBehind() {
			// The correction moved the clock back: identifiers from it
			// are below this session's, so only a new session takes them.
			c.logf("info", "%v; sending it again in a new session with the corrected clock", refusal)
			c.resetSessionLocked()
			c.resendWhereLocked(func(*out) bool { return true })
			return nil
		}
		c.logf("info", "%v; sending it again with the corrected clock", refusal)
		c.resendLocked(n.BadMsgID, refusal)
	case 19, 20, 48:
		c.logf("info", "%v; sending it again", refusal)
		c.resendLocked(n.BadMsgID, refusal)
	case 32, 33:
		c.logf("warn", "%v; starting a new session", refusal)
		c.resetSessionLocked()
		c.resendWhereLocked(func(*out) bool { return true })
	default:
		c.logf("warn", "%v", refusal)
		c.failLocked(n.BadMsgID, refusal)
	}
	return nil
}

// resetSessionLocked starts a new session on this connection: a new id,
// seqno from zero, identifiers from the clock again. Messages of the old
// one are still read. Called with c.mu held.
func (c *Conn) resetSessionLocked() {
	id, err := crypto.NewSessionID(c.opt.Rand)
	if err != nil {
		id = c.session + 1 // the random source failed; any other id will do
	}
	c.session, c.contentSent, c.lastID = id, 0, 0
	c.sessions[id] = true
}

// onNewSession takes the salt. The first new_session_created of a session
// only says the DC made it; a second one says the DC lost it and made it
// again, and whatever was sent in it before first_msg_id is sent again.
func (c *Conn) onNewSession(session int64, b *bin.Buffer) error {
	var s mt.NewSessionCreated
	if err := s.Decode(b); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.salt = s.ServerSalt
	if !c.announced[session] {
		c.announced[session] = true
		c.logf("debug", "the DC made session %x", session)
		return nil
	}
	c.logf("info", "the DC made session %x again; sending what it lost", session)
	c.resendWhereLocked(func(m *out) bool { return m.session == session && m.id < s.FirstMsgID })
	return nil
}

// onStateReq answers msgs_state_req about messages the DC sent us.
func (c *Conn) onStateReq(id int64, b *bin.Buffer) error {
	var r mt.MsgsStateReq
	if err := r.Decode(b); err != nil {
		return err
	}
	c.mu.Lock()
	info := make([]byte, len(r.MsgIDs))
	lo, hi := c.recent.bounds()
	for i, q := range r.MsgIDs {
		switch {
		case c.recent.has(q):
			info[i] = 4 // received
		case q < lo:
			info[i] = 1 // nothing known: too old
		case q > hi:
			info[i] = 3 // not received: too new
		default:
			info[i] = 2 // not received
		}
	}
	c.outbox = append(c.outbox, &out{body: encode(&mt.MsgsStateInfo{ReqMsgID: id, Info: info}), content: true})
	c.mu.Unlock()
	c.signal(c.wake)
	return nil
}

// errAskedAgain fails a message the DC asked for too many times.
var errAskedAgain = errors.New("the DC asked for the message again too many times")

// onResendReq sends again the messages the DC asks for that still wait
// for an answer; what it asks for beyond those is ignored.
func (c *Conn) onResendReq(b *bin.Buffer) error {
	var r mt.MsgResendReq
	if err := r.Decode(b); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range r.MsgIDs {
		c.resendLocked(id, errAskedAgain)
	}
	return nil
}

// onDetailedInfo: the DC says an answer of its went out. Received, it is
// acknowledged again; otherwise it is asked for.
func (c *Conn) onDetailedInfo(b *bin.Buffer) error {
	var answerID int64
	typ, _ := b.PeekID()
	if typ == mt.MsgDetailedInfoTypeID {
		var d mt.MsgDetailedInfo
		if err := d.Decode(b); err != nil {
			return err
		}
		answerID = d.AnswerMsgID
	} else {
		var d mt.MsgNewDetailedInfo
		if err := d.Decode(b); err != nil {
			return err
		}
		answerID = d.AnswerMsgID
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.recent.has(answerID) {
		c.ackLocked(answerID)
		return nil
	}
	c.outbox = append(c.outbox, &out{body: encode(&mt.MsgResendReq{MsgIDs: []int64{answerID}}), content: true})
	c.signal(c.wake)
	return nil
}
