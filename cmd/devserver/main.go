// Command devserver serves the demo and the local test DC on one origin:
//
//	go run ./cmd/devserver
//
// It rebuilds dist/ (scripts/build.sh) when sources are newer than the
// wasm, serves dist/ with application/wasm and the precompressed .br/.gz
// files under content negotiation, runs a pre-authorized local DC at
// /apiws (control API under /testdc/) and prints one URL to open. It binds
// loopback addresses only unless -allow-remote is given, and shuts down
// cleanly on Ctrl-C.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tgwasm/tgwasm/internal/testdc"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "devserver:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		addr        = flag.String("addr", "127.0.0.1:8080", "listen address (loopback only unless -allow-remote)")
		allowRemote = flag.Bool("allow-remote", false, "allow a non-loopback listen address")
		dist        = flag.String("dist", "dist", "directory to serve")
		noBuild     = flag.Bool("no-build", false, "do not rebuild dist/ when sources changed")
		release     = flag.Bool("release", false, "build with full brotli compression (slower)")
		preauth     = flag.Bool("preauth", true, "log every new auth key in as the demo account")
		dcs         = flag.Int("dcs", 2, "number of local DCs")
		codeTimeout = flag.Duration("code-timeout", 0, "timeout and lifetime of sent codes (default 60s)")
		floodLimit  = flag.Int("flood-limit", 0, "code requests per number per minute before FLOOD_WAIT (default 5)")
		verbose     = flag.Bool("v", false, "log DC diagnostics")
	)
	flag.Parse()
	if err := testdc.CheckBind(*addr, *allowRemote); err != nil {
		return err
	}
	if !*noBuild {
		if err := buildIfStale(*dist, *release); err != nil {
			return err
		}
	}
	if _, err := os.Stat(filepath.Join(*dist, "tgwasm.wasm")); err != nil {
		return fmt.Errorf("%s has no tgwasm.wasm (run scripts/build.sh): %w", *dist, err)
	}

	opts := testdc.Options{PreAuthorize: *preauth, DCs: *dcs, CodeLog: os.Stdout, CodeTimeout: *codeTimeout, FloodLimit: *floodLimit}
	if *verbose {
		opts.Log = os.Stderr
	}
	dc, err := testdc.New(opts)
	if err != nil {
		return err
	}
	defer func() { _ = dc.Close() }()

	mux := http.NewServeMux()
	dcHandler := dc.Handler()
	mux.Handle("/apiws", dcHandler)
	mux.Handle("/testdc/", dcHandler)
	mux.Handle("/", staticHandler(*dist))

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: logRequests(mux, *verbose), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()

	url := "http://" + l.Addr().String() + "/"
	fmt.Printf("devserver: serving %s and a local DC (%d DCs, pre-authorized: %v)\n", *dist, *dcs, *preauth)
	fmt.Printf("devserver: login codes are printed below; the DC's control API is at %stestdc/\n", url)
	fmt.Printf("\n    open %s\n\n", url)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	fmt.Println("devserver: shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	return dc.Close()
}

// buildIfStale runs scripts/build.sh when a source file is newer than the
// built wasm (or there is none).
func buildIfStale(dist string, release bool) error {
	built, err := os.Stat(filepath.Join(dist, "tgwasm.wasm"))
	stale := err != nil
	if !stale {
		stale = newerThan(built.ModTime(), []string{"go.mod", "go.sum", "index.html", "wasm", "internal", "web", "scripts/build.sh", "scripts/bundle.mjs"})
	}
	if !stale {
		fmt.Println("devserver: dist/ is up to date")
		return nil
	}
	fmt.Println("devserver: sources changed; building dist/ …")
	cmd := exec.Command("bash", "scripts/build.sh")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "DIST="+dist)
	if !release {
		cmd.Env = append(cmd.Env, "TGWASM_FAST=1")
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	return nil
}

func newerThan(t time.Time, roots []string) bool {
	newer := false
	for _, root := range roots {
		_ = filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
			if err != nil || newer {
				return nil
			}
			if info.IsDir() {
				if name := info.Name(); name == "node_modules" || name == "test" && strings.HasPrefix(path, "web") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(path, "_test.go") {
				return nil
			}
			if info.ModTime().After(t) {
				newer = true
			}
			return nil
		})
	}
	return newer
}

var contentTypes = map[string]string{
	".wasm": "application/wasm",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".html": "text/html; charset=utf-8",
	".json": "application/json",
	".map":  "application/json",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ts":   "text/plain; charset=utf-8",
}

