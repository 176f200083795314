package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tokrihq/tokri/sync/server"
)

// NonceWindow is the replay window the nonce tests use.
const NonceWindow = 10 * time.Minute

// NonceStep is one use of a nonce, At after the start, and whether it is
// fresh then.
type NonceStep struct {
	Store, Nonce string
	At           time.Duration
	Fresh        bool
}

// NonceSteps are the replay rule, step by step: a nonce is refused within
// the window, per store, and fresh again after it. The storages and the
// server's memory in front of them walk the same steps.
var NonceSteps = []NonceStep{
	{"a", "n1", 0, true},
	{"a", "n1", time.Minute, false},
	{"b", "n1", time.Minute, true}, // nonces are per store
	{"a", "n2", 2 * time.Minute, true},
	{"a", "n1", NonceWindow - time.Second, false},
	{"a", "n1", NonceWindow, true}, // forgotten after the window, and used again
	{"a", "n1", NonceWindow + time.Minute, false},
	{"a", "n2", 12*time.Minute - time.Second, false},
	{"a", "n2", 12 * time.Minute, true},
}

func testNonces(t *testing.T, st server.Storage) {
	ctx := context.Background()
	addStores(t, st, "a", "b")
	for i, s := range NonceSteps {
		now := t0.Add(s.At)
		got, err := st.UseNonce(ctx, s.Store, s.Nonce, now, now.Add(-NonceWindow))
		if err != nil || got != s.Fresh {
			t.Fatalf("step %d: UseNonce(%s, %s, +%s) = %v, %v; want %v", i, s.Store, s.Nonce, s.At, got, err, s.Fresh)
		}
	}
	// Uses now: a/n1 at +10m, b/n1 at +1m, a/n2 at +12m.
	n, err := st.ForgetNonces(ctx, t0.Add(5*time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("ForgetNonces(+5m) = %d, %v; want 1 (b/n1)", n, err)
	}
	// With since before every use, only a forgotten nonce is fresh.
	for _, c := range []struct {
		store, nonce string
		want         bool
	}{{"b", "n1", true}, {"a", "n1", false}, {"a", "n2", false}} {
		got, err := st.UseNonce(ctx, c.store, c.nonce, t0.Add(time.Hour), t0.Add(-time.Hour))
		if err != nil || got != c.want {
			t.Fatalf("after forgetting, UseNonce(%s, %s) = %v, %v; want %v", c.store, c.nonce, got, err, c.want)
		}
	}
	if n, err := st.ForgetNonces(ctx, t0.Add(2*time.Hour)); err != nil || n != 3 {
		t.Fatalf("ForgetNonces(+2h) = %d, %v; want 3", n, err)
	}
	if n, err := st.ForgetNonces(ctx, t0.Add(2*time.Hour)); err != nil || n != 0 {
		t.Fatalf("second ForgetNonces(+2h) = %d, %v; want 0", n, err)
	}
}

// testNonceRace has many callers, as if on several servers, use one nonce
// at once: exactly one of them may get it.
func testNonceRace(t *testing.T, st server.Storage) {
	ctx := context.Background()
	addStores(t, st, "a")
	const callers = 16
	for round := range 5 {
		nonce := fmt.Sprintf("race-%d", round)
		var wg sync.WaitGroup
		results := make(chan bool, callers)
		for range callers {
			wg.Go(func() {
				fresh, err := st.UseNonce(ctx, "a", nonce, t0, t0.Add(-NonceWindow))
				if err != nil {
					t.Error(err)
				}
				results <- fresh
			})
		}
		wg.Wait()
		close(results)
		won := 0
		for fresh := range results {
			if fresh {
				won++
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d of %d callers got the nonce, want 1", round, won, callers)
		}
	}
}
