package wire

import (
	"bytes"
	"errors"
	"testing"
)

func TestGzipRoundTrip(t *testing.T) {
	in := bytes.Repeat([]byte(`{"sku":"ATTA-5KG","name":"Aashirvaad Atta 5kg","price":26500}`), 200)
	z := Gzip(in)
	if len(z) >= len(in)/10 {
		t.Errorf("gzip %d -> %d bytes: expected at least 10x on repetitive JSON", len(in), len(z))
	}
	out, err := Decode("gzip", z)
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("Decode: %v (equal %v)", err, bytes.Equal(out, in))
	}
}

func TestGunzipLimit(t *testing.T) {
	bomb := Gzip(make([]byte, 1<<20))
	if _, err := Gunzip(bomb, 1<<19); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Gunzip over limit = %v, want ErrTooLarge", err)
	}
	if _, err := Gunzip(bomb, 1<<20); err != nil {
		t.Fatalf("Gunzip at limit: %v", err)
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, tt := range []struct{ enc, body string }{{"br", "x"}, {"gzip", "not gzip"}} {
		if _, err := Decode(tt.enc, []byte(tt.body)); err == nil {
			t.Errorf("Decode(%q) accepted", tt.enc)
		}
	}
	if b, err := Decode("", []byte("plain")); err != nil || string(b) != "plain" {
		t.Errorf("identity: %q %v", b, err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Gzip([]byte(`{"records":[]}`)))
	f.Add([]byte("\x1f\x8b"))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := Decode("gzip", b)
		if err == nil && len(out) > MaxDecodedBytes {
			t.Fatalf("decoded %d bytes past the limit", len(out))
		}
	})
}
