package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goodStore makes a store with a few hundred KB of messages, replies and
// a sent log, closed cleanly with a backup beside it, and returns its
// directory.
func goodStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "tokri.db")
	db, err := Open(path, Options{Now: newClock(t0).Now, Backup: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 400 {
		err := db.Update(func(tx *Tx) error {
			_, err := tx.Enqueue(Outbound{To: fmt.Sprintf("+9198%08d", i), Text: strings.Repeat("order news ", 20), Priority: Notification})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{pduIndia, pduHello, pduTest2, pduMulti1, pduIndiaReport} {
		if _, err := db.Intake([]byte(p), t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// meta reads the fields of the newer meta page that damage aims at.
func meta(t *testing.T, b []byte) (pageSize int, root, freelist, hwm uint64) {
	t.Helper()
	var best uint64
	for i := range 2 {
		ps := int(binary.LittleEndian.Uint32(b[16+8:]))
		m := b[i*ps+16:]
		if txid := binary.LittleEndian.Uint64(m[48:]); i == 0 || txid > best {
			best, pageSize = txid, ps
			root, freelist = binary.LittleEndian.Uint64(m[16:]), binary.LittleEndian.Uint64(m[32:])
			hwm = binary.LittleEndian.Uint64(m[40:])
		}
	}
	return pageSize, root, freelist, hwm
}

func garbage(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// Ten kinds of damage to tokri.db: none may crash Open or let the agent
// run on the file; each is refused with a message that names the backup
// and how to restore it, and the restore it names works.
func TestDamagedFilesAreRefused(t *testing.T) {
	good := goodStore(t)
	orig, err := os.ReadFile(filepath.Join(good, "tokri.db"))
	if err != nil {
		t.Fatal(err)
	}
	ps, root, freelist, hwm := meta(t, orig)
	t.Logf("store: %d bytes, page %d, root page %d, freelist page %d, %d pages in use", len(orig), ps, root, freelist, hwm)
	overwrite := func(off int, g []byte) func([]byte) []byte {
		return func(b []byte) []byte { copy(b[off:], g); return b }
	}
	cases := []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"0 bytes", func([]byte) []byte { return nil }},
		{"cut to 100 bytes", func(b []byte) []byte { return b[:100] }},
		{"cut to one page", func(b []byte) []byte { return b[:ps] }},
		{"cut to the two metas", func(b []byte) []byte { return b[:2*ps] }},
		{"cut in half", func(b []byte) []byte { return b[:len(b)/2] }},
		{"cut inside the last page in use", func(b []byte) []byte { return b[:int(hwm)*ps-ps/2] }},
		{"garbage metas", overwrite(0, garbage(2*ps))},
		{"garbage root page", overwrite(int(root)*ps, garbage(ps))},
		{"garbage freelist page", overwrite(int(freelist)*ps, garbage(ps))},
		{"64 KB garbage mid-file", overwrite(len(orig)/2-32<<10, garbage(64<<10))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, name := range []string{"tokri.db" + MarkerSuffix, "tokri.db" + BackupSuffix} {
				b, err := os.ReadFile(filepath.Join(good, name))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(dir, "tokri.db")
			if err := os.WriteFile(path, c.damage(append([]byte(nil), orig...)), 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := Open(path, Options{CheckTimeout: 30 * time.Second})
			if err == nil {
				db.Close()
				t.Fatal("a damaged store opened")
			}
			var de *DamagedError
			if !errors.As(err, &de) || !errors.Is(err, ErrDamaged) {
				t.Fatalf("Open = %v, want a DamagedError", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, path+BackupSuffix) || !strings.Contains(msg, "cp "+path+BackupSuffix+" "+path) {
				t.Errorf("message does not say how to restore the backup:\n%s", msg)
			}
			t.Logf("refused: %s", de.Cause)
			// Do what the message says.
			if err := os.Rename(path, path+".damaged"); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(path + BackupSuffix)
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err = Open(path, Options{})
			if err != nil {
				t.Fatalf("the restored backup does not open: %v", err)
			}
			defer db.Close()
			if s, err := db.Stats(t0); err != nil || s.Queued[Notification] != 400 {
				t.Errorf("restored store: %+v, %v; want its 400 queued notifications", s.Queued, err)
			}
		})
	}
}

// A missing file where a store had been is refused too; a first start
// (no marker) makes a new store.
func TestMissingStoreIsNotReplaced(t *testing.T) {
	good := goodStore(t)
	path := filepath.Join(good, "tokri.db")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{}); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Open of a missing store with its marker = %v, want ErrDamaged", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open made a new file where the store had been: %v", err)
	}
	fresh := filepath.Join(t.TempDir(), "tokri.db")
	db, err := Open(fresh, Options{})
	if err != nil {
		t.Fatalf("first start: %v", err)
	}
	db.Close()
	if _, err := os.Stat(fresh + MarkerSuffix); err != nil {
		t.Errorf("no marker after a first start: %v", err)
	}
}
