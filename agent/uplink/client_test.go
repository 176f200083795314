package uplink

import (
	"context"
	"errors"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/sync/faultproxy"
	"github.com/tokrihq/tokri/sync/outbox"
	"github.com/tokrihq/tokri/sync/wire"
)

func item(sku string, price int64, stock int, active bool) wire.Item {
	return wire.Item{SKU: sku, Name: "Item " + sku, Category: "Dal", Unit: "1kg", Price: price, Stock: stock, Active: active}
}

func addOrder(t *testing.T, tx *bbolt.Tx, id string) {
	t.Helper()
	body := wire.OrderBody{ID: id, Lines: []wire.OrderLine{{SKU: "DAL", Qty: 1, Price: 16000}}, Total: 16000, State: "placed"}
	if _, err := outbox.Add(tx, outbox.KindOrder, "order:"+id+":1", body, t0); err != nil {
		t.Fatal(err)
	}
}

func TestPushAcksOnlyWhatTheServerHolds(t *testing.T) {
	_, fake, db, c := setup(t, func(o *Options) { o.Batch = 2 })
	fake.reject["bogus"] = true
	fake.records["order:AAAAA:1"] = wire.Record{Key: "order:AAAAA:1"} // held from a push whose answer was lost
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		addOrder(t, tx, "AAAAA")
		addOrder(t, tx, "CCCCC")
		_, err := outbox.Add(tx, "bogus", "bogus:1", map[string]int{"x": 1}, t0)
		return err
	})

	fake.fail(1)
	if _, err := c.SyncNow(context.Background()); err == nil {
		t.Fatal("round against a failing server succeeded")
	}
	if st := c.Status(); st.Pending != 3 || !strings.Contains(st.LastError, "unavailable") || !st.LastSuccess.IsZero() {
		t.Errorf("after a failed push: %+v", st)
	}

	r := syncNow(t, c)
	want := Round{Pushed: 2, Duplicates: 1, Rejected: 1, BytesSent: r.BytesSent, BytesReceived: r.BytesReceived}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("round (-want +got):\n%s", diff)
	}
	if got := fake.keys(); strings.Join(got, ",") != "order:CCCCC:1" {
		t.Errorf("server stored %v", got)
	}
	st := c.Status()
	if st.Pending != 0 || st.Rejected != 1 || st.LastError != "" || !st.LastSuccess.Equal(t0) {
		t.Errorf("status = %+v", st)
	}
	if st.BytesSentToday == 0 || st.BytesReceivedToday == 0 {
		t.Errorf("no bytes counted: %+v", st)
	}
}

func TestAnAckForAnotherRecordIsNotProof(t *testing.T) {
	_, fake, db, c := setup(t, nil)
	testkit.Update(t, db, func(tx *bbolt.Tx) error { addOrder(t, tx, "AAAAA"); addOrder(t, tx, "CCCCC"); return nil })
	// The server answers for the first record under another key (a store
	// file restored from backup reuses sequence numbers) and for a record
	// never sent.
	fake.mangle = func(r *wire.PushResponse) {
		r.Acked[0].Key = "order:ZZZZZ:1"
		r.Acked = append(r.Acked, wire.Ack{Seq: 99, Key: "order:YYYYY:1"})
	}
	r := syncNow(t, c)
	if r.Pushed != 1 {
		t.Errorf("pushed %d, want only the record answered for by its key", r.Pushed)
	}
	var pending []outbox.Record
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		var err error
		pending, err = outbox.Pending(tx, 0, 0)
		return err
	})
	if len(pending) != 1 || pending[0].Key != "order:AAAAA:1" {
		t.Errorf("pending = %+v", pending)
	}
}

