package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/wire"
)

// Open returns an empty Storage for one test; the backend closes it in
// t.Cleanup.
type Open func(t *testing.T) server.Storage

var t0 = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

// Run runs the contract suite against the backend open makes.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st server.Storage)
	}{
		{"Stores", testStores},
		{"PushOnce", testPushOnce},
		{"OrderStates", testOrderStates},
		{"StockMovesCatalog", testStockMovesCatalog},
		{"OrdersMoveStock", testOrdersMoveStock},
		{"Import", testImport},
		{"DeltaPages", testDeltaPages},
		{"DeltaWhileWriting", testDeltaWhileWriting},
		{"Isolation", testIsolation},
		{"UnknownStore", testUnknownStore},
		{"Nonces", testNonces},
		{"NonceRace", testNonceRace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

func addStores(t *testing.T, st server.Storage, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if err := st.AddStore(context.Background(), id, "secret-"+id, t0); err != nil {
			t.Fatalf("AddStore(%s): %v", id, err)
		}
	}
}

// importItems imports items, with their categories, into store "a".
func importItems(t *testing.T, st server.Storage, items []wire.Item) server.ImportResult {
	t.Helper()
	res, err := st.ImportCatalog(context.Background(), "a", items, server.CategoriesOf(items))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// OrderRecord makes a checked order record of one line at price paise.
func OrderRecord(t testing.TB, seq uint64, id, sku string, qty int, price int64, at time.Time) server.Record {
	t.Helper()
	body := wire.OrderBody{ID: id, Lines: []wire.OrderLine{{SKU: sku, Name: sku, Qty: qty, Price: price}},
		Subtotal: int64(qty) * price, Total: int64(qty) * price, State: "placed", CreatedAt: at, UpdatedAt: at}
	return check(t, seq, fmt.Sprintf("order:%s:%d", id, seq), wire.KindOrder, body, at)
}

// StateRecord makes a checked order_state record.
func StateRecord(t testing.TB, seq uint64, id, state string, at time.Time) server.Record {
	t.Helper()
	return check(t, seq, "order_state:"+id+":"+state, wire.KindOrderState, wire.OrderStateBody{ID: id, State: state, By: "operator", At: at}, at)
}

// StockRecord makes a checked stock record.
func StockRecord(t testing.TB, seq uint64, sku string, delta int) server.Record {
	t.Helper()
	return check(t, seq, fmt.Sprintf("stock:%s:%d", sku, seq), wire.KindStock, wire.StockBody{SKU: sku, Delta: delta, Reason: "order"}, t0)
}

func check(t testing.TB, seq uint64, key, kind string, body any, at time.Time) server.Record {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	r, err := server.Check(wire.Record{Seq: seq, Key: key, Kind: kind, Body: b, At: at})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return r
}

// Items makes n catalog items with SKUs SKU-000...
func Items(n int) []wire.Item {
	out := make([]wire.Item, n)
	for i := range out {
		out[i] = wire.Item{SKU: fmt.Sprintf("SKU-%03d", i), Name: fmt.Sprintf("Item %d", i), Category: []string{"Dal", "Atta", "Oil"}[i%3],
			Unit: "1kg", Price: int64(1000 + i), Stock: 10, Active: true, Synonyms: []string{fmt.Sprintf("i%d", i)}}
	}
	return out
}

func testStores(t *testing.T, st server.Storage) {
	ctx := context.Background()
	addStores(t, st, "a", "b")
	if s, err := st.Secret(ctx, "a"); err != nil || s != "secret-a" {
		t.Fatalf("Secret(a) = %q, %v", s, err)
	}
	if err := st.AddStore(ctx, "a", "other", t0); !errors.Is(err, server.ErrStoreExists) {
		t.Fatalf("AddStore again = %v, want ErrStoreExists", err)
	}
	if s, _ := st.Secret(ctx, "a"); s != "secret-a" {
		t.Fatalf("secret changed by a failed AddStore: %q", s)
	}
	if _, err := st.Secret(ctx, "zz"); !errors.Is(err, server.ErrUnknownStore) {
		t.Fatalf("Secret(zz) = %v, want ErrUnknownStore", err)
	}
}

func testPushOnce(t *testing.T, st server.Storage) {
	ctx := context.Background()
	addStores(t, st, "a")
	recs := []server.Record{OrderRecord(t, 1, "ACDEF", "ATTA", 2, 26500, t0), OrderRecord(t, 2, "CDEFG", "DAL", 1, 16000, t0.Add(time.Minute))}
	res, err := st.Push(ctx, "a", recs, t0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]bool{false, false}, res.Dup); diff != "" {
		t.Fatalf("first push dup (-want +got):\n%s", diff)
	}
	// The repeat carries a different price: the first copy must win.
	again := OrderRecord(t, 1, "ACDEF", "ATTA", 2, 99900, t0)
	res, err = st.Push(ctx, "a", []server.Record{again, OrderRecord(t, 3, "DEFGH", "OIL", 1, 12000, t0.Add(2*time.Minute))}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]bool{true, false}, res.Dup); diff != "" {
		t.Fatalf("second push dup (-want +got):\n%s", diff)
	}
	orders, err := st.Orders(ctx, "a", 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range orders {
		ids = append(ids, o.ID)
	}
	if diff := cmp.Diff([]string{"DEFGH", "CDEFG", "ACDEF"}, ids); diff != "" {
		t.Fatalf("orders newest first (-want +got):\n%s", diff)
	}
	last := orders[2]
	if last.Placed == nil || last.Placed.Lines[0].Price != 26500 || last.Placed.Total != 53000 || last.State != "placed" {
		t.Fatalf("stored order = %+v, want price 26500 kept", last.Placed)
	}
	if got, _ := st.Orders(ctx, "a", 2); len(got) != 2 {
		t.Fatalf("Orders limit 2 gave %d", len(got))
	}
}

func testOrderStates(t *testing.T, st server.Storage) {
	ctx := context.Background()
	addStores(t, st, "a")
	// A state change that arrives before its order is kept and applied.
	if _, err := st.Push(ctx, "a", []server.Record{StateRecord(t, 5, "GHJKL", "accepted", t0.Add(time.Minute))}, t0); err != nil {
		t.Fatal(err)
	}
	push := []server.Record{
		OrderRecord(t, 4, "GHJKL", "ATTA", 1, 26500, t0),
		StateRecord(t, 6, "GHJKL", "packed", t0.Add(2*time.Minute)),
	}
	if _, err := st.Push(ctx, "a", push, t0); err != nil {
		t.Fatal(err)
	}
	res, err := st.Push(ctx, "a", []server.Record{StateRecord(t, 6, "GHJKL", "packed", t0.Add(2*time.Minute))}, t0)
	if err != nil || !res.Dup[0] {
		t.Fatalf("repeat state: dup %v err %v", res.Dup, err)
	}
	orders, err := st.Orders(ctx, "a", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 1 {
		t.Fatalf("got %d orders, want 1", len(orders))
	}
	o := orders[0]
	var states []string
	for _, h := range o.History {
		states = append(states, h.State)
	}
	if o.State != "packed" || o.Placed == nil || !cmp.Equal(states, []string{"accepted", "packed"}) {
		t.Fatalf("order = state %q placed %v history %v", o.State, o.Placed != nil, states)
	}
}

func testStockMovesCatalog(t *testing.T, st server.Storage) {
	ctx := context.Background()
	addStores(t, st, "a")
	res := importItems(t, st, Items(3))
	pr, err := st.Push(ctx, "a", []server.Record{StockRecord(t, 1, "SKU-001", -2), StockRecord(t, 2, "SKU-001", -1), StockRecord(t, 3, "NOPE", -1)}, t0)
	if err != nil || cmp.Diff([]bool{false, false, false}, pr.Dup) != "" {
		t.Fatalf("Push = %v, %v", pr.Dup, err)
	}
	v, _ := st.CatalogVersion(ctx, "a")
	if v != res.Version+1 || pr.From != res.Version || pr.Version != v {
		t.Fatalf("version after stock = %d, push said %d to %d; want %d to %d", v, pr.From, pr.Version, res.Version, res.Version+1)
	}
	p, err := st.CatalogPage(ctx, "a", wire.Cursor{Since: res.Version, Version: res.Version}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].SKU != "SKU-001" || p.Items[0].Stock != 7 || p.Stamps[0] != v {
		t.Fatalf("delta after stock = %+v stamps %v", p.Items, p.Stamps)
	}
	// A repeated stock record moves nothing.
	pr, err = st.Push(ctx, "a", []server.Record{StockRecord(t, 1, "SKU-001", -2)}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if v2, _ := st.CatalogVersion(ctx, "a"); v2 != v || pr.From != v || pr.Version != v {
		t.Fatalf("repeat stock bumped the version to %d (push said %d to %d)", v2, pr.From, pr.Version)
	}
}

// testOrdersMoveStock: an order takes its lines off the stock when it
// arrives, a rejection or cancellation puts them back, each push moving the
// version at most once and saying so; repeats and states that move nothing
// leave the version alone.
func testOrdersMoveStock(t *testing.T, st server.Storage) {
	ctx := context.Background()
	addStores(t, st, "a")
	imp := importItems(t, st, Items(3))
	stock := func(sku string) int {
		t.Helper()
		p, err := st.CatalogPage(ctx, "a", wire.Cursor{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			if it.SKU == sku {
				return it.Stock
			}
		}
		t.Fatalf("no item %s", sku)
		return 0
	}
	// Two lines of known items and one the server does not know.
	two := check(t, 1, "order:ACDEF:placed", wire.KindOrder, wire.OrderBody{ID: "ACDEF",
		Lines:    []wire.OrderLine{{SKU: "SKU-001", Qty: 2, Price: 1001}, {SKU: "SKU-002", Qty: 3, Price: 1002}, {SKU: "GONE", Qty: 1, Price: 5}},
		Subtotal: 5011, Total: 5011, CreatedAt: t0}, t0)
	steps := []struct {
		name      string
		recs      []server.Record
		bump      bool
		s001, s02 int
	}{
		{"order", []server.Record{two}, true, 8, 7},
		{"repeat", []server.Record{two}, false, 8, 7},
		{"accepted", []server.Record{StateRecord(t, 2, "ACDEF", "accepted", t0)}, false, 8, 7},
		{"cancelled", []server.Record{StateRecord(t, 3, "ACDEF", "cancelled", t0)}, true, 10, 10},
		// Cancelled before it arrived: the order never holds stock.
		{"early cancel", []server.Record{StateRecord(t, 4, "CDEFG", "cancelled", t0)}, false, 10, 10},
		{"late order", []server.Record{OrderRecord(t, 5, "CDEFG", "SKU-001", 4, 1001, t0)}, false, 10, 10},
		// Placed and rejected in one push: nothing moves, nothing bumps.
		{"both", []server.Record{OrderRecord(t, 6, "DEFGH", "SKU-001", 1, 1001, t0), StateRecord(t, 7, "DEFGH", "rejected", t0)}, false, 10, 10},
		{"delivered keeps", []server.Record{OrderRecord(t, 8, "EFGHJ", "SKU-002", 1, 1002, t0), StateRecord(t, 9, "EFGHJ", "delivered", t0)}, true, 10, 9},
	}
	v := imp.Version
	for _, s := range steps {
		res, err := st.Push(ctx, "a", s.recs, t0)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		want := v
		if s.bump {
			want++
		}
		if res.From != v || res.Version != want {
			t.Errorf("%s: push moved the version %d to %d, want %d to %d", s.name, res.From, res.Version, v, want)
		}
		if got, _ := st.CatalogVersion(ctx, "a"); got != want {
			t.Errorf("%s: version %d, want %d", s.name, got, want)
		}
		v = want
		if a, b := stock("SKU-001"), stock("SKU-002"); a != s.s001 || b != s.s02 {
			t.Errorf("%s: stock %d, %d; want %d, %d", s.name, a, b, s.s001, s.s02)
		}
	}
}

func testImport(t *testing.T, st server.Storage) {
	ctx := context.Background()
	addStores(t, st, "a")
	items := Items(5)
	res := importItems(t, st, items)
	if want := (server.ImportResult{Version: 1, Added: 5, CategoriesReplaced: true}); res != want {
		t.Fatalf("first import = %+v, want %+v", res, want)
	}
	res = importItems(t, st, items)
	if want := (server.ImportResult{Version: 1, Unchanged: 5}); res != want {
		t.Fatalf("same import = %+v, want %+v", res, want)
	}
	items[2].Price = 5000
	items[4].Active = false
	res, err := st.ImportCatalog(ctx, "a", items[1:], server.CategoriesOf(items))
	if err != nil {
		t.Fatal(err)
	}
	if want := (server.ImportResult{Version: 2, Updated: 2, Unchanged: 2}); res != want {
		t.Fatalf("changed import = %+v, want %+v", res, want)
	}
	p, err := st.CatalogPage(ctx, "a", wire.Cursor{Since: 1, Version: 1}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]wire.Item{items[2], items[4]}, p.Items); diff != "" || p.More || p.Version != 2 {
		t.Fatalf("delta since 1 (-want +got):\n%s more %v version %d", diff, p.More, p.Version)
	}
	if p.CategoriesVersion != 1 || len(p.Categories) != 3 || p.Categories[0] != (wire.Category{Name: "Dal", Order: 0}) {
		t.Fatalf("categories = %+v at %d", p.Categories, p.CategoriesVersion)
	}
}

// collect pages through a whole delta from since, limit items a page.
func collect(t *testing.T, st server.Storage, store string, since uint64, limit int, between func(page int)) (map[string]wire.Item, uint64, int) {
	t.Helper()
	got := map[string]wire.Item{}
	cur := wire.Cursor{Since: since, Version: since}
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatal("delta never ends")
		}
		p, err := st.CatalogPage(context.Background(), store, cur, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) > limit || len(p.Items) != len(p.Stamps) {
			t.Fatalf("page of %d items, %d stamps, limit %d", len(p.Items), len(p.Stamps), limit)
		}
		for _, it := range p.Items {
			got[it.SKU] = it
		}
		if !p.More {
			return got, p.Version, page + 1
		}
		n := len(p.Items)
		// Resume through the string form, as an agent does after a cut.
		next, err := wire.ParseCursor(wire.Cursor{Since: since, Version: p.Stamps[n-1], SKU: p.Items[n-1].SKU}.String())
		if err != nil {
			t.Fatal(err)
		}
		cur = next
		if between != nil {
			between(page)
		}
	}
}

func testDeltaPages(t *testing.T, st server.Storage) {
	addStores(t, st, "a")
	items := Items(25)
	importItems(t, st, items)
	got, ver, pages := collect(t, st, "a", 0, 10, nil)
	if len(got) != 25 || ver != 1 || pages != 3 {
		t.Fatalf("first sync: %d items, version %d, %d pages", len(got), ver, pages)
	}
	got, _, pages = collect(t, st, "a", 0, 25, nil)
	if len(got) != 25 || pages != 1 {
		t.Fatalf("exact page: %d items, %d pages", len(got), pages)
	}
	got, ver, _ = collect(t, st, "a", 1, 10, nil)
	if len(got) != 0 || ver != 1 {
		t.Fatalf("up to date: %d items at %d", len(got), ver)
	}
}

// testDeltaWhileWriting changes items between pages of a first sync: the
// changed ones must arrive at their new values and nothing may be skipped.
func testDeltaWhileWriting(t *testing.T, st server.Storage) {
	addStores(t, st, "a")
	items := Items(30)
	importItems(t, st, items)
	got, ver, _ := collect(t, st, "a", 0, 7, func(page int) {
		if page != 1 {
			return
		}
		items[0].Price = 1  // already delivered: must come again
		items[29].Price = 2 // not yet delivered
		items = append(items, wire.Item{SKU: "AAA-NEW", Name: "New", Category: "Dal", Price: 3, Active: true})
		importItems(t, st, items)
	})
	if len(got) != 31 || ver != 2 {
		t.Fatalf("got %d items at version %d, want 31 at 2", len(got), ver)
	}
	for _, it := range items {
		if diff := cmp.Diff(it, got[it.SKU]); diff != "" {
			t.Errorf("item %s (-want +got):\n%s", it.SKU, diff)
		}
	}
}

func testIsolation(t *testing.T, st server.Storage) {
	ctx := context.Background()
	addStores(t, st, "a", "b")
	importItems(t, st, Items(4))
	if _, err := st.Push(ctx, "a", []server.Record{OrderRecord(t, 1, "ACDEF", "SKU-001", 1, 100, t0), StockRecord(t, 2, "SKU-001", -1)}, t0); err != nil {
		t.Fatal(err)
	}
	// The same keys in store b are b's own records, not duplicates of a's.
	res, err := st.Push(ctx, "b", []server.Record{OrderRecord(t, 1, "ACDEF", "SKU-001", 1, 200, t0), StockRecord(t, 2, "SKU-001", -1)}, t0)
	if err != nil || res.Dup[0] || res.Dup[1] || res.From != 0 || res.Version != 0 {
		t.Fatalf("b push = %+v, %v", res, err)
	}
	ob, _ := st.Orders(ctx, "b", 0)
	if len(ob) != 1 || ob[0].Placed.Lines[0].Price != 200 {
		t.Fatalf("b's orders = %+v", ob)
	}
	p, err := st.CatalogPage(ctx, "b", wire.Cursor{}, 100)
	if err != nil || len(p.Items) != 0 || p.Version != 0 || len(p.Categories) != 0 {
		t.Fatalf("b's catalog = %+v, %v", p, err)
	}
	pa, _ := st.CatalogPage(ctx, "a", wire.Cursor{}, 100)
	if len(pa.Items) != 4 || pa.Version != 2 {
		t.Fatalf("a's catalog: %d items at %d", len(pa.Items), pa.Version)
	}
}

func testUnknownStore(t *testing.T, st server.Storage) {
	ctx := context.Background()
	checks := map[string]error{}
	_, checks["Push"] = st.Push(ctx, "zz", []server.Record{StockRecord(t, 1, "X", 1)}, t0)
	_, checks["Orders"] = st.Orders(ctx, "zz", 0)
	_, checks["ImportCatalog"] = st.ImportCatalog(ctx, "zz", Items(1), nil)
	_, checks["CatalogPage"] = st.CatalogPage(ctx, "zz", wire.Cursor{}, 10)
	_, checks["CatalogVersion"] = st.CatalogVersion(ctx, "zz")
	for name, err := range checks {
		if !errors.Is(err, server.ErrUnknownStore) {
			t.Errorf("%s for unknown store = %v, want ErrUnknownStore", name, err)
		}
	}
}
