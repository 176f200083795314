package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/backup"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// Eleven kinds of damage to tokri.db: none may crash Open or let the agent
// run on the file; each is refused with a message that names the backup
// and the tokri restore that puts it back, and that restore works on the
// damaged file without opening it, keeping it as it was.
func TestDamagedFilesAreRefused(t *testing.T) {
	good := store.GoodStore(t)
	orig, err := os.ReadFile(filepath.Join(good, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range store.Damages(t, orig) {
		t.Run(d.Name, func(t *testing.T) {
			path := store.DamagedStore(t, good, d)
			db, err := store.Open(path, store.Options{CheckTimeout: 30 * time.Second})
			if err == nil {
				db.Close()
				t.Fatal("a damaged store opened")
			}
			var de *store.DamagedError
			if !errors.As(err, &de) || !errors.Is(err, store.ErrDamaged) {
				t.Fatalf("Open = %v, want a DamagedError", err)
			}
			msg := err.Error()
			restore := "tokri restore --data " + filepath.Dir(path) + " " + path + store.BackupSuffix
			if !strings.Contains(msg, restore) {
				t.Errorf("message does not say how to restore the backup (%q):\n%s", restore, msg)
			}
			t.Logf("refused: %s", de.Cause)
			// The offline check finds the damaged file bad and leaves no
			// checker behind.
			if err := backup.Check(path); err == nil {
				t.Error("backup.Check passed a damaged file")
			} else {
				t.Logf("offline check: %v", err)
			}
			noCheckerLeft(t)

			// Do what the message says.
			damaged, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := backup.Restore(path+store.BackupSuffix, path); err != nil {
				t.Fatalf("restore over the damaged file: %v", err)
			}
			if kept, err := os.ReadFile(path + backup.BeforeRestoreSuffix); err != nil || !bytes.Equal(kept, damaged) {
				t.Errorf("the damaged file was not kept as it was (%d bytes, want %d): %v", len(kept), len(damaged), err)
			}
			checkRestored(t, path)
		})
	}
}

// A missing file where a store had been is refused with the same
// restore, which puts the backup back where there is nothing to keep.
func TestRestoreOverAMissingStore(t *testing.T) {
	good := store.GoodStore(t)
	path := filepath.Join(good, store.FileName)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(path, store.Options{})
	if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), "tokri restore --data "+good+" "+path+store.BackupSuffix) {
		t.Fatalf("Open of a missing store = %v; want it refused, naming tokri restore", err)
	}
	if err := backup.Restore(path+store.BackupSuffix, path); err != nil {
		t.Fatalf("restore where the file is missing: %v", err)
	}
	if _, err := os.Stat(path + backup.BeforeRestoreSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("kept %s of a file that was not there: %v", backup.BeforeRestoreSuffix, err)
	}
	checkRestored(t, path)
}

// The restore the message names refuses while an agent has the store,
// whatever state the file is in, and changes nothing.
func TestRestoreRefusesWhileTheAgentRuns(t *testing.T) {
	good := store.GoodStore(t)
	path := filepath.Join(good, store.FileName)
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before, _ := os.ReadFile(path)
	if err := backup.Restore(path+store.BackupSuffix, path); !errors.Is(err, backup.ErrInUse) {
		t.Fatalf("Restore with the agent running = %v, want ErrInUse", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a refused restore changed the store")
	}
	if _, err := os.Stat(path + backup.BeforeRestoreSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused restore left %s: %v", backup.BeforeRestoreSuffix, err)
	}
}

// noCheckerLeft fails t if a bbolt consistency checker goroutine is still
// alive: one left blocked on its channel never ends. A checker read to the
// end exits at once; the wait only covers its last steps.
func noCheckerLeft(t *testing.T) {
	t.Helper()
	testtime.Eventually(t, "no bbolt checker goroutine left", func() (bool, string) {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		return !strings.Contains(stacks, "bbolt.(*Tx).Check.func"), stacks
	})
}

// checkRestored opens the store at path, which must be the good store's
// backup put back: it holds its 400 queued notifications.
func checkRestored(t *testing.T, path string) {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("the restored backup does not open: %v", err)
	}
	defer db.Close()
	if s, err := db.Stats(time.Now()); err != nil || s.Queued[store.Notification] != 400 {
		t.Errorf("restored store: %+v, %v; want its 400 queued notifications", s.Queued, err)
	}
}
