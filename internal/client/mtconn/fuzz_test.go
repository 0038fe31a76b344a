package mtconn

import (
	"testing"

	"github.com/gotd/neo"
	"github.com/gotd/td/mt"
)

// FuzzHandle feeds what the DC could send after decryption into the
// dispatcher: whatever it is, the session neither panics nor stops.
func FuzzHandle(f *testing.F) {
	f.Add(rpcResult(4, userAnswer))
	f.Add(gzipped(rpcResult(4, userAnswer)))
	f.Add(enc(&mt.BadMsgNotification{BadMsgID: 4, ErrorCode: 17}))
	f.Add(enc(&mt.BadServerSalt{BadMsgID: 4, ErrorCode: 48, NewServerSalt: 1}))
	f.Add(enc(&mt.MsgsStateReq{MsgIDs: []int64{1, 5}}))
	f.Add(enc(&mt.MsgResendReq{MsgIDs: []int64{4}}))
	f.Add(enc(&mt.NewSessionCreated{FirstMsgID: 4, ServerSalt: 2}))
	f.Add(updatesTooLong)
	h := &peer{clock: &watchedClock{Time: neo.NewTime(epoch)}}
	f.Add(h.containerOf(rpcResult(4, userAnswer), updatesTooLong))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := New(newPipe(), Options{MaxAnswer: 1 << 16})
		if err != nil {
			t.Fatal(err)
		}
		c.mu.Lock()
		c.sent[4] = &out{body: request, content: true, done: make(chan answer, 1), id: 4, session: c.session}
		c.mu.Unlock()
		c.handle(c.session, 1<<32|1, body, false)
		c.handle(c.session, 1<<32|1, body, false) // again: a duplicate
	})
}
