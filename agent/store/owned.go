package store

import (
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"
)

// Load and Save are how the owner packages read and write one JSON record
// in a bucket they declared, so each does not repeat the decode and encode
// steps. Errors name the bucket and never the key, which may be a phone
// number.

// Load decodes the record at key of bucket into v; found is false, and v
// left as it is, when there is none.
func Load(tx *bbolt.Tx, bucket, key []byte, v any) (found bool, err error) {
	b := tx.Bucket(bucket)
	if b == nil {
		return false, nil
	}
	buf := b.Get(key)
	if buf == nil {
		return false, nil
	}
	if err := json.Unmarshal(buf, v); err != nil {
		return false, fmt.Errorf("decode %s record: %w", bucket, err)
	}
	return true, nil
}

// Save encodes v as the record at key of bucket.
func Save(tx *bbolt.Tx, bucket, key []byte, v any) error {
	buf, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s record: %w", bucket, err)
	}
	if err := tx.Bucket(bucket).Put(key, buf); err != nil {
		return fmt.Errorf("write %s record: %w", bucket, err)
	}
	return nil
}

// Each decodes the records of bucket in key order and calls fn with each.
func Each[R any](tx *bbolt.Tx, bucket []byte, fn func(r R) error) error {
	b := tx.Bucket(bucket)
	if b == nil {
		return nil
	}
	n := 0
	return b.ForEach(func(_, v []byte) error {
		var r R
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode %s record %d: %w", bucket, n, err)
		}
		n++
		return fn(r)
	})
}

// All is every record of bucket, in key order.
func All[R any](tx *bbolt.Tx, bucket []byte) ([]R, error) {
	var out []R
	err := Each(tx, bucket, func(r R) error {
		out = append(out, r)
		return nil
	})
	return out, err
}
