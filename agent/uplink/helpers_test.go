package uplink

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/sync/wire"
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

// setup is a client on a fresh store and a fake central server holding
// items, all on one clock from t0, checked for leaked goroutines.
func setup(t *testing.T, mod func(*Options), items ...wire.Item) (*testtime.Clock, *fakeServer, *store.DB, *Client) {
	t.Helper()
	testtime.NoLeaks(t)
	clk := testtime.NewClock(t0)
	fake, srv := newFake(t, clk.Now)
	if len(items) > 0 {
		fake.put(items...) // a put, even of nothing, is a new catalog version
	}
	db := newDB(t, clk.Now)
	return clk, fake, db, newClient(t, db, srv.URL, clk.Now, mod)
}

func syncNow(t *testing.T, c *Client) Round {
	t.Helper()
	r, err := c.SyncNow(context.Background())
	if err != nil {
		t.Fatalf("SyncNow: %v", err)
	}
	return r
}