func TestPullResumesFromTheStoredCursor(t *testing.T) {
	testtime.NoLeaks(t)
	clk := testtime.NewClock(t0)
	fake, srv := newFake(t, clk.Now)
	for _, sku := range []string{"A", "B", "C", "D", "E"} {
		fake.put(item(sku, 1000, 5, true))
	}
	p, err := faultproxy.New(srv.URL, zerolog.New(zerolog.NewTestWriter(t)))
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(p)
	t.Cleanup(front.Close)
	path := t.TempDir() + "/tokri.db"
	db := openDB(t, path, clk.Now)
	c := newClient(t, db, front.URL, clk.Now, func(o *Options) { o.PageItems = 2 })

	// Page one arrives; the answer to page two is cut.
	p.SetDecider(faultproxy.Script(faultproxy.Fault{}, faultproxy.Fault{Kind: faultproxy.CutResponse, Bytes: 30}))
	if _, err := c.SyncNow(context.Background()); err == nil {
		t.Fatal("round with a cut page succeeded")
	}
	var n int
	testkit.View(t, db, func(tx *bbolt.Tx) error { n = catalog.Count(tx); return nil })
	if n != 2 {
		t.Fatalf("after the cut: %d items, want the 2 of page one", n)
	}

	// A restart in between: the cursor is in the file.
	db.Close()
	db = openDB(t, path, clk.Now)
	c = newClient(t, db, front.URL, clk.Now, func(o *Options) { o.PageItems = 2 })
	r := syncNow(t, c)
	if r.Items != 3 || r.CatalogVersion != 5 {
		t.Errorf("resumed round applied %d items up to version %d, want 3 and 5", r.Items, r.CatalogVersion)
	}
	testkit.View(t, db, func(tx *bbolt.Tx) error { n = catalog.Count(tx); return nil })
	if n != 5 {
		t.Errorf("%d items after the delta, want 5", n)
	}
	if st := c.Status(); st.CatalogVersion != 5 {
		t.Errorf("status version = %d", st.CatalogVersion)
	}
	// Nothing changed: the next round asks once and applies nothing.
	if r := syncNow(t, c); r.Items != 0 {
		t.Errorf("idle round applied %d items", r.Items)
	}
}

func TestBadCursorRestartsTheDelta(t *testing.T) {
	_, fake, db, c := setup(t, func(o *Options) { o.PageItems = 2 }, item("A", 1, 1, true), item("B", 1, 1, true), item("C", 1, 1, true))
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		return updateState(tx, func(s *state) { s.Cursor = wire.Cursor{Since: 0, Version: 1, SKU: "A"}.String() })
	})
	fake.badCursor = true
	r := syncNow(t, c)
	if r.Items != 3 || r.CatalogVersion != 1 {
		t.Errorf("round = %+v, want all 3 items from the start", r)
	}
}

func TestStockIsCentralPlusUnsyncedMoves(t *testing.T) {
	_, fake, db, c := setup(t, nil, item("DAL", 16000, 10, true))
	syncNow(t, c)

	stock := func() int {
		var it catalog.Item
		testkit.View(t, db, func(tx *bbolt.Tx) error {
			var err error
			it, err = catalog.Get(tx, "DAL")
			return err
		})
		return it.Stock
	}
	if s := stock(); s != 10 {
		t.Fatalf("stock after first pull = %d", s)
	}
	// sellThenPull takes n out for an order the server has not heard of,
	// then applies the item as it comes down with the central stock.
	sellThenPull := func(n int, order string, central int) {
		testkit.Update(t, db, func(tx *bbolt.Tx) error {
			return catalog.Move(tx, catalog.Movement{SKU: "DAL", Delta: -n, Reason: "order:" + order, At: t0})
		})
		testkit.Update(t, db, func(tx *bbolt.Tx) error {
			_, err := applyItem(tx, item("DAL", 17000, central, true))
			return err
		})
	}
	// Three leave on an order the server has not heard of; meanwhile the
	// price changes centrally and the item comes down again.
	sellThenPull(3, "AAAAA", 10)
	if s := stock(); s != 7 {
		t.Errorf("stock after applying the central 10 with 3 unsynced out = %d, want 7", s)
	}
	// A round pushes the movement first, so the server's figure includes it.
	fake.put(item("DAL", 17000, 10, true))
	syncNow(t, c)
	if s := stock(); s != 7 {
		t.Errorf("stock after sync = %d, want 7", s)
	}
	fake.mu.Lock()
	central := fake.items["DAL"].Stock
	fake.mu.Unlock()
	if central != 7 {
		t.Errorf("central stock = %d, want 7", central)
	}
	// Central stock can fall below what is held locally: never below zero.
	sellThenPull(5, "CCCCC", 1)
	if s := stock(); s != 0 {
		t.Errorf("stock = %d, want 0", s)
	}
}

