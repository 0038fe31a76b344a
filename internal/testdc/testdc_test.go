package testdc

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/gotd/td/crypto/srp"
	"github.com/stretchr/testify/require"
)

func TestCheckBind(t *testing.T) {
	for _, tt := range []struct {
		addr  string
		allow bool
		ok    bool
	}{
		{"127.0.0.1:0", false, true},
		{"127.0.0.2:80", false, true},
		{"[::1]:0", false, true},
		{"localhost:8080", false, true},
		{"0.0.0.0:0", false, false},
		{":8080", false, false},
		{"192.168.1.2:80", false, false},
		{"example.com:80", false, false},
		{"0.0.0.0:0", true, true},
		{"nonsense", false, false},
	} {
		err := CheckBind(tt.addr, tt.allow)
		if tt.ok {
			require.NoError(t, err, tt.addr)
		} else {
			require.Error(t, err, tt.addr)
		}
	}
	srv, err := New(Options{Addr: "0.0.0.0:0"})
	require.NoError(t, err)
	defer func() { _ = srv.Close() }()
	require.ErrorContains(t, srv.Listen(), "not a loopback address")
}

// TestSRPMatchesClient checks the server-side SRP against gotd's client.
func TestSRPMatchesClient(t *testing.T) {
	v, err := newSRPVerifier("hunter2")
	require.NoError(t, err)
	sess, err := v.challenge(1)
	require.NoError(t, err)
	algo := v.algo()
	random := make([]byte, 256)
	_, _ = rand.Read(random)
	for _, tt := range []struct {
		password string
		ok       bool
	}{{"hunter2", true}, {"hunter3", false}, {"", false}} {
		ans, err := srp.NewSRP(rand.Reader).Hash([]byte(tt.password), sess.gb, random, srp.Input(*algo))
		require.NoError(t, err)
		require.Equal(t, tt.ok, v.check(sess, ans.A, ans.M1), tt.password)
	}
}

func TestPlanTable(t *testing.T) {
	seen := map[delivery]bool{}
	for i := 0; i < 100; i++ {
		p := planFor("99999999" + string(rune('0'+i/10)) + string(rune('0'+i%10)))
		for _, d := range p.chain {
			seen[d] = true
		}
		for j, d := range p.chain {
			if j > 0 {
				require.NotNil(t, d.codeType(), "a nextType needs an auth.CodeType (%d: %v)", i, d)
			}
		}
	}
	require.Len(t, seen, len(deliveryNames), "every delivery is reachable")
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"+1 (555) 123-4567": "15551234567",
		"9996620000":        "9996620000",
		"+44.7000.000000":   "447000000000",
	} {
		got, ok := normalizePhone(in)
		require.True(t, ok, in)
		require.Equal(t, want, got)
	}
	for _, bad := range []string{"", "123456", "1234567890123456", "+1 555 CALL", "1+5551234567", "١٢٣٤٥٦٧٨"} {
		_, ok := normalizePhone(bad)
		require.False(t, ok, bad)
	}
}

func TestControlAPI(t *testing.T) {
	srv, err := New(Options{})
	require.NoError(t, err)
	require.NoError(t, srv.Listen())
	defer func() { _ = srv.Close() }()
	base := "http://" + srv.Addr()

	resp, err := http.Get(base + "/testdc/config")
	require.NoError(t, err)
	var cfg ClientConfig
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&cfg))
	_ = resp.Body.Close()
	require.Equal(t, srv.URL(), cfg.URL)
	require.Equal(t, 2, cfg.DCID)
	require.Contains(t, cfg.PublicKeys[0], "BEGIN RSA PUBLIC KEY")

	body, _ := json.Marshal(FaultSettings{DropEvery: 7, DelayMS: 5, Gzip: true})
	resp, err = http.Post(base+"/testdc/faults", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, FaultSettings{DropEvery: 7, DelayMS: 5, Gzip: true}, srv.Faults().Get())

	// A form post (what a foreign page can send without CORS) is refused.
	resp, err = http.Post(base+"/testdc/faults", "application/x-www-form-urlencoded", bytes.NewReader([]byte("refuse=true")))
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	resp, err = http.Post(base+"/testdc/forget", "text/plain", nil)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	resp, err = http.Get(base + "/testdc/codes?phone=%2B15551234501")
	require.NoError(t, err)
	var codes []CodeRecord
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&codes))
	_ = resp.Body.Close()
	require.Empty(t, codes)
}
