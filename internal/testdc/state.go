package testdc

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-faster/errors"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
)

// keyAuth is what the cluster knows about one auth key.
type keyAuth struct {
	userID int64
	// loggedOut keeps a logged-out key unauthorized under PreAuthorize.
	loggedOut bool
	// passwordUser is set after signIn answered SESSION_PASSWORD_NEEDED.
	passwordUser int64
}

// sessionInit records the initConnection of one MTProto session.
type sessionInit struct {
	Layer  int
	Init   tg.InitConnectionRequest
	Inited bool
}

type exportToken struct {
	userID int64
	dc     int
	bytes  []byte
}

type floodWindow struct {
	start time.Time
	count int
}

// state is shared by every DC of a Server.
type state struct {
	s    *Server
	opts Options

	mu        sync.Mutex
	accounts  map[int64]*account
	byPhone   map[string]int64
	byToken   map[string]int64
	keys      map[[8]byte]*keyAuth
	forget    map[[8]byte]bool
	codes     map[string]*pendingCode // phone + "/" + hash
	flood     map[string]*floodWindow
	shortWait map[string]time.Time
	exports   map[int64]*exportToken
	srp       map[int64]*srpSession
	sessions  map[int64]*sessionInit
	log       []CodeRecord
	nextID    int64
	// dispatcher holds a handler per API method (api.go).
	dispatcher *tg.ServerDispatcher
}

func newState(s *Server, opts Options) (*state, error) {
	st := &state{
		s:         s,
		opts:      opts,
		accounts:  map[int64]*account{},
		byPhone:   map[string]int64{},
		byToken:   map[string]int64{},
		keys:      map[[8]byte]*keyAuth{},
		forget:    map[[8]byte]bool{},
		codes:     map[string]*pendingCode{},
		flood:     map[string]*floodWindow{},
		shortWait: map[string]time.Time{},
		exports:   map[int64]*exportToken{},
		srp:       map[int64]*srpSession{},
		sessions:  map[int64]*sessionInit{},
		nextID:    2000000,
	}
	st.dispatcher = st.api()
	for _, a := range opts.Accounts {
		if err := st.addAccount(a); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func (st *state) addAccount(a Account) error {
	if a.Phone != "" {
		n, ok := normalizePhone(a.Phone)
		if !ok {
			return errors.Errorf("account %q: bad phone %q", a.FirstName, a.Phone)
		}
		a.Phone = n
		if _, dup := st.byPhone[n]; dup {
			return errors.Errorf("account %q: phone %s used twice", a.FirstName, n)
		}
	}
	if a.ID == 0 {
		st.nextID++
		a.ID = st.nextID
	}
	if a.DC == 0 {
		a.DC = 2
	}
	if a.DC < 1 || a.DC > st.opts.DCs {
		// Accounts homed on DCs this cluster does not run live on DC 1.
		a.DC = 1
	}
	acc := &account{Account: a, accessHash: int64(a.ID) * 7919}
	if a.Password != "" {
		v, err := verifierFor(a.Password)
		if err != nil {
			return errors.Wrap(err, "srp verifier")
		}
		acc.srp = v
	}
	st.accounts[a.ID] = acc
	if a.Phone != "" {
		st.byPhone[a.Phone] = a.ID
	}
	if a.BotToken != "" {
		st.byToken[a.BotToken] = a.ID
	}
	return nil
}

var (
	verifierMu    sync.Mutex
	verifierCache = map[string]*srpVerifier{}
)

// verifierFor caches verifiers per password for the process: deriving one
// costs 100,000 PBKDF2 rounds.
func verifierFor(password string) (*srpVerifier, error) {
	verifierMu.Lock()
	defer verifierMu.Unlock()
	if v, ok := verifierCache[password]; ok {
		return v, nil
	}
	v, err := newSRPVerifier(password)
	if err != nil {
		return nil, err
	}
	verifierCache[password] = v
	return v, nil
}

// forgotten reports whether the DC pretends not to know the key.
func (st *state) forgotten(id [8]byte) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.forget[id]
}

// Forget makes every DC forget every auth key it has seen so far: their
// next frame is answered with transport error -404, like a DC that lost
// its key store. Keys created afterwards are unaffected.
func (s *Server) Forget() int {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	n := 0
	for id := range st.seen() {
		if !st.forget[id] {
			st.forget[id] = true
			n++
		}
	}
	return n
}

// seen lists keys that have made API calls. Called with mu held.
func (st *state) seen() map[[8]byte]bool {
	out := map[[8]byte]bool{}
	for id := range st.keys {
		out[id] = true
	}
	return out
}

// Revoke unbinds every authorization (as if every session was terminated
// from another device): the next account call answers AUTH_KEY_UNREGISTERED.
func (s *Server) Revoke() {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, k := range st.keys {
		k.userID = 0
		k.passwordUser = 0
		k.loggedOut = true
	}
}

// Codes returns the codes delivered so far, oldest first.
func (s *Server) Codes() []CodeRecord {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]CodeRecord(nil), st.log...)
}

