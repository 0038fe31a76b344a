//go:build !js

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLinks checks what the js/wasm build of this command imports: the
// primitives the client is made of, and none of the layers above them it
// replaced (their code was most of the module's size: gotd's tg holds the
// whole API layer, its mtproto links a second WebSocket library, tracing,
// logging and klauspost's compressors).
func TestLinks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))

	for _, want := range []string{
		"nhooyr.io/websocket",
		"github.com/gotd/td/crypto",
		"github.com/gotd/td/bin",
		"github.com/gotd/td/proto/codec",
		"github.com/gotd/td/mtproxy/obfuscated2",
		"github.com/gotd/td/mt",
		"github.com/gotd/td/tgerr",
		"github.com/tgwasm/tgwasm/internal/client/tl",
		"github.com/tgwasm/tgwasm/internal/client/mtconn",
	} {
		require.Contains(t, deps, want)
	}
	banned := map[string]bool{ // a package, and whether its subpackages are banned too
		"github.com/gotd/td/tg":         true,
		"github.com/gotd/td/telegram":   true,
		"github.com/gotd/td/mtproto":    true,
		"github.com/gotd/td/transport":  true,
		"github.com/gotd/td/exchange":   true,
		"github.com/gotd/td/proto":      false, // its message types; proto/codec is the framing we use
		"github.com/coder/websocket":    true,
		"github.com/klauspost/compress": true,
		"go.opentelemetry.io/otel":      true,
		"go.uber.org/zap":               true,
	}
	for _, dep := range deps {
		for p, subs := range banned {
			if dep == p || subs && strings.HasPrefix(dep, p+"/") {
				t.Errorf("the wasm imports %s", dep)
			}
		}
	}
}
