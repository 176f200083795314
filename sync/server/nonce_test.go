package server

import (
	"testing"
	"time"
)

func TestNonces(t *testing.T) {
	n := newNonces(10 * time.Minute)
	t0 := time.Unix(1_700_000_000, 0)
	steps := []struct {
		store, nonce string
		at           time.Duration
		want         bool
	}{
		{"a", "n1", 0, true},
		{"a", "n1", time.Minute, false},
		{"b", "n1", time.Minute, true}, // nonces are per store
		{"a", "n2", 2 * time.Minute, true},
		{"a", "n1", 10*time.Minute - time.Second, false},
		{"a", "n1", 10 * time.Minute, true}, // forgotten after the window
		{"a", "n2", 12*time.Minute - time.Second, false},
	}
	for i, s := range steps {
		if got := n.use(s.store, s.nonce, t0.Add(s.at)); got != s.want {
			t.Fatalf("step %d: use(%s, %s, +%s) = %v, want %v", i, s.store, s.nonce, s.at, got, s.want)
		}
	}
	n.use("c", "x", t0.Add(time.Hour))
	if got := n.len(); got != 1 {
		t.Fatalf("after an hour %d nonces remembered, want 1", got)
	}
}