// A round counts the items it withdrew: on offer before, inactive now. An
// item first seen inactive was never on offer, and one back on offer is
// active again.
func TestWithdrawn(t *testing.T) {
	clk, fake, db, c := setup(t, nil, item("A", 1, 1, true), item("B", 1, 1, true), item("OLD", 1, 1, false))
	if r := syncNow(t, c); r.Withdrawn != 0 {
		t.Errorf("first round withdrew %d, want 0", r.Withdrawn)
	}
	active := func() []string {
		var got []string
		testkit.View(t, db, func(tx *bbolt.Tx) error {
			for _, sku := range []string{"A", "B", "OLD"} {
				it, err := catalog.Get(tx, sku)
				if err != nil {
					return err
				}
				if it.Active {
					got = append(got, sku)
				}
			}
			return nil
		})
		return got
	}
	clk.Add(time.Hour)
	fake.put(item("B", 1, 1, false), item("OLD", 1, 1, false))
	clk.Add(time.Hour)
	fake.put(item("A", 1, 1, false))
	if r := syncNow(t, c); r.Withdrawn != 2 {
		t.Errorf("round withdrew %d, want 2", r.Withdrawn)
	}
	if got := active(); len(got) != 0 {
		t.Errorf("on offer after the withdrawals: %v", got)
	}
	fake.put(item("B", 1, 1, true))
	if r := syncNow(t, c); r.Withdrawn != 0 {
		t.Errorf("B back: round withdrew %d, want 0", r.Withdrawn)
	}
	if got := active(); !cmp.Equal(got, []string{"B"}) {
		t.Errorf("on offer after B is back: %v", got)
	}
}

func TestBudgetStopsTheRoundUntilTheNextDay(t *testing.T) {
	testtime.NoLeaks(t)
	clk := testtime.NewClock(time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC))
	fake, srv := newFake(t, clk.Now)
	db := newDB(t, clk.Now)
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		for _, id := range []string{"AAAAA", "CCCCC", "DDDDD", "EEEEE", "FFFFF", "GGGGG"} {
			addOrder(t, tx, id)
		}
		return nil
	})
	const budget = 2500
	c := newClient(t, db, srv.URL, clk.Now, func(o *Options) { o.Batch = 1; o.DailyBytes = budget })

	r, err := c.SyncNow(context.Background())
	if !errors.Is(err, ErrBudget) {
		t.Fatalf("round = %+v, %v; want ErrBudget", r, err)
	}
	st := c.Status()
	if used := st.BytesSentToday + st.BytesReceivedToday; used > budget || used == 0 {
		t.Errorf("used %d bytes of %d", used, budget)
	}
	if st.Pending == 0 || st.Pending == 6 || len(fake.keys()) != 6-st.Pending {
		t.Errorf("pending %d, server has %d: want a part pushed", st.Pending, len(fake.keys()))
	}
	// Still the same day: no request at all.
	calls := fake.calls[wire.PathOutbox]
	if _, err := c.SyncNow(context.Background()); !errors.Is(err, ErrBudget) {
		t.Errorf("second round the same day: %v", err)
	}
	if fake.calls[wire.PathOutbox] != calls {
		t.Error("a request went out past the budget")
	}
	// The day turns; the queue drains over the following days.
	for day := 0; c.Status().Pending > 0; day++ {
		if day > 5 {
			t.Fatal("queue never drained")
		}
		clk.Add(24 * time.Hour)
		if st := c.Status(); st.BytesSentToday != 0 {
			t.Errorf("bytes today after midnight = %d", st.BytesSentToday)
		}
		if _, err := c.SyncNow(context.Background()); err != nil && !errors.Is(err, ErrBudget) {
			t.Fatal(err)
		}
	}
	if got := len(fake.keys()); got != 6 {
		t.Errorf("server has %d orders", got)
	}
}

