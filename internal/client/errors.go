package client

import (
	"github.com/go-faster/errors"
	"github.com/gotd/td/tgerr"
)

// ErrClosed is returned by calls on a closed client.
var ErrClosed = errors.New("client is closed")

// RPCError is an error answered by the server, with the method it answered.
// It unwraps to *tgerr.Error, so tgerr.As and tgerr.Is work on it.
type RPCError struct {
	Err    *tgerr.Error
	Method string
}

func (e *RPCError) Error() string {
	return e.Err.Error() + " (caused by " + e.Method + ")"
}

// Unwrap returns the server error.
func (e *RPCError) Unwrap() error { return e.Err }

// ConnectionError reports that the DC could not be reached or the socket
// failed past retries.
type ConnectionError struct {
	Reason string
	Cause  error
}

func (e *ConnectionError) Error() string {
	if e.Cause == nil {
		return e.Reason
	}
	return e.Reason + ": " + e.Cause.Error()
}

// Unwrap returns the cause.
func (e *ConnectionError) Unwrap() error { return e.Cause }

// ArgError reports an argument rejected before anything is sent.
type ArgError struct {
	// Path names the argument, e.g. "settings.logoutTokens[2]".
	Path string
	// Reason completes the sentence "<path> <reason>".
	Reason string
	// Range is true for a value of the right type but out of range
	// (RangeError in JS), false for a wrong type (TypeError).
	Range bool
}

func (e *ArgError) Error() string { return e.Path + " " + e.Reason }
