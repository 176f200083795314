package backup

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/internal/testkit/damage"
)

// liveStore is a store of n records of size bytes at tokri.db in a
// directory of its own, as the agent keeps it.
func liveStore(t *testing.T, n, size int) (dir, live string) {
	dir = t.TempDir()
	live = filepath.Join(dir, "tokri.db")
	makeStore(t, live, n, size)
	return dir, live
}

// makeStore writes n records of size bytes into a bbolt file.
func makeStore(t *testing.T, path string, n, size int) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("orders"))
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := b.Put([]byte(fmt.Sprintf("%08d", i)), bytes.Repeat([]byte{'x'}, size)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, path string) int {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	db.View(func(tx *bbolt.Tx) error {
		n = tx.Bucket([]byte("orders")).Stats().KeyN
		return nil
	})
	return n
}

func TestBackupAndRestore(t *testing.T) {
	_, live := liveStore(t, 100, 100)
	bak := filepath.Join(t.TempDir(), "tokri-backup.db")
	if _, err := Write(bak, FromFile(live)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, bak); n != 100 {
		t.Fatalf("backup holds %d records, want 100", n)
	}
	// The card dies; a new store starts empty-ish; the backup goes back.
	os.Remove(live)
	makeStore(t, live, 3, 10)
	if err := Restore(bak, live); err != nil {
		t.Fatal(err)
	}
	if n := count(t, live); n != 100 {
		t.Fatalf("restored store holds %d records, want 100", n)
	}
	if n := count(t, live+".before-restore"); n != 3 {
		t.Fatalf("the replaced store was not kept: %d records", n)
	}
}

func TestRefusesWhileTheAgentHoldsTheStore(t *testing.T) {
	dir, live := liveStore(t, 10, 10)
	bak := filepath.Join(dir, "b.db")
	if _, err := Write(bak, FromFile(live)); err != nil {
		t.Fatal(err)
	}
	agent, err := bbolt.Open(live, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer agent.Close()
	if err := Restore(bak, live); !errors.Is(err, ErrInUse) {
		t.Errorf("Restore with the agent running: %v, want ErrInUse", err)
	}
	if _, _, err := Compact(live); !errors.Is(err, ErrInUse) {
		t.Errorf("Compact with the agent running: %v, want ErrInUse", err)
	}
	if _, err := Write(filepath.Join(dir, "c.db"), FromFile(live)); !errors.Is(err, ErrInUse) {
		t.Errorf("offline backup with the agent running: %v, want ErrInUse", err)
	}
}

func TestRestoreRefusesABadFile(t *testing.T) {
	dir, live := liveStore(t, 10, 10)
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, bytes.Repeat([]byte("not a store"), 1000), 0o600)
	if err := Restore(bad, live); err == nil {
		t.Fatal("restored a file that is not a store")
	}
	if n := count(t, live); n != 10 {
		t.Fatalf("a refused restore changed the store: %d records", n)
	}
}

// A damaged store is not compacted: bbolt would walk the damage (a key
// whose length runs far out of the file) and fault.
func TestCompactRefusesADamagedStore(t *testing.T) {
	_, live := liveStore(t, 2000, 100)
	damage.FirstKey(t, live)
	b, err := os.ReadFile(live)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = Compact(live)
	if err == nil || !strings.Contains(err.Error(), "restore a backup") {
		t.Fatalf("Compact of a damaged store = %v, want it refused", err)
	}
	if got, _ := os.ReadFile(live); !bytes.Equal(got, b) {
		t.Error("a refused compact changed the file")
	}
}

func TestCompactGivesSpaceBack(t *testing.T) {
	_, live := liveStore(t, 2000, 1000)
	db, err := bbolt.Open(live, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bbolt.Tx) error { // retention deletes most of it
		b := tx.Bucket([]byte("orders"))
		for i := 0; i < 1900; i++ {
			b.Delete([]byte(fmt.Sprintf("%08d", i)))
		}
		return nil
	})
	db.Close()
	before, after, err := Compact(live)
	if err != nil {
		t.Fatal(err)
	}
	if after >= before/2 {
		t.Errorf("compact: %d -> %d bytes, want it at least halved", before, after)
	}
	if n := count(t, live); n != 100 {
		t.Errorf("compacted store holds %d records, want 100", n)
	}
	t.Logf("compact: %d -> %d bytes", before, after)
}
