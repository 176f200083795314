package testkit

import (
	"path/filepath"
	"reflect"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
)

// OpenStore opens a fresh store file in t.TempDir() with opts; a zero
// opts.Log becomes Log(t). At cleanup the file is checked with bbolt's
// tx.Check and closed.
func OpenStore(t testing.TB, opts store.Options) *store.DB {
	t.Helper()
	if reflect.ValueOf(opts.Log).IsZero() {
		opts.Log = Log(t)
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "tokri.db"), opts)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		CheckBolt(t, db.Bolt())
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return db
}

// CheckBolt runs bbolt's consistency check over an open file and reports
// every error it finds. It reads the check's channel to the end, which
// lets the checking goroutine finish.
func CheckBolt(t testing.TB, db *bbolt.DB) {
	t.Helper()
	err := db.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("bbolt check: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Errorf("bbolt check: %v", err)
	}
}

// Update runs fn in a write transaction on the store's bbolt file and
// fails the test on an error.
func Update(t testing.TB, db *store.DB, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	if err := db.Update(func(tx *store.Tx) error { return fn(tx.Bolt()) }); err != nil {
		t.Fatal(err)
	}
}

// View runs fn in a read transaction on the store's bbolt file and fails
// the test on an error.
func View(t testing.TB, db *store.DB, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	if err := db.View(func(tx *store.Tx) error { return fn(tx.Bolt()) }); err != nil {
		t.Fatal(err)
	}
}
