package boltstore

import (
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/internal/testkit/damage"
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

// A damaged file is refused at open, in words that say what to do; read
// by a request instead, its bad pointer would fault and take the server
// down.
func TestOpenRefusesADamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "central.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	damage.FirstKey(t, path)
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "is damaged") {
		t.Fatalf("Open of a damaged file = %v, want it refused as damaged", err)
	}
}
