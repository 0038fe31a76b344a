package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStaticHandler(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"tgwasm.wasm":    "raw",
		"tgwasm.wasm.br": "br",
		"tgwasm.wasm.gz": "gz",
		"index.html":     "<!doctype html>",
		"favicon.svg":    "<svg/>",
		"worker.js":      "//",
		"BUILD_ID":       "abc123\n",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600))
	}
	h := staticHandler(dir)
	for _, tt := range []struct {
		path, accept string
		status       int
		body, ctype  string
		encoding     string
		cache        string
	}{
		{"/tgwasm.wasm", "gzip, deflate, br", http.StatusOK, "br", "application/wasm", "br", "no-cache"},
		{"/tgwasm.wasm", "gzip", http.StatusOK, "gz", "application/wasm", "gzip", "no-cache"},
		{"/tgwasm.wasm", "br;q=0, gzip", http.StatusOK, "gz", "application/wasm", "gzip", "no-cache"},
		{"/tgwasm.wasm", "", http.StatusOK, "raw", "application/wasm", "", "no-cache"},
		{"/", "", http.StatusOK, "<!doctype html>", "text/html; charset=utf-8", "", "no-cache"},
		{"/favicon.ico", "", http.StatusOK, "<svg/>", "image/svg+xml", "", "no-cache"},
		{"/worker.js", "", http.StatusOK, "//", "text/javascript; charset=utf-8", "", "no-cache"},
		// This build's files under /v/<id>/ are immutable; other ids are not this build.
		{"/v/abc123/tgwasm.wasm", "br", http.StatusOK, "br", "application/wasm", "br", "public, max-age=31536000, immutable"},
		{"/v/abc123/worker.js", "", http.StatusOK, "//", "text/javascript; charset=utf-8", "", "public, max-age=31536000, immutable"},
		{"/v/old999/worker.js", "", http.StatusNotFound, "404 page not found\n", "text/plain; charset=utf-8", "", ""},
		{"/v/abc123/", "", http.StatusNotFound, "404 page not found\n", "text/plain; charset=utf-8", "", ""},
		{"/missing.wasm", "", http.StatusNotFound, "404 page not found\n", "text/plain; charset=utf-8", "", ""},
		{"/../main.go", "", http.StatusNotFound, "404 page not found\n", "text/plain; charset=utf-8", "", ""},
	} {
		t.Run(tt.path+" "+tt.accept, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Encoding", tt.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, tt.status, rec.Code)
			require.Equal(t, tt.body, rec.Body.String())
			require.Equal(t, tt.ctype, rec.Header().Get("Content-Type"))
			require.Equal(t, tt.encoding, rec.Header().Get("Content-Encoding"))
			if tt.status == http.StatusOK {
				require.Equal(t, tt.cache, rec.Header().Get("Cache-Control"))
				require.Regexp(t, `^"[0-9a-f]{32}"$`, rec.Header().Get("ETag"))
			}
			// Pages and (worker) scripts run under the demo's policy.
			ext := filepath.Ext(tt.path)
			if tt.status == http.StatusOK && (tt.path == "/" || ext == ".js") {
				require.Equal(t, csp, rec.Header().Get("Content-Security-Policy"))
			} else {
				require.Empty(t, rec.Header().Get("Content-Security-Policy"))
			}
		})
	}
}

// TestRevalidation: a strong ETag per representation, and a 304 for a
// client that has it.
func TestRevalidation(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tgwasm.wasm"), []byte("raw bytes"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tgwasm.wasm.br"), []byte("br"), 0o600))
	h := staticHandler(dir)
	get := func(accept, ifNoneMatch string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/tgwasm.wasm", nil)
		req.Header.Set("Accept-Encoding", accept)
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	br, raw := get("br", ""), get("identity", "")
	require.NotEqual(t, br.Header().Get("ETag"), raw.Header().Get("ETag"), "one tag per representation")
	again := get("br", br.Header().Get("ETag"))
	require.Equal(t, http.StatusNotModified, again.Code)
	require.Empty(t, again.Body.String())
	require.Equal(t, http.StatusOK, get("br", raw.Header().Get("ETag")).Code)
}
