package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tokrihq/tokri/sync/server"
)

// window is the replay window the nonce tests use.
const window = 10 * time.Minute

func testNonces(t *testing.T, st server.Storage) {
	ctx := context.Background()
	addStores(t, st, "a", "b")
	steps := []struct {
		store, nonce string
		at           time.Duration
		want         bool
	}{
		{"a", "n1", 0, true},
		{"a", "n1", time.Minute, false},
		{"b", "n1", time.Minute, true}, // nonces are per store
		{"a", "n2", 2 * time.Minute, true},
		{"a", "n1", window - time.Second, false},
		{"a", "n1", window, true}, // forgotten after the window, and used again
		{"a", "n1", window + time.Minute, false},
		{"a", "n2", 12*time.Minute - time.Second, false},
		{"a", "n2", 12 * time.Minute, true},
	}
	for i, s := range steps {
		now := t0.Add(s.at)
		got, err := st.UseNonce(ctx, s.store, s.nonce, now, now.Add(-window))
		if err != nil || got != s.want {
			t.Fatalf("step %d: UseNonce(%s, %s, +%s) = %v, %v; want %v", i, s.store, s.nonce, s.at, got, err, s.want)
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
				fresh, err := st.UseNonce(ctx, "a", nonce, t0, t0.Add(-window))
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
