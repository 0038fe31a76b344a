package testdc

import (
	"encoding/json"
	"net/http"
	"strings"
)

// ClientConfig is what a client needs to reach the DC: the
// createClient({ server }) value.
type ClientConfig struct {
	URL        string   `json:"url"`
	DCID       int      `json:"dcId"`
	PublicKeys []string `json:"publicKeys"`
}

// Config returns the client configuration for a DC reachable at wsURL.
func (s *Server) Config(wsURL string) ClientConfig {
	return ClientConfig{URL: wsURL, DCID: 2, PublicKeys: []string{string(s.PublicKeyPEM())}}
}

// registerControl mounts the control API (see the package documentation).
// Mutating calls must be POSTs with a JSON content type, which a page on
// another origin cannot send without a CORS preflight this API never grants.
func (s *Server) registerControl(mux *http.ServeMux) {
	mux.HandleFunc("/testdc/config", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, s.Config("ws://"+r.Host+"/apiws"))
	})
	mux.HandleFunc("/testdc/codes", func(w http.ResponseWriter, r *http.Request) {
		codes := s.Codes()
		if p := r.URL.Query().Get("phone"); p != "" {
			n, _ := normalizePhone(p)
			var out []CodeRecord
			for _, c := range codes {
				if c.Phone == n {
					out = append(out, c)
				}
			}
			codes = out
		}
		if codes == nil {
			codes = []CodeRecord{}
		}
		writeJSON(w, codes)
	})
	mux.HandleFunc("/testdc/faults", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if !isJSON(r) {
				http.Error(w, "POST application/json", http.StatusUnsupportedMediaType)
				return
			}
			var v FaultSettings
			if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&v); err != nil {
				http.Error(w, "bad fault settings: "+err.Error(), http.StatusBadRequest)
				return
			}
			s.faults.Set(v)
		}
		writeJSON(w, s.faults.Get())
	})
	mux.HandleFunc("/testdc/stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, s.Stats())
	})
	mux.HandleFunc("/testdc/forget", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !isJSON(r) {
			http.Error(w, "POST application/json", http.StatusMethodNotAllowed)
			return
		}
		writeJSON(w, map[string]int{"forgotten": s.Forget()})
	})
	mux.HandleFunc("/testdc/blackhole", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !isJSON(r) {
			http.Error(w, "POST application/json", http.StatusMethodNotAllowed)
			return
		}
		ids := s.BlackholeIDs()
		writeJSON(w, map[string]any{"silenced": len(ids), "ids": ids})
	})
	mux.HandleFunc("/testdc/revoke", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !isJSON(r) {
			http.Error(w, "POST application/json", http.StatusMethodNotAllowed)
			return
		}
		s.Revoke()
		writeJSON(w, map[string]bool{"revoked": true})
	})
}

func isJSON(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}
