package outbox_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/sync/outbox"
)

var t0 = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	return testkit.OpenStore(t, store.Options{})
}

func TestFreshFileIsEmpty(t *testing.T) {
	db := openDB(t)
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		recs, err := outbox.Pending(tx, 0, 10)
		if err != nil || len(recs) != 0 {
			t.Errorf("Pending = %v, %v; want none", recs, err)
		}
		n, err := outbox.Count(tx)
		if err != nil || n != 0 {
			t.Errorf("Count = %d, %v; want 0", n, err)
		}
		d, err := outbox.LocalStockDelta(tx, "ATTA5")
		if err != nil || d != 0 {
			t.Errorf("LocalStockDelta = %d, %v; want 0", d, err)
		}
		return outbox.Ack(tx, []uint64{1, 2})
	})
}

func TestAddPendingAck(t *testing.T) {
	db := openDB(t)
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		for i := range 300 { // past 255, so key order must be big-endian
			seq, err := outbox.Add(tx, outbox.KindOrderState, fmt.Sprintf("order_state:ACD%02d:accepted", i),
				outbox.OrderState{ID: fmt.Sprintf("ACD%02d", i), State: "accepted", At: t0}, t0.In(time.FixedZone("IST", 19800)))
			if err != nil {
				return err
			}
			if seq != uint64(i+1) {
				t.Fatalf("seq = %d, want %d", seq, i+1)
			}
		}
		return nil
	})
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		all, err := outbox.Pending(tx, 0, 0)
		if err != nil {
			return err
		}
		if len(all) != 300 {
			t.Fatalf("Pending(0, all) = %d records, want 300", len(all))
		}
		for i, r := range all {
			if r.Seq != uint64(i+1) {
				t.Fatalf("record %d has seq %d", i, r.Seq)
			}
		}
		if got := all[0].At; !got.Equal(t0) || got.Location() != time.UTC {
			t.Errorf("At = %v, want %v in UTC", got, t0)
		}
		var body outbox.OrderState
		if err := json.Unmarshal(all[0].Body, &body); err != nil || body.ID != "ACD00" {
			t.Errorf("body = %+v, %v", body, err)
		}
		page, err := outbox.Pending(tx, 255, 3)
		if err != nil {
			return err
		}
		if got := seqs(page); !cmp.Equal(got, []uint64{256, 257, 258}) {
			t.Errorf("Pending(255, 3) = %v", got)
		}
		return nil
	})
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		if err := outbox.Ack(tx, []uint64{1, 2, 300}); err != nil {
			return err
		}
		return outbox.Ack(tx, []uint64{1, 2, 9999}) // again: harmless
	})
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		n, _ := outbox.Count(tx)
		if n != 297 {
			t.Errorf("Count after ack = %d, want 297", n)
		}
		first, _ := outbox.Pending(tx, 0, 1)
		if len(first) != 1 || first[0].Seq != 3 {
			t.Errorf("first pending after ack = %v", seqs(first))
		}
		return nil
	})
	// An acknowledged key may be used again (the server has it already,
	// but the agent no longer remembers it).
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		_, err := outbox.Add(tx, outbox.KindOrderState, "order_state:ACD00:accepted", nil, t0)
		return err
	})
}

func TestAddRefuses(t *testing.T) {
	db := openDB(t)
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		_, err := outbox.Add(tx, outbox.KindOrder, "order:ACDEF:placed", map[string]string{"id": "ACDEF"}, t0)
		return err
	})
	tests := []struct {
		name      string
		kind, key string
		body      any
		want      error
	}{
		{"duplicate key", outbox.KindOrder, "order:ACDEF:placed", nil, outbox.ErrDuplicateKey},
		{"empty key", outbox.KindOrder, "", nil, outbox.ErrInvalid},
		{"empty kind", "", "x:y:z", nil, outbox.ErrInvalid},
		{"stock without sku", outbox.KindStock, "stock::1", outbox.Stock{Delta: 1}, outbox.ErrInvalid},
		{"stock not a movement", outbox.KindStock, "stock:A:1", "three", outbox.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := db.Update(func(tx *store.Tx) error {
				_, err := outbox.Add(tx.Bolt(), tc.kind, tc.key, tc.body, t0)
				return err
			})
			if !errors.Is(err, tc.want) {
				t.Errorf("Add = %v, want %v", err, tc.want)
			}
		})
	}
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		if n, _ := outbox.Count(tx); n != 1 {
			t.Errorf("Count = %d, want 1", n)
		}
		return nil
	})
}

func TestRollbackLeavesNothing(t *testing.T) {
	db := openDB(t)
	boom := errors.New("boom")
	err := db.Update(func(tx *store.Tx) error {
		if _, err := outbox.AddStock(tx.Bolt(), "SUGAR1", -2, "reserve", t0); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v", err)
	}
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		n, _ := outbox.Count(tx)
		d, _ := outbox.LocalStockDelta(tx, "SUGAR1")
		if n != 0 || d != 0 {
			t.Errorf("after rollback Count = %d, delta = %d; want 0, 0", n, d)
		}
		return nil
	})
}