// csp is what the demo runs under: no inline script, wasm allowed.
const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self' ws://127.0.0.1:* ws://localhost:* wss://*.web.telegram.org; worker-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// staticHandler serves dist/ as a production server should:
//
//   - a precompressed variant the client accepts (br before gzip), with
//     Vary: Accept-Encoding;
//   - /v/<build id>/<file> (the id scripts/build.sh wrote to BUILD_ID) as
//     immutable for a year: the demo page loads everything from there, so a
//     repeat visit fetches only the page; another id is a 404;
//   - everything else with a strong ETag (a digest of the bytes served) and
//     Cache-Control: no-cache, so that a revalidation costs a 304.
func staticHandler(dir string) http.Handler {
	etags := &etagCache{m: map[string]etagEntry{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := filepath.Clean("/" + r.URL.Path)
		immutable := false
		if rest, ok := strings.CutPrefix(name, "/v/"); ok {
			id, file, _ := strings.Cut(rest, "/")
			if build, err := os.ReadFile(filepath.Join(dir, "BUILD_ID")); err != nil || id != strings.TrimSpace(string(build)) || file == "" || strings.HasSuffix(r.URL.Path, "/") {
				http.NotFound(w, r)
				return
			}
			name, immutable = "/"+file, true
		} else if strings.HasSuffix(r.URL.Path, "/") {
			name = filepath.Join(name, "index.html")
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		if name == "/favicon.ico" {
			// Browsers ask for it on every page that names no icon (the
			// API tests' pages); answer with the demo's icon, not a 404.
			if _, err := os.Stat(path); err != nil {
				path = filepath.Join(dir, "favicon.svg")
			}
		}
		info, err := os.Stat(path)
		if err != nil || info.IsDir() {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		if ct, ok := contentTypes[filepath.Ext(path)]; ok {
			h.Set("Content-Type", ct)
		}
		if immutable {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		if ext := filepath.Ext(path); ext == ".html" || ext == ".js" {
			// A worker runs under the policy its script came with: the
			// wasm is compiled and the socket opened under it too.
			h.Set("Content-Security-Policy", csp)
		}
		served := path
		accept := r.Header.Get("Accept-Encoding")
		for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if !acceptsEncoding(accept, enc.token) {
				continue
			}
			// Compressors copy the mtime, some at one-second precision.
			if ci, err := os.Stat(path + enc.ext); err == nil && !ci.ModTime().Before(info.ModTime().Truncate(time.Second)) {
				served = path + enc.ext
				h.Set("Content-Encoding", enc.token)
				break
			}
		}
		h.Add("Vary", "Accept-Encoding")
		f, err := os.Open(served)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer func() { _ = f.Close() }()
		fi, err := f.Stat()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		tag, err := etags.get(served, fi)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h.Set("ETag", tag)
		http.ServeContent(w, r, name, fi.ModTime(), f)
	})
}

// etagCache remembers the strong ETag (a SHA-256 prefix of the bytes) of
// each file as of its size and modification time.
type etagCache struct {
	mu sync.Mutex
	m  map[string]etagEntry
}

type etagEntry struct {
	size int64
	mod  time.Time
	tag  string
}

func (c *etagCache) get(path string, fi os.FileInfo) (string, error) {
	c.mu.Lock()
	e, ok := c.m[path]
	c.mu.Unlock()
	if ok && e.size == fi.Size() && e.mod.Equal(fi.ModTime()) {
		return e.tag, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	hash := sha256.New()
	if _, err := io.Copy(hash, f); err != nil {
		return "", err
	}
	tag := `"` + hex.EncodeToString(hash.Sum(nil)[:16]) + `"`
	c.mu.Lock()
	c.m[path] = etagEntry{size: fi.Size(), mod: fi.ModTime(), tag: tag}
	c.mu.Unlock()
	return tag, nil
}

// acceptsEncoding reports whether an Accept-Encoding header allows token
// (q=0 refuses it).
func acceptsEncoding(header, token string) bool {
	for _, part := range strings.Split(header, ",") {
		fields := strings.Split(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(fields[0]), token) {
			continue
		}
		for _, p := range fields[1:] {
			if q := strings.TrimSpace(p); q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
				return false
			}
		}
		return true
	}
	return false
}

func logRequests(h http.Handler, verbose bool) http.Handler {
	if !verbose {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		fmt.Fprintf(os.Stderr, "devserver: %s %s (%s)\n", r.Method, r.URL.Path, time.Since(start).Round(time.Millisecond))
	})
}
