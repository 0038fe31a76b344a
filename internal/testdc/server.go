package testdc

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/clock"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/proto"
	"github.com/gotd/td/tgtest"
	"github.com/gotd/td/transport"

	"github.com/tgwasm/tgwasm/internal/kex"
)

// Options configures a local DC.
type Options struct {
	// Addr is the listen address of Listen; "127.0.0.1:0" when empty.
	Addr string
	// AllowRemote permits a listen address that is not loopback.
	AllowRemote bool
	// DCs is the number of data centres, 1..5 (default 2). They share one
	// endpoint: the client names the DC in its obfuscated2 header.
	DCs int
	// PreAuthorize binds every new auth key to the first account, so the
	// account methods work without a login.
	PreAuthorize bool
	// Accounts seeds the DC; DefaultAccounts when nil.
	Accounts []Account
	// Key signs the key exchange; a fresh 2048-bit key when nil.
	Key *rsa.PrivateKey
	// ClockOffset shifts the DC's clock (server time = now + offset).
	ClockOffset time.Duration
	// CodeTimeout is the "timeout" of sent codes and their lifetime
	// (default 60s, whole seconds).
	CodeTimeout time.Duration
	// FloodLimit is how many code requests one number may make per
	// FloodWindow before FLOOD_WAIT (defaults 5 per 60s).
	FloodLimit  int
	FloodWindow time.Duration
	// CodeLog receives one line per delivered code (like an SMS gateway).
	CodeLog io.Writer
	// Log receives diagnostics; nothing when nil.
	Log io.Writer
}

func (o *Options) setDefaults() error {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.DCs == 0 {
		o.DCs = 2
	}
	if o.DCs < 1 || o.DCs > 5 {
		return errors.Errorf("dcs must be 1..5, got %d", o.DCs)
	}
	if o.Accounts == nil {
		o.Accounts = DefaultAccounts()
	}
	if o.CodeTimeout <= 0 {
		o.CodeTimeout = 60 * time.Second
	}
	if o.CodeTimeout < time.Second {
		o.CodeTimeout = time.Second
	}
	if o.FloodLimit <= 0 {
		o.FloodLimit = 5
	}
	if o.FloodWindow <= 0 {
		o.FloodWindow = time.Minute
	}
	return nil
}

// Server is a local Telegram-like DC cluster behind one WebSocket endpoint.
type Server struct {
	opts  Options
	key   *rsa.PrivateKey
	clock clock.Clock
	state *state

	faults   *Faults
	requests atomic.Int64
	// dropped holds the sessions whose socket a fault switch dropped:
	// what else their last frame held (a container's other requests) is
	// not read.
	dropped sync.Map

	connMu      sync.Mutex
	conns       map[*wireConn]struct{} // open MTProto connections
	taps        map[*tapConn]struct{}  // open WebSocket connections' TCP (blackhole.go)
	tapped      int64                  // WebSocket connections accepted, ever
	connsOpened int64
	upgrades    int64

	dcs  map[int]*dcServer
	done chan struct{}
	wg   sync.WaitGroup

	mu       sync.Mutex
	listener net.Listener
	http     *http.Server
	closed   bool
}

type dcServer struct {
	id    int
	srv   *tgtest.Server
	conns chan net.Conn
	l     *chanListener
	keys  sync.RWMutex // around srv's map of auth keys (wireConn.hold)
}

// offsetClock is the system clock shifted by the fault switches' offset.
type offsetClock struct{ f *Faults }

func (c offsetClock) Now() time.Time                      { return time.Now().Add(c.f.clockOffset()) }
func (c offsetClock) Timer(d time.Duration) clock.Timer   { return clock.System.Timer(d) }
func (c offsetClock) Ticker(d time.Duration) clock.Ticker { return clock.System.Ticker(d) }

// messageIDs makes server message ids from the shifted clock. Like gotd's
// generator it never repeats or goes back, except when the clock offset
// changes: a DC whose clock is set back must send ids of its new time.
type messageIDs struct {
	f      *Faults
	mu     sync.Mutex
	last   int64
	offset time.Duration
}

func (g *messageIDs) New(t proto.MessageType) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	offset := g.f.clockOffset()
	now := time.Now().Add(offset).UnixNano()
	if offset != g.offset {
		g.offset = offset
		g.last = 0
	}
	if now <= g.last {
		now = g.last + 10
	}
	g.last = now
	return int64(proto.NewMessageIDNano(now, t))
}

var (
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
	testKeyErr  error
)

// sharedKey is generated once per process so that many DCs in one test
// binary do not each pay for RSA key generation.
func sharedKey() (*rsa.PrivateKey, error) {
	testKeyOnce.Do(func() {
		testKey, testKeyErr = rsa.GenerateKey(rand.Reader, crypto.RSAKeyBits)
	})
	return testKey, testKeyErr
}

// New creates the DCs and starts their MTProto servers. Serve them with
// Listen, or mount Handler on an HTTP server of your own.
func New(opts Options) (*Server, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	key := opts.Key
	if key == nil {
		var err error
		if key, err = sharedKey(); err != nil {
			return nil, errors.Wrap(err, "generate rsa key")
		}
	}
	faults := &Faults{}
	faults.ClockOffset(opts.ClockOffset)
	s := &Server{
		opts:   opts,
		key:    key,
		clock:  offsetClock{f: faults},
		faults: faults,
		dcs:    map[int]*dcServer{},
		done:   make(chan struct{}),
		conns:  map[*wireConn]struct{}{},
		taps:   map[*tapConn]struct{}{},
	}
	st, err := newState(s, opts)
	if err != nil {
		return nil, err
	}
	s.state = st

	for id := 1; id <= opts.DCs; id++ {
		d := &dcServer{id: id, conns: make(chan net.Conn)}
		d.l = &chanListener{conns: d.conns, done: make(chan struct{})}
		d.srv = tgtest.NewServer(tgtest.NewPrivateKey(key), &handler{s: s, dc: id}, tgtest.ServerOptions{
			DC:          id,
			Clock:       s.clock,
			MessageID:   &messageIDs{f: faults},
			ReadTimeout: 5 * time.Minute,
		})
		s.dcs[id] = d
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			ctx, cancel := context.WithCancel(context.Background())
			go func() { <-s.done; cancel() }()
			if err := d.srv.Serve(ctx, transport.Listen(d.l)); err != nil {
				s.logf("dc %d: serve: %v", d.id, err)
			}
		}()
	}
	return s, nil
}

