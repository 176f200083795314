package orders_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/sync/outbox"
)

func TestPlace(t *testing.T) {
	db := openDB(t)
	in := basket(asha)
	in.Subtotal, in.Total, in.State = 1, 2, orders.Delivered // ignored
	o := place(t, db, in, t0.In(time.FixedZone("IST", 19800)))
	if len(o.ID) != orders.IDLen || strings.Trim(o.ID, orders.IDAlphabet) != "" {
		t.Errorf("id %q", o.ID)
	}
	want := basket(asha)
	want.ID, want.State = o.ID, orders.Placed
	want.Subtotal, want.Total = 2*28500+3*4600, 2*28500+3*4600+2000
	want.CreatedAt, want.UpdatedAt = t0, t0
	want.History = []orders.Change{{State: orders.Placed, At: t0, By: orders.ByShopper}}
	if diff := cmp.Diff(want, o); diff != "" {
		t.Errorf("Place (-want +got):\n%s", diff)
	}
	if a, s := stock(t, db, "ATTA5"), stock(t, db, "SUGAR1"); a != 8 || s != 2 {
		t.Errorf("stock after placing = %d, %d; want 8, 2", a, s)
	}
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		got, err := orders.Get(tx, strings.ToLower(" "+o.ID+" "))
		if diff := cmp.Diff(want, got); diff != "" || err != nil {
			t.Errorf("Get (-want +got): %v\n%s", err, diff)
		}
		last, ok, err := orders.Last(tx, asha)
		if !ok || err != nil || last.ID != o.ID {
			t.Errorf("Last = %v, %v, %v", last.ID, ok, err)
		}
		p, _, _ := shoppers.Get(tx, asha)
		if p.LastOrder != o.ID {
			t.Errorf("profile LastOrder = %q", p.LastOrder)
		}
		recs, err := outbox.Pending(tx, 0, 0)
		if err != nil {
			return err
		}
		var kinds []string
		for _, r := range recs {
			kinds = append(kinds, r.Kind+" "+r.Key)
		}
		// One record: the order carries its stock movement.
		wantKinds := []string{"order order:" + o.ID + ":placed"}
		if diff := cmp.Diff(wantKinds, kinds); diff != "" {
			t.Errorf("sync records (-want +got):\n%s", diff)
		}
		var synced orders.Order
		if err := json.Unmarshal(recs[0].Body, &synced); err != nil || !cmp.Equal(synced, want) {
			t.Errorf("sync body = %+v, %v", synced, err)
		}
		wantMoves := []outbox.Stock{{SKU: "ATTA5", Delta: -2}, {SKU: "SUGAR1", Delta: -3}}
		if diff := cmp.Diff(wantMoves, recs[0].Moves); diff != "" {
			t.Errorf("order record moves (-want +got):\n%s", diff)
		}
		for _, m := range wantMoves {
			if d, err := outbox.LocalStockDelta(tx, m.SKU); d != m.Delta || err != nil {
				t.Errorf("LocalStockDelta(%s) = %d, %v; want %d", m.SKU, d, err, m.Delta)
			}
		}
		return nil
	})
	if msgs := drain(t, db); len(msgs) != 0 {
		t.Errorf("Place queued %d messages", len(msgs))
	}
}

