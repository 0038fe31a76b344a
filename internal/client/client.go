// Package client is a lean Telegram client on gotd's mtproto.Conn.
//
// It owns one connection to the primary DC at a time and keeps it alive:
// it dials (internal/transport), makes an auth key when there is none
// (internal/kex) and runs gotd's mtproto.Conn. The first call on every new
// connection goes out wrapped in invokeWithLayer(initConnection(...)), as
// Telegram's own clients do, which saves a round trip. Calls wait for a
// ready connection,
// survive reconnects (idempotent calls are replayed), sleep through short
// FLOOD_WAITs, follow *_MIGRATE_X (exporting and importing the login), and
// learn the server's clock.
package client

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/mtproto"
	"github.com/gotd/td/proto/codec"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	gotdtransport "github.com/gotd/td/transport"

	"github.com/tgwasm/tgwasm/internal/kex"
	"github.com/tgwasm/tgwasm/internal/session"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// Client is a Telegram client. It is safe for concurrent use.
type Client struct {
	opts  Options
	clock *serverClock

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	wake   chan struct{}

	migrateMu sync.Mutex

	mu       sync.Mutex
	dc       int
	keys     map[int]crypto.AuthKey
	conn     *dcConn
	changed  chan struct{} // closed and replaced on every change below
	state    State
	failures int   // consecutive failed connection attempts
	attempts int   // connection attempts that ended, ever
	lastErr  error // why the last attempt failed
	imports  map[int]*tg.AuthExportedAuthorization
	// addrs keeps the address a loaded session named for its DC, so that
	// exporting it again gives back the same string.
	addrs  map[int]session.Data
	closed bool
}

// dcConn is one live, initialised connection.
type dcConn struct {
	dc     int
	mt     *mtproto.Conn
	cancel context.CancelFunc
	// keyLost is set when the DC answered -404: nothing sent on this
	// connection was processed.
	keyLost atomicBool
	// inited is set once a request wrapped in initConnection was answered.
	inited atomicBool
}

type atomicBool struct {
	mu sync.Mutex
	v  bool
}

func (b *atomicBool) set()      { b.mu.Lock(); b.v = true; b.mu.Unlock() }
func (b *atomicBool) get() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.v }

// New creates a client and starts connecting in the background.
func New(opts Options) (*Client, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	data, err := opts.Storage.Load()
	if err != nil {
		return nil, errors.Wrap(err, "load session")
	}
	c := &Client{
		opts:    opts,
		clock:   &serverClock{skew: opts.ClockSkew},
		done:    make(chan struct{}),
		wake:    make(chan struct{}, 1),
		dc:      opts.DC,
		keys:    map[int]crypto.AuthKey{},
		changed: make(chan struct{}),
		imports: map[int]*tg.AuthExportedAuthorization{},
		addrs:   map[int]session.Data{},
	}
	if !data.Empty() {
		c.dc = data.DC
		c.keys[data.DC] = crypto.Key(data.Key).WithID()
		c.addrs[data.DC] = session.Data{Addr: data.Addr, Port: data.Port}
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	go c.loop()
	return c, nil
}

func (c *Client) logf(format string, args ...any) {
	if c.opts.Logf != nil {
		c.opts.Logf(format, args...)
	}
}

// notify wakes everything waiting on c.changed. Called with c.mu held.
func (c *Client) notify() {
	close(c.changed)
	c.changed = make(chan struct{})
}

func (c *Client) setState(s State) {
	c.mu.Lock()
	if c.state == s || c.state == StateClosed {
		c.mu.Unlock()
		return
	}
	c.state = s
	c.notify()
	c.mu.Unlock()
	if c.opts.OnState != nil {
		c.opts.OnState(s)
	}
}

// State returns the current connection state.
func (c *Client) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state == "" {
		return StateConnecting
	}
	return c.state
}

// DC returns the primary DC.
func (c *Client) DC() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dc
}

// Session returns the resumable session of the primary DC.
func (c *Client) Session() session.Data {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sessionLocked()
}

func (c *Client) sessionLocked() session.Data {
	k, ok := c.keys[c.dc]
	if !ok || k.Zero() {
		return session.Data{}
	}
	addr, port := c.opts.address(c.dc)
	if a, ok := c.addrs[c.dc]; ok && a.Addr != "" {
		addr, port = a.Addr, a.Port
	}
	return session.Data{DC: c.dc, Addr: addr, Port: port, Key: k.Value}
}

