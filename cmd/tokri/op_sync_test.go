package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/uplink"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/seed"
	"github.com/tokrihq/tokri/sync/outbox"
	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/boltstore"
	"github.com/tokrihq/tokri/sync/wire"
)

const (
	centralStore  = "kirana-7"
	centralSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
)

// startCentral is the real sync server on a bbolt file, with the test
// catalog except that Toor Dal has been withdrawn centrally.
func startCentral(t *testing.T) *httptest.Server {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := st.AddStore(ctx, centralStore, centralSecret, seed.Now); err != nil {
		t.Fatal(err)
	}
	items, err := catalog.ParseCSV(strings.NewReader(seed.CSV))
	if err != nil {
		t.Fatal(err)
	}
	ws := make([]wire.Item, len(items))
	for i, it := range items {
		ws[i] = wire.Item{SKU: it.SKU, Name: it.Name, NameHi: it.NameHi, Category: it.Category, Unit: it.Unit,
			Price: it.Price, Stock: it.Stock, Active: it.SKU != "DAL1", Synonyms: it.Synonyms}
	}
	if _, err := st.ImportCatalog(ctx, centralStore, ws, server.CategoriesOf(ws)); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(server.Options{Storage: st, Log: testkit.Log(t), Now: seed.Clock}))
	t.Cleanup(func() {
		ts.Close()
		st.Close()
	})
	return ts
}

func syncClient(t *testing.T, db *store.DB, url string) *uplink.Client {
	t.Helper()
	c, err := uplink.New(uplink.Options{
		DB: db, Server: url, StoreID: centralStore, Secret: centralSecret,
		DailyBytes: 1_000_000, Log: testkit.Log(t), Now: seed.Clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pendingRecords(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	err := db.View(func(tx *store.Tx) error {
		var err error
		n, err = outbox.Count(tx.Bolt())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSyncWithAgent(t *testing.T) {
	dir, db := seed.Data(t)
	seed.Shop(t, db)
	pending := pendingRecords(t, db)
	if pending == 0 {
		t.Fatal("seeding left nothing to sync")
	}
	central := startCentral(t)
	// The operator looks three minutes after the sync client's clock.
	later := func() time.Time { return seed.Now.Add(3 * time.Minute) }
	serveAdminWith(t, dir, admin.Options{DB: db, Status: agentStatus, Sync: syncClient(t, db, central.URL), Log: testkit.Log(t), Now: later})

	runSteps(t, dir, []step{
		{args: []string{"status"}, out: []string{
			"sync      last success never, " + strconv.Itoa(pending) + " pending, 0 rejected, catalog version 0",
			"          0 B of 1.0 MB today (0 B sent, 0 B received)",
		}, notWant: []string{"last error"}},
		{args: []string{"sync", "now"}, out: []string{
			"pushed    " + strconv.Itoa(pending) + " records, 0 rejected",
			"catalog   3 items applied (1 withdrawn), version ",
			"bytes     ",
		}},
		{args: []string{"status"}, out: []string{"sync      last success 3m ago, 0 pending, 0 rejected, catalog version ", "kB of 1.0 MB today"}, notWant: []string{"last error", "(0 B sent"}},
		{args: []string{"sync", "now", "--json"}, out: []string{`"pushed": 0`, `"items": 0`}},
		{args: []string{"sync", "later"}, errMsg: `unknown command "tokri sync later" (want now)`},
		{args: []string{"sync", "now", "extra"}, errMsg: `unexpected argument "extra"`},
	})

	// The withdrawn item is inactive in the shop now.
	err := db.View(func(tx *store.Tx) error {
		it, err := catalog.Get(tx.Bolt(), "DAL1")
		if err == nil && it.Active {
			t.Errorf("DAL1 still active after the round")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	st := tokriJSON[admin.Status](t, dir, "status")
	if st.Sync == nil || !st.Sync.LastSuccess.Equal(seed.Now) || st.Sync.Pending != 0 || st.Sync.DailyBytes != 1_000_000 ||
		st.Sync.BytesSentToday == 0 || st.Sync.BytesReceivedToday == 0 || st.Sync.CatalogVersion == 0 {
		t.Errorf("status sync %+v", st.Sync)
	}

	// With the central server gone, a round fails; the operator hears why
	// from both sync now and status.
	central.Close()
	runSteps(t, dir, []step{
		{args: []string{"sync", "now"}, errMsg: "sync round stopped: ", out: []string{"pushed    0 records"}},
		{args: []string{"status"}, out: []string{"sync      last success 3m ago", "          last error: "}},
	})
}

func TestSyncNotConfigured(t *testing.T) {
	dir, db := seed.Data(t)
	seed.Shop(t, db)
	serveAdmin(t, dir, db)
	runSteps(t, dir, []step{
		{args: []string{"status"}, out: []string{"sync      not configured"}, notWant: []string{"pending"}},
		{args: []string{"sync", "now"}, errMsg: "sync is not configured on this agent"},
	})
	out, _, err := tokri(t, dir, "status", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, `"sync"`) {
		t.Errorf("status --json names sync, which is not configured:\n%s", out)
	}
	c := admin.Dial(filepath.Join(dir, admin.SocketName))
	defer c.Close()
	_, err = c.SyncNow(context.Background())
	var e *admin.Error
	if !errors.As(err, &e) || e.Code != admin.CodeUnavailable {
		t.Errorf("SyncNow without sync: %v, want code %s", err, admin.CodeUnavailable)
	}
}

// A typed nil client, as cmd/tokri holds when sync is off, is no client.
func TestSyncTypedNil(t *testing.T) {
	dir, db := seed.Data(t)
	var none *uplink.Client
	serveAdminWith(t, dir, admin.Options{DB: db, Sync: none, Log: testkit.Log(t), Now: seed.Clock})
	runSteps(t, dir, []step{{args: []string{"status"}, out: []string{"sync      not configured"}}})
}

func TestSyncWithoutAgent(t *testing.T) {
	dir := seed.ShortDir(t)
	db := seed.Open(t, dir)
	seed.Shop(t, db)
	pending := pendingRecords(t, db)
	db.Close()
	runSteps(t, dir, []step{
		{args: []string{"sync", "now"}, errMsg: "the agent is not running on " + dir + ", and this command needs it"},
		{args: []string{"status"}, out: []string{"agent     not running", "sync      " + strconv.Itoa(pending) + " records waiting for the central server"}},
	})
	st := tokriJSON[admin.Status](t, dir, "status")
	if st.Sync == nil || st.Sync.Pending != pending {
		t.Errorf("status sync %+v, want %d pending", st.Sync, pending)
	}
}

func TestAgo(t *testing.T) {
	now := seed.Now
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, "never"},
		{now.Add(time.Second), "just now"},
		{now, "0s ago"},
		{now.Add(-42 * time.Second), "42s ago"},
		{now.Add(-3*time.Minute - 20*time.Second), "3m ago"},
		{now.Add(-2 * time.Hour), "2h ago"},
		{now.Add(-2*time.Hour - 5*time.Minute), "2h5m ago"},
		{now.Add(-50 * time.Hour), "2d ago"},
	} {
		if got := ago(now, tc.t); got != tc.want {
			t.Errorf("ago(%v) = %q, want %q", now.Sub(tc.t), got, tc.want)
		}
	}
}

func TestShowBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 12345: "12.3 kB", 1_000_000: "1.0 MB", 2_500_000: "2.5 MB"} {
		if got := showBytes(n); got != want {
			t.Errorf("showBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
