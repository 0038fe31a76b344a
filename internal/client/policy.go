package client

import (
	"strconv"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/tgerr"

	"github.com/tgwasm/tgwasm/internal/client/mtconn"
)

// The invoke policy as a pure function: what to do with the outcome of
// one attempt to send a call. Invoke (invoke.go) carries the decision
// out; the table in policy_test.go pins every rule.

// outcome is what one attempt came to, and what the policy needs to know
// about the call and the client.
type outcome struct {
	Method     string
	Err        error // nil: the call succeeded
	Idempotent bool  // the method may be sent again
	// KeyLost: the connection's DC answered -404, so nothing sent on it
	// was processed.
	KeyLost bool
	// CallDone is the caller's context error (deadline or cancel), if any.
	CallDone error
	Closed   bool // the client was closed

	Migrations, Replays int
	FloodSleep          time.Duration // FloodSleepThreshold
	// Remaining is the time left before the call's deadline; negative
	// when it has none.
	Remaining time.Duration
}

// step is what Invoke does next.
type step int

const (
	stepReturn  step = iota // return decision.Err (nil: success)
	stepSleep               // sleep decision.Wait, then send again
	stepMigrate             // make decision.DC the primary DC, then send again
	stepReplay              // drop the connection, send again on the next one
)

type decision struct {
	Step step
	Err  error
	Wait time.Duration
	DC   int
	// Drop: the connection failed under the call; end it (stepReplay
	// always drops).
	Drop bool
}

// maxMigrations bounds *_MIGRATE redirects for one call, maxReplays the
// times one call is sent again after its connection failed. (An
// idempotent call is otherwise replayed until its deadline: the cap only
// stops a request that breaks every connection it is sent on.)
const (
	maxMigrations = 3
	maxReplays    = 100
)

// decide is the policy.
func decide(o outcome) decision {
	if o.Err == nil {
		return decision{Step: stepReturn}
	}
	if rpcErr, ok := tgerr.As(o.Err); ok {
		if wait, ok := floodWait(rpcErr); ok && wait <= o.FloodSleep && (o.Remaining < 0 || o.Remaining > wait) {
			// A FLOOD_WAIT that outlasts the deadline is returned at
			// once rather than slept into a timeout.
			return decision{Step: stepSleep, Wait: wait}
		}
		if dc, ok := migrateDC(rpcErr); ok && o.Migrations < maxMigrations {
			return decision{Step: stepMigrate, DC: dc}
		}
		return decision{Step: stepReturn, Err: &RPCError{Err: rpcErr, Method: o.Method}}
	}
	if o.CallDone != nil {
		return decision{Step: stepReturn, Err: o.CallDone}
	}
	if o.Closed {
		return decision{Step: stepReturn, Err: ErrClosed}
	}
	var unreadable *mtconn.AnswerError
	if errors.As(o.Err, &unreadable) {
		// The DC answered; the answer cannot be read. Sending the call
		// again would run it again for the same answer.
		return decision{Step: stepReturn, Err: o.Err}
	}
	if refused, ok := badMsg(o.Err); ok && !refused.Time() {
		// The DC refused the message itself (its ids, seqno or
		// container) and the session layer could not mend it: the
		// connection works, and another one would not help.
		return decision{Step: stepReturn, Err: o.Err}
	}
	if isBadMsgTime(o.Err) {
		// The DC kept refusing the msg_id's time (bad_msg_notification
		// 16/17) and did not process the call; the session layer sends
		// it again with the corrected clock until it gives up. A new
		// connection starts over from the corrected clock.
		if o.Replays < maxReplays {
			return decision{Step: stepReplay, Drop: true}
		}
		return decision{Step: stepReturn, Drop: true, Err: &ConnectionError{Reason: "the DC keeps refusing our message times", Cause: o.Err}}
	}
	// Anything else means the connection failed under the call.
	if !o.KeyLost && !o.Idempotent {
		return decision{Step: stepReturn, Drop: true, Err: &ConnectionError{
			Reason: "connection lost while " + o.Method + " was in flight; it may or may not have been applied",
			Cause:  o.Err,
		}}
	}
	if o.Replays >= maxReplays {
		return decision{Step: stepReturn, Drop: true, Err: &ConnectionError{
			Reason: "connection lost " + strconv.Itoa(o.Replays+1) + " times while " + o.Method + " was in flight",
			Cause:  o.Err,
		}}
	}
	return decision{Step: stepReplay, Drop: true}
}

// floodWait reports the wait of FLOOD_WAIT_X / FLOOD_PREMIUM_WAIT_X /
// SLOWMODE_WAIT_X.
func floodWait(e *tgerr.Error) (time.Duration, bool) {
	switch e.Type {
	case "FLOOD_WAIT", "FLOOD_PREMIUM_WAIT", "SLOWMODE_WAIT":
		return time.Duration(e.Argument) * time.Second, true
	}
	return 0, false
}

// migrateDC reports the target of PHONE_/NETWORK_/USER_MIGRATE_X: the
// account or the number lives on another DC. (FILE_MIGRATE is for file
// transfers on a media connection, which this client does not make.)
func migrateDC(e *tgerr.Error) (int, bool) {
	if e.Code != 303 {
		return 0, false
	}
	switch e.Type {
	case "PHONE_MIGRATE", "NETWORK_MIGRATE", "USER_MIGRATE":
		return e.Argument, e.Argument > 0
	}
	return 0, false
}

// badMsg returns the bad_msg_notification err reports, if it does.
func badMsg(err error) (*mtconn.BadMsgError, bool) {
	var bad *mtconn.BadMsgError
	ok := errors.As(err, &bad)
	return bad, ok
}

// isBadMsgTime reports a message the DC refused for its time (16/17).
func isBadMsgTime(err error) bool {
	bad, ok := badMsg(err)
	return ok && bad.Time()
}

// nextBackoff returns the wait before the next connection attempt (the
// current backoff plus up to a fifth of it, so that many clients do not
// come back in step) and the backoff after that (doubled, capped at max).
// randN(n) returns a random number in [0, n).
func nextBackoff(cur, max time.Duration, randN func(int64) int64) (wait, next time.Duration) {
	wait = cur + time.Duration(randN(int64(cur/5)+1))
	return wait, min(cur*2, max)
}
