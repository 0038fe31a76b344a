package mtconn

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/clock"
	"github.com/gotd/td/mt"
	"github.com/gotd/td/tgerr"
	"github.com/stretchr/testify/require"
)

// request is a request body: the session layer does not read it.
var request = []byte{0x21, 0x43, 0x65, 0x87, 1, 0, 0, 0}

// updatesTooLong is an update: a constructor the client's schema lacks.
var updatesTooLong = []byte{0x7e, 0xaf, 0x17, 0xe3}

// answered waits for a call's result.
func answered(t *testing.T, ch <-chan answer) answer {
	t.Helper()
	select {
	case a := <-ch:
		return a
	case <-time.After(time.Minute):
		t.Fatal("the call got no result")
		return answer{}
	}
}

// works makes one more call and answers it: the connection is usable.
func works(t *testing.T, h *peer) {
	t.Helper()
	res := h.call(request)
	s := h.nextContent()
	require.Equal(t, request, s.body)
	h.answer(s, userAnswer)
	a := answered(t, res)
	require.NoError(t, a.err)
	require.Equal(t, []byte(userAnswer), a.data)
}

// pending checks that a call has no result yet; it cannot fail on a slow
// machine, only miss a result that came too early.
func pending(t *testing.T, ch <-chan answer) {
	t.Helper()
	select {
	case a := <-ch:
		t.Fatalf("the call ended: %v", a.err)
	default:
	}
}

// flushAcks moves the clock past AckDelay once the writer waits for it,
// and returns what the next acknowledgement carries.
func (h *peer) flushAcks() []int64 {
	h.t.Helper()
	h.waitTimer(500 * time.Millisecond)
	h.clock.Travel(500 * time.Millisecond)
	for {
		s := h.next()
		if s.typ() == mt.MsgsAckTypeID {
			require.Zero(h.t, s.seq&1, "msgs_ack is not content-related")
			var a mt.MsgsAck
			require.NoError(h.t, a.Decode(&bin.Buffer{Buf: s.body}))
			return a.MsgIDs
		}
	}
}

