package catalog_test

import (
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
)

func openDB(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "tokri.db"), store.Options{Log: zerolog.New(zerolog.NewTestWriter(t))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		err := db.Bolt().View(func(tx *bbolt.Tx) error {
			var first error
			for err := range tx.Check() {
				if first == nil {
					first = err
				}
			}
			return first
		})
		if err != nil {
			t.Errorf("bbolt check: %v", err)
		}
		db.Close()
	})
	return db
}

func update(t testing.TB, db *store.DB, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	if err := db.Update(func(tx *store.Tx) error { return fn(tx.Bolt()) }); err != nil {
		t.Fatal(err)
	}
}

func view(t testing.TB, db *store.DB, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	if err := db.View(func(tx *store.Tx) error { return fn(tx.Bolt()) }); err != nil {
		t.Fatal(err)
	}
}
