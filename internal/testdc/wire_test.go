package testdc

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// frame is an intermediate-transport frame: a length, then the payload.
func frame(payload []byte) []byte {
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(payload))), payload...)
}

// unencrypted is a payload with auth_key_id 0: msg_id, length, then an
// object starting with constructor id.
func unencrypted(id uint32) []byte {
	p := make([]byte, 24)
	binary.LittleEndian.PutUint32(p[16:], 4)
	binary.LittleEndian.PutUint32(p[20:], id)
	return p
}

// tgtest reads its map of auth keys for every frame it is handed, the zero
// key of a key exchange's frames included, and writes it after dh_gen_ok:
// each frame is handed over under the read lock, kept until the next
// read, and dh_gen_ok takes the write lock until then.
func TestWireGuardsAuthKeys(t *testing.T) {
	keyed := append([]byte{1, 2, 3, 4, 5, 6, 7, 8}, make([]byte, 16)...)
	const reqPQMulti = 0xbe7e8ef1
	for _, tt := range []struct {
		name    string
		payload []byte
	}{
		{"a key exchange's frame (zero key)", unencrypted(reqPQMulti)},
		{"a frame with an auth key", keyed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var keys sync.RWMutex
			in := append(frame(tt.payload), frame(tt.payload)...)
			nc, peer := net.Pipe()
			defer peer.Close()
			c := &wireConn{Conn: nc, r: bytes.NewReader(in), w: io.Discard, keys: &keys, closed: make(chan struct{})}
			got := make([]byte, len(in)/2)
			_, err := io.ReadFull(c, got)
			require.NoError(t, err)
			require.Equal(t, in[:len(got)], got)
			require.False(t, keys.TryLock(), "handed over under the read lock")
			require.True(t, keys.TryRLock(), "other connections still look keys up")
			keys.RUnlock()

			_, err = c.Write(frame(unencrypted(dhGenOK)))
			require.NoError(t, err)
			require.False(t, keys.TryRLock(), "dh_gen_ok holds the write lock until tgtest reads again")

			_, err = io.ReadFull(c, got)
			require.NoError(t, err)
			require.False(t, keys.TryLock(), "the next frame, under the read lock again")
			require.NoError(t, c.Close())
			require.True(t, keys.TryLock(), "closing lets go")
		})
	}
}
