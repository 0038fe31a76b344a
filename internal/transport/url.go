package transport

//go:generate go test -run TestEndpointsJS -update .

import (
	"strconv"
	"strings"

	"github.com/go-faster/errors"
)

// Network is the set of data centres a client talks to.
type Network int

const (
	// Production is Telegram's production network.
	Production Network = iota
	// Test is Telegram's test network.
	Test
	// Custom is a single caller-supplied endpoint (a local DC, a proxy).
	Custom
)

// String implements fmt.Stringer.
func (n Network) String() string {
	switch n {
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

// URL returns the WebSocket endpoint of dc on network.
//
// Production DCs are wss://{pluto,venus,aurora,vesta,flora}.web.telegram.org/apiws,
// test DCs the same hosts with /apiws_test. A custom network has one URL for
// every DC: the DC number travels in the obfuscated2 header, as with MTProxy.
func URL(network Network, dc int, custom string) (string, error) {
	switch network {
	case Production, Test:
		if dc < 1 || dc > MaxDC {
			return "", errors.Errorf("dc %d out of range 1..%d", dc, MaxDC)
		}
		path := "/apiws"
		if network == Test {
			path = "/apiws_test"
		}
		return "wss://" + dcNames[dc] + ".web.telegram.org" + path, nil
	case Custom:
		if err := CheckURL(custom); err != nil {
			return "", err
		}
		return custom, nil
	default:
		return "", errors.Errorf("unknown network %d", network)
	}
}

// CheckURL reports whether s is an absolute ws:// or wss:// URL with a
// host. (A small check rather than net/url, which would add 28 KB to the
// wasm.)
func CheckURL(s string) error {
	_, _, _, err := SplitURL(s)
	return err
}

// SplitURL returns the scheme, host and port of a ws:// or wss:// URL; the
// port is the scheme's default when the URL has none. IPv6 hosts keep
// their brackets off ("::1").
func SplitURL(s string) (scheme, host string, port int, err error) {
	switch {
	case strings.HasPrefix(s, "ws://"):
		scheme, port = "ws", 80
	case strings.HasPrefix(s, "wss://"):
		scheme, port = "wss", 443
	default:
		i := strings.Index(s, "://")
		if i < 0 {
			return "", "", 0, errors.Errorf("%q is not an absolute URL", s)
		}
		return "", "", 0, errors.Errorf("url scheme must be ws or wss, got %q", s[:i])
	}
	rest := s[len(scheme)+3:]
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if strings.ContainsAny(s, " \t\n\r\\") {
		return "", "", 0, errors.Errorf("url %q has a blank or a backslash", s)
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	host = rest
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return "", "", 0, errors.Errorf("url %q has an unclosed [", s)
		}
		host = rest[1:end]
		rest = rest[end+1:]
		if rest != "" && rest[0] != ':' {
			return "", "", 0, errors.Errorf("url %q: unexpected %q after the host", s, rest)
		}
	} else if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		host = rest[:i]
		rest = rest[i:]
	} else {
		rest = ""
	}
	if host == "" {
		return "", "", 0, errors.New("url has no host")
	}
	if rest != "" {
		p, convErr := strconv.Atoi(rest[1:])
		if convErr != nil || p < 1 || p > 65535 {
			return "", "", 0, errors.Errorf("url %q has a bad port", s)
		}
		port = p
	}
	return scheme, host, port, nil
}
