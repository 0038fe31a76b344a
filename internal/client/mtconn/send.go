package mtconn

import (
	"context"
	"slices"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/clock"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/mt"
)

// What waits to be sent is sent by one writer: whatever is queued when it
// wakes goes out in one frame, in a container when there is more than one
// message. Acknowledgements travel with the next message, or on their own
// AckDelay after the first of them, or at once when maxAckBatch wait.

const (
	// maxAckBatch acknowledgements are sent without waiting.
	maxAckBatch = 32
	// maxAcksPerMessage is what one msgs_ack carries (the protocol's
	// limit is 8192).
	maxAcksPerMessage = 1024
	// maxResends bounds how often one message is sent again because the
	// DC refused it (a salt, a clock, a session): more means something
	// keeps going wrong.
	maxResends = 5
)

// queue puts m in the outbox.
func (c *Conn) queue(m *out) error {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return c.err
	}
	c.outbox = append(c.outbox, m)
	c.mu.Unlock()
	c.signal(c.wake)
	return nil
}

// forget drops m (its caller gave up): an answer that still comes is
// acknowledged and dropped.
func (c *Conn) forget(m *out) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m.id != 0 && c.sent[m.id] == m {
		delete(c.sent, m.id)
	}
	if i := slices.Index(c.outbox, m); i >= 0 {
		c.outbox = slices.Delete(c.outbox, i, i+1)
	}
}

// ack notes a message from the DC to acknowledge. Called with c.mu held.
func (c *Conn) ackLocked(id int64) {
	c.acks = append(c.acks, id)
	switch len(c.acks) {
	case 1:
		c.signal(c.arm)
	case maxAckBatch:
		c.signal(c.wake)
	}
}

func (c *Conn) signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// resendLocked puts what was sent as id (the message, or every message of
// the container id) back in the outbox, to go out with new identifiers.
// A message refused too often fails with refusal. Called with c.mu held.
func (c *Conn) resendLocked(id int64, refusal error) {
	var again []*out
	for k, m := range c.sent {
		if k != id && m.container != id {
			continue
		}
		delete(c.sent, k)
		m.resends++
		if m.resends > maxResends {
			m.done <- answer{err: refusal}
			continue
		}
		again = append(again, m)
	}
	c.requeueLocked(again)
}

// resendWhereLocked sends again every message waiting for an answer that
// pick selects. Called with c.mu held.
func (c *Conn) resendWhereLocked(pick func(*out) bool) {
	var again []*out
	for k, m := range c.sent {
		if pick(m) {
			delete(c.sent, k)
			again = append(again, m)
		}
	}
	c.requeueLocked(again)
}

// requeueLocked puts messages back at the front of the outbox, in the
// order they were first sent. Called with c.mu held.
func (c *Conn) requeueLocked(again []*out) {
	if len(again) == 0 {
		return
	}
	slices.SortFunc(again, func(a, b *out) int {
		switch {
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	for _, m := range again {
		m.id, m.container, m.session = 0, 0, 0
	}
	c.outbox = append(again, c.outbox...)
	c.signal(c.wake)
}

// failLocked ends what was sent as id (the message, or every message of
// the container id) with err. Called with c.mu held.
func (c *Conn) failLocked(id int64, err error) {
	for k, m := range c.sent {
		if k == id || m.container == id {
			delete(c.sent, k)
			m.done <- answer{err: err}
		}
	}
}

// writeLoop sends what is queued until ctx ends or a write fails.
func (c *Conn) writeLoop(ctx context.Context) error {
	var timer clock.Timer
	var fire <-chan time.Time
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-c.wake:
		case <-c.arm:
			if fire == nil {
				timer = c.opt.Clock.Timer(c.opt.AckDelay)
				fire = timer.C()
			}
			continue
		case <-fire:
			fire, timer = nil, nil
		}
		for {
			f := c.nextFrame()
			if f == nil {
				break
			}
			if err := c.send(ctx, f); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return errors.Wrap(err, "write")
			}
		}
	}
}

// frame is one encrypted message's header and body.
type frame struct {
	salt, session, id int64
	seq               int32
	body              []byte
}

// nextFrame takes what waits in the outbox (and the acknowledgements) and
// gives the messages their identifiers; nil when nothing waits.
func (c *Conn) nextFrame() *frame {
	c.mu.Lock()
	defer c.mu.Unlock()
	var msgs []*out
	size := 0
	for len(c.outbox) > 0 && len(msgs) < maxContainerMessages-1 {
		m := c.outbox[0]
		if len(msgs) > 0 && size+len(m.body) > maxContainerBytes {
			break
		}
		msgs = append(msgs, m)
		c.outbox = c.outbox[1:]
		size += len(m.body)
	}
	if len(c.acks) > 0 && size <= maxContainerBytes {
		n := min(len(c.acks), maxAcksPerMessage)
		ack := &out{body: encode(&mt.MsgsAck{MsgIDs: slices.Clone(c.acks[:n])})}
		c.acks = slices.Delete(c.acks, 0, n)
		msgs = append([]*out{ack}, msgs...)
	}
	if len(msgs) == 0 {
		return nil
	}
	items := make([]item, len(msgs))
	for i, m := range msgs {
		m.id, m.session = c.nextID(), c.session
		body := m.body
		m.wrapped = m.call && c.opt.Init != nil && !c.inited[c.session]
		if m.wrapped {
			body = append(slices.Clip(c.opt.Init), m.body...)
		}
		items[i] = item{id: m.id, seq: c.nextSeq(m.content), body: body}
		if m.done != nil {
			c.sent[m.id] = m
		}
	}
	f := &frame{salt: c.salt, session: c.session}
	if len(items) == 1 {
		f.id, f.seq, f.body = items[0].id, items[0].seq, items[0].body
		return f
	}
	f.id, f.seq = c.nextID(), c.nextSeq(false)
	for _, m := range msgs {
		m.container = f.id
	}
	var b bin.Buffer
	putContainer(&b, items)
	f.body = b.Buf
	return f
}

// send encrypts f and writes it.
func (c *Conn) send(ctx context.Context, f *frame) error {
	var b bin.Buffer
	if err := c.cipher.Encrypt(c.opt.Key, crypto.EncryptedMessageData{
		Salt:                   f.salt,
		SessionID:              f.session,
		MessageID:              f.id,
		SeqNo:                  f.seq,
		MessageDataLen:         int32(len(f.body)),
		MessageDataWithPadding: f.body,
	}, &b); err != nil {
		return errors.Wrap(err, "encrypt")
	}
	return c.t.Send(ctx, &b)
}