// saveSession hands the current session to storage.
func (c *Client) saveSession() {
	c.mu.Lock()
	d := c.sessionLocked()
	c.mu.Unlock()
	if err := c.opts.Storage.Save(d); err != nil {
		c.logf("save session: %v", err)
	}
}

// kick makes a backing-off reconnect loop try now.
func (c *Client) kick() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// loop keeps one connection to the primary DC alive until Close.
func (c *Client) loop() {
	defer close(c.done)
	defer c.setState(StateClosed)
	backoff := c.opts.ReconnectMin
	first := true
	for c.ctx.Err() == nil {
		if first {
			c.setState(StateConnecting)
		} else {
			c.setState(StateReconnecting)
		}
		first = false
		wasReady, err := c.connect()
		if c.ctx.Err() != nil {
			return
		}
		c.mu.Lock()
		c.attempts++
		if wasReady {
			c.failures = 0
			backoff = c.opts.ReconnectMin
		}
		if err != nil && !wasReady && !errors.Is(err, errSwitch) {
			c.failures++
			c.lastErr = err
		}
		c.notify()
		c.mu.Unlock()
		if err != nil {
			c.logf("connection to dc %d ended: %v", c.DC(), err)
		}
		if errors.Is(err, errSwitch) {
			continue // a deliberate reconnect: no delay
		}
		if wasReady {
			// The connection worked: the first retry goes out at once.
			continue
		}
		wait := backoff + time.Duration(rand.Int64N(int64(backoff/5)+1))
		backoff = min(backoff*2, c.opts.ReconnectMax)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-c.wake:
		case <-c.ctx.Done():
		}
		t.Stop()
	}
}

// errSwitch ends a connection on purpose (migration, clock correction).
var errSwitch = errors.New("switching connection")

// errKeyNotFound is the DC's transport error -404: it does not know our key.
var errKeyNotFound = errors.New("dc does not know the auth key (-404)")

// keyGuard turns the transport error -404 into errKeyNotFound so that
// mtproto does not start gotd's (slow) key exchange in-place; the client
// makes a new key with kex on a fresh connection instead.
type keyGuard struct {
	gotdtransport.Conn
	lost func()
}

func (g keyGuard) Recv(ctx context.Context, b *bin.Buffer) error {
	err := g.Conn.Recv(ctx, b)
	var pe *codec.ProtocolErr
	if errors.As(err, &pe) && pe.Code == codec.CodeAuthKeyNotFound {
		g.lost()
		return errKeyNotFound
	}
	return err
}

