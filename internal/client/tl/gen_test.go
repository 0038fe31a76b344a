package tl

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGeneratedIsFresh runs this package's go:generate commands into a
// temporary directory and compares what they write with what is committed:
// the reduced schema (from gotd's schema and the methods named in tl.go)
// and the Go code gotdgen makes of it.
func TestGeneratedIsFresh(t *testing.T) {
	if testing.Short() || runtime.GOOS == "js" {
		t.Skip("runs the generators")
	}
	dir := t.TempDir()
	for _, args := range generateCommands(t) {
		for i := range args {
			switch {
			case i > 0 && args[i-1] == "-o", i > 0 && args[i-1] == "-schema":
				args[i] = filepath.Join(dir, args[i])
			case i > 0 && args[i-1] == "-target":
				args[i] = dir
			}
		}
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Stderr = os.Stderr
		require.NoError(t, cmd.Run(), strings.Join(args, " "))
	}
	committed := generated(t, ".")
	fresh := generated(t, dir)
	require.Equal(t, names(fresh), names(committed), "the generated files: run go generate ./internal/client/tl")
	for name, want := range fresh {
		require.True(t, want == committed[name], "%s is stale: run go generate ./internal/client/tl", name)
	}
}

// generateCommands reads the go:generate lines of tl.go.
func generateCommands(t *testing.T) [][]string {
	f, err := os.Open("tl.go")
	require.NoError(t, err)
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "//go:generate "); ok {
			out = append(out, strings.Fields(line))
		}
	}
	require.NoError(t, sc.Err())
	require.Len(t, out, 2, "tl.go reduces the schema, then generates")
	return out
}

// generated reads the reduced schema and the generated Go files of dir.
func generated(t *testing.T, dir string) map[string]string {
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := map[string]string{}
	for _, e := range entries {
		name := e.Name()
		if name == "api.reduced.tl" || strings.HasPrefix(name, "tl_") && strings.HasSuffix(name, "_gen.go") {
			b, err := os.ReadFile(filepath.Join(dir, name))
			require.NoError(t, err)
			out[name] = string(b)
		}
	}
	return out
}

func names(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
