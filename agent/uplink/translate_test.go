package uplink

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/sync/outbox"
	"github.com/tokrihq/tokri/sync/wire"
)

func TestToWire(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	placedAt := at.Add(123456789 * time.Nanosecond) // the agent's clock has nanoseconds
	o := orders.Order{
		ID: "ACDEF", Shopper: "+919812345678", Mode: "delivery", Address: "12 Gali 3", Payment: "cod",
		Lines:    []orders.Line{{SKU: "ATTA-5KG", Name: "Aashirvaad Atta", NameHi: "आटा", Unit: "5 kg", Qty: 2, Price: 26500}},
		Subtotal: 53000, DeliveryFee: 2000, Total: 55000, State: orders.Placed, CreatedAt: placedAt, UpdatedAt: placedAt,
		History: []orders.Change{{State: orders.Placed, At: placedAt, By: orders.ByShopper}},
	}
	orderJSON, _ := json.Marshal(o)
	stockJSON := json.RawMessage(`{"sku":"ATTA-5KG","delta":-2,"reason":"order:ACDEF"}`)
	// What the server cannot do without, times in whole seconds; no names,
	// history, update time or "placed".
	const wantJSON = `{"id":"ACDEF","shopper":"+919812345678","lines":[{"sku":"ATTA-5KG","qty":2,"price":26500}],` +
		`"subtotal":53000,"deliveryFee":2000,"total":55000,"mode":"delivery","address":"12 Gali 3","payment":"cod",` +
		`"createdAt":"2026-03-01T10:00:00Z"}`
	rec := outbox.Record{Seq: 4, Key: "order:ACDEF:placed", Kind: outbox.KindOrder, Body: orderJSON, At: placedAt,
		Moves: []outbox.Stock{{SKU: "ATTA-5KG", Delta: -2}}}
	got := toWire(rec)
	if string(got.Body) != wantJSON {
		t.Errorf("order body\n got %s\nwant %s", got.Body, wantJSON)
	}
	if got.Seq != 4 || got.Key != "order:ACDEF:placed" || got.Kind != "order" || !got.At.Equal(at) {
		t.Errorf("record = %+v", got)
	}
	// The server reads it back as the order placed, at the quoted price.
	var body wire.OrderBody
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Lines[0].Price != 26500 || body.Total != 55000 || !body.CreatedAt.Equal(at) {
		t.Errorf("decoded body = %+v", body)
	}
	js, _ := json.Marshal(got)
	if strings.Contains(string(js), "moves") {
		t.Errorf("wire record carries the agent's moves: %s", js)
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
	testkit.View(t, db, func(tx *bbolt.Tx) error {
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
		testkit.View(t, db, func(tx *bbolt.Tx) error {
			var err error
			o, err = orders.Get(tx, id)
			return err
		})
		return o.Synced
	}
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return markSynced(tx, placed) })
	if synced() {
		t.Error("synced after the placing only, with the acceptance still pending")
	}
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return markSynced(tx, state) })
	if !synced() {
		t.Error("not synced after the latest change")
	}
	// An order pruned locally is nothing to mark.
	gone := placed
	gone.Body = json.RawMessage(`{"id":"QQQQQ","state":"placed"}`)
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return markSynced(tx, gone) })
}