func (s *Server) dc(id int) *dcServer { return s.dcs[id] }

// Handler serves the WebSocket endpoint (any path) and, under /testdc/, the
// control API described in the package documentation.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.registerControl(mux)
	mux.HandleFunc("/", s.serveWS)
	return mux
}

// WSHandler serves only the WebSocket endpoint.
func (s *Server) WSHandler() http.Handler { return http.HandlerFunc(s.serveWS) }

// Listen binds Options.Addr and serves Handler on it until Close.
func (s *Server) Listen() error {
	if err := CheckBind(s.opts.Addr, s.opts.AllowRemote); err != nil {
		return err
	}
	l, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return errors.Wrap(err, "listen")
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = l.Close()
		return errors.New("server closed")
	}
	s.listener = l
	s.http = srv
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logf("http: %v", err)
		}
	}()
	return nil
}

// CheckBind refuses non-loopback listen addresses unless allowed.
func CheckBind(addr string, allowRemote bool) error {
	if allowRemote {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.Wrap(err, "listen address")
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return errors.Errorf("refusing to listen on %q: not a loopback address (pass the allow-remote option to override)", addr)
	}
	return nil
}

// Addr is the bound address after Listen.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return ""
	}
	return s.listener.Addr().String()
}

// URL is the WebSocket endpoint after Listen.
func (s *Server) URL() string { return "ws://" + s.Addr() + "/apiws" }

// PublicKeyPEM is the RSA public key clients must trust, as
// "-----BEGIN RSA PUBLIC KEY-----" PEM.
func (s *Server) PublicKeyPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{
		Type:  "RSA PUBLIC KEY",
		Bytes: x509.MarshalPKCS1PublicKey(&s.key.PublicKey),
	})
}

// PublicKey is the exchange key clients must trust.
func (s *Server) PublicKey() kex.PublicKey {
	return kex.PublicKey{RSA: &s.key.PublicKey}
}

// Stats is what GET /testdc/stats reports.
type Stats struct {
	// Requests counts API requests received (service messages aside).
	Requests int64 `json:"requests"`
	// Dropped counts requests the fault switches dropped; Hung, those
	// they left unanswered.
	Dropped int `json:"dropped"`
	Hung    int `json:"hung"`
	// Connections is the number of MTProto connections open now;
	// ConnectionsOpened counts every one accepted so far (a WebSocket
	// once its obfuscated2 header arrived). Upgrades counts WebSocket
	// upgrades accepted, whether or not the client then spoke.
	Connections       int   `json:"connections"`
	ConnectionsOpened int64 `json:"connectionsOpened"`
	Upgrades          int64 `json:"upgrades"`
	// AuthKeys counts the distinct auth keys that made API calls.
	AuthKeys int `json:"authKeys"`
	// Silenced counts the connections Blackhole silenced that their
	// clients still hold open (a client that gave one up and closed it
	// is no longer counted), and SilencedIDs names them (the ids
	// BlackholeIDs reported).
	Silenced    int     `json:"silenced"`
	SilencedIDs []int64 `json:"silencedIds"`
}

// Stats reports request and connection counters.
func (s *Server) Stats() Stats {
	s.connMu.Lock()
	open, opened, upgrades := len(s.conns), s.connsOpened, s.upgrades
	s.connMu.Unlock()
	s.state.mu.Lock()
	keys := len(s.state.keys)
	s.state.mu.Unlock()
	silenced := s.silencedOpen()
	return Stats{
		Requests:          s.requests.Load(),
		Dropped:           s.faults.Dropped(),
		Hung:              s.faults.Hung(),
		Connections:       open,
		ConnectionsOpened: opened,
		Upgrades:          upgrades,
		AuthKeys:          keys,
		Silenced:          len(silenced),
		SilencedIDs:       silenced,
	}
}

func (s *Server) track(c *wireConn) {
	s.connMu.Lock()
	s.conns[c] = struct{}{}
	s.connsOpened++
	s.connMu.Unlock()
}

func (s *Server) untrack(c *wireConn) {
	s.connMu.Lock()
	delete(s.conns, c)
	s.connMu.Unlock()
}

// Requests reports how many API requests the DCs received.
func (s *Server) Requests() int64 { return s.requests.Load() }

// Faults returns the fault switches.
func (s *Server) Faults() *Faults { return s.faults }

// Close stops listening, closes every connection and waits for the DCs.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	srv := s.http
	s.mu.Unlock()

	close(s.done)
	var err error
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = srv.Shutdown(ctx)
		cancel()
		if err != nil {
			err = srv.Close()
		}
	}
	for _, d := range s.dcs {
		_ = d.l.Close()
	}
	s.closeTaps()
	s.wg.Wait()
	return err
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log == nil {
		return
	}
	_, _ = fmt.Fprintf(s.opts.Log, "testdc: "+format+"\n", args...)
}
