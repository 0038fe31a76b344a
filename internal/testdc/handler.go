package testdc

import (
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/mt"
	"github.com/gotd/td/proto"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// handler serves the API of one DC.
type handler struct {
	s  *Server
	dc int
}

// Telegram's msg_id window: a client message may be at most 300 s old and
// 30 s ahead of the server clock (core.telegram.org/mtproto/description).
const (
	msgMaxPast   = 300 * time.Second
	msgMaxFuture = 30 * time.Second
)

// rawQuery captures the query inside invokeWithLayer/initConnection.
type rawQuery struct{ buf []byte }

func (r *rawQuery) Decode(b *bin.Buffer) error {
	r.buf = append(r.buf[:0], b.Buf...)
	b.Skip(len(b.Buf))
	return nil
}

func (r *rawQuery) Encode(b *bin.Buffer) error {
	b.Put(r.buf)
	return nil
}

func (h *handler) OnMessage(srv *tgtest.Server, req *tgtest.Request) error {
	id, err := req.Buf.PeekID()
	if err != nil {
		return err
	}
	switch id {
	case mt.MsgsAckTypeID, mt.MsgsStateReqTypeID, mt.MsgResendReqTypeID, mt.MsgsAllInfoTypeID,
		mt.DestroySessionRequestTypeID, mt.HTTPWaitRequestTypeID:
		// Service messages that need no answer here.
		return nil
	}

	st := h.s.state
	now := h.s.clock.Now()
	sent := proto.MessageID(req.MsgID).Time()
	switch {
	case now.Sub(sent) > msgMaxPast:
		return h.badMsg(srv, req, 16)
	case sent.Sub(now) > msgMaxFuture:
		return h.badMsg(srv, req, 17)
	}

	if _, gone := h.s.dropped.Load(req.Session.ID); gone {
		return nil // the rest of a container read before its socket was dropped
	}
	rq := &request{caller: caller{dc: h.dc, keyID: req.Session.AuthKey.ID, session: req.Session.ID}}

	// Unwrap invokeWithLayer / initConnection / invokeWithoutUpdates.
	buf := req.Buf
	var layer int
	var init *tg.InitConnectionRequest
	for {
		id, err := buf.PeekID()
		if err != nil {
			return err
		}
		q := &rawQuery{}
		switch id {
		case tg.InvokeWithLayerRequestTypeID:
			r := tg.InvokeWithLayerRequest{Query: q}
			if err := r.Decode(buf); err != nil {
				return errors.Wrap(err, "decode invokeWithLayer")
			}
			layer = r.Layer
		case tg.InitConnectionRequestTypeID:
			r := tg.InitConnectionRequest{Query: q}
			if err := r.Decode(buf); err != nil {
				return errors.Wrap(err, "decode initConnection")
			}
			r.Query = nil
			init = &r
		case tg.InvokeWithoutUpdatesRequestTypeID:
			r := tg.InvokeWithoutUpdatesRequest{Query: q}
			if err := r.Decode(buf); err != nil {
				return errors.Wrap(err, "decode invokeWithoutUpdates")
			}
		default:
			goto unwrapped
		}
		buf = &bin.Buffer{Buf: q.buf}
	}
unwrapped:

	h.s.requests.Add(1)
	drop, hang, delay, big, gz := h.s.faults.onRequest()
	rq.big = big
	if drop {
		h.s.logf("dc %d: dropping connection of session %x (fault switch)", h.dc, req.Session.ID)
		h.s.dropped.Store(req.Session.ID, true)
		srv.ForceDisconnect(req.Session)
		return nil
	}
	if hang {
		h.s.logf("dc %d: leaving a request of session %x unanswered (fault switch)", h.dc, req.Session.ID)
		return nil
	}

	result, rpcErr := func() (bin.Encoder, error) {
		st.mu.Lock()
		defer st.mu.Unlock()
		if init != nil {
			if init.APIID <= 0 {
				return nil, errf(400, "API_ID_INVALID")
			}
			if layer == 0 {
				return nil, errf(400, "CONNECTION_LAYER_INVALID")
			}
			st.sessions[req.Session.ID] = &sessionInit{Layer: layer, Init: *init, Inited: true}
		}
		if si := st.sessions[req.Session.ID]; si == nil || !si.Inited {
			return nil, errf(400, "CONNECTION_NOT_INITED")
		}
		return st.call(rq, buf)
	}()

	reply := func() error {
		if rpcErr != nil {
			var te *tgerr.Error
			if !errors.As(rpcErr, &te) {
				h.s.logf("dc %d: internal error: %v", h.dc, rpcErr)
				te = tgerr.New(500, "INTERNAL")
			}
			return srv.SendErr(req, te)
		}
		if gz || rq.gzip {
			return srv.SendGZIP(req, result)
		}
		return srv.SendResult(req, result)
	}
	if delay > 0 {
		// Acknowledge now, as Telegram does, so the client does not
		// resend while the answer is delayed.
		_ = srv.SendAck(req.RequestCtx, req.Session, req.MsgID)
		go func() {
			t := time.NewTimer(delay)
			defer t.Stop()
			select {
			case <-t.C:
				if err := reply(); err != nil {
					h.s.logf("dc %d: delayed reply: %v", h.dc, err)
				}
			case <-h.s.done:
			}
		}()
		return nil
	}
	return reply()
}

func (h *handler) badMsg(srv *tgtest.Server, req *tgtest.Request, code int) error {
	return srv.Send(req.RequestCtx, req.Session, proto.MessageFromServer, &mt.BadMsgNotification{
		BadMsgID:    req.MsgID,
		BadMsgSeqno: 0,
		ErrorCode:   code,
	})
}