// LastCode returns the last code delivered to phone (any formatting).
func (s *Server) LastCode(phone string) (CodeRecord, bool) {
	n, _ := normalizePhone(phone)
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	for i := len(st.log) - 1; i >= 0; i-- {
		if st.log[i].Phone == n {
			return st.log[i], true
		}
	}
	return CodeRecord{}, false
}

// Session reports the initConnection recorded for an MTProto session.
func (s *Server) Session(id int64) (layer int, init tg.InitConnectionRequest, ok bool) {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	si, ok := st.sessions[id]
	if !ok || !si.Inited {
		return 0, tg.InitConnectionRequest{}, false
	}
	return si.Layer, si.Init, true
}

// Inits returns every recorded initConnection, in no particular order.
func (s *Server) Inits() []tg.InitConnectionRequest {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []tg.InitConnectionRequest
	for _, si := range st.sessions {
		if si.Inited {
			out = append(out, si.Init)
		}
	}
	return out
}

// Account returns the account with the given id.
func (s *Server) Account(id int64) (Account, bool) {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	a, ok := st.accounts[id]
	if !ok {
		return Account{}, false
	}
	return a.Account, true
}

// AccountByPhone returns the account that owns phone (any formatting).
func (s *Server) AccountByPhone(phone string) (Account, bool) {
	n, _ := normalizePhone(phone)
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	id, ok := st.byPhone[n]
	if !ok {
		return Account{}, false
	}
	return st.accounts[id].Account, true
}

// rpc errors as Telegram sends them.
func errf(code int, msg string) error { return tgerr.New(code, msg) }

var (
	errPhoneInvalid   = func() error { return errf(400, "PHONE_NUMBER_INVALID") }
	errUnregistered   = func() error { return errf(401, "AUTH_KEY_UNREGISTERED") }
	errCodeExpired    = func() error { return errf(400, "PHONE_CODE_EXPIRED") }
	errCodeInvalid    = func() error { return errf(400, "PHONE_CODE_INVALID") }
	errCodeEmpty      = func() error { return errf(400, "PHONE_CODE_EMPTY") }
	errCodeHashEmpty  = func() error { return errf(400, "PHONE_CODE_HASH_EMPTY") }
	errOccupied       = func() error { return errf(400, "PHONE_NUMBER_OCCUPIED") }
	errPasswordNeeded = func() error { return errf(401, "SESSION_PASSWORD_NEEDED") }
)

// caller identifies who makes a request.
type caller struct {
	dc      int
	keyID   [8]byte
	session int64
}

// authorized returns the account bound to the caller's key. Called with mu held.
func (st *state) authorized(c caller) (*account, bool) {
	k := st.keys[c.keyID]
	if k == nil {
		k = &keyAuth{}
		st.keys[c.keyID] = k
	}
	if k.userID == 0 && st.opts.PreAuthorize && !k.loggedOut && len(st.opts.Accounts) > 0 {
		k.userID = st.firstAccountID()
	}
	if k.userID == 0 {
		return nil, false
	}
	a, ok := st.accounts[k.userID]
	return a, ok
}

func (st *state) firstAccountID() int64 {
	if id, ok := st.byPhone[mustNormalize(st.opts.Accounts[0].Phone)]; ok {
		return id
	}
	var min int64
	for id := range st.accounts {
		if min == 0 || id < min {
			min = id
		}
	}
	return min
}

func mustNormalize(p string) string {
	n, _ := normalizePhone(p)
	return n
}

func (st *state) bind(c caller, userID int64) {
	k := st.keys[c.keyID]
	if k == nil {
		k = &keyAuth{}
		st.keys[c.keyID] = k
	}
	k.userID = userID
	k.loggedOut = false
	k.passwordUser = 0
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func randomInt64() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) &^ (1 << 63))
}

// checkFlood counts a code request for phone. Called with mu held.
func (st *state) checkFlood(phone string) error {
	now := time.Now()
	w := st.flood[phone]
	if w == nil || now.Sub(w.start) >= st.opts.FloodWindow {
		w = &floodWindow{start: now}
		st.flood[phone] = w
	}
	w.count++
	if w.count > st.opts.FloodLimit {
		left := st.opts.FloodWindow - now.Sub(w.start)
		secs := int((left + time.Second - 1) / time.Second)
		if secs < 1 {
			secs = 1
		}
		return errf(420, "FLOOD_WAIT_"+strconv.Itoa(secs))
	}
	return nil
}

