// Package session holds what a client needs to resume: the DC, its address
// and the auth key, and reads and writes it as a GramJS StringSession.
//
// The string format is GramJS's (gramjs/sessions/StringSession.ts):
// "1" + base64(dcId:uint8, addrLen:int16 BE, addr, port:int16 BE,
// authKey:256 bytes). addr is an IPv4 or IPv6 literal or a host name.
package session

import (
	"encoding/base64"
	"encoding/binary"
	"strconv"
	"strings"
	"sync"

	"github.com/go-faster/errors"
)

// Version is the StringSession version prefix.
const Version = '1'

// KeySize is the size of an MTProto auth key.
const KeySize = 256

// Data is a resumable session.
type Data struct {
	DC   int
	Addr string
	Port int
	// Key is the permanent auth key of DC; all zero when there is none.
	Key [KeySize]byte
}

// Empty reports whether d holds no auth key.
func (d Data) Empty() bool { return d.Key == [KeySize]byte{} }

// Error describes why a session string was rejected.
type Error struct{ Reason string }

func (e *Error) Error() string { return "invalid session string: " + e.Reason }

func invalid(format string, args ...any) error {
	return &Error{Reason: errors.Errorf(format, args...).Error()}
}

// telethonV4Len is the base64 length of a Telethon IPv4 session
// (1 + 4 + 2 + 256 bytes), which GramJS recognises by this length.
const telethonV4Len = 352

// maxAddr bounds the address field (a host name is at most 253 bytes).
const maxAddr = 253

// Encode returns d as a GramJS StringSession. An empty session encodes as ""
// (GramJS's save() does the same).
func Encode(d Data) (string, error) {
	if d.Empty() {
		return "", nil
	}
	if err := d.validate(); err != nil {
		return "", err
	}
	buf := make([]byte, 0, 1+2+len(d.Addr)+2+KeySize)
	buf = append(buf, byte(d.DC))
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(d.Addr)))
	buf = append(buf, d.Addr...)
	buf = binary.BigEndian.AppendUint16(buf, uint16(d.Port))
	buf = append(buf, d.Key[:]...)
	return string(Version) + base64.StdEncoding.EncodeToString(buf), nil
}

func (d Data) validate() error {
	if d.DC < 1 || d.DC > 255 {
		return invalid("dc %d out of range 1..255", d.DC)
	}
	if len(d.Addr) < 4 {
		// Shorter ones make strings GramJS misreads as Telethon's format.
		return invalid("server address %q is shorter than 4 characters", d.Addr)
	}
	if len(d.Addr) > maxAddr {
		return invalid("server address of %d bytes", len(d.Addr))
	}
	for _, r := range d.Addr {
		if r <= ' ' || r > '~' {
			return invalid("server address %q has a character %q", d.Addr, r)
		}
	}
	if d.Port < 1 || d.Port > 65535 {
		return invalid("port %d out of range 1..65535", d.Port)
	}
	return nil
}

// Decode parses a GramJS StringSession. "" decodes to an empty Data. Like
// GramJS it also reads Telethon's format (packed IPv4/IPv6 addresses), and
// like Node's Buffer.from(s, 'base64') it accepts standard and URL-safe
// base64 with or without padding.
func Decode(s string) (Data, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Data{}, nil
	}
	if s[0] != Version {
		return Data{}, invalid("unknown version %q (want %q)", s[0], Version)
	}
	raw, err := decodeBase64(s[1:])
	if err != nil {
		return Data{}, invalid("not base64: %v", err)
	}
	if len(raw) < 1+2 {
		return Data{}, invalid("%d bytes is too short", len(raw))
	}
	var d Data
	d.DC = int(raw[0])
	var rest []byte
	n := int(binary.BigEndian.Uint16(raw[1:3]))
	switch {
	case len(s)-1 == telethonV4Len:
		// Telethon's StringSession (GramJS reads it too): a packed IPv4.
		d.Addr = formatIPv4(raw[1:5])
		rest = raw[5:]
	case len(raw) == 1+16+2+KeySize && n > 100:
		// Telethon with a packed IPv6 (GramJS tells it by the length field).
		d.Addr = formatIPv6(raw[1:17])
		rest = raw[17:]
	default:
		rest = raw[3:]
		if n > len(rest) {
			return Data{}, invalid("address length %d exceeds the data", n)
		}
		d.Addr = string(rest[:n])
		rest = rest[n:]
	}
	if len(rest) < 2 {
		return Data{}, invalid("no port")
	}
	// GramJS writes the port with writeInt16BE; read it unsigned so that
	// ports above 32767 survive.
	d.Port = int(binary.BigEndian.Uint16(rest[:2]))
	rest = rest[2:]
	if len(rest) != KeySize {
		return Data{}, invalid("auth key of %d bytes (want %d)", len(rest), KeySize)
	}
	copy(d.Key[:], rest)
	if d.Empty() {
		return Data{}, invalid("auth key is all zero")
	}
	if err := d.validate(); err != nil {
		return Data{}, err
	}
	return d, nil
}

func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '-':
			return '+'
		case '_':
			return '/'
		case '\n', '\r', ' ', '\t':
			return -1
		}
		return r
	}, s)
	s = strings.TrimRight(s, "=")
	return base64.RawStdEncoding.DecodeString(s)
}

// Storage keeps a session between runs.
type Storage interface {
	Load() (Data, error)
	Save(Data) error
}

// Memory is a Storage that keeps the session in memory only.
type Memory struct {
	mu sync.Mutex
	d  Data
}

// Load implements Storage.
func (m *Memory) Load() (Data, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.d, nil
}

// Save implements Storage.
func (m *Memory) Save(d Data) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.d = d
	return nil
}

// Func adapts a save callback (and an initial value) to Storage.
type Func struct {
	Initial Data
	OnSave  func(Data) error
}

// Load implements Storage.
func (f Func) Load() (Data, error) { return f.Initial, nil }

// Save implements Storage.
func (f Func) Save(d Data) error {
	if f.OnSave == nil {
		return nil
	}
	return f.OnSave(d)
}

// formatIPv4 and formatIPv6 print packed addresses (RFC 5952 for IPv6)
// without net/netip, which would add 24 KB to the wasm.
func formatIPv4(b []byte) string {
	return strconv.Itoa(int(b[0])) + "." + strconv.Itoa(int(b[1])) + "." + strconv.Itoa(int(b[2])) + "." + strconv.Itoa(int(b[3]))
}

func formatIPv6(b []byte) string {
	var words [8]uint16
	for i := range words {
		words[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	// The longest run of two or more zero words becomes "::".
	bestStart, bestLen := -1, 1
	for i := 0; i < 8; {
		if words[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && words[j] == 0 {
			j++
		}
		if j-i > bestLen {
			bestStart, bestLen = i, j-i
		}
		i = j
	}
	var sb strings.Builder
	for i := 0; i < 8; i++ {
		if i == bestStart {
			sb.WriteString("::")
			i += bestLen - 1
			continue
		}
		if i > 0 && !(bestStart >= 0 && i == bestStart+bestLen) {
			sb.WriteByte(':')
		}
		sb.WriteString(strconv.FormatUint(uint64(words[i]), 16))
	}
	return sb.String()
}
