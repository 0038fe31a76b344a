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
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600))
	}
	h := staticHandler(dir)
	for _, tt := range []struct {
		path, accept string
		status       int
		body, ctype  string
		encoding     string
	}{
		{"/tgwasm.wasm", "gzip, deflate, br", http.StatusOK, "br", "application/wasm", "br"},
		{"/tgwasm.wasm", "gzip", http.StatusOK, "gz", "application/wasm", "gzip"},
		{"/tgwasm.wasm", "br;q=0, gzip", http.StatusOK, "gz", "application/wasm", "gzip"},
		{"/tgwasm.wasm", "", http.StatusOK, "raw", "application/wasm", ""},
		{"/", "", http.StatusOK, "<!doctype html>", "text/html; charset=utf-8", ""},
		{"/favicon.ico", "", http.StatusOK, "<svg/>", "image/svg+xml", ""},
		{"/worker.js", "", http.StatusOK, "//", "text/javascript; charset=utf-8", ""},
		{"/missing.wasm", "", http.StatusNotFound, "404 page not found\n", "text/plain; charset=utf-8", ""},
		{"/../main.go", "", http.StatusNotFound, "404 page not found\n", "text/plain; charset=utf-8", ""},
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
