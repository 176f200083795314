package boltstore

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/storetest"
)

func TestStorage(t *testing.T) {
	storetest.Run(t, func(t *testing.T) server.Storage {
		st, err := Open(filepath.Join(t.TempDir(), "central.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := st.DB().View(func(tx *bolt.Tx) error {
				for err := range tx.Check() {
					return err
				}
				return nil
			}); err != nil {
				t.Errorf("bbolt check: %v", err)
			}
			st.Close()
		})
		return st
	})
}
