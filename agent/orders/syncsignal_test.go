package orders_test

import (
	"errors"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
)

var errRollback = errors.New("roll back")

// An order placed or moved wakes the uplink through the store's
// SyncSignal once it commits; a commit that queues nothing for central
// does not, and neither does a transaction that rolls back.
func TestOrderCommitsSignalSync(t *testing.T) {
	db := openDB(t) // its catalog import queued nothing for central
	signalled := func() bool {
		select {
		case <-db.SyncSignal():
			return true
		default:
			return false
		}
	}
	if signalled() {
		t.Fatal("SyncSignal fired before any order")
	}
	o := place(t, db, basket(asha), t0)
	if !signalled() {
		t.Fatal("placing an order did not fire SyncSignal")
	}
	if err := db.Update(func(tx *store.Tx) error {
		if _, err := orders.Transition(tx, o.ID, orders.Accepted, "", orders.ByOperator, t0.Add(time.Minute)); err != nil {
			return err
		}
		return errRollback
	}); !errors.Is(err, errRollback) {
		t.Fatalf("Update = %v, want the rollback", err)
	}
	if signalled() {
		t.Fatal("a transition that rolled back fired SyncSignal")
	}
	update(t, db, func(tx *store.Tx) error {
		_, err := orders.Transition(tx, o.ID, orders.Accepted, "", orders.ByOperator, t0.Add(time.Minute))
		return err
	})
	if !signalled() {
		t.Fatal("accepting an order did not fire SyncSignal")
	}
}
