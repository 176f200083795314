package client

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/tokrihq/tokri/agent/store"
	"go.etcd.io/bbolt"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func openDB(t *testing.T, path string, now func() time.Time) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{Now: now, Log: zerolog.New(zerolog.NewTestWriter(t))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newDB(t *testing.T, now func() time.Time) *store.DB {
	t.Helper()
	db := openDB(t, filepath.Join(t.TempDir(), "tokri.db"), now)
	t.Cleanup(func() {
		err := db.Bolt().View(func(tx *bbolt.Tx) error {
			var first error
			for err := range tx.Check() { // drain: Check's goroutine sends them all
				if first == nil {
					first = err
				}
			}
			return first
		})
		if err != nil {
			t.Errorf("bbolt check: %v", err)
		}
	})
	return db
}

func newClient(t *testing.T, db *store.DB, url string, now func() time.Time, mod func(*Options)) *Client {
	t.Helper()
	o := Options{
		DB: db, Server: url, StoreID: testStore, Secret: testSecret,
		Log: zerolog.New(zerolog.NewTestWriter(t)), Now: now,
		MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, Interval: 20 * time.Millisecond,
	}
	if mod != nil {
		mod(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func update(t *testing.T, db *store.DB, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	if err := db.Update(func(tx *store.Tx) error { return fn(tx.Bolt()) }); err != nil {
		t.Fatal(err)
	}
}

func view(t *testing.T, db *store.DB, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	if err := db.View(func(tx *store.Tx) error { return fn(tx.Bolt()) }); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds or a generous deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func syncNow(t *testing.T, c *Client) Round {
	t.Helper()
	r, err := c.SyncNow(context.Background())
	if err != nil {
		t.Fatalf("SyncNow: %v", err)
	}
	return r
}
