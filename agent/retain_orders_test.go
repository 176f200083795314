package agent

import (
	"errors"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/sync/outbox"
)

// Orders once stayed forever. The retention loop removes delivered,
// rejected and cancelled orders a year after their last change, by the
// agent's clock, and leaves open orders and orders whose changes the
// server has not acknowledged; a store without a server (Alone) drops
// those changes a year on, with their stock sums, and then the orders.
func TestRetainPrunesOldFinalOrders(t *testing.T) {
	for _, alone := range []bool{false, true} {
		t.Run(map[bool]string{false: "synced", true: "alone"}[alone], func(t *testing.T) {
			testRetainPrunesOldFinalOrders(t, alone)
		})
	}
}

func testRetainPrunesOldFinalOrders(t *testing.T, alone bool) {
	f := newFloodRig(t, time.Date(2026, 1, 21, 10, 0, 0, 0, ist))
	f.a.opts.Retention.Alone = alone
	update := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := f.db.Update(fn); err != nil {
			t.Fatal(err)
		}
	}
	update(func(tx *store.Tx) error {
		_, err := catalog.Import(tx.Bolt(), []catalog.Item{{SKU: "ATTA5", Name: "Atta", Category: "Staples", Unit: "5 kg", Price: 28500, Stock: 100, Active: true}})
		return err
	})
	place := func(path ...orders.State) string {
		t.Helper()
		var id string
		update(func(tx *store.Tx) error {
			o, err := orders.Place(tx, orders.Order{
				Shopper: number(3), Lines: []orders.Line{{SKU: "ATTA5", Name: "Atta", Unit: "5 kg", Qty: 1, Price: 28500}},
				Mode: orders.ModePickup, Payment: orders.PayCOD,
			}, f.clock.Now())
			if err != nil {
				return err
			}
			id = o.ID
			for _, st := range path {
				if _, err := orders.TransitionQuiet(tx, id, st, "", orders.ByOperator, f.clock.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		return id
	}
	ack := func() {
		t.Helper()
		update(func(tx *store.Tx) error {
			recs, err := outbox.Pending(tx.Bolt(), 0, 0)
			if err != nil {
				return err
			}
			var seqs []uint64
			for _, r := range recs {
				seqs = append(seqs, r.Seq)
			}
			return outbox.Ack(tx.Bolt(), seqs)
		})
	}
	delivered := place(orders.Accepted, orders.Packed, orders.Dispatched, orders.Delivered)
	cancelled := place(orders.Cancelled)
	open := place(orders.Accepted)
	ack()
	unpushed := place(orders.Accepted, orders.Packed, orders.Dispatched, orders.Delivered) // the server never hears of it

	exists := func(id string) bool {
		t.Helper()
		var err error
		if verr := f.db.View(func(tx *store.Tx) error {
			_, err = orders.Get(tx.Bolt(), id)
			return nil
		}); verr != nil {
			t.Fatal(verr)
		}
		if err != nil && !errors.Is(err, orders.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	check := func(when string, want map[string]bool) {
		t.Helper()
		for id, stays := range want {
			if got := exists(id); got != stays {
				t.Errorf("%s: order %s there = %v, want %v", when, id, got, stays)
			}
		}
	}

	f.clock.Add(364 * 24 * time.Hour)
	if err := f.a.Retain(); err != nil {
		t.Fatal(err)
	}
	check("after 364 days", map[string]bool{delivered: true, cancelled: true, open: true, unpushed: true})

	f.clock.Add(2 * 24 * time.Hour)
	if err := f.a.Retain(); err != nil {
		t.Fatal(err)
	}
	check("after 366 days", map[string]bool{delivered: false, cancelled: false, open: true, unpushed: !alone})
	var waiting, delta int
	if err := f.db.View(func(tx *store.Tx) (err error) {
		if waiting, err = outbox.Count(tx.Bolt()); err != nil {
			return err
		}
		delta, err = outbox.LocalStockDelta(tx.Bolt(), "ATTA5")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if alone && (waiting != 0 || delta != 0) {
		t.Errorf("alone: %d sync records and a stock delta of %d left, want none", waiting, delta)
	}
	if !alone && (waiting != 5 || delta != -1) {
		t.Errorf("synced: %d sync records and a stock delta of %d, want the unpushed order's 5 and -1 kept for the server", waiting, delta)
	}
}
