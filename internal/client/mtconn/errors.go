package mtconn

import (
	"fmt"

	"github.com/go-faster/errors"
)

// ErrClosed is what calls get once the connection has ended without a
// more specific cause.
var ErrClosed = errors.New("connection closed")

// BadMsgError reports a bad_msg_notification the session layer could not
// mend: the DC refused the message and did not process it.
type BadMsgError struct {
	Code int
}

var badMsgText = map[int]string{
	16: "msg_id too low (the client's clock is behind)",
	17: "msg_id too high (the client's clock is ahead)",
	18: "incorrect two lower order msg_id bits",
	19: "container msg_id is the same as msg_id of a previously received message",
	20: "message too old",
	32: "msg_seqno too low",
	33: "msg_seqno too high",
	34: "an even msg_seqno expected",
	35: "an odd msg_seqno expected",
	48: "incorrect server salt",
	64: "invalid container",
}

func (e *BadMsgError) Error() string {
	text, ok := badMsgText[e.Code]
	if !ok {
		text = "unknown reason"
	}
	return fmt.Sprintf("the DC refused the message: %s (bad_msg_notification %d)", text, e.Code)
}

// Time reports whether the DC refused the message's time (16 or 17).
func (e *BadMsgError) Time() bool { return e.Code == 16 || e.Code == 17 }

// TransportError is a transport error code the DC sent instead of a
// message (core.telegram.org/mtproto/mtproto-transports#transport-errors).
type TransportError struct {
	Code int32 // positive: 404, 429, 444
}

func (e *TransportError) Error() string {
	switch e.Code {
	case 404:
		return "the DC does not know the auth key (transport error -404)"
	case 429:
		return "the DC refused: too many connections or requests from this address (transport error -429)"
	case 444:
		return "the DC refused: invalid DC (transport error -444)"
	}
	return fmt.Sprintf("transport error -%d", e.Code)
}

// AnswerError reports an answer that arrived but cannot be read: the call
// was processed, so it is not a reason to send it again.
type AnswerError struct {
	Err error
}

func (e *AnswerError) Error() string { return "unreadable answer: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *AnswerError) Unwrap() error { return e.Err }

// TooBigError reports a gzip_packed object that unpacks to more than the
// limit (Options.MaxAnswer).
type TooBigError struct {
	Limit int
}

func (e *TooBigError) Error() string {
	return fmt.Sprintf("gzip_packed unpacks to more than %d bytes", e.Limit)
}
