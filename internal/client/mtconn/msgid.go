package mtconn

import "time"

// Message identifiers (core.telegram.org/mtproto/description#message-identifier-msg-id)
// carry the time they were made: the Unix time in seconds in the upper 32
// bits and a fraction of the second below. A client's are divisible by 4;
// a server's are 1 (an answer) or 3 (anything else) modulo 4. Within a
// session they only grow, and a container's id is above its messages'.

// MessageID returns a client message identifier for t.
func MessageID(t time.Time) int64 {
	return t.Unix()<<32 | int64(t.Nanosecond())&^3
}

// MessageTime returns the time a message identifier carries, to the second.
func MessageTime(id int64) time.Time { return time.Unix(id>>32, 0) }

// FromServer reports whether id has the low bits of a server message.
func FromServer(id int64) bool { return id&3 == 1 || id&3 == 3 }

// nextID returns the session's next message identifier: from the
// (corrected) clock, and above every identifier the session used.
// Called with c.mu held.
func (c *Conn) nextID() int64 {
	id := MessageID(c.opt.Clock.Now())
	if id <= c.lastID {
		id = c.lastID + 4
	}
	c.lastID = id
	return id
}

// nextSeq returns the sequence number of the session's next message:
// twice the number of content-related messages sent before it, plus one
// if it is content-related itself (it then counts). Called with c.mu held.
func (c *Conn) nextSeq(content bool) int32 {
	seq := c.contentSent * 2
	if content {
		c.contentSent++
		seq++
	}
	return seq
}

// clockBehind reports whether the clock, now corrected, would give an
// identifier the session already passed: the correction moved it back
// and only a new session can use identifiers from it. Called with c.mu held.
func (c *Conn) clockBehind() bool {
	return MessageID(c.opt.Clock.Now()) <= c.lastID
}
