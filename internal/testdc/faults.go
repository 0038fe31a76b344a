package testdc

import (
	"sync"
	"time"
)

// Faults are switches that make the DC misbehave on purpose. The zero value
// is a healthy DC. All methods are safe for concurrent use.
type Faults struct {
	mu        sync.Mutex
	dropAfter int // one-shot countdown; 0 = off
	dropEvery int
	counter   int
	delay     time.Duration
	big       bool
	gzip      bool
	refuse    bool
	dropped   int
	hangAfter int // one-shot countdown; 0 = off
	hung      int
	offset    time.Duration
}

// FaultSettings is the serializable form of the switches (the control API's
// JSON body).
type FaultSettings struct {
	// DropAfter: the DropAfter-th API request from now is not answered and
	// its socket is closed (one shot).
	DropAfter int `json:"dropAfter"`
	// DropEvery: every DropEvery-th API request is not answered and its
	// socket is closed.
	DropEvery int `json:"dropEvery"`
	// DelayMS delays every API answer.
	DelayMS int `json:"delayMs"`
	// BigAnswers makes every sent code carry a 1 MiB phone_code_hash.
	BigAnswers bool `json:"bigAnswers"`
	// Gzip packs every API answer in gzip_packed.
	Gzip bool `json:"gzip"`
	// Refuse answers new WebSocket handshakes with 503.
	Refuse bool `json:"refuse"`
	// ClockOffsetSeconds shifts the DC's clock (message ids, the key
	// exchange's server_time and the msg_id window check).
	ClockOffsetSeconds int `json:"clockOffsetSeconds"`
	// HangAfter: the HangAfter-th API request from now is never answered
	// (nor acknowledged); its connection stays healthy and answers pings
	// (one shot).
	HangAfter int `json:"hangAfter"`
}

// Set replaces every switch.
func (f *Faults) Set(v FaultSettings) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dropAfter = v.DropAfter
	f.dropEvery = v.DropEvery
	f.counter = 0
	f.delay = time.Duration(v.DelayMS) * time.Millisecond
	f.big = v.BigAnswers
	f.gzip = v.Gzip
	f.refuse = v.Refuse
	f.offset = time.Duration(v.ClockOffsetSeconds) * time.Second
	f.hangAfter = v.HangAfter
}

// Get reports the switches.
func (f *Faults) Get() FaultSettings {
	f.mu.Lock()
	defer f.mu.Unlock()
	return FaultSettings{
		DropAfter:  f.dropAfter,
		DropEvery:  f.dropEvery,
		DelayMS:    int(f.delay / time.Millisecond),
		BigAnswers: f.big,
		Gzip:       f.gzip,
		Refuse:     f.refuse,
		HangAfter:  f.hangAfter,

		ClockOffsetSeconds: int(f.offset / time.Second),
	}
}

// ClockOffset shifts the DC's clock by d.
func (f *Faults) ClockOffset(d time.Duration) {
	f.mu.Lock()
	f.offset = d
	f.mu.Unlock()
}

func (f *Faults) clockOffset() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.offset
}

// DropAfter arms a one-shot drop: the n-th API request from now is not
// answered and its socket is closed.
func (f *Faults) DropAfter(n int) {
	f.mu.Lock()
	f.dropAfter = n
	f.mu.Unlock()
}

// HangAfter arms a one-shot hang: the n-th API request from now is never
// answered, while its connection stays healthy.
func (f *Faults) HangAfter(n int) {
	f.mu.Lock()
	f.hangAfter = n
	f.mu.Unlock()
}

// Hung reports how many requests were left unanswered by HangAfter.
func (f *Faults) Hung() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hung
}

// DropEvery drops the socket of every n-th API request (0 turns it off).
func (f *Faults) DropEvery(n int) {
	f.mu.Lock()
	f.dropEvery = n
	f.counter = 0
	f.mu.Unlock()
}

// Delay delays every API answer by d.
func (f *Faults) Delay(d time.Duration) {
	f.mu.Lock()
	f.delay = d
	f.mu.Unlock()
}

// BigAnswers makes sent codes carry a 1 MiB phone_code_hash.
func (f *Faults) BigAnswers(on bool) {
	f.mu.Lock()
	f.big = on
	f.mu.Unlock()
}

// Gzip packs every API answer in gzip_packed.
func (f *Faults) Gzip(on bool) {
	f.mu.Lock()
	f.gzip = on
	f.mu.Unlock()
}

// Refuse makes the endpoint answer new WebSocket handshakes with 503.
func (f *Faults) Refuse(on bool) {
	f.mu.Lock()
	f.refuse = on
	f.mu.Unlock()
}

// Dropped reports how many requests were dropped by DropAfter/DropEvery.
func (f *Faults) Dropped() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dropped
}

func (f *Faults) refusing() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refuse
}

// onRequest counts one API request and reports whether to drop it or
// leave it unanswered, and the answer delay, size and packing switches.
func (f *Faults) onRequest() (drop, hang bool, delay time.Duration, big, gz bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.hangAfter > 0 {
		f.hangAfter--
		if f.hangAfter == 0 {
			hang = true
			f.hung++
		}
	}
	if f.dropAfter > 0 {
		f.dropAfter--
		if f.dropAfter == 0 {
			drop = true
		}
	}
	if f.dropEvery > 0 {
		f.counter++
		if f.counter%f.dropEvery == 0 {
			drop = true
		}
	}
	if drop {
		f.dropped++
	}
	return drop, hang, f.delay, f.big, f.gzip
}
