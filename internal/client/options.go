package client

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha512"
	"io"
	"math/big"
	"net"
	"time"

	"github.com/gotd/td/clock"
	"github.com/gotd/td/crypto"

	"github.com/tgwasm/tgwasm/internal/kex"
	"github.com/tgwasm/tgwasm/internal/session"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// Device describes the client in initConnection.
type Device struct {
	DeviceModel    string
	SystemVersion  string
	AppVersion     string
	LangCode       string
	SystemLangCode string
	LangPack       string
}

// Options configures a Client. The options createClient takes come here
// as web/tgwasm/options.js normalized them: that file owns their rules and
// defaults (DC 2, a 60 s flood-sleep threshold, the browser's device), and
// a Go caller sets what it needs. The defaults below are the client's own
// knobs, which the page never sets.
type Options struct {
	APIID   int
	APIHash string

	// Network selects production, test or one custom endpoint (URL).
	Network transport.Network
	URL     string
	// DC is the first DC; a stored session overrides it.
	DC int
	// PublicKeys are required for Custom; Telegram's built-in keys are
	// used for production and test.
	PublicKeys []kex.PublicKey

	Device Device

	// FloodSleepThreshold: FLOOD_WAIT of at most this long is slept
	// through and the call retried; longer ones are returned (zero: none
	// but FLOOD_WAIT_0).
	FloodSleepThreshold time.Duration

	// Storage loads the session at start and receives every change.
	Storage session.Storage
	// ClaimKey, when set, is called before a new auth key is made: other
	// clients may keep their session in the same place (tabs of one
	// origin). It waits for the right to make the key and returns the
	// session another client stored meanwhile (used instead of a new key),
	// or an empty one and release, to be called once the new key is
	// stored or making it failed.
	ClaimKey func(ctx context.Context) (session.Data, func(), error)

	// OnState observes connection state changes (called synchronously
	// from the connection goroutine; do not block).
	OnState func(State)

	// Log receives diagnostics with their level (called from the client's
	// goroutines; do not block). Secrets (auth keys, session strings,
	// codes, passwords) are never passed to it.
	Log func(level Level, message string)

	// DialTimeout bounds opening the WebSocket (default 15s).
	DialTimeout time.Duration
	// NetDial opens the TCP connection of a native client (tests; see
	// transport.Options).
	NetDial func(ctx context.Context, network, addr string) (net.Conn, error)
	// ExchangeTimeout bounds each step of a key exchange (default 20s).
	ExchangeTimeout time.Duration
	// ReconnectMin/Max bound the reconnect backoff (250ms, 10s).
	ReconnectMin, ReconnectMax time.Duration

	// PingInterval is the idle keep-alive period (default 15s): a
	// ping_delay_disconnect asking the DC to close the connection if the
	// next one does not come within PingInterval+PingTimeout. A pong
	// missing after PingTimeout (default 10s) ends the connection, so an
	// idle link that died silently is noticed within 25 s.
	PingInterval, PingTimeout time.Duration
	// SilenceAfter: while a call is in flight and nothing at all has come
	// from the DC for this long (default 3s), the link is probed with a
	// ping that must be answered within ProbeTimeout (default 3s); no
	// answer drops it, and the calls in flight move to a new connection.
	// Check probes the same way at once.
	SilenceAfter, ProbeTimeout time.Duration

	// Clock is the time source of every timer: flood waits, backoff,
	// keep-alive and probes (clock.System by default; tests pass a fake).
	Clock clock.Clock

	// ClockSkew shifts the client's idea of the time (tests of clock
	// correction); the client learns the real offset from the server.
	ClockSkew time.Duration
	// Rand is the random source (crypto/rand by default).
	Rand io.Reader

	// ModExp computes x^y mod m for the key exchange and SRP; math/big
	// when nil. PBKDF2SHA512 derives SRP's 100,000-round key; crypto/pbkdf2
	// when nil. A browser build passes the JS engine's BigInt and WebCrypto,
	// which are faster than the same work in wasm.
	ModExp       func(x, y, m *big.Int) *big.Int
	PBKDF2SHA512 func(password, salt []byte, iterations, keyLen int) ([]byte, error)
}

// setDefaults fills in the client's own knobs. The options are not
// validated here: the bridge passes what web/tgwasm/options.js normalized
// (it owns those rules), and a Go caller is trusted the same way; what
// cannot work fails where it is used (transport.URL for a DC, the key
// exchange for keys).
func (o *Options) setDefaults() error {
	if o.Network != transport.Custom && len(o.PublicKeys) == 0 {
		key := productionKey
		if o.Network == transport.Test {
			key = testKey
		}
		o.PublicKeys = []kex.PublicKey{key}
	}
	if o.Storage == nil {
		o.Storage = &session.Memory{}
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = transport.DefaultDialTimeout
	}
	if o.ExchangeTimeout <= 0 {
		o.ExchangeTimeout = 20 * time.Second
	}
	if o.ReconnectMin <= 0 {
		o.ReconnectMin = 250 * time.Millisecond
	}
	if o.ReconnectMax <= 0 {
		o.ReconnectMax = 10 * time.Second
	}
	if o.PingInterval <= 0 {
		o.PingInterval = 15 * time.Second
	}
	if o.PingTimeout <= 0 {
		o.PingTimeout = 10 * time.Second
	}
	if o.SilenceAfter <= 0 {
		o.SilenceAfter = 3 * time.Second
	}
	if o.ProbeTimeout <= 0 {
		o.ProbeTimeout = 3 * time.Second
	}
	if o.Clock == nil {
		o.Clock = clock.System
	}
	if o.Rand == nil {
		o.Rand = crypto.DefaultRand()
	}
	if o.ModExp == nil {
		o.ModExp = func(x, y, m *big.Int) *big.Int { return new(big.Int).Exp(x, y, m) }
	}
	if o.PBKDF2SHA512 == nil {
		o.PBKDF2SHA512 = func(password, salt []byte, iterations, keyLen int) ([]byte, error) {
			return pbkdf2.Key(sha512.New, string(password), salt, iterations, keyLen)
		}
	}
	return nil
}

// productionIPs are the DC addresses GramJS and TDLib use; a session
// string carries them so it stays usable by clients that dial TCP.
var productionIPs = map[int]string{
	1: "149.154.175.53",
	2: "149.154.167.51",
	3: "149.154.175.100",
	4: "149.154.167.91",
	5: "91.108.56.130",
}

var testIPs = map[int]string{
	1: "149.154.175.10",
	2: "149.154.167.40",
	3: "149.154.175.117",
}

// address is the (addr, port) a session string records for dc.
func (o *Options) address(dc int) (string, int) {
	switch o.Network {
	case transport.Production:
		if ip, ok := productionIPs[dc]; ok {
			return ip, 443
		}
	case transport.Test:
		if ip, ok := testIPs[dc]; ok {
			return ip, 443
		}
	case transport.Custom:
		if _, host, port, err := transport.SplitURL(o.URL); err == nil {
			return host, port
		}
	}
	return "127.0.0.1", 443
}

// kexDC is the DC number inside p_q_inner_data_dc: test DCs add 10000.
func (o *Options) kexDC(dc int) int {
	if o.Network == transport.Test {
		return dc + 10000
	}
	return dc
}