func TestServiceMessages(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts func(*Options)
		run  func(t *testing.T, h *peer)
	}{
		{name: "rpc_result answers its call", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			require.Equal(t, request, s.body)
			require.Equal(t, int64(7), s.salt, "the first salt")
			require.Equal(t, int32(1), s.seq, "the session's first content message")
			require.Equal(t, MessageID(epoch)&^0xffffffff, s.id&^0xffffffff, "msg_id from the clock")
			h.answer(s, userAnswer)
			a := answered(t, res)
			require.NoError(t, a.err)
			require.Equal(t, []byte(userAnswer), a.data)
			works(t, h)
		}},
		{name: "rpc_error comes back as tgerr", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			h.answer(h.nextContent(), &mt.RPCError{ErrorCode: 420, ErrorMessage: "FLOOD_WAIT_5"})
			e, ok := tgerr.As(answered(t, res).err)
			require.True(t, ok)
			require.Equal(t, 420, e.Code)
			require.Equal(t, "FLOOD_WAIT", e.Type)
			require.Equal(t, 5, e.Argument)
		}},
		{name: "gzip_packed result", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, rpcResult(s.id, gzipped(userAnswer)))
			require.Equal(t, []byte(userAnswer), answered(t, res).data)
		}},
		{name: "gzip_packed rpc_error", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, rpcResult(s.id, gzipped(enc(&mt.RPCError{ErrorCode: 400, ErrorMessage: "PHONE_NUMBER_INVALID"}))))
			require.True(t, tgerr.Is(answered(t, res).err, "PHONE_NUMBER_INVALID"))
		}},
		{name: "gzip_packed message", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, gzipped(rpcResult(s.id, userAnswer)))
			require.Equal(t, []byte(userAnswer), answered(t, res).data)
		}},
		{name: "a container of answers and an update", run: func(t *testing.T, h *peer) {
			res1 := h.call(request)
			s1 := h.nextContent()
			res2 := h.call(request)
			s2 := h.nextContent()
			h.send(s1, h.containerOf(rpcResult(s2.id, raw{2, 0, 0, 0}), updatesTooLong, rpcResult(s1.id, raw{1, 0, 0, 0})))
			require.Equal(t, []byte{1, 0, 0, 0}, answered(t, res1).data)
			require.Equal(t, []byte{2, 0, 0, 0}, answered(t, res2).data)
		}},
		{name: "acknowledgements wait AckDelay and go in one batch", run: func(t *testing.T, h *peer) {
			res1 := h.call(request)
			s1 := h.nextContent()
			res2 := h.call(request)
			s2 := h.nextContent()
			a1 := h.answer(s1, userAnswer)
			answered(t, res1)
			a2 := h.answer(s2, userAnswer)
			answered(t, res2)
			require.Empty(t, h.p.toPeer, "nothing goes before AckDelay")
			acks := h.flushAcks()
			require.ElementsMatch(t, []int64{a1, a2}, acks)
		}},
		{name: "acknowledgements travel with the next request", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			a := h.answer(h.nextContent(), userAnswer)
			answered(t, res)
			res = h.call(request)
			ack := h.next()
			require.Equal(t, uint32(mt.MsgsAckTypeID), ack.typ())
			require.True(t, h.acked[a])
			req := h.nextContent()
			require.NotZero(t, req.container, "one container")
			require.Equal(t, ack.container, req.container)
			h.answer(req, userAnswer)
			answered(t, res)
		}},
		{name: "every message but an acknowledgement is acknowledged", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			update := h.send(s, updatesTooLong)
			ack := h.send(s, enc(&mt.MsgsAck{MsgIDs: []int64{s.id}}))
			created := h.send(s, enc(&mt.NewSessionCreated{FirstMsgID: s.id, UniqueID: 1, ServerSalt: 9}))
			answer := h.answer(s, userAnswer)
			answered(t, res)
			acks := h.flushAcks()
			require.ElementsMatch(t, []int64{update, created, answer}, acks)
			require.NotContains(t, acks, ack)
			h.waitLog("acknowledged and dropped a 0xe317af7e")
		}},
		{name: "bad_server_salt during a call: sent again with the new salt", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, enc(&mt.BadServerSalt{BadMsgID: s.id, BadMsgSeqno: int(s.seq), ErrorCode: 48, NewServerSalt: 99}))
			again := h.nextContent()
			require.Equal(t, int64(99), again.salt)
			require.Greater(t, again.id, s.id)
			require.Equal(t, s.session, again.session)
			require.Equal(t, request, again.body)
			h.answer(again, userAnswer)
			require.NoError(t, answered(t, res).err)
		}},
		{name: "bad_server_salt for a container: its calls are sent again", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			h.answer(h.nextContent(), userAnswer)
			answered(t, res)
			res = h.call(request)
			h.next() // the acknowledgement, in the container
			s := h.nextContent()
			require.NotZero(t, s.container)
			h.send(s, enc(&mt.BadServerSalt{BadMsgID: s.container, ErrorCode: 48, NewServerSalt: 100}))
			again := h.nextContent()
			require.Equal(t, int64(100), again.salt)
			require.Equal(t, request, again.body)
			h.answer(again, userAnswer)
			require.NoError(t, answered(t, res).err)
		}},
		{name: "a message refused over and over fails", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			for range maxResends + 1 {
				s := h.nextContent()
				h.send(s, enc(&mt.BadServerSalt{BadMsgID: s.id, ErrorCode: 48, NewServerSalt: 99}))
			}
			var bad *BadMsgError
			require.ErrorAs(t, answered(t, res).err, &bad)
			require.Equal(t, 48, bad.Code)
			works(t, h)
		}},
		{name: "bad_msg_notification 16, clock behind: corrected, sent again in the session", opts: skew(-10 * time.Minute), run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			require.WithinDuration(t, epoch.Add(-10*time.Minute), MessageTime(s.id), time.Second)
			h.send(s, enc(&mt.BadMsgNotification{BadMsgID: s.id, BadMsgSeqno: int(s.seq), ErrorCode: 16}))
			again := h.nextContent()
			require.WithinDuration(t, epoch, MessageTime(again.id), time.Second, "the corrected clock")
			require.Equal(t, s.session, again.session, "the identifiers still grow")
			h.answer(again, userAnswer)
			require.NoError(t, answered(t, res).err)
		}},
		{name: "bad_msg_notification 17, clock ahead: corrected, sent again in a new session", opts: skew(10 * time.Minute), run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, enc(&mt.BadMsgNotification{BadMsgID: s.id, BadMsgSeqno: int(s.seq), ErrorCode: 17}))
			again := h.nextContent()
			require.WithinDuration(t, epoch, MessageTime(again.id), time.Second, "the corrected clock")
			require.NotEqual(t, s.session, again.session, "identifiers below the old session's need a new one")
			require.Equal(t, int32(1), again.seq, "seqno starts over")
			h.answer(again, userAnswer)
			require.NoError(t, answered(t, res).err)
			works(t, h)
		}},
		{name: "bad_msg_notification 32: a new session", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, enc(&mt.BadMsgNotification{BadMsgID: s.id, BadMsgSeqno: int(s.seq), ErrorCode: 32}))
			again := h.nextContent()
			require.NotEqual(t, s.session, again.session)
			require.Equal(t, int32(1), again.seq)
			h.answer(again, userAnswer)
			require.NoError(t, answered(t, res).err)
		}},
		{name: "bad_msg_notification 20: sent again", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, enc(&mt.BadMsgNotification{BadMsgID: s.id, BadMsgSeqno: int(s.seq), ErrorCode: 20}))
			again := h.nextContent()
			require.Equal(t, s.session, again.session)
			require.Greater(t, again.id, s.id)
			h.answer(again, userAnswer)
			require.NoError(t, answered(t, res).err)
		}},
		{name: "bad_msg_notification 18: the call fails, the connection works", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, enc(&mt.BadMsgNotification{BadMsgID: s.id, BadMsgSeqno: int(s.seq), ErrorCode: 18}))
			var bad *BadMsgError
			require.ErrorAs(t, answered(t, res).err, &bad)
			require.Equal(t, 18, bad.Code)
			require.Contains(t, bad.Error(), "incorrect two lower order msg_id bits")
			works(t, h)
		}},
		{name: "new_session_created: the first takes the salt, a second sends again what was lost", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, enc(&mt.NewSessionCreated{FirstMsgID: s.id, UniqueID: 1, ServerSalt: 55}))
			h.waitLog("the DC made session")
			res2 := h.call(request)
			s2 := h.nextContent()
			require.Equal(t, int64(55), s2.salt)
			h.send(s, enc(&mt.NewSessionCreated{FirstMsgID: s2.id, UniqueID: 2, ServerSalt: 56}))
			again := h.nextContent()
			require.Equal(t, s.body, again.body, "the call sent before first_msg_id")
			require.Equal(t, int64(56), again.salt)
			h.answer(again, raw{1, 0, 0, 0})
			h.answer(s2, raw{2, 0, 0, 0})
			require.Equal(t, []byte{1, 0, 0, 0}, answered(t, res).data)
			require.Equal(t, []byte{2, 0, 0, 0}, answered(t, res2).data)
		}},
		{name: "msgs_state_req is answered", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			update := h.send(s, updatesTooLong)
			req := h.id(false)
			h.sendRaw(s.session, req, enc(&mt.MsgsStateReq{MsgIDs: []int64{update, update - 400, req + 400}}))
			for {
				m := h.nextContent()
				if m.typ() != mt.MsgsStateInfoTypeID {
					continue
				}
				var info mt.MsgsStateInfo
				require.NoError(t, info.Decode(&bin.Buffer{Buf: m.body}))
				require.Equal(t, req, info.ReqMsgID)
				require.Equal(t, []byte{4, 1, 3}, info.Info, "received, too old, too new")
				break
			}
			h.answer(s, userAnswer)
			require.NoError(t, answered(t, res).err)
		}},
		{name: "msg_resend_req sends the call again", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, enc(&mt.MsgResendReq{MsgIDs: []int64{s.id, 12345 << 2}}))
			again := h.nextContent()
			require.Equal(t, request, again.body)
			require.Greater(t, again.id, s.id)
			h.answer(again, userAnswer)
			require.NoError(t, answered(t, res).err)
		}},
		{name: "msg_detailed_info: a received answer is acknowledged again, a lost one asked for", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			a := h.answer(s, userAnswer)
			answered(t, res)
			require.Contains(t, h.flushAcks(), a)
			clear(h.acked)
			h.send(s, enc(&mt.MsgDetailedInfo{MsgID: s.id, AnswerMsgID: a, Bytes: 8, Status: 0}))
			lost := a + 400
			h.send(s, enc(&mt.MsgNewDetailedInfo{AnswerMsgID: lost, Bytes: 8, Status: 0}))
			for {
				m := h.nextContent()
				if m.typ() != mt.MsgResendReqTypeID {
					continue
				}
				var r mt.MsgResendReq
				require.NoError(t, r.Decode(&bin.Buffer{Buf: m.body}))
				require.Equal(t, []int64{lost}, r.MsgIDs)
				break
			}
			require.True(t, h.acked[a], "acknowledged again, with the request")
		}},
		{name: "a duplicated msg_id is acknowledged again, not handled twice", run: func(t *testing.T, h *peer) {
			res1 := h.call(request)
			s1 := h.nextContent()
			res2 := h.call(request)
			s2 := h.nextContent()
			a := h.answer(s1, raw{1, 0, 0, 0})
			answered(t, res1)
			h.sendRaw(s1.session, a, rpcResult(s2.id, raw{9, 9, 9, 9})) // a's id again
			h.waitLog("came again")
			pending(t, res2)
			h.answer(s2, raw{2, 0, 0, 0})
			require.Equal(t, []byte{2, 0, 0, 0}, answered(t, res2).data)
			require.Contains(t, h.flushAcks(), a)
		}},
		{name: "a container inside a container is dropped, the connection works", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			inner := h.containerOf(rpcResult(s.id, raw{9, 9, 9, 9}))
			h.send(s, h.containerOf(inner))
			h.waitLog("a container inside a container")
			pending(t, res)
			h.answer(s, userAnswer)
			require.Equal(t, []byte(userAnswer), answered(t, res).data)
		}},
		{name: "an rpc_result for a request never sent is dropped", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, rpcResult(s.id+4000, userAnswer))
			h.waitLog("which nothing waits for")
			pending(t, res)
			h.answer(s, userAnswer)
			require.NoError(t, answered(t, res).err)
		}},
		{name: "an update the reduced schema lacks is acknowledged and dropped", run: func(t *testing.T, h *peer) {
			works(t, h)
			update := h.send(sent{session: h.c.session}, updatesTooLong)
			h.waitLog("acknowledged and dropped")
			require.Contains(t, h.flushAcks(), update)
			works(t, h)
		}},
		{name: "a gzip bomb in an answer fails the call, the connection works", opts: func(o *Options) { o.MaxAnswer = 1 << 20 }, run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.send(s, rpcResult(s.id, gzipped(make([]byte, 8<<20))))
			err := answered(t, res).err
			var unreadable *AnswerError
			require.ErrorAs(t, err, &unreadable)
			var big *TooBigError
			require.ErrorAs(t, err, &big)
			require.Equal(t, "unreadable answer: gzip_packed unpacks to more than 1048576 bytes", err.Error())
			works(t, h)
		}},
		{name: "a gzip bomb of a message is dropped and acknowledged", opts: func(o *Options) { o.MaxAnswer = 1 << 20 }, run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			bomb := h.send(s, gzipped(rpcResult(s.id, make([]byte, 8<<20))))
			h.waitLog("unpacks to more than")
			pending(t, res)
			h.answer(s, userAnswer)
			require.NoError(t, answered(t, res).err)
			require.Contains(t, h.flushAcks(), bomb)
		}},
		{name: "a frame that does not decrypt is dropped", run: func(t *testing.T, h *peer) {
			junk := make([]byte, 8+16+64)
			copy(junk, h.key.ID[:])
			_, _ = rand.Read(junk[8:])
			h.p.toClient <- junk
			h.waitLog("does not decrypt")
			works(t, h)
		}},
		{name: "a message of another session is dropped", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.sendRaw(s.session+1, h.id(true), rpcResult(s.id, raw{9, 9, 9, 9}))
			h.waitLog("not this connection's")
			pending(t, res)
			h.answer(s, userAnswer)
			require.Equal(t, []byte(userAnswer), answered(t, res).data)
		}},
		{name: "a message with a client's msg_id is dropped", run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			h.sendRaw(s.session, h.id(true)&^3, rpcResult(s.id, raw{9, 9, 9, 9}))
			h.waitLog("is not a server's")
			pending(t, res)
			h.answer(s, userAnswer)
			require.Equal(t, []byte(userAnswer), answered(t, res).data)
		}},
		{name: "requests go wrapped in Init until the DC answers one that was", opts: withInit, run: func(t *testing.T, h *peer) {
			res := h.call(request)
			s := h.nextContent()
			require.Equal(t, append(slices.Clone(initHead), request...), s.body)
			h.answer(s, &mt.RPCError{ErrorCode: 400, ErrorMessage: "CONNECTION_LAYER_INVALID"})
			require.True(t, tgerr.Is(answered(t, res).err, "CONNECTION_LAYER_INVALID"))
			res = h.call(request)
			s = h.nextContent()
			require.Equal(t, append(slices.Clone(initHead), request...), s.body, "a CONNECTION_ error: not read")
			h.answer(s, &mt.RPCError{ErrorCode: 400, ErrorMessage: "PHONE_NUMBER_INVALID"})
			answered(t, res)
			works(t, h) // unwrapped from now on

			done := make(chan error, 1)
			go func() { done <- h.c.Ping(context.Background()) }()
			ping := h.nextContent()
			require.Equal(t, uint32(mt.PingRequestTypeID), ping.typ(), "pings are never wrapped")
			var p mt.PingRequest
			require.NoError(t, p.Decode(&bin.Buffer{Buf: ping.body}))
			h.send(ping, enc(&mt.Pong{MsgID: ping.id, PingID: p.PingID}))
			require.NoError(t, <-done)
		}},
		{name: "a new session is wrapped in Init again", opts: withInit, run: func(t *testing.T, h *peer) {
			res := h.call(request)
			h.answer(h.nextContent(), userAnswer)
			answered(t, res)
			res = h.call(request)
			s := h.nextContent()
			require.Equal(t, request, s.body)
			h.send(s, enc(&mt.BadMsgNotification{BadMsgID: s.id, BadMsgSeqno: int(s.seq), ErrorCode: 33}))
			again := h.nextContent()
			require.NotEqual(t, s.session, again.session)
			require.Equal(t, append(slices.Clone(initHead), request...), again.body)
			h.answer(again, userAnswer)
			require.NoError(t, answered(t, res).err)
		}},
		{name: "CONNECTION_NOT_INITED to a request not wrapped: sent again, wrapped", opts: withInit, run: func(t *testing.T, h *peer) {
			res := h.call(request)
			h.answer(h.nextContent(), userAnswer) // the wrapped one
			answered(t, res)
			res = h.call(request)
			s := h.nextContent()
			require.Equal(t, request, s.body)
			h.answer(s, &mt.RPCError{ErrorCode: 400, ErrorMessage: "CONNECTION_NOT_INITED"})
			again := h.nextContent()
			require.Equal(t, append(slices.Clone(initHead), request...), again.body)
			h.answer(again, userAnswer)
			require.NoError(t, answered(t, res).err)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var opts []func(*Options)
			if tt.opts != nil {
				opts = append(opts, tt.opts)
			}
			tt.run(t, start(t, opts...))
		})
	}
}

