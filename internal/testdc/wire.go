package testdc

//lint:file-ignore SA1019 nhooyr.io/websocket v1.8.17 is the WebSocket library this project pins (its successor is coder/websocket).

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"

	"github.com/go-faster/errors"
	"github.com/gotd/td/mtproxy/obfuscated2"
	"github.com/gotd/td/proto/codec"
	"nhooyr.io/websocket"
)

// loopbackOrigins are the page origins a browser may connect from: any port
// on a loopback host. The request's own host is always allowed as well.
var loopbackOrigins = []string{"localhost", "localhost:*", "127.0.0.1", "127.0.0.1:*", `\[::1\]`, `\[::1\]:*`}

// maxFrame bounds one transport frame in either direction.
const maxFrame = 16 << 20

// serveWS accepts one WebSocket, performs the obfuscated2 handshake and hands
// the plaintext stream to the DC named in the header. It returns when the
// connection is closed.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if s.faults.refusing() {
		http.Error(w, "refused by fault switch", http.StatusServiceUnavailable)
		return
	}
	ws, err := websocket.Accept(&tapWriter{ResponseWriter: w, s: s}, r, &websocket.AcceptOptions{
		Subprotocols:   []string{"binary"},
		OriginPatterns: loopbackOrigins,
	})
	if err != nil {
		// Accept has already answered (403 for a foreign origin, 426 …).
		s.logf("ws accept from %s (origin %q): %v", r.RemoteAddr, r.Header.Get("Origin"), err)
		return
	}
	s.connMu.Lock()
	s.upgrades++
	s.connMu.Unlock()
	if ws.Subprotocol() != "binary" {
		_ = ws.Close(websocket.StatusPolicyViolation, "subprotocol binary required")
		return
	}
	ws.SetReadLimit(maxFrame + 64)

	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	nc := websocket.NetConn(ctx, ws, websocket.MessageBinary)
	defer func() { _ = nc.Close() }()

	rw, md, err := obfuscated2.Accept(nc, nil)
	if err != nil {
		return
	}
	dc := int(int16(md.DC))
	if dc < 0 {
		dc = -dc // media DCs share the main DC here
	}
	if q := r.URL.Query().Get("dc"); q != "" {
		// A client whose header carries no DC (GramJS in a browser talks to
		// one host per DC) names it in the URL.
		if n, err := strconv.Atoi(q); err == nil {
			dc = n
		}
	}
	d := s.dc(dc)
	if d == nil {
		s.logf("obfuscated2 header names unknown dc %d", dc)
		_ = ws.Close(websocket.StatusPolicyViolation, "unknown dc")
		return
	}

	var tag []byte
	switch {
	case md.Protocol[0] == codec.AbridgedClientStart[0]:
		tag = md.Protocol[:1]
	case md.Protocol == codec.IntermediateClientStart, md.Protocol == codec.PaddedIntermediateClientStart:
		tag = md.Protocol[:]
	default:
		_ = ws.Close(websocket.StatusPolicyViolation, "unsupported protocol")
		return
	}

	c := &wireConn{
		Conn:     nc,
		r:        rw,
		w:        rw,
		abridged: len(tag) == 1,
		pending:  append([]byte(nil), tag...),
		refuse:   s.state.forgotten,
		keys:     &d.keys,
		closed:   make(chan struct{}),
	}
	s.track(c)
	defer s.untrack(c)
	select {
	case d.conns <- c:
	case <-ctx.Done():
		return
	case <-s.done:
		return
	}
	select {
	case <-c.closed:
	case <-ctx.Done():
	case <-s.done:
	}
}

// wireConn is the plaintext transport stream between one client and a DC.
//
// It parses frames in both directions so that every server frame leaves as
// one WebSocket message and so that the DC can answer frames sent with a
// forgotten auth key with the transport error -404 before the MTProto
// server sees them.
type wireConn struct {
	net.Conn
	r        io.Reader
	w        io.Writer
	abridged bool
	refuse   func(keyID [8]byte) bool

	pending []byte

	wmu  sync.Mutex
	wbuf []byte

	// keys guards tgtest's map of auth keys, which gotd v0.162.0 reads
	// under the wrong mutex (users.getSession locks connsMux, addSession
	// sessionsMux): a key exchange ending on one connection races with a
	// key looked up for a frame on another, which the race detector
	// reports and the runtime can end with "concurrent map read and map
	// write". It is taken here, where the frames pass: every frame is
	// handed over under the read lock, held until this connection reads
	// again (tgtest looks up the frame's key in between, the zero key of
	// a key exchange's frames too), and dh_gen_ok, after which tgtest
	// adds the new key before it reads again, under the write lock until
	// then. held is the unlock due.
	keys *sync.RWMutex
	hmu  sync.Mutex
	held func()

	closeOnce sync.Once
	closed    chan struct{}
}

// hold takes one of keys' locks until release.
func (c *wireConn) hold(lock, unlock func()) {
	c.release()
	lock()
	c.hmu.Lock()
	c.held = unlock
	c.hmu.Unlock()
}

