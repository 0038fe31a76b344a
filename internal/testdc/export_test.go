package testdc

import (
	"maps"
	"slices"
)

// CloseConns has the DC close every MTProto connection, as it does one
// that stayed silent past its read timeout.
func (s *Server) CloseConns() {
	s.connMu.Lock()
	conns := slices.Collect(maps.Keys(s.conns))
	s.connMu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}
