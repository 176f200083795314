package orders_test

import (
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
)

var t0 = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

const (
	asha   = "+919790197346"
	ravi   = "+918800112233"
	nobody = "+917000000000"
)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db := testkit.OpenStore(t, store.Options{Now: func() time.Time { return t0 }})
	update(t, db, func(tx *store.Tx) error {
		_, err := catalog.Import(tx.Bolt(), []catalog.Item{
			{SKU: "ATTA5", Name: "Aashirvaad Atta", NameHi: "आशीर्वाद आटा", Category: "Staples", Unit: "5 kg", Price: 28500, Stock: 10, Active: true},
			{SKU: "SUGAR1", Name: "Sugar", NameHi: "चीनी", Category: "Staples", Unit: "1 kg", Price: 4600, Stock: 5, Active: true},
			{SKU: "OLD", Name: "Old Soap", Category: "Care", Price: 1000, Stock: 50, Active: false},
		})
		return err
	})
	return db
}

func update(t *testing.T, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

// advance moves order id on to state to, by the operator, at at, and
// fails the test if it cannot.
func advance(t *testing.T, db *store.DB, id string, to orders.State, reason string, at time.Time) {
	t.Helper()
	if err := tryMove(db, id, to, reason, orders.ByOperator, at); err != nil {
		t.Fatal(err)
	}
}

// tryMove moves order id on to state to, by by, at at, and says why not.
func tryMove(db *store.DB, id string, to orders.State, reason, by string, at time.Time) error {
	return db.Update(func(tx *store.Tx) error {
		_, err := orders.Transition(tx, id, to, reason, by, at)
		return err
	})
}

// basket is a typical order: 2 atta, 3 sugar, delivered, Rs20 fee.
func basket(shopper string) orders.Order {
	return orders.Order{
		Shopper: shopper,
		Lines: []orders.Line{
			{SKU: "ATTA5", Name: "Aashirvaad Atta", Unit: "5 kg", Qty: 2, Price: 28500},
			{SKU: "SUGAR1", Name: "Sugar", Unit: "1 kg", Qty: 3, Price: 4600},
		},
		DeliveryFee: 2000,
		Mode:        orders.ModeDelivery,
		Address:     "12 Gandhi Nagar",
		Payment:     orders.PayCOD,
	}
}

func place(t *testing.T, db *store.DB, o orders.Order, at time.Time) orders.Order {
	t.Helper()
	var got orders.Order
	update(t, db, func(tx *store.Tx) (err error) {
		got, err = orders.Place(tx, o, at)
		return err
	})
	return got
}

func stock(t *testing.T, db *store.DB, sku string) int {
	t.Helper()
	var n int
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		it, err := catalog.Get(tx, sku)
		n = it.Stock
		return err
	})
	return n
}

// drain takes every queued message out of the outbox, in order.
func drain(t *testing.T, db *store.DB) []store.Outbound {
	t.Helper()
	var out []store.Outbound
	for {
		next, err := db.NextOutbound(t0.Add(24*time.Hour), 0)
		if err != nil {
			t.Fatal(err)
		}
		if !next.OK {
			return out
		}
		m := next.Out
		out = append(out, m)
		if err := db.MarkFailed(m.ID, "drained by test"); err != nil {
			t.Fatal(err)
		}
	}
}

// ids hands out the given ids in turn.
func ids(list ...string) func() string {
	i := 0
	return func() string {
		id := list[i%len(list)]
		i++
		return id
	}
}