func TestPlaceAllOrNothing(t *testing.T) {
	tests := []struct {
		name  string
		lines []orders.Line
		want  catalog.StockError
	}{
		{"second line short", []orders.Line{{SKU: "ATTA5", Qty: 1, Price: 1}, {SKU: "SUGAR1", Qty: 6, Price: 1}},
			catalog.StockError{SKU: "SUGAR1", Have: 5, Want: 6}},
		{"same sku on two lines adds up", []orders.Line{{SKU: "SUGAR1", Qty: 3, Price: 1}, {SKU: "ATTA5", Qty: 1, Price: 1}, {SKU: "SUGAR1", Qty: 3, Price: 1}},
			catalog.StockError{SKU: "SUGAR1", Have: 5, Want: 6}},
		{"inactive item", []orders.Line{{SKU: "ATTA5", Qty: 1, Price: 1}, {SKU: "OLD", Qty: 1, Price: 1}},
			catalog.StockError{SKU: "OLD", Have: 0, Want: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t)
			var placeErr error
			// The caller commits anyway (as the shop does with its
			// "out of stock" reply): nothing of the order may remain.
			update(t, db, func(tx *store.Tx) error {
				_, placeErr = orders.Place(tx, orders.Order{Shopper: asha, Lines: tc.lines}, t0)
				return nil
			})
			var se *catalog.StockError
			if !errors.As(placeErr, &se) || *se != tc.want || !errors.Is(placeErr, catalog.ErrOutOfStock) {
				t.Fatalf("Place = %v, want %+v", placeErr, tc.want)
			}
			if a, s := stock(t, db, "ATTA5"), stock(t, db, "SUGAR1"); a != 10 || s != 5 {
				t.Errorf("stock = %d, %d; want 10, 5", a, s)
			}
			testkit.View(t, db, func(tx *bbolt.Tx) error {
				n, _ := outbox.Count(tx)
				list, _ := orders.List(tx, orders.Filter{})
				if n != 0 || len(list) != 0 {
					t.Errorf("%d sync records, %d orders left behind", n, len(list))
				}
				return nil
			})
		})
	}
}

func TestPlaceRefused(t *testing.T) {
	db := openDB(t)
	line := []orders.Line{{SKU: "ATTA5", Qty: 1, Price: 28500}}
	tests := []struct {
		name string
		o    orders.Order
		want error
	}{
		{"no shopper", orders.Order{Lines: line}, orders.ErrInvalid},
		{"no lines", orders.Order{Shopper: asha}, orders.ErrInvalid},
		{"zero qty", orders.Order{Shopper: asha, Lines: []orders.Line{{SKU: "ATTA5", Qty: 0}}}, orders.ErrInvalid},
		{"negative price", orders.Order{Shopper: asha, Lines: []orders.Line{{SKU: "ATTA5", Qty: 1, Price: -1}}}, orders.ErrInvalid},
		{"no sku", orders.Order{Shopper: asha, Lines: []orders.Line{{Qty: 1}}}, orders.ErrInvalid},
		{"bad mode", orders.Order{Shopper: asha, Lines: line, Mode: "drone"}, orders.ErrInvalid},
		{"bad payment", orders.Order{Shopper: asha, Lines: line, Payment: "barter"}, orders.ErrInvalid},
		{"negative fee", orders.Order{Shopper: asha, Lines: line, DeliveryFee: -1}, orders.ErrInvalid},
		{"unknown item", orders.Order{Shopper: asha, Lines: []orders.Line{{SKU: "NOPE", Qty: 1}}}, catalog.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := db.Update(func(tx *store.Tx) error {
				_, err := orders.Place(tx, tc.o, t0)
				return err
			})
			if !errors.Is(err, tc.want) {
				t.Errorf("Place = %v, want %v", err, tc.want)
			}
		})
	}
	o := place(t, db, orders.Order{Shopper: asha, Lines: line}, t0)
	if o.Mode != orders.ModePickup || o.Payment != orders.PayCOD {
		t.Errorf("defaults: mode %q, payment %q", o.Mode, o.Payment)
	}
}

func TestPlaceRetriesTakenID(t *testing.T) {
	db := openDB(t)
	restore := orders.SetNewID(ids("ACDEF", "ACDEF", "ACDEF", "XY349"))
	defer restore()
	line := []orders.Line{{SKU: "ATTA5", Qty: 1, Price: 28500}}
	a := place(t, db, orders.Order{Shopper: asha, Lines: line}, t0)
	b := place(t, db, orders.Order{Shopper: ravi, Lines: line}, t0)
	if a.ID != "ACDEF" || b.ID != "XY349" {
		t.Errorf("ids %q, %q; want ACDEF, XY349", a.ID, b.ID)
	}
	orders.SetNewID(ids("ACDEF"))
	err := db.Update(func(tx *store.Tx) error {
		_, err := orders.Place(tx, orders.Order{Shopper: ravi, Lines: line}, t0)
		return err
	})
	if err == nil {
		t.Error("Place with every id taken succeeded")
	}
}