// sendCode implements the common part of auth.sendCode,
// account.sendChangePhoneCode and account.sendVerifyPhoneCode.
func (st *state) sendCode(rq *request, rawPhone string, p purpose, user *account) (tg.AuthSentCodeClass, error) {
	c := rq.caller
	phone, ok := normalizePhone(rawPhone)
	if !ok {
		return nil, errPhoneInvalid()
	}
	if err := st.checkFlood(phone); err != nil {
		return nil, err
	}
	pl := planFor(phone)
	var owner *account
	if id, ok := st.byPhone[phone]; ok {
		owner = st.accounts[id]
	}
	if p == forChange && owner != nil {
		return nil, errOccupied()
	}
	if p == forLogin && owner != nil && owner.DC != c.dc {
		return nil, errf(303, fmt.Sprintf("PHONE_MIGRATE_%d", owner.DC))
	}
	switch pl.outcome {
	case outBanned:
		return nil, errf(400, "PHONE_NUMBER_BANNED")
	case outFreshForbidden:
		if p == forChange {
			return nil, errf(406, "FRESH_CHANGE_PHONE_FORBIDDEN")
		}
	case outMigrate:
		if c.dc != 1 && st.opts.DCs >= 2 {
			return nil, errf(303, "PHONE_MIGRATE_1")
		}
	case outFloodShort:
		if last, ok := st.shortWait[phone]; !ok || time.Since(last) > 3*time.Second {
			st.shortWait[phone] = time.Now()
			return nil, errf(420, "FLOOD_WAIT_1")
		}
		delete(st.shortWait, phone)
	case outSuccess:
		target := user
		if p == forLogin {
			if owner == nil {
				return nil, errf(400, "PHONE_NUMBER_UNOCCUPIED")
			}
			target = owner
			st.bind(c, owner.ID)
		}
		return &tg.AuthSentCodeSuccess{Authorization: &tg.AuthAuthorization{User: target.user(true)}}, nil
	case outPayment:
		return &tg.AuthSentCodePaymentRequired{
			StoreProduct:        "org.telegram.premium.login",
			PhoneCodeHash:       randomHex(9),
			SupportEmailAddress: "sms@example.com",
			SupportEmailSubject: "Login code for " + phone,
			PremiumDays:         7,
			Currency:            "USD",
			Amount:              199,
		}, nil
	}

	pc := &pendingCode{
		phone:   phone,
		hash:    randomHex(9),
		code:    codeFor(c.dc),
		purpose: p,
		chain:   pl.chain,
		timed:   pl.timed,
	}
	if user != nil {
		pc.userID = user.ID
	}
	if pl.outcome == outBig || rq.big {
		// A 1 MiB hash: the client must carry it intact to signIn/changePhone.
		pc.hash += strings.Repeat("x", 1<<20-len(pc.hash))
	}
	st.deliver(pc)
	rq.gzip = pl.outcome == outGzip
	return pc.sentCode(st.timeoutSecs()), nil
}

func (st *state) timeoutSecs() int { return int(st.opts.CodeTimeout / time.Second) }

// deliver stores the code and writes it to the code log. Called with mu held.
func (st *state) deliver(pc *pendingCode) {
	life := st.opts.CodeTimeout
	if !pc.timed {
		life = 5 * time.Minute
	}
	pc.expires = time.Now().Add(life)
	st.codes[pc.phone+"/"+pc.hash] = pc
	rec := CodeRecord{
		Phone:    pc.phone,
		Code:     pc.code,
		Purpose:  pc.purpose.String(),
		Delivery: pc.chain[pc.step].String(),
		Hash:     pc.hash,
		Time:     time.Now(),
	}
	if len(rec.Hash) > 64 {
		rec.Hash = rec.Hash[:16] + "…"
	}
	st.log = append(st.log, rec)
	if len(st.log) > 1000 {
		st.log = st.log[len(st.log)-1000:]
	}
	if st.opts.CodeLog != nil {
		_, _ = fmt.Fprintf(st.opts.CodeLog, "code %s for +%s (%s, %s)\n", rec.Code, rec.Phone, rec.Purpose, rec.Delivery)
	}
}

// takeCode validates a code for phone/hash/purpose and consumes it.
// Called with mu held.
func (st *state) takeCode(rawPhone, hash, code string, p purpose, userID int64) (*pendingCode, error) {
	phone, ok := normalizePhone(rawPhone)
	if !ok {
		return nil, errPhoneInvalid()
	}
	if hash == "" {
		return nil, errCodeHashEmpty()
	}
	if code == "" {
		return nil, errCodeEmpty()
	}
	pc, ok := st.codes[phone+"/"+hash]
	if !ok || pc.purpose != p || (p != forLogin && pc.userID != userID) {
		return nil, errCodeExpired()
	}
	if time.Now().After(pc.expires) {
		delete(st.codes, phone+"/"+hash)
		return nil, errCodeExpired()
	}
	if code != pc.code {
		return nil, errCodeInvalid()
	}
	delete(st.codes, phone+"/"+hash)
	return pc, nil
}
