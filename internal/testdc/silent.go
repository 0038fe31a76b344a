package testdc

import (
	"net"
	"sync"
)

// silentListener accepts TCP connections and never answers them.
type silentListener struct {
	net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

// ListenSilent listens on a loopback port for a DC that accepts TCP and
// never answers the WebSocket handshake: only a dial timeout or the
// caller's deadline ends a dial to it. Close ends the listener and every
// connection it accepted.
func ListenSilent() (net.Listener, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &silentListener{Listener: l}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, conn)
			s.mu.Unlock()
		}
	}()
	return s, nil
}

func (s *silentListener) Close() error {
	err := s.Listener.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		_ = c.Close()
	}
	s.conns = nil
	return err
}
