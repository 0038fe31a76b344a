package client

import "fmt"

// Level says how much a diagnostic matters. The values are the names a
// page's logger receives (createClient's logger option).
type Level string

// The levels, most serious first.
const (
	// LevelError: something the client cannot mend by itself.
	LevelError Level = "error"
	// LevelWarn: a link dropped, a refused attempt: mended, but worth
	// knowing when calls are slow.
	LevelWarn Level = "warn"
	// LevelInfo: what the client does: connecting, the handshake, ready,
	// probes and their answers, backoff, migration, FLOOD_WAIT sleeps.
	LevelInfo Level = "info"
	// LevelDebug: the details under those.
	LevelDebug Level = "debug"
)

// logf hands a diagnostic to Options.Log. Secrets (auth keys, session
// strings, codes, passwords) are never formatted into one.
func (c *Client) logf(level Level, format string, args ...any) {
	if c.opts.Log != nil {
		c.opts.Log(level, fmt.Sprintf(format, args...))
	}
}
