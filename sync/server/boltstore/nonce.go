package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The nonces every store used lately, in two top-level buckets: by key
// (store NUL nonce -> be64 unix nanoseconds of the use), and by time
// (be64 unix nanoseconds, store NUL nonce -> empty) so that ForgetNonces
// reads only what it deletes. Store IDs and nonces never hold a NUL.
var (
	bucketNonces     = []byte("central/nonces")
	bucketNonceTimes = []byte("central/nonce_times")
)

func nonceKey(store, nonce string) []byte {
	return []byte(store + "\x00" + nonce)
}

func nanos(t time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano()))
}

func (s *Store) UseNonce(ctx context.Context, store, nonce string, now, since time.Time) (bool, error) {
	key := nonceKey(store, nonce)
	var fresh bool
	// Batch shares one fsync among the requests arriving together; a rerun
	// starts over from a fresh transaction, so the function is safe twice.
	err := s.db.Batch(func(tx *bolt.Tx) error {
		fresh = false
		byKey, byTime := tx.Bucket(bucketNonces), tx.Bucket(bucketNonceTimes)
		if v := byKey.Get(key); len(v) == 8 {
			if int64(binary.BigEndian.Uint64(v)) > since.UnixNano() {
				return nil
			}
			old := append(append([]byte(nil), v...), key...)
			if err := byTime.Delete(old); err != nil {
				return err
			}
		}
		at := nanos(now)
		if err := byKey.Put(key, at); err != nil {
			return err
		}
		if err := byTime.Put(append(at, key...), nil); err != nil {
			return err
		}
		fresh = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("use nonce of %s: %w", store, err)
	}
	return fresh, nil
}

func (s *Store) ForgetNonces(ctx context.Context, before time.Time) (int, error) {
	limit := nanos(before)
	var n int
	err := s.db.Update(func(tx *bolt.Tx) error {
		n = 0
		byKey, byTime := tx.Bucket(bucketNonces), tx.Bucket(bucketNonceTimes)
		var old [][]byte
		c := byTime.Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k[:8], limit) <= 0; k, _ = c.Next() {
			old = append(old, append([]byte(nil), k...))
		}
		for _, k := range old {
			if err := byTime.Delete(k); err != nil {
				return err
			}
			// The key may have been used again later: drop it only if this
			// is its latest use.
			if v := byKey.Get(k[8:]); bytes.Equal(v, k[:8]) {
				if err := byKey.Delete(k[8:]); err != nil {
					return err
				}
			}
		}
		n = len(old)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("forget nonces: %w", err)
	}
	return n, nil
}