func TestSignsWithTheServerClockWhenOursIsWrong(t *testing.T) {
	testtime.NoLeaks(t)
	clk := testtime.NewClock(t0)
	server := testtime.NewClock(t0.Add(2 * time.Hour))
	fake, srv := newFake(t, server.Now)
	fake.put(item("A", 1, 1, true))
	db := newDB(t, clk.Now)
	c := newClient(t, db, srv.URL, clk.Now, nil)
	if r := syncNow(t, c); r.Items != 1 {
		t.Errorf("round = %+v", r)
	}
	if got := fake.calls[wire.PathCatalog]; got != 2 {
		t.Errorf("%d catalog calls, want the stale one and its retry", got)
	}
	syncNow(t, c)
	if got := fake.calls[wire.PathCatalog]; got != 3 {
		t.Errorf("%d catalog calls, want the offset kept for the next round", got)
	}
}

func TestPin(t *testing.T) {
	testtime.NoLeaks(t)
	clk := testtime.NewClock(t0)
	fake := &fakeServer{t: t, now: clk.Now, records: map[string]wire.Record{}, items: map[string]wire.Item{},
		stamps: map[string]uint64{}, reject: map[string]bool{}, calls: map[string]int{}}
	fake.put(item("A", 1, 1, true))
	srv := httptest.NewTLSServer(fake)
	t.Cleanup(srv.Close)
	good := wire.Fingerprint(srv.Certificate().Raw)
	bad := strings.Repeat("0", 64)
	for _, tt := range []struct {
		pin  string
		want error
	}{{good, nil}, {bad, wire.ErrPinMismatch}} {
		db := newDB(t, clk.Now)
		c := newClient(t, db, srv.URL, clk.Now, func(o *Options) { o.PinSHA256 = tt.pin })
		_, err := c.SyncNow(context.Background())
		if !errors.Is(err, tt.want) {
			t.Errorf("pin %.8s: %v, want %v", tt.pin, err, tt.want)
		}
	}
}

func TestStatusSurvivesRestart(t *testing.T) {
	testtime.NoLeaks(t)
	clk := testtime.NewClock(t0)
	fake, srv := newFake(t, clk.Now)
	fake.put(item("A", 1, 1, true))
	path := t.TempDir() + "/tokri.db"
	db := openDB(t, path, clk.Now)
	c := newClient(t, db, srv.URL, clk.Now, nil)
	testkit.Update(t, db, func(tx *bbolt.Tx) error { addOrder(t, tx, "AAAAA"); addOrder(t, tx, "CCCCC"); return nil })
	fake.fail(1)
	c.SyncNow(context.Background())
	syncNow(t, c)
	before := c.Status()
	db.Close()
	db = openDB(t, path, clk.Now)
	after := newClient(t, db, srv.URL, clk.Now, nil).Status()
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("status changed across a restart (-before +after):\n%s", diff)
	}
	if after.CatalogVersion != 1 || after.BytesSentToday == 0 || after.LastSuccess.IsZero() {
		t.Errorf("status = %+v", after)
	}
}