// initHead stands for invokeWithLayer(initConnection(...))'s head.
var initHead = []byte{0x0d, 0x0d, 0x9b, 0xda, 229, 0, 0, 0}

func withInit(o *Options) { o.Init = initHead }

// skew makes the Conn's clock off by d until the server's time corrects
// it, as internal/client's clock does.
func skew(d time.Duration) func(*Options) {
	return func(o *Options) {
		c := &skewedClock{Clock: o.Clock, offset: d}
		o.Clock = c
		o.ServerTime = c.learn
	}
}

func TestQueuedCallsShareAContainer(t *testing.T) {
	h := start(t)
	h.cancel() // this test runs its own Conn
	<-h.run
	h.p = newPipe()
	c, err := New(h.p, Options{Key: h.key, Salt: 7, Clock: h.clock, PingInterval: time.Hour})
	require.NoError(t, err)
	h.c = c
	res1, res2 := h.call(request), h.call([]byte{0x22, 0, 0, 0})
	for {
		c.mu.Lock()
		n := len(c.outbox)
		c.mu.Unlock()
		if n == 2 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = c.Run(ctx, func(ctx context.Context) error { <-ctx.Done(); return nil }) }()
	s1, s2 := h.nextContent(), h.nextContent()
	require.NotZero(t, s1.container)
	require.Equal(t, s1.container, s2.container)
	require.Equal(t, []int32{1, 3}, []int32{s1.seq, s2.seq}, "seqno counts the content messages")
	for _, s := range []sent{s1, s2} {
		h.answer(s, raw(s.body[:4])) // each call gets its own request back
	}
	require.Equal(t, request[:4], answered(t, res1).data)
	require.Equal(t, []byte{0x22, 0, 0, 0}, answered(t, res2).data)
}

