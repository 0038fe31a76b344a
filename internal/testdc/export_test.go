package testdc

// CloseConns has the DC close every MTProto connection, as it does one
// that stayed silent past its read timeout.
func (s *Server) CloseConns() {
	s.connMu.Lock()
	conns := make([]*wireConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.connMu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}