// connect runs one connection to the primary DC until it ends. wasReady
// reports whether it got as far as serving calls.
func (c *Client) connect() (wasReady bool, _ error) {
	c.mu.Lock()
	dc := c.dc
	key := c.keys[dc]
	c.mu.Unlock()

	url, err := transport.URL(c.opts.Kind, dc, c.opts.URL)
	if err != nil {
		return false, err
	}
	var early *kex.Early
	if key.Zero() {
		// Start on the client's DH exponentiation now: it runs while the
		// socket opens and the DC answers the first steps.
		early = kex.Precompute(c.opts.Rand, c.opts.ModExp)
	}
	tc, err := transport.Dial(c.ctx, url, dc, transport.Options{DialTimeout: c.opts.DialTimeout})
	if err != nil {
		return false, err
	}
	c.setState(StateHandshake)

	var salt int64
	fresh := key.Zero()
	if fresh {
		start := time.Now()
		res, err := kex.Run(c.ctx, tc, kex.Options{
			DC:      c.opts.kexDC(dc),
			Keys:    c.opts.PublicKeys,
			Rand:    c.opts.Rand,
			Now:     c.clock.Now,
			Timeout: c.opts.ExchangeTimeout,
			ModExp:  c.opts.ModExp,
			Early:   early,
		})
		if err != nil {
			_ = tc.Close()
			return false, errors.Wrap(err, "key exchange")
		}
		if c.clock.observe(res.ServerTime) {
			c.logf("clock corrected by the server: offset now %s", time.Duration(c.clock.offset.Load()))
		}
		c.logf("auth key for dc %d made in %s", dc, time.Since(start).Round(time.Millisecond))
		key, salt = res.Key, res.Salt
		c.mu.Lock()
		c.keys[dc] = key
		primary := c.dc == dc
		c.mu.Unlock()
		if primary {
			c.saveSession()
		}
	}

	sessCtx, cancel := context.WithCancelCause(c.ctx)
	defer cancel(nil)
	conn := &dcConn{dc: dc, cancel: func() { cancel(errSwitch) }}
	guarded := keyGuard{Conn: tc, lost: conn.keyLost.set}
	dialed := false
	conn.mt = mtproto.New(func(context.Context) (gotdtransport.Conn, error) {
		if dialed {
			return nil, errors.New("connection already used")
		}
		dialed = true
		return guarded, nil
	}, mtproto.Options{
		DC:            dc,
		Key:           key,
		Salt:          salt,
		PublicKeys:    c.opts.PublicKeys,
		Random:        c.opts.Rand,
		Clock:         c.clock,
		Cipher:        learningCipher{Cipher: crypto.NewClientCipher(c.opts.Rand), clock: c.clock},
		PingInterval:  c.opts.PingInterval,
		RetryInterval: 10 * time.Second,
		MaxRetries:    3,
	})

	runErr := conn.mt.Run(sessCtx, func(ctx context.Context) error {
		if err := c.importLogin(ctx, conn); err != nil {
			if isBadMsgTime(err) {
				// Our clock was off; it is corrected now (see
				// learningCipher). Start over with a new session.
				c.logf("dc %d refused our clock (%v); reconnecting with the corrected clock", dc, err)
				return errSwitch
			}
			return err
		}
		c.mu.Lock()
		c.conn = conn
		c.failures = 0
		c.lastErr = nil
		c.notify()
		c.mu.Unlock()
		wasReady = true
		c.setState(StateReady)
		<-ctx.Done()
		return nil
	})

	c.mu.Lock()
	if c.conn == conn {
		c.conn = nil
		c.notify()
	}
	c.mu.Unlock()

	if conn.keyLost.get() || errors.Is(runErr, errKeyNotFound) {
		// The DC forgot our key: make a new one on the next connection.
		c.mu.Lock()
		if c.keys[dc] == key {
			delete(c.keys, dc)
		}
		c.mu.Unlock()
		c.logf("dc %d forgot the auth key; a new one will be made", dc)
		if fresh {
			// Even a brand-new key was refused: a real failure.
			return wasReady, errKeyNotFound
		}
		return wasReady, errors.Wrap(errSwitch, errKeyNotFound.Error())
	}
	if cause := context.Cause(sessCtx); errors.Is(cause, errSwitch) || errors.Is(runErr, errSwitch) {
		return wasReady, errSwitch
	}
	if runErr == nil {
		runErr = errors.New("connection closed")
	}
	return wasReady, runErr
}

// wrap returns in wrapped in invokeWithLayer(initConnection(...)).
func (c *Client) wrap(in bin.Encoder) bin.Encoder {
	return &initRequest{layer: tg.Layer, apiID: c.opts.APIID, device: c.opts.Device, query: in}
}

// importLogin imports an exported authorization waiting for this DC (after
// a migration) before the connection serves calls. It is the connection's
// first request, so it carries initConnection.
func (c *Client) importLogin(ctx context.Context, conn *dcConn) error {
	c.mu.Lock()
	imp := c.imports[conn.dc]
	delete(c.imports, conn.dc)
	c.mu.Unlock()
	if imp == nil {
		return nil
	}
	var auth authResult
	err := conn.mt.Invoke(ctx, c.wrap(&tg.AuthImportAuthorizationRequest{ID: imp.ID, Bytes: imp.Bytes}), &auth)
	if err == nil {
		conn.inited.set()
		return nil
	}
	if _, ok := tgerr.As(err); ok {
		conn.inited.set()
		// The call that migrated will see AUTH_KEY_UNREGISTERED.
		c.logf("import authorization on dc %d: %v", conn.dc, err)
		return nil
	}
	return errors.Wrap(err, "import authorization")
}