func TestRunBacksOffAndRecovers(t *testing.T) {
	testtime.NoLeaks(t)
	clk := testtime.NewClock(t0)
	fake, srv := newFake(t, clk.Now)
	db := newDB(t, clk.Now)
	testkit.Update(t, db, func(tx *bbolt.Tx) error { addOrder(t, tx, "AAAAA"); return nil })
	wake := make(chan struct{}, 1)
	c := newClient(t, db, srv.URL, clk.Now, func(o *Options) { o.Interval, o.Wake = time.Hour, wake })
	fake.fail(4)
	goroutines := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	testtime.Until(t, "the order to reach the server", func() bool { return len(fake.keys()) == 1 })
	// The link is up and the interval long: new work goes out on Wake.
	testkit.Update(t, db, func(tx *bbolt.Tx) error { addOrder(t, tx, "CCCCC"); return nil })
	wake <- struct{}{}
	testtime.Until(t, "the second order", func() bool { return len(fake.keys()) == 2 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
	// Run leaves nothing behind: its connections close with it.
	testtime.Until(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= goroutines })
	fake.mu.Lock()
	calls := fake.calls[wire.PathOutbox]
	fake.mu.Unlock()
	if calls != 6 {
		t.Errorf("%d pushes, want 4 failed and 2 good", calls)
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	testtime.NoLeaks(t)
	db := newDB(t, nil)
	good := Options{DB: db, Server: "https://c.example.com", StoreID: testStore, Secret: testSecret}
	tests := []struct {
		name string
		mod  func(*Options)
	}{
		{"no db", func(o *Options) { o.DB = nil }},
		{"no scheme", func(o *Options) { o.Server = "c.example.com" }},
		{"bad store", func(o *Options) { o.StoreID = "Kirana 7" }},
		{"no secret", func(o *Options) { o.Secret = "" }},
		{"bad pin", func(o *Options) { o.PinSHA256 = "abc" }},
		{"negative budget", func(o *Options) { o.DailyBytes = -1 }},
	}
	if _, err := New(good); err != nil {
		t.Fatalf("good options: %v", err)
	}
	for _, tt := range tests {
		o := good
		tt.mod(&o)
		if _, err := New(o); !errors.Is(err, ErrOptions) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

// TestOwnPushSkipsTheCatalogCall: an order's record moves the central stock
// by itself; when the push answer shows that nothing else changed, the
// agent takes the new catalog version and asks for no delta, and its stock
// still equals the server's. A central change in between, or a server that
// does not say, brings the delta as before.
func TestOwnPushSkipsTheCatalogCall(t *testing.T) {
	clk, fake, db, c := setup(t, nil, item("DAL", 16000, 10, true), item("ATTA", 26500, 5, true))
	syncNow(t, c)

	calls := func() (push, pull int) {
		fake.mu.Lock()
		defer fake.mu.Unlock()
		return fake.calls[wire.PathOutbox], fake.calls[wire.PathCatalog]
	}
	stocks := func() (local, central map[string]int) {
		local, central = map[string]int{}, map[string]int{}
		testkit.View(t, db, func(tx *bbolt.Tx) error {
			items, err := catalog.Items(tx)
			for _, it := range items {
				local[it.SKU] = it.Stock
			}
			return err
		})
		fake.mu.Lock()
		defer fake.mu.Unlock()
		for sku, it := range fake.items {
			central[sku] = it.Stock
		}
		return local, central
	}
	place := func(qty int) (id string) {
		err := db.Update(func(tx *store.Tx) error {
			o, err := orders.Place(tx, orders.Order{Shopper: "+919812345678", Lines: []orders.Line{{SKU: "DAL", Qty: qty, Price: 16000}}}, clk.Now())
			id = o.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	steps := []struct {
		name   string
		change func()
		pulls  int
		local  map[string]int
	}{
		{"order alone", func() { place(2) }, 0, map[string]int{"DAL": 8, "ATTA": 5}},
		{"cancel with a central change", func() {
			id := place(3)
			err := db.Update(func(tx *store.Tx) error {
				_, err := orders.TransitionQuiet(tx, id, orders.Cancelled, "", orders.ByOperator, clk.Now())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			fake.put(item("ATTA", 27000, 5, true))
		}, 1, map[string]int{"DAL": 8, "ATTA": 5}},
		{"server that does not say", func() {
			fake.mu.Lock()
			fake.noCatalog = true
			fake.mu.Unlock()
			place(1)
		}, 1, map[string]int{"DAL": 7, "ATTA": 5}},
	}
	for _, s := range steps {
		push0, pull0 := calls()
		s.change()
		syncNow(t, c)
		push1, pull1 := calls()
		if push1-push0 != 1 || pull1-pull0 != s.pulls {
			t.Errorf("%s: %d pushes and %d catalog calls, want 1 and %d", s.name, push1-push0, pull1-pull0, s.pulls)
		}
		local, central := stocks()
		if diff := cmp.Diff(s.local, local); diff != "" {
			t.Errorf("%s: local stock (-want +got):\n%s", s.name, diff)
		}
		if diff := cmp.Diff(central, local); diff != "" {
			t.Errorf("%s: local stock differs from central (-central +local):\n%s", s.name, diff)
		}
		fake.mu.Lock()
		v := fake.version
		fake.mu.Unlock()
		if st := c.Status(); st.CatalogVersion != v || st.Pending != 0 {
			t.Errorf("%s: agent at version %d with %d pending, server at %d", s.name, st.CatalogVersion, st.Pending, v)
		}
	}
	var atta catalog.Item
	testkit.View(t, db, func(tx *bbolt.Tx) (err error) { atta, err = catalog.Get(tx, "ATTA"); return err })
	if atta.Price != 27000 {
		t.Errorf("central price change not applied: %d", atta.Price)
	}
}