func TestIDAlphabet(t *testing.T) {
	for _, c := range "0O1I5S8B2Z" {
		if strings.ContainsRune(orders.IDAlphabet, c) {
			t.Errorf("alphabet has %q", c)
		}
	}
	seen := map[string]bool{}
	for range 20000 {
		id := orders.NewID()
		if len(id) != orders.IDLen || strings.Trim(id, orders.IDAlphabet) != "" || strings.ContainsAny(id, "0O1I") {
			t.Fatalf("id %q", id)
		}
		seen[id] = true
	}
	if len(seen) < 19900 { // 26^5 ids: a few repeats at most
		t.Errorf("only %d distinct ids of 20000", len(seen))
	}
}

func TestListAndLast(t *testing.T) {
	db := openDB(t)
	line := []orders.Line{{SKU: "ATTA5", Qty: 1, Price: 28500}}
	var placed []orders.Order
	for i, who := range []string{asha, ravi, asha, ravi, asha} {
		placed = append(placed, place(t, db, orders.Order{Shopper: who, Lines: line}, t0.Add(time.Duration(i)*time.Minute)))
	}
	advance(t, db, placed[2].ID, orders.Accepted, "", t0.Add(time.Hour))
	idsOf := func(list []orders.Order) []string {
		var out []string
		for _, o := range list {
			out = append(out, o.ID)
		}
		return out
	}
	p := idsOf(placed)
	tests := []struct {
		name string
		f    orders.Filter
		want []string
	}{
		{"all newest first", orders.Filter{}, []string{p[4], p[3], p[2], p[1], p[0]}},
		{"limit", orders.Filter{Limit: 2}, []string{p[4], p[3]}},
		{"shopper", orders.Filter{Shopper: asha}, []string{p[4], p[2], p[0]}},
		{"shopper and limit", orders.Filter{Shopper: ravi, Limit: 1}, []string{p[3]}},
		{"state", orders.Filter{States: []orders.State{orders.Accepted}}, []string{p[2]}},
		{"states", orders.Filter{States: []orders.State{orders.Placed}, Shopper: asha}, []string{p[4], p[0]}},
		{"since", orders.Filter{Since: t0.Add(3 * time.Minute)}, []string{p[4], p[3]}},
		{"unknown shopper", orders.Filter{Shopper: nobody}, nil},
		{"shopper whose number prefixes another", orders.Filter{Shopper: "+91979019734"}, nil},
	}
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		for _, tc := range tests {
			list, err := orders.List(tx, tc.f)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(tc.want, idsOf(list)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, diff)
			}
		}
		if last, ok, err := orders.Last(tx, ravi); !ok || err != nil || last.ID != p[3] {
			t.Errorf("Last(ravi) = %q, %v, %v", last.ID, ok, err)
		}
		if _, ok, err := orders.Last(tx, nobody); ok || err != nil {
			t.Errorf("Last(nobody) = %v, %v", ok, err)
		}
		return nil
	})
}

func TestFreshFile(t *testing.T) {
	db := openDB(t)
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		if _, err := orders.Get(tx, "ACDEF"); !errors.Is(err, orders.ErrNotFound) {
			t.Errorf("Get = %v", err)
		}
		if list, err := orders.List(tx, orders.Filter{Shopper: asha}); len(list) != 0 || err != nil {
			t.Errorf("List = %v, %v", list, err)
		}
		if _, ok, err := orders.Last(tx, asha); ok || err != nil {
			t.Errorf("Last = %v, %v", ok, err)
		}
		if got := orders.ShopName(tx); got != orders.DefaultShopName {
			t.Errorf("ShopName = %q", got)
		}
		return nil
	})
	err := tryMove(db, "ACDEF", orders.Accepted, "", orders.ByOperator, t0)
	if !errors.Is(err, orders.ErrNotFound) {
		t.Errorf("Transition of a missing order = %v", err)
	}
}

func TestSetSynced(t *testing.T) {
	db := openDB(t)
	o := place(t, db, basket(asha), t0)
	update(t, db, func(tx *store.Tx) error { return orders.SetSynced(tx.Bolt(), o.ID, true) })
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		got, err := orders.Get(tx, o.ID)
		if err != nil || !got.Synced {
			t.Errorf("after SetSynced: %v, %v", got.Synced, err)
		}
		return nil
	})
}
