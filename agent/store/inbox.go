package store

import (
	"fmt"

	"go.etcd.io/bbolt"
)

// Pending lists the inbound messages that are Ready and not yet handled,
// oldest first: what the loop works through at startup and after.
func (db *DB) Pending() ([]Inbound, error) {
	var out []Inbound
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		inbox := tx.Bucket(bucketInbox)
		return tx.Bucket(bucketPending).ForEach(func(k, _ []byte) error {
			var r inboundRec
			found, err := get(inbox, k, &r)
			if err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("pending inbound %d has no record", fromU64(k))
			}
			out = append(out, r.public(fromU64(k)))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list pending inbound: %w", err)
	}
	return out, nil
}

// Inbound reads one inbound message, handled or not.
func (db *DB) Inbound(id uint64) (Inbound, error) {
	return one(db, bucketInbox, id, "inbound", func(r *inboundRec) Inbound { return r.public(id) })
}

// Handle runs fn and marks the inbound handled in one bbolt transaction:
// whatever fn writes (replies through tx.Enqueue, the shop's own buckets
// through tx.Bolt) commits together with the mark, or, if fn fails, none of
// it does and the inbound stays pending. An inbound handled before returns
// ErrHandled without calling fn.
//
// fn runs inside the write transaction: it must not do I/O (modem,
// network) or start another transaction. The transaction may be shared
// with other writers (see commit.go), so fn may run again if another
// writer's function fails before the commit; only one run ever commits,
// and all of fn's effects must go through tx.
func (db *DB) Handle(id uint64, fn func(tx *Tx, in Inbound) error) error {
	err := db.Update(func(t *Tx) error { return db.handleTx(t, id, fn) })
	if err != nil {
		return fmt.Errorf("handle inbound %d: %w", id, err)
	}
	return nil
}

// handleTx is Handle's work inside t.
func (db *DB) handleTx(t *Tx, id uint64, fn func(tx *Tx, in Inbound) error) error {
	inbox := logBucket(t.tx, bucketInbox)
	var r inboundRec
	found, err := get(inbox, u64(id), &r)
	if err != nil {
		return err
	}
	if !found {
		return clean(ErrNotFound)
	}
	if r.Handled {
		return clean(ErrHandled)
	}
	t.inbound = id
	if err := fn(t, r.public(id)); err != nil {
		return err
	}
	r.Handled, r.HandledAt = true, db.now().UTC()
	if err := put(inbox, u64(id), r); err != nil {
		return err
	}
	if err := t.tx.Bucket(bucketPending).Delete(u64(id)); err != nil {
		return fmt.Errorf("clear pending: %w", err)
	}
	return nil
}