// waitConn returns a ready connection, waiting for one if needed. It gives
// up with a ConnectionError once two connection attempts failed while it
// waited, or when ctx ends after at least one failed attempt.
func (c *Client) waitConn(ctx context.Context) (*dcConn, error) {
	c.mu.Lock()
	startAttempts := c.attempts
	c.mu.Unlock()
	kicked := false
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil, ErrClosed
		}
		if c.conn != nil {
			conn := c.conn
			c.mu.Unlock()
			return conn, nil
		}
		// Attempts that ended since we started waiting, all failed.
		failedSince := min(c.failures, c.attempts-startAttempts)
		lastErr := c.lastErr
		ch := c.changed
		c.mu.Unlock()

		if failedSince >= 2 {
			return nil, &ConnectionError{Reason: "cannot reach the DC", Cause: lastErr}
		}
		if !kicked {
			kicked = true
			c.kick()
		}
		select {
		case <-ch:
		case <-ctx.Done():
			if lastErr != nil {
				return nil, &ConnectionError{Reason: "cannot reach the DC", Cause: lastErr}
			}
			return nil, ctx.Err()
		}
	}
}

// dropConn ends conn on purpose; the loop reconnects at once.
func (c *Client) dropConn(conn *dcConn) {
	c.mu.Lock()
	if c.conn == conn {
		c.conn = nil
		c.notify()
	}
	c.mu.Unlock()
	conn.cancel()
}

// idempotent lists the methods that may be sent again after a connection
// died with the request in flight.
var idempotent = map[uint32]bool{
	tg.AccountSendChangePhoneCodeRequestTypeID: true,
	tg.AccountSendVerifyPhoneCodeRequestTypeID: true,
	tg.AuthSendCodeRequestTypeID:               true,
	tg.AuthCancelCodeRequestTypeID:             true,
	tg.AuthLogOutRequestTypeID:                 true,
	tg.UsersGetUsersRequestTypeID:              true,
	tg.HelpGetNearestDCRequestTypeID:           true,
	tg.AccountGetPasswordRequestTypeID:         true,
	tg.AuthExportAuthorizationRequestTypeID:    true,
	tg.AuthImportBotAuthorizationRequestTypeID: true,
}

// loginMethods run before authorization: a migration during them has no
// login to carry over.
var loginMethods = map[uint32]bool{
	tg.AuthSendCodeRequestTypeID:               true,
	tg.AuthSignInRequestTypeID:                 true,
	tg.AuthCheckPasswordRequestTypeID:          true,
	tg.AccountGetPasswordRequestTypeID:         true,
	tg.AuthImportBotAuthorizationRequestTypeID: true,
	tg.AuthResendCodeRequestTypeID:             true,
	tg.AuthCancelCodeRequestTypeID:             true,
}

type typed interface {
	TypeID() uint32
	TypeName() string
}

// MethodName returns the TL name of a request ("account.sendChangePhoneCode").
func MethodName(in bin.Encoder) string {
	if t, ok := in.(typed); ok {
		return t.TypeName()
	}
	return "unknown"
}

func methodID(in bin.Encoder) uint32 {
	if t, ok := in.(typed); ok {
		return t.TypeID()
	}
	return 0
}

// maxMigrations bounds *_MIGRATE redirects for one call, maxReplays the
// times one call is sent again after its connection failed.
// (An idempotent call is otherwise replayed until its deadline: the cap
// only stops a request that breaks every connection it is sent on.)
const (
	maxMigrations = 3
	maxReplays    = 100
)

