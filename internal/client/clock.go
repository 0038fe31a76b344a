package client

import (
	"sync/atomic"
	"time"

	"github.com/gotd/td/clock"
)

// serverClock is the client clock corrected by what the server taught us:
// Now() = base.Now() + skew (tests) + offset (learned). Its timers are the
// base clock's.
type serverClock struct {
	base   clock.Clock
	skew   time.Duration
	offset atomic.Int64 // nanoseconds
}

func (c *serverClock) Now() time.Time {
	return c.base.Now().Add(c.skew + time.Duration(c.offset.Load()))
}

func (c *serverClock) Timer(d time.Duration) clock.Timer   { return c.base.Timer(d) }
func (c *serverClock) Ticker(d time.Duration) clock.Ticker { return c.base.Ticker(d) }

// clockTolerance is how far our clock may drift from the server's before
// we correct it. Telegram accepts msg_ids 300 s old and 30 s ahead.
const clockTolerance = 10 * time.Second

// observe corrects the offset from a trusted server timestamp and reports
// whether it changed. The session layer tells it the time of every
// message that decrypted under our auth key (mtconn.Options.ServerTime):
// only the DC can make one, and one replayed from an earlier session is
// dropped for its session id, so its time is the server's.
func (c *serverClock) observe(server time.Time) bool {
	diff := server.Sub(c.Now())
	if diff.Abs() <= clockTolerance {
		return false
	}
	c.offset.Add(int64(diff))
	return true
}
