package admin

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"
)

// TestBackupWhileRunning copies the store through the running agent and
// checks the copy is a whole store with the same orders.
func TestBackupWhileRunning(t *testing.T) {
	c, first, _ := seededAgent(t)
	var buf bytes.Buffer
	if err := c.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	copyDB, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("the backup is not a store file: %v", err)
	}
	defer copyDB.Close()
	found := false
	copyDB.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			if bytes.Contains(name, []byte("order")) {
				b.ForEach(func(k, v []byte) error {
					if bytes.Contains(k, []byte(first)) || bytes.Contains(v, []byte(first)) {
						found = true
					}
					return nil
				})
			}
			return nil
		})
	})
	if !found {
		t.Errorf("order %s is not in the backup", first)
	}
}
