package client

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/sync/outbox"
	"github.com/tokrihq/tokri/sync/wire"
	"go.etcd.io/bbolt"
)

func TestToWire(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	o := orders.Order{
		ID: "ACDEF", Shopper: "+919812345678", Mode: "delivery", Address: "12 Gali 3", Payment: "cod",
		Lines:    []orders.Line{{SKU: "ATTA-5KG", Name: "Aashirvaad Atta", NameHi: "आटा", Unit: "5 kg", Qty: 2, Price: 26500}},
		Subtotal: 53000, DeliveryFee: 2000, Total: 55000, State: orders.Placed, CreatedAt: at, UpdatedAt: at,
		History: []orders.Change{{State: orders.Placed, At: at, By: orders.ByShopper}},
	}
	orderJSON, _ := json.Marshal(o)
	stockJSON := json.RawMessage(`{"sku":"ATTA-5KG","delta":-2,"reason":"order:ACDEF"}`)
	want := wire.OrderBody{
		ID: "ACDEF", Shopper: "+919812345678", Mode: "delivery", Address: "12 Gali 3", Payment: "cod",
		Lines:    []wire.OrderLine{{SKU: "ATTA-5KG", Name: "Aashirvaad Atta", NameHi: "आटा", Unit: "5 kg", Qty: 2, Price: 26500}},
		Subtotal: 53000, DeliveryFee: 2000, Total: 55000, State: "placed", CreatedAt: at, UpdatedAt: at,
		History: []wire.StateChange{{State: "placed", At: at, By: "shopper"}},
	}
	got := toWire(outbox.Record{Seq: 4, Key: "order:ACDEF:placed", Kind: outbox.KindOrder, Body: orderJSON, At: at})
	var body wire.OrderBody
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("order body (-want +got):\n%s", diff)
	}
	if got.Seq != 4 || got.Key != "order:ACDEF:placed" || got.Kind != "order" || !got.At.Equal(at) {
		t.Errorf("record = %+v", got)
	}
	// Other kinds, and an order that does not decode, go as stored.
	for _, rec := range []outbox.Record{
		{Seq: 5, Key: "stock:ATTA-5KG:5", Kind: outbox.KindStock, Body: stockJSON},
		{Seq: 6, Key: "order:X:placed", Kind: outbox.KindOrder, Body: json.RawMessage(`{"lines":"nope"}`)},
	} {
		if got := toWire(rec); string(got.Body) != string(rec.Body) {
			t.Errorf("%s body = %s, want it unchanged", rec.Key, got.Body)
		}
	}
}

func TestMarkSyncedOnlyForTheLatestChange(t *testing.T) {
	db := newDB(t, nil)
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var id string
	err := db.Update(func(tx *store.Tx) error {
		if err := catalog.Put(tx.Bolt(), catalog.Item{SKU: "DAL", Name: "Tur Dal", Category: "Dal", Price: 16000, Stock: 5, Active: true}); err != nil {
			return err
		}
		o, err := orders.Place(tx, orders.Order{Shopper: "+919812345678", Lines: []orders.Line{{SKU: "DAL", Name: "Tur Dal", Qty: 1, Price: 16000}}}, at)
		if err != nil {
			return err
		}
		id = o.ID
		_, err = orders.Transition(tx, id, orders.Accepted, "", orders.ByOperator, at.Add(time.Minute))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var recs []outbox.Record
	view(t, db, func(tx *bbolt.Tx) error {
		var err error
		recs, err = outbox.Pending(tx, 0, 0)
		return err
	})
	var placed, state outbox.Record
	for _, r := range recs {
		switch r.Kind {
		case outbox.KindOrder:
			placed = r
		case outbox.KindOrderState:
			state = r
		}
	}
	synced := func() bool {
		var o orders.Order
		view(t, db, func(tx *bbolt.Tx) error {
			var err error
			o, err = orders.Get(tx, id)
			return err
		})
		return o.Synced
	}
	update(t, db, func(tx *bbolt.Tx) error { return markSynced(tx, placed) })
	if synced() {
		t.Error("synced after the placing only, with the acceptance still pending")
	}
	update(t, db, func(tx *bbolt.Tx) error { return markSynced(tx, state) })
	if !synced() {
		t.Error("not synced after the latest change")
	}
	// An order pruned locally is nothing to mark.
	gone := placed
	gone.Body = json.RawMessage(`{"id":"QQQQQ","state":"placed"}`)
	update(t, db, func(tx *bbolt.Tx) error { return markSynced(tx, gone) })
}
