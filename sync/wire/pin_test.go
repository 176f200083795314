package wire

import (
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPinnedTLSConfig(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	leaf := Fingerprint(srv.Certificate().Raw)
	colons := strings.ToUpper(leaf[:2]) + ":" + leaf[2:]
	other := strings.Repeat("ab", 32)
	tests := []struct {
		name    string
		pins    []string
		wantErr error
	}{
		{"pinned", []string{leaf}, nil},
		{"pinned with colons and case", []string{colons}, nil},
		{"one of two", []string{other, leaf}, nil},
		{"wrong pin", []string{other}, ErrPinMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := PinnedTLSConfig(tt.pins...)
			if err != nil {
				t.Fatal(err)
			}
			tr := &http.Transport{TLSClientConfig: cfg}
			defer tr.CloseIdleConnections()
			resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
			if err == nil {
				resp.Body.Close()
			}
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("Get = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// A session resumed from the cache skips VerifyPeerCertificate, so the pin
// must hold there too: a config pinned elsewhere refuses a server it
// holds a resumable session with.
func TestPinnedTLSConfigResumed(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	cache := tls.NewLRUClientSessionCache(4)
	pinned := func(pin string) *tls.Config {
		cfg, err := PinnedTLSConfig(pin)
		if err != nil {
			t.Fatal(err)
		}
		cfg.ClientSessionCache = cache
		return cfg
	}
	get := func(cfg *tls.Config) (*tls.ConnectionState, error) {
		tr := &http.Transport{TLSClientConfig: cfg} // a new connection each time
		defer tr.CloseIdleConnections()
		resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		return resp.TLS, nil
	}
	right := pinned(Fingerprint(srv.Certificate().Raw))
	for i, wantResumed := range []bool{false, true} {
		cs, err := get(right)
		if err != nil {
			t.Fatalf("get %d: %v", i, err)
		}
		if cs.DidResume != wantResumed {
			t.Fatalf("get %d resumed = %v, want %v", i, cs.DidResume, wantResumed)
		}
	}
	if _, err := get(pinned(strings.Repeat("ab", 32))); !errors.Is(err, ErrPinMismatch) {
		t.Fatalf("resumable session under another pin: get = %v, want %v", err, ErrPinMismatch)
	}
}

func TestPinnedTLSConfigRejectsBadPins(t *testing.T) {
	for _, pins := range [][]string{nil, {"zz"}, {"abcd"}} {
		if _, err := PinnedTLSConfig(pins...); err == nil {
			t.Errorf("PinnedTLSConfig(%q) accepted", pins)
		}
	}
}
