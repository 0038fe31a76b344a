package transport

import (
	"net/url"

	"github.com/go-faster/errors"
)

// Kind selects the set of data centres a client talks to.
type Kind int

const (
	// Production is Telegram's production network.
	Production Kind = iota
	// Test is Telegram's test network.
	Test
	// Custom is a single caller-supplied endpoint (a local DC, a proxy).
	Custom
)

// String implements fmt.Stringer.
func (k Kind) String() string {
	switch k {
	case Production:
		return "production"
	case Test:
		return "test"
	case Custom:
		return "custom"
	default:
		return "unknown"
	}
}

// dcNames are the host names Telegram's web clients use for DC 1..5.
var dcNames = [...]string{1: "pluto", 2: "venus", 3: "aurora", 4: "vesta", 5: "flora"}

// MaxDC is the highest DC number of Telegram's production and test networks.
const MaxDC = 5

// URL returns the WebSocket endpoint of dc for the given network kind.
//
// Production DCs are wss://{pluto,venus,aurora,vesta,flora}.web.telegram.org/apiws,
// test DCs the same hosts with /apiws_test. A custom network has one URL for
// every DC: the DC number travels in the obfuscated2 header, as with MTProxy.
func URL(kind Kind, dc int, custom string) (string, error) {
	switch kind {
	case Production, Test:
		if dc < 1 || dc > MaxDC {
			return "", errors.Errorf("dc %d out of range 1..%d", dc, MaxDC)
		}
		path := "/apiws"
		if kind == Test {
			path = "/apiws_test"
		}
		return "wss://" + dcNames[dc] + ".web.telegram.org" + path, nil
	case Custom:
		if err := CheckURL(custom); err != nil {
			return "", err
		}
		return custom, nil
	default:
		return "", errors.Errorf("unknown server kind %d", kind)
	}
}

// CheckURL reports whether s is an absolute ws:// or wss:// URL with a host.
func CheckURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.Wrap(err, "parse url")
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return errors.Errorf("url scheme must be ws or wss, got %q", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("url has no host")
	}
	return nil
}