func TestTransportErrors(t *testing.T) {
	for _, code := range []int32{404, 429} {
		h := start(t)
		res := h.call(request)
		h.nextContent()
		var frame [4]byte
		binary.LittleEndian.PutUint32(frame[:], uint32(-code))
		h.p.toClient <- frame[:]
		var te *TransportError
		require.ErrorAs(t, <-h.run, &te)
		require.Equal(t, code, te.Code)
		require.ErrorAs(t, answered(t, res).err, &te, "the call in flight ends with it")
		_, err := h.c.call(context.Background(), &out{body: request, content: true, call: true})
		require.ErrorAs(t, err, &te, "and so does a later one")
	}
}

func TestKeepAlive(t *testing.T) {
	h := start(t, func(o *Options) { o.PingInterval, o.PingTimeout = 15*time.Second, 10*time.Second })
	h.waitTimer(15 * time.Second)
	h.clock.Travel(15 * time.Second)
	s := h.nextContent()
	var ping mt.PingDelayDisconnectRequest
	require.NoError(t, ping.Decode(&bin.Buffer{Buf: s.body}))
	require.Equal(t, 25, ping.DisconnectDelay, "the DC closes the link when the next ping is late")
	h.send(s, enc(&mt.Pong{MsgID: s.id, PingID: ping.PingID}))

	h.waitTimer(15 * time.Second) // answered: the next one is planned
	h.clock.Travel(15 * time.Second)
	h.nextContent()
	h.waitTimer(10 * time.Second)
	h.clock.Travel(10 * time.Second)
	err := <-h.run
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.EqualError(t, err, "no answer to the keep-alive ping within 10s: context deadline exceeded")
}

