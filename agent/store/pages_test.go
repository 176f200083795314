package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// openDamaged opens a copy of the store in good with its file's bytes
// replaced by b, and returns Open's error (nil if it opened).
func openDamaged(t *testing.T, good string, b []byte) error {
	t.Helper()
	path := DamagedStore(t, good, Damage{"", func([]byte) []byte { return b }})
	db, err := Open(path, Options{})
	if err == nil {
		db.Close()
		return nil
	}
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("Open = %v, want a DamagedError or a store", err)
	}
	return err
}

// bbolt's page layout, as the damage below aims at it.
const (
	pageHeaderSize = 16 // id, flags, count, overflow
	branchPage     = 0x01
)

// goodFile is goodStore's directory and its store file's bytes.
func goodFile(t *testing.T) (string, []byte) {
	good := goodStore(t)
	b, err := os.ReadFile(filepath.Join(good, FileName))
	if err != nil {
		t.Fatal(err)
	}
	return good, b
}

// Pointers that lead out of the file are refused by name. Each of these
// used to be a fatal memory fault in bbolt's check goroutine: the agent
// died with a stack trace instead of saying how to restore.
func TestPointersOutOfTheFileAreRefused(t *testing.T) {
	good, orig := goodFile(t)
	ps, root, freelist, hwm := meta(t, orig)
	le := binary.LittleEndian
	// the root bucket's first leaf page, its first element (every
	// top-level key is a bucket) and where that bucket's header lies
	leaf := root
	for le.Uint16(orig[int(leaf)*ps+8:]) == branchPage {
		leaf = le.Uint64(orig[int(leaf)*ps+pageHeaderSize+8:])
	}
	leafAt := int(leaf) * ps
	elem := leafAt + pageHeaderSize
	value := elem + int(le.Uint32(orig[elem+4:])) + int(le.Uint32(orig[elem+8:]))

	for _, c := range []struct {
		name, cause string
		damage      func(b []byte)
	}{
		{"key offset past the file", "element 0 runs past its end", func(b []byte) {
			le.PutUint32(b[elem+4:], 0x7fff0000)
		}},
		{"key length past the file", "element 0 runs past its end", func(b []byte) {
			le.PutUint32(b[elem+8:], 0x75000005)
		}},
		{"bucket root past the file", "not in the file's", func(b []byte) {
			le.PutUint64(b[value:], hwm+1000)
		}},
		{"bucket root is the root page", "reached twice", func(b []byte) {
			le.PutUint64(b[value:], root)
		}},
		{"too many elements for the page", "do not fit in it", func(b []byte) {
			le.PutUint16(b[leafAt+10:], 0xfff0)
		}},
		{"freelist count past its page", "does not fit in it", func(b []byte) {
			le.PutUint16(b[int(freelist)*ps+10:], 0xFFFF)
			le.PutUint64(b[int(freelist)*ps+pageHeaderSize:], 1<<40)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := bytes.Clone(orig)
			c.damage(b)
			err := openDamaged(t, good, b)
			if err == nil || !strings.Contains(err.Error(), c.cause) {
				t.Fatalf("Open = %v, want it refused with %q", err, c.cause)
			}
		})
	}
}

// Random damage to any page either opens (bbolt keeps no checksums on
// data pages, so a changed byte in a value is invisible) or is refused
// with a DamagedError; it never takes the process down, which is what
// this test would then do.
func TestRandomDamageNeverCrashes(t *testing.T) {
	good, orig := goodFile(t)
	ps, _, _, hwm := meta(t, orig)
	r := rand.New(rand.NewPCG(10, 10))
	refused := 0
	const rounds = 200
	for range rounds {
		b := bytes.Clone(orig)
		page := (2 + r.IntN(int(hwm)-2)) * ps
		switch r.IntN(3) {
		case 0: // a few bytes anywhere in the page
			for range 1 + r.IntN(8) {
				b[page+r.IntN(ps)] = byte(r.Uint32())
			}
		case 1: // the header and first elements
			for i := range 128 {
				b[page+i] = byte(r.Uint32())
			}
		default: // the whole page
			for i := range ps {
				b[page+i] = byte(r.Uint32())
			}
		}
		if openDamaged(t, good, b) != nil {
			refused++
		}
	}
	t.Logf("%d of %d damaged files refused, the rest opened", refused, rounds)
	if refused < rounds/4 {
		t.Errorf("only %d of %d damaged files refused", refused, rounds)
	}
}
