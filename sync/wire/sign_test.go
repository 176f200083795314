package wire

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	const secret = "4f6b0d6e3b7a2c9e1d5f8a7b6c4e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d"
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	body := Gzip([]byte(`{"records":[]}`))
	good := Sign(secret, "POST", "/v1/outbox", "store-1", now.Unix(), NewNonce(), body)
	tests := []struct {
		name    string
		auth    Auth
		secret  string
		method  string
		uri     string
		body    []byte
		now     time.Time
		wantErr error
	}{
		{"good", good, secret, "POST", "/v1/outbox", body, now, nil},
		{"good at +5min", good, secret, "POST", "/v1/outbox", body, now.Add(MaxSkew), nil},
		{"good at -5min", good, secret, "POST", "/v1/outbox", body, now.Add(-MaxSkew), nil},
		{"stale", good, secret, "POST", "/v1/outbox", body, now.Add(MaxSkew + time.Second), ErrStale},
		{"future", good, secret, "POST", "/v1/outbox", body, now.Add(-MaxSkew - time.Second), ErrStale},
		{"wrong secret", good, secret[:63] + "0", "POST", "/v1/outbox", body, now, ErrBadSignature},
		{"tampered body", good, secret, "POST", "/v1/outbox", append([]byte{}, body[:len(body)-1]...), now, ErrBadSignature},
		{"other path", good, secret, "POST", "/v1/catalog", body, now, ErrBadSignature},
		{"other method", good, secret, "PUT", "/v1/outbox", body, now, ErrBadSignature},
		{"other store", withStore(good, "store-2"), secret, "POST", "/v1/outbox", body, now, ErrBadSignature},
		{"other nonce", withNonce(good, NewNonce()), secret, "POST", "/v1/outbox", body, now, ErrBadSignature},
		{"other time", withTS(good, good.Timestamp+1), secret, "POST", "/v1/outbox", body, now, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.auth.Verify(tt.secret, tt.method, tt.uri, tt.body, tt.now)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func withStore(a Auth, s string) Auth { a.Store = s; return a }
func withNonce(a Auth, n string) Auth { a.Nonce = n; return a }
func withTS(a Auth, ts int64) Auth    { a.Timestamp = ts; return a }

func TestAuthHeadersRoundTrip(t *testing.T) {
	r, err := http.NewRequest("GET", "http://x"+CatalogURI(7, "", 50), nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	SignRequest(r, nil, "kirana-7", "s3cret", now)
	a, err := ParseAuth(r.Header)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Verify("s3cret", "GET", "/v1/catalog?limit=50&since=7", nil, now); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestParseAuthRejects(t *testing.T) {
	base := Auth{Store: "s1", Timestamp: 1, Nonce: NewNonce(), Signature: Sign("k", "GET", "/", "s1", 1, "n", nil).Signature}
	h := http.Header{}
	base.SetHeaders(h)
	good := h.Get(HeaderAuth)
	if a, err := ParseAuth(h); err != nil || a != base {
		t.Fatalf("unedited %q: %+v, %v", good, a, err)
	}
	tests := []struct {
		name, header string
	}{
		{"none", ""},
		{"other scheme", "Bearer " + good[len("Tokri "):]},
		{"no credentials", "Tokri"},
		{"three parts", "Tokri s1.1." + base.Signature},
		{"five parts", good + ".x"},
		{"upper store", "Tokri S1.1." + base.Nonce + "." + base.Signature},
		{"bad ts", "Tokri s1.yesterday." + base.Nonce + "." + base.Signature},
		{"negative ts", "Tokri s1.-1." + base.Nonce + "." + base.Signature},
		{"short nonce", "Tokri s1.1.abc." + base.Signature},
		{"hex nonce", "Tokri s1.1.00112233445566778899aabbccddeeff." + base.Signature},
		{"short sig", "Tokri s1.1." + base.Nonce + ".abcd"},
		{"padded sig", "Tokri s1.1." + base.Nonce + "." + base.Signature + "="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			h.Set(HeaderAuth, tt.header)
			if _, err := ParseAuth(h); !errors.Is(err, ErrMissingAuth) {
				t.Fatalf("ParseAuth(%q) = %v, want ErrMissingAuth", tt.header, err)
			}
		})
	}
}

// TestAuthHeaderSize: the signature costs one header of about a hundred
// bytes on the wire, not four of nearly two hundred.
func TestAuthHeaderSize(t *testing.T) {
	h := http.Header{}
	Sign("k", "POST", PathOutbox, "kirana-7", 1_740_823_200, NewNonce(), nil).SetHeaders(h)
	line := HeaderAuth + ": " + h.Get(HeaderAuth) + "\r\n"
	if len(h) != 1 || len(line) != 109 {
		t.Errorf("auth header %q: %d headers, %d bytes; want 1 of 109", line, len(h), len(line))
	}
}

func TestValidStoreID(t *testing.T) {
	for id, want := range map[string]bool{
		"a": true, "kirana-7": true, "s_1": true, "": false, "-a": false, "A": false, "a/b": false,
		"a b": false, "0123456789012345678901234567890123456789012345678901234567890123": true,
		"01234567890123456789012345678901234567890123456789012345678901234": false,
	} {
		if got := ValidStoreID(id); got != want {
			t.Errorf("ValidStoreID(%q) = %v, want %v", id, got, want)
		}
	}
}

func FuzzParseAuth(f *testing.F) {
	f.Add("Tokri kirana-7.1700000000.ABEiM0RVZneImaq7zN3u_w.q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k")
	f.Add("Tokri a.1.n.s")
	f.Add("")
	f.Fuzz(func(t *testing.T, header string) {
		h := http.Header{}
		h.Set(HeaderAuth, header)
		a, err := ParseAuth(h)
		if err != nil {
			return
		}
		// What parses writes back the same way.
		back := http.Header{}
		a.SetHeaders(back)
		if b, err := ParseAuth(back); err != nil || b != a {
			t.Fatalf("round trip of %+v = %+v, %v", a, b, err)
		}
		// A parsed but unsigned header never verifies.
		if a.Verify("secret", "GET", "/v1/status", nil, time.Unix(a.Timestamp, 0)) == nil &&
			a.Signature != Sign("secret", "GET", "/v1/status", a.Store, a.Timestamp, a.Nonce, nil).Signature {
			t.Fatalf("verified a signature that is not ours: %+v", a)
		}
	})
}