func TestPing(t *testing.T) {
	h := start(t)
	done := make(chan error, 1)
	go func() { done <- h.c.Ping(context.Background()) }()
	s := h.nextContent()
	var ping mt.PingRequest
	require.NoError(t, ping.Decode(&bin.Buffer{Buf: s.body}))
	h.send(s, enc(&mt.Pong{MsgID: s.id, PingID: ping.PingID}))
	require.NoError(t, <-done)

	go func() { done <- h.c.Ping(context.Background()) }()
	s = h.nextContent()
	h.send(s, enc(&mt.Pong{MsgID: s.id, PingID: 1}))
	var unreadable *AnswerError
	require.ErrorAs(t, <-done, &unreadable, "a pong for another ping")

	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- h.c.Ping(ctx) }()
	h.nextContent()
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

func TestRunEnds(t *testing.T) {
	h := start(t)
	res := h.call(request)
	h.nextContent()
	h.cancel()
	require.ErrorIs(t, <-h.run, context.Canceled)
	require.ErrorIs(t, answered(t, res).err, context.Canceled, "the call in flight ends with the connection's cause")

	p := newPipe()
	c, err := New(p, Options{Key: h.key})
	require.NoError(t, err)
	served := failure("serve failed")
	require.Equal(t, served, c.Run(context.Background(), func(context.Context) error { return served }))
	_, err = c.call(context.Background(), &out{body: request, content: true, call: true})
	require.ErrorIs(t, err, ErrClosed, "calls after the end fail at once")
}

type failure string

func (e failure) Error() string { return string(e) }

// skewedClock is off by offset until learn corrects it (when they differ
// by more than 10 s, as internal/client's clock does).
type skewedClock struct {
	clock.Clock
	mu     sync.Mutex
	offset time.Duration
}

func (c *skewedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Clock.Now().Add(c.offset)
}

func (c *skewedClock) learn(server time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if diff := server.Sub(c.Clock.Now().Add(c.offset)); diff.Abs() > 10*time.Second {
		c.offset += diff
	}
}