// release lets go of what hold took, if anything.
func (c *wireConn) release() {
	c.hmu.Lock()
	unlock := c.held
	c.held = nil
	c.hmu.Unlock()
	if unlock != nil {
		unlock()
	}
}

// dhGenOK is the constructor of dh_gen_ok, the key exchange's last answer.
const dhGenOK = 0x3bcbf734

// isDHGenOK reports whether payload (a frame without its header) is an
// unencrypted dh_gen_ok: auth_key_id 0, msg_id, length, then the object.
func isDHGenOK(payload []byte) bool {
	return len(payload) >= 24 && bytes.Equal(payload[:8], make([]byte, 8)) &&
		binary.LittleEndian.Uint32(payload[20:24]) == dhGenOK
}

func (c *wireConn) Read(p []byte) (int, error) {
	for len(c.pending) == 0 {
		// The previous frame has been dealt with.
		c.release()
		frame, err := c.readFrame()
		if err != nil {
			return 0, err
		}
		c.pending = frame
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

// readFrame reads the next client frame (header included), answering and
// swallowing frames whose auth key the DC has forgotten.
func (c *wireConn) readFrame() ([]byte, error) {
	for {
		var hdr [4]byte
		var n, hdrLen int
		if c.abridged {
			if _, err := io.ReadFull(c.r, hdr[:1]); err != nil {
				return nil, err
			}
			hdrLen = 1
			n = int(hdr[0]&0x7f) * 4
			if hdr[0]&0x7f == 0x7f {
				if _, err := io.ReadFull(c.r, hdr[1:4]); err != nil {
					return nil, err
				}
				hdrLen = 4
				n = int(uint32(hdr[1])|uint32(hdr[2])<<8|uint32(hdr[3])<<16) * 4
			}
		} else {
			if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
				return nil, err
			}
			hdrLen = 4
			n = int(binary.LittleEndian.Uint32(hdr[:]) &^ (1 << 31)) // quick-ack bit
		}
		if n <= 0 || n > maxFrame {
			return nil, errors.Errorf("bad frame length %d", n)
		}
		frame := make([]byte, hdrLen+n)
		copy(frame, hdr[:hdrLen])
		if _, err := io.ReadFull(c.r, frame[hdrLen:]); err != nil {
			return nil, err
		}
		payload := frame[hdrLen:]
		var id [8]byte
		if len(payload) >= len(id) {
			copy(id[:], payload)
		}
		if id != ([8]byte{}) && c.refuse != nil && c.refuse(id) {
			if err := c.writeTransportError(codec.CodeAuthKeyNotFound); err != nil {
				return nil, err
			}
			continue
		}
		if c.keys != nil {
			c.hold(c.keys.RLock, c.keys.RUnlock)
		}
		return frame, nil
	}
}

// Write collects what the MTProto server writes and forwards whole frames.
func (c *wireConn) Write(p []byte) (int, error) {
	keyMade, err := c.write(p)
	if keyMade && c.keys != nil {
		// Only once the frame is out (and wmu free): tgtest adds the key next.
		c.hold(c.keys.Lock, c.keys.Unlock)
	}
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// write forwards the whole frames p completes, and reports whether one of
// them was dh_gen_ok.
func (c *wireConn) write(p []byte) (keyMade bool, err error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.wbuf = append(c.wbuf, p...)
	for {
		size, hdrLen, ok := c.frameSize(c.wbuf)
		if !ok || len(c.wbuf) < size {
			break
		}
		if _, err := c.w.Write(c.wbuf[:size]); err != nil {
			return keyMade, err
		}
		keyMade = keyMade || isDHGenOK(c.wbuf[hdrLen:size])
		c.wbuf = c.wbuf[size:]
	}
	if len(c.wbuf) == 0 {
		c.wbuf = nil
	}
	return keyMade, nil
}

// frameSize returns the full size of the frame at the start of b and the
// size of its header, if the header is complete.
func (c *wireConn) frameSize(b []byte) (size, hdrLen int, ok bool) {
	if c.abridged {
		if len(b) < 1 {
			return 0, 0, false
		}
		if b[0] < 0x7f {
			return 1 + int(b[0])*4, 1, true
		}
		if len(b) < 4 {
			return 0, 0, false
		}
		return 4 + int(uint32(b[1])|uint32(b[2])<<8|uint32(b[3])<<16)*4, 4, true
	}
	if len(b) < 4 {
		return 0, 0, false
	}
	return 4 + int(binary.LittleEndian.Uint32(b)), 4, true
}

// writeTransportError sends a 4-byte negative error code frame.
func (c *wireConn) writeTransportError(code int32) error {
	var payload [4]byte
	binary.LittleEndian.PutUint32(payload[:], uint32(-code))
	var frame bytes.Buffer
	if c.abridged {
		frame.WriteByte(1)
	} else {
		_ = binary.Write(&frame, binary.LittleEndian, uint32(4))
	}
	frame.Write(payload[:])

	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.w.Write(frame.Bytes())
	return err
}

func (c *wireConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	c.release()
	return c.Conn.Close()
}

// chanListener is a net.Listener fed by serveWS.
type chanListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }
