package catalog_test

import (
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
)

// t0 is when the tests' stock moves happen.
var t0 = time.Date(2026, 1, 21, 8, 0, 0, 0, time.UTC)

func openDB(t testing.TB) *store.DB {
	t.Helper()
	return testkit.OpenStore(t, store.Options{})
}

// openWith is a fresh store holding items.
func openWith(t testing.TB, items []catalog.Item) *store.DB {
	t.Helper()
	db := openDB(t)
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		_, err := catalog.Import(tx, items)
		return err
	})
	return db
}

// take, putBack and count are the three kinds of catalog.Move, at t0.
func take(tx *bbolt.Tx, sku string, n int) error {
	return catalog.Move(tx, catalog.Movement{SKU: sku, Delta: -n, Reason: "reserve", At: t0})
}

func putBack(tx *bbolt.Tx, sku string, n int) error {
	return catalog.Move(tx, catalog.Movement{SKU: sku, Delta: n, Reason: "release", At: t0})
}

func count(tx *bbolt.Tx, sku string, n int) error {
	return catalog.Move(tx, catalog.Movement{SKU: sku, Counted: true, Count: n, Reason: "set", At: t0})
}
