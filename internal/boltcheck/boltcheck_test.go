package boltcheck

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/tokrihq/tokri/internal/testkit/damage"
)

// makeFile writes a bbolt file of n records of about 600 bytes in two
// buckets, one of them holding a small (inline) bucket per 100 records,
// and returns its path.
func makeFile(t testing.TB, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file.db")
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		inbox, err := tx.CreateBucket([]byte("inbox"))
		if err != nil {
			return err
		}
		groups, err := tx.CreateBucket([]byte("groups"))
		if err != nil {
			return err
		}
		var g *bbolt.Bucket
		for i := range n {
			k := binary.BigEndian.AppendUint64(nil, uint64(i))
			if err := inbox.Put(k, bytes.Repeat([]byte{byte(i)}, 600)); err != nil {
				return err
			}
			if i%100 == 0 {
				if g, err = groups.CreateBucket([]byte(fmt.Sprintf("g%06d", i))); err != nil {
					return err
				}
			}
			if err := g.Put(k, []byte("x")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenChecksTheFile(t *testing.T) {
	path := makeFile(t, 2000)
	db, err := Open(path, &bbolt.Options{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A second opener finds the lock taken, which is not damage.
	if _, err := Open(path, &bbolt.Options{Timeout: 50 * time.Millisecond}, 0); !errors.Is(err, bolterrors.ErrTimeout) {
		t.Errorf("second Open = %v, want ErrTimeout", err)
	}
	db.Close()

	damage.FirstKey(t, path)
	_, err = Open(path, &bbolt.Options{}, 0)
	var d *DamageError
	if !errors.As(err, &d) || !strings.Contains(d.Cause, "runs past its end") {
		t.Fatalf("Open of a damaged file = %v, want a DamageError naming the element", err)
	}
}

// BenchmarkCheck is what the check at open costs on a file of 10,000
// records of 600 bytes (about 9 MB, like an agent's store holding a busy
// month): the bounded walk of every pointer (pages), bbolt's own check,
// and Tx, which runs both.
func BenchmarkCheck(b *testing.B) {
	db, err := bbolt.Open(makeFile(b, 10000), 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	check := func(tx *bbolt.Tx) error {
		var first error
		for err := range tx.Check() {
			first = cmp.Or(first, err)
		}
		return first
	}
	for _, c := range []struct {
		name string
		f    func(*bbolt.Tx) error
	}{{"pages", checkPages}, {"bbolt", check}, {"Tx", Tx}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := db.View(c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