func TestLocalStockDelta(t *testing.T) {
	db := openDB(t)
	var seqsAdded []uint64
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		seqsAdded = nil
		for _, m := range []struct {
			sku   string
			delta int
		}{{"SUGAR1", -2}, {"SALT1", 5}, {"SUGAR1", -3}, {"SUGAR1", 10}, {"SALT1", -5}} {
			seq, err := outbox.AddStock(tx, m.sku, m.delta, "test", t0)
			if err != nil {
				return err
			}
			seqsAdded = append(seqsAdded, seq)
		}
		return nil
	})
	want := map[string]int{"SUGAR1": 5, "SALT1": 0, "ATTA5": 0}
	checkDeltas(t, db, want)
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		recs, _ := outbox.Pending(tx, 0, 0)
		if recs[1].Key != "stock:SALT1:2" {
			t.Errorf("key = %q, want stock:SALT1:2", recs[1].Key)
		}
		return nil
	})
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return outbox.Ack(tx, seqsAdded[:2]) })
	checkDeltas(t, db, map[string]int{"SUGAR1": 7, "SALT1": -5})
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return outbox.Ack(tx, seqsAdded) })
	checkDeltas(t, db, map[string]int{"SUGAR1": 0, "SALT1": 0})
}

func checkDeltas(t *testing.T, db *store.DB, want map[string]int) {
	t.Helper()
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		for sku, w := range want {
			got, err := outbox.LocalStockDelta(tx, sku)
			if err != nil || got != w {
				t.Errorf("LocalStockDelta(%s) = %d, %v; want %d", sku, got, err, w)
			}
		}
		return nil
	})
}

func seqs(recs []outbox.Record) []uint64 {
	var out []uint64
	for _, r := range recs {
		out = append(out, r.Seq)
	}
	return out
}

// TestMovesCountUntilAcked: the moves an order and its cancellation carry
// count in LocalStockDelta like stock records, and leave it on Ack.
func TestMovesCountUntilAcked(t *testing.T) {
	db := openDB(t)
	var order, cancel, set uint64
	testkit.Update(t, db, func(tx *bbolt.Tx) (err error) {
		if order, err = outbox.AddMoving(tx, outbox.KindOrder, "order:ACDEF:placed", map[string]string{"id": "ACDEF"}, t0,
			[]outbox.Stock{{SKU: "SUGAR1", Delta: -2}, {SKU: "ATTA5", Delta: -1}}); err != nil {
			return err
		}
		if set, err = outbox.AddStock(tx, "SUGAR1", 4, "set", t0); err != nil {
			return err
		}
		cancel, err = outbox.AddMoving(tx, outbox.KindOrderState, "order_state:ACDEF:cancelled", map[string]string{"id": "ACDEF"}, t0,
			[]outbox.Stock{{SKU: "SUGAR1", Delta: 2}, {SKU: "ATTA5", Delta: 1}})
		return err
	})
	checkDeltas(t, db, map[string]int{"SUGAR1": 4, "ATTA5": 0})
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		recs, _ := outbox.Pending(tx, 0, 1)
		if len(recs) != 1 || len(recs[0].Moves) != 2 || recs[0].Moves[0] != (outbox.Stock{SKU: "SUGAR1", Delta: -2}) {
			t.Errorf("order record = %+v", recs)
		}
		return nil
	})
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return outbox.Ack(tx, []uint64{order}) })
	checkDeltas(t, db, map[string]int{"SUGAR1": 6, "ATTA5": 1})
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return outbox.Ack(tx, []uint64{order, set}) })
	checkDeltas(t, db, map[string]int{"SUGAR1": 2, "ATTA5": 1})
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return outbox.Ack(tx, []uint64{cancel}) })
	checkDeltas(t, db, map[string]int{"SUGAR1": 0, "ATTA5": 0})

	for name, fn := range map[string]func(tx *bbolt.Tx) error{
		"stock kind": func(tx *bbolt.Tx) error {
			_, err := outbox.AddMoving(tx, outbox.KindStock, "stock:X:1", outbox.Stock{SKU: "X", Delta: 1}, t0, nil)
			return err
		},
		"empty move sku": func(tx *bbolt.Tx) error {
			_, err := outbox.AddMoving(tx, outbox.KindOrder, "order:X:placed", nil, t0, []outbox.Stock{{Delta: 1}})
			return err
		},
		"empty key": func(tx *bbolt.Tx) error {
			_, err := outbox.AddMoving(tx, outbox.KindOrder, "", nil, t0, nil)
			return err
		},
	} {
		err := db.Update(func(tx *store.Tx) error { return fn(tx.Bolt()) })
		if !errors.Is(err, outbox.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}
