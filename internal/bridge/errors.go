package bridge

import (
	"context"
	"strconv"
	"strings"

	"github.com/go-faster/errors"
	"github.com/gotd/td/tgerr"

	"github.com/tgwasm/tgwasm/internal/client"
)

// ErrorInfo describes a rejection; web/tgwasm/errors.js turns it into an instance
// of the matching error class (it crosses postMessage in worker mode).
type ErrorInfo struct {
	// Name is the class: RPCError, TimeoutError, ConnectionError,
	// AbortError, TypeError, RangeError or Error.
	Name    string
	Message string
	// RPCError fields.
	Code         int
	ErrorMessage string
	Seconds      int
	HasSeconds   bool
	Method       string
	// TimeoutError: the limit in milliseconds.
	Timeout int
	// ConnectionError: the underlying cause.
	Cause string
}

// ErrAborted is the cause of a context cancelled by an AbortSignal.
var ErrAborted = errors.New("aborted")

// waitTypes carry a number of seconds to wait in their argument.
func isWait(typ string) bool {
	return strings.HasSuffix(typ, "_WAIT") || typ == "FLOOD_WAIT" || strings.HasPrefix(typ, "FLOOD_")
}

// RPCMessage is GramJS's RPCError message: "420: FLOOD_WAIT (caused by
// account.sendChangePhoneCode)".
func RPCMessage(code int, errorMessage, method string) string {
	return strconv.Itoa(code) + ": " + errorMessage + " (caused by " + method + ")"
}

// DescribeError maps an error of a call to what the page receives.
// timeoutMS is the call's limit, reported by TimeoutError. ctx is the
// call's context (Background for errors before the call): its cause tells
// an abort from a timeout.
func DescribeError(ctx context.Context, err error, method string, timeoutMS int) ErrorInfo {
	var argErr *client.ArgError
	if errors.As(err, &argErr) {
		name := "TypeError"
		if argErr.Range {
			name = "RangeError"
		}
		return ErrorInfo{Name: name, Message: argErr.Error()}
	}
	var rpc *client.RPCError
	if errors.As(err, &rpc) {
		return rpcInfo(rpc.Err, rpc.Method)
	}
	if te, ok := tgerr.As(err); ok {
		return rpcInfo(te, method)
	}
	if errors.Is(context.Cause(ctx), ErrAborted) {
		return ErrorInfo{Name: "AbortError", Message: "The operation was aborted."}
	}
	var connErr *client.ConnectionError
	if errors.As(err, &connErr) {
		info := ErrorInfo{Name: "ConnectionError", Message: connErr.Reason}
		if connErr.Cause != nil {
			info.Cause = connErr.Cause.Error()
			if errors.Is(connErr.Cause, context.DeadlineExceeded) {
				info.Message += " within " + strconv.Itoa(timeoutMS) + " ms"
			}
		}
		return info
	}
	if errors.Is(err, client.ErrClosed) {
		return ErrorInfo{Name: "ConnectionError", Message: "the client is closed"}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ErrorInfo{Name: "TimeoutError", Message: method + " timed out after " + strconv.Itoa(timeoutMS) + " ms", Timeout: timeoutMS}
	}
	if errors.Is(err, context.Canceled) {
		return ErrorInfo{Name: "AbortError", Message: "The operation was aborted."}
	}
	return ErrorInfo{Name: "Error", Message: method + ": " + err.Error()}
}

func rpcInfo(e *tgerr.Error, method string) ErrorInfo {
	typ := e.Type
	if typ == "" {
		typ = e.Message
	}
	info := ErrorInfo{
		Name:         "RPCError",
		Code:         e.Code,
		ErrorMessage: typ,
		Method:       method,
		Message:      RPCMessage(e.Code, typ, method),
	}
	if isWait(typ) && e.Type != e.Message {
		info.Seconds = e.Argument
		info.HasSeconds = true
	}
	return info
}

// Object renders the info as the plain object the JS wrapper expects.
func (e ErrorInfo) Object() *Object {
	o := &Object{}
	o.Set("name", e.Name)
	o.Set("message", e.Message)
	switch e.Name {
	case "RPCError":
		o.Set("code", e.Code)
		o.Set("errorMessage", e.ErrorMessage)
		o.Set("method", e.Method)
		if e.HasSeconds {
			o.Set("seconds", e.Seconds)
		}
	case "TimeoutError":
		o.Set("timeout", e.Timeout)
	case "ConnectionError":
		if e.Cause != "" {
			o.Set("cause", e.Cause)
		}
	}
	return o
}
