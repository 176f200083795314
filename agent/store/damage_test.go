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

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// goodStore makes a store with a few hundred KB of messages, replies and
// a sent log, closed cleanly with a backup beside it, and returns its
// directory.
func goodStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "tokri.db")
	db, err := Open(path, Options{Now: testtime.NewClock(t0).Now, Backup: true})
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

// GoodStore is goodStore for the external tests.
var GoodStore = goodStore

// Damage is one kind of damage done to a store file's bytes.
type Damage struct {
	Name  string
	Apply func([]byte) []byte
}

// Damages are eleven kinds of damage to the store file orig.
func Damages(t *testing.T, orig []byte) []Damage {
	ps, root, freelist, hwm := meta(t, orig)
	t.Logf("store: %d bytes, page %d, root page %d, freelist page %d, %d pages in use", len(orig), ps, root, freelist, hwm)
	overwrite := func(off int, g []byte) func([]byte) []byte {
		return func(b []byte) []byte { copy(b[off:], g); return b }
	}
	return []Damage{
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
		// A torn freelist write that names pages in use as free: every
		// page in use it names, and every free page it dropped, is a
		// problem of its own.
		{"freelist naming pages in use", overwrite(int(freelist)*ps, inUseFreelist(freelist, hwm))},
	}
}

// inUseFreelist is a freelist page (page id, flags, count, overflow, then
// the ids) that lists every page from 2 to hwm but itself as free.
func inUseFreelist(freelist, hwm uint64) []byte {
	var ids []uint64
	for id := uint64(2); id < hwm && len(ids) < 64; id++ {
		if id != freelist {
			ids = append(ids, id)
		}
	}
	b := make([]byte, 16+8*len(ids))
	binary.LittleEndian.PutUint64(b, freelist)
	binary.LittleEndian.PutUint16(b[8:], 0x10) // freelist page
	binary.LittleEndian.PutUint16(b[10:], uint16(len(ids)))
	for i, id := range ids {
		binary.LittleEndian.PutUint64(b[16+8*i:], id)
	}
	return b
}

// DamagedStore makes a new directory with the marker and backup of the
// store in good and its tokri.db damaged by d; it returns the file's path.
func DamagedStore(t *testing.T, good string, d Damage) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{FileName, FileName + MarkerSuffix, FileName + BackupSuffix} {
		b, err := os.ReadFile(filepath.Join(good, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == FileName {
			b = d.Apply(b)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, FileName)
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
