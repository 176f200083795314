package wire

import (
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

func TestPinnedTLSConfigRejectsBadPins(t *testing.T) {
	for _, pins := range [][]string{nil, {"zz"}, {"abcd"}} {
		if _, err := PinnedTLSConfig(pins...); err == nil {
			t.Errorf("PinnedTLSConfig(%q) accepted", pins)
		}
	}
}
