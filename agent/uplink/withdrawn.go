package uplink

import (
	"encoding/binary"
	"fmt"
	"sort"
	"time"

	"go.etcd.io/bbolt"
)

var bucketWithdrawn = []byte("sync/withdrawn") // sku -> unix nanoseconds, big-endian

// withdrawnKeep is how long a withdrawal is remembered: long enough for any
// cart still open to hear of it.
const withdrawnKeep = 30 * 24 * time.Hour

// Withdrawn lists the SKUs the central server withdrew (made inactive) at
// or after since, sorted. The shop calls it when a shopper with an open
// cart writes again, and tells them which of their items are gone.
func Withdrawn(tx *bbolt.Tx, since time.Time) ([]string, error) {
	b := tx.Bucket(bucketWithdrawn)
	if b == nil {
		return nil, nil
	}
	var out []string
	err := b.ForEach(func(k, v []byte) error {
		if len(v) != 8 {
			return fmt.Errorf("read withdrawal of %q: bad length %d", k, len(v))
		}
		if !fromNanos(v).Before(since) {
			out = append(out, string(k))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

// markWithdrawn remembers that sku was withdrawn at at.
func markWithdrawn(tx *bbolt.Tx, sku string, at time.Time) error {
	b := tx.Bucket(bucketWithdrawn)
	if err := b.Put([]byte(sku), nanos(at)); err != nil {
		return fmt.Errorf("store withdrawal of %q: %w", sku, err)
	}
	return nil
}

// unmarkWithdrawn forgets a withdrawal once the item is back.
func unmarkWithdrawn(tx *bbolt.Tx, sku string) error {
	b := tx.Bucket(bucketWithdrawn)
	if b == nil {
		return nil
	}
	if err := b.Delete([]byte(sku)); err != nil {
		return fmt.Errorf("clear withdrawal of %q: %w", sku, err)
	}
	return nil
}

// pruneWithdrawn drops withdrawals older than withdrawnKeep.
func pruneWithdrawn(tx *bbolt.Tx, now time.Time) error {
	b := tx.Bucket(bucketWithdrawn)
	if b == nil {
		return nil
	}
	cutoff := now.Add(-withdrawnKeep)
	var old [][]byte
	err := b.ForEach(func(k, v []byte) error {
		if len(v) == 8 && fromNanos(v).Before(cutoff) {
			old = append(old, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("prune withdrawal of %q: %w", k, err)
		}
	}
	return nil
}

func nanos(t time.Time) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(t.UnixNano()))
	return b[:]
}

func fromNanos(b []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(b))).UTC()
}
