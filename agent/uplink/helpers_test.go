package uplink

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
)

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

// newDB is a fresh store file, checked at cleanup.
func newDB(t testing.TB, now func() time.Time) *store.DB {
	t.Helper()
	return testkit.OpenStore(t, store.Options{Now: now})
}

func newClient(t testing.TB, db *store.DB, url string, now func() time.Time, mod func(*Options)) *Client {
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

func syncNow(t *testing.T, c *Client) Round {
	t.Helper()
	r, err := c.SyncNow(context.Background())
	if err != nil {
		t.Fatalf("SyncNow: %v", err)
	}
	return r
}
