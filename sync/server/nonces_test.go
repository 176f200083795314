package server_test

import (
	"testing"
	"time"

	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/storetest"
)

// The server's memory of nonces keeps the replay rule the storages keep,
// and forgets what the window has passed.
func TestNonces(t *testing.T) {
	n := server.NewNonces(storetest.NonceWindow)
	t0 := time.Unix(1_700_000_000, 0)
	for i, s := range storetest.NonceSteps {
		if got := n.Use(s.Store, s.Nonce, t0.Add(s.At)); got != s.Fresh {
			t.Fatalf("step %d: use(%s, %s, +%s) = %v, want %v", i, s.Store, s.Nonce, s.At, got, s.Fresh)
		}
	}
	n.Use("c", "x", t0.Add(time.Hour))
	if got := n.Len(); got != 1 {
		t.Fatalf("after an hour %d nonces remembered, want 1", got)
	}
}