// Invoke sends a request and decodes the answer into out, handling
// reconnects, FLOOD_WAIT, migration and clock correction. It implements
// tg.Invoker. Errors are *RPCError, *ConnectionError, ErrClosed or the
// context's error.
func (c *Client) Invoke(ctx context.Context, in bin.Encoder, out bin.Decoder) error {
	method := MethodName(in)
	id := methodID(in)
	migrations, replays := 0, 0
	for {
		conn, err := c.waitConn(ctx)
		if err != nil {
			return err
		}
		req := in
		if !conn.inited.get() {
			req = c.wrap(in)
		}
		err = conn.mt.Invoke(ctx, req, out)
		if err == nil {
			conn.inited.set()
			return nil
		}

		if rpcErr, ok := tgerr.As(err); ok {
			if !strings.HasPrefix(rpcErr.Type, "CONNECTION_") {
				conn.inited.set() // the DC read the wrapper
			}
			if wait, ok := floodWait(rpcErr); ok && c.opts.FloodSleepThreshold >= 0 && wait <= c.opts.FloodSleepThreshold && fits(ctx, wait) {
				c.logf("%s: %s, sleeping %s", method, rpcErr.Message, wait)
				if err := sleep(ctx, wait); err != nil {
					return err
				}
				continue
			}
			if dc, ok := migrateDC(rpcErr); ok && migrations < maxMigrations {
				migrations++
				if err := c.migrate(ctx, conn, dc, !loginMethods[id]); err != nil {
					return err
				}
				continue
			}
			return &RPCError{Err: rpcErr, Method: method}
		}

		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		c.mu.Lock()
		closed := c.closed
		c.mu.Unlock()
		if closed {
			return ErrClosed
		}

		if isBadMsgTime(err) {
			// The DC refused the msg_id's time (bad_msg_notification
			// 16/17) and did not process the call. The clock has been
			// corrected from its answer; a new session starts with
			// msg_ids on the right time.
			c.logf("%s: %v; reconnecting with the corrected clock", method, err)
			c.dropConn(conn)
			if replays++; replays <= maxReplays {
				continue
			}
			return &ConnectionError{Reason: "the DC keeps refusing our message times", Cause: err}
		}

		// Anything else means the connection failed under the call.
		c.dropConn(conn)
		replays++
		if !conn.keyLost.get() && !idempotent[id] {
			return &ConnectionError{
				Reason: "connection lost while " + method + " was in flight; it may or may not have been applied",
				Cause:  err,
			}
		}
		if replays > maxReplays {
			return &ConnectionError{
				Reason: "connection lost " + strconv.Itoa(replays) + " times while " + method + " was in flight",
				Cause:  err,
			}
		}
		c.logf("%s: connection lost (%v); sending again", method, err)
	}
}

// fits reports whether waiting d still leaves the call time to run: a
// FLOOD_WAIT that outlasts the caller's deadline is returned at once rather
// than slept into a timeout.
func fits(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
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

// migrateDC reports the target of PHONE_/NETWORK_/USER_/FILE_MIGRATE_X.
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

func isBadMsgTime(err error) bool {
	// mtproto reports bad_msg_notification 16/17 with these texts; the
	// error type is not exported.
	s := err.Error()
	return strings.Contains(s, "msg_id too low") || strings.Contains(s, "msg_id too high")
}

// migrate makes dc the primary DC. With carry, the login moves along:
// auth.exportAuthorization on the old DC, auth.importAuthorization on the
// new one before any call is sent there.
func (c *Client) migrate(ctx context.Context, from *dcConn, dc int, carry bool) error {
	c.migrateMu.Lock()
	defer c.migrateMu.Unlock()
	if c.opts.Kind != transport.Custom && (dc < 1 || dc > transport.MaxDC) {
		return errors.Errorf("server asked to migrate to unknown dc %d", dc)
	}
	if c.DC() == dc {
		return nil // another call migrated already
	}
	var imp *tg.AuthExportedAuthorization
	if carry {
		var exp tg.AuthExportedAuthorization
		err := from.mt.Invoke(ctx, &tg.AuthExportAuthorizationRequest{DCID: dc}, &exp)
		switch {
		case err == nil:
			imp = &exp
		case tgerr.Is(err, "AUTH_KEY_UNREGISTERED"):
			// Not logged in: nothing to carry.
		default:
			if rpcErr, ok := tgerr.As(err); ok {
				return &RPCError{Err: rpcErr, Method: "auth.exportAuthorization"}
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &ConnectionError{Reason: "export authorization for dc migration", Cause: err}
		}
	}
	c.logf("migrating from dc %d to dc %d (login carried: %v)", from.dc, dc, imp != nil)
	c.mu.Lock()
	c.dc = dc
	if imp != nil {
		c.imports[dc] = imp
	}
	c.mu.Unlock()
	c.dropConn(from)
	c.saveSession()
	return nil
}

// Reconnect drops the current connection; calls in flight follow the
// usual rules (idempotent ones are sent again).
func (c *Client) Reconnect() {
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn != nil {
		c.dropConn(conn)
	}
}

// Close closes the connection and ends every call with ErrClosed. It waits
// until the socket is closed.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		<-c.done
		return nil
	}
	c.closed = true
	c.notify()
	c.mu.Unlock()
	c.cancel()
	<-c.done
	return nil
}
