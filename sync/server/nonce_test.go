package server

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/sync/wire"
)

// nonceStorage is a Storage whose nonce methods are the Fn fields; any other
// method panics.
type nonceStorage struct {
	Storage
	UseNonceFn     func(store, nonce string, now, since time.Time) (bool, error)
	ForgetNoncesFn func(before time.Time) (int, error)
}

func (s *nonceStorage) UseNonce(_ context.Context, store, nonce string, now, since time.Time) (bool, error) {
	return s.UseNonceFn(store, nonce, now, since)
}

func (s *nonceStorage) ForgetNonces(_ context.Context, before time.Time) (int, error) {
	return s.ForgetNoncesFn(before)
}

func TestUseNonceAsksStorageAndForgets(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	window := 2 * wire.MaxSkew
	stored := map[string]bool{"a\x00elsewhere": true} // used on another server
	var asked, forgot int
	st := &nonceStorage{
		UseNonceFn: func(store, nonce string, now, since time.Time) (bool, error) {
			asked++
			if !since.Equal(now.Add(-window)) {
				t.Errorf("since = %v, want now - %v", since, window)
			}
			if nonce == "broken" {
				return false, errors.New("disk full")
			}
			key := store + "\x00" + nonce
			fresh := !stored[key]
			stored[key] = true
			return fresh, nil
		},
		ForgetNoncesFn: func(before time.Time) (int, error) {
			forgot++
			if !before.Equal(t0.Add(-window)) {
				t.Errorf("ForgetNonces(%v), want now - %v", before, window)
			}
			return 0, errors.New("forgetting failed") // must not fail the request
		},
	}
	s := New(Options{Storage: st, Log: zerolog.New(zerolog.NewTestWriter(t))})
	ctx := context.Background()
	if fresh, err := s.useNonce(ctx, "a", "elsewhere", t0); fresh || err != nil {
		t.Fatalf("nonce seen by another server: %v, %v; want a replay", fresh, err)
	}
	if fresh, err := s.useNonce(ctx, "a", "broken", t0); fresh || err == nil {
		t.Fatalf("storage failure: %v, %v; want an error", fresh, err)
	}
	for i := range 2 * forgetEvery {
		if fresh, err := s.useNonce(ctx, "a", fmt.Sprint(i), t0); !fresh || err != nil {
			t.Fatalf("new nonce %d: %v, %v", i, fresh, err)
		}
	}
	if forgot != 2 {
		t.Fatalf("ForgetNonces called %d times after %d new nonces, want 2", forgot, 2*forgetEvery)
	}
	before := asked
	if fresh, err := s.useNonce(ctx, "a", "7", t0); fresh || err != nil {
		t.Fatalf("replay to the same server: %v, %v", fresh, err)
	}
	if asked != before {
		t.Fatal("a replay the memory knows still went to the storage")
	}
}
