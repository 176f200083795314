package store

import (
	"bytes"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// pruneChunk bounds how many keys one pruning transaction visits, so the
// agent's own writes never wait long behind retention.
const pruneChunk = 1000

// Prune removes what is older than keep: handled inbound messages, the
// sent log, status reports, daily counters, and dedupe keys whose record
// is gone. Pending inbound, incomplete groups, undecodable PDUs and stored
// submits stay until dealt with. It returns how many records it removed.
//
// A PDU re-read from the modem after its dedupe key was pruned would be
// taken in again, so keep must be far longer than any message stays in
// modem storage (days, not minutes).
func (db *DB) Prune(now time.Time, keep time.Duration) (removed int, err error) {
	cutoff := now.Add(-keep)
	phases := []struct {
		name   string
		bucket []byte
		drop   func(tx *bbolt.Tx, k, v []byte) (bool, error)
	}{
		{"inbox", bucketInbox, func(tx *bbolt.Tx, k, v []byte) (bool, error) {
			var r inboundRec
			if err := decodeRec(k, v, &r); err != nil {
				return false, err
			}
			return r.Handled && r.HandledAt.Before(cutoff), nil
		}},
		{"sent log", bucketSent, func(tx *bbolt.Tx, k, v []byte) (bool, error) {
			var r outRec
			if err := decodeRec(k, v, &r); err != nil {
				return false, err
			}
			if !r.SentAt.Before(cutoff) {
				return false, nil
			}
			for _, mr := range r.MRs {
				if err := tx.Bucket(bucketMRIndex).Delete(mrKey(r.To, mr, fromU64(k))); err != nil {
					return false, err
				}
			}
			return true, nil
		}},
		{"reports", bucketReports, func(tx *bbolt.Tx, k, v []byte) (bool, error) {
			var r reportRec
			if err := decodeRec(k, v, &r); err != nil {
				return false, err
			}
			return r.ReceivedAt.Before(cutoff), nil
		}},
		{"daily counts", bucketDays, func(tx *bbolt.Tx, k, v []byte) (bool, error) {
			return bytes.Compare(k, db.dayKey(cutoff)) < 0, nil
		}},
		{"known numbers", bucketKnown, func(tx *bbolt.Tx, k, v []byte) (bool, error) {
			// A number not answered for keep is new again; one answered
			// since is found by its sent log.
			return bytes.Compare(v, db.dayKey(cutoff)) < 0, nil
		}},
		{"dedupe keys", bucketDedupe, func(tx *bbolt.Tx, k, v []byte) (bool, error) {
			o, id, at, ok := parseDedupe(v)
			if !ok {
				return false, fmt.Errorf("dedupe value %x: bad length %d", k, len(v))
			}
			if !at.Before(cutoff) {
				return false, nil
			}
			return tx.Bucket(outcomeBucket(o)).Get(u64(id)) == nil, nil
		}},
	}
	for _, p := range phases {
		n, err := db.pruneBucket(p.bucket, p.drop)
		removed += n
		if err != nil {
			return removed, fmt.Errorf("prune %s: %w", p.name, err)
		}
	}
	if removed > 0 {
		db.log.Info().Int("removed", removed).Stringer("keep", keep.Round(time.Millisecond)).Msg("store pruned")
	}
	return removed, nil
}

func outcomeBucket(o Outcome) []byte {
	switch o {
	case OutcomeInbound:
		return bucketInbox
	case OutcomePart:
		return bucketGroups
	case OutcomeReport:
		return bucketReports
	case OutcomeSubmit:
		return bucketSubmits
	}
	return bucketUndecodable
}

// pruneBucket walks bucket in chunks of pruneChunk keys, one transaction
// each, deleting the keys drop selects.
func (db *DB) pruneBucket(bucket []byte, drop func(tx *bbolt.Tx, k, v []byte) (bool, error)) (int, error) {
	return db.InChunks(func(stx *Tx, start []byte) (int, []byte, error) {
		tx := stx.Bolt()
		b := tx.Bucket(bucket)
		c := b.Cursor()
		k, v := c.First()
		if start != nil {
			k, v = c.Seek(start)
		}
		var del [][]byte
		for i := 0; k != nil && i < pruneChunk; i++ {
			ok, err := drop(tx, k, v)
			if err != nil {
				return 0, nil, err
			}
			if ok {
				del = append(del, copyBytes(k))
			}
			k, v = c.Next()
		}
		next := copyBytes(k)
		for _, k := range del {
			if err := b.Delete(k); err != nil {
				return 0, nil, err
			}
		}
		return len(del), next, nil
	})
}

// InChunks runs step in one transaction after another, each from the key
// the last one stopped at (nil at first), until a step has no next key,
// and returns the sum of what the steps counted, so a long walk holds no
// transaction for long. A step may run again when its shared commit is
// retried: it must change nothing but the transaction.
func (db *DB) InChunks(step func(tx *Tx, from []byte) (n int, next []byte, err error)) (int, error) {
	var from []byte
	total := 0
	for {
		var (
			n    int
			next []byte
		)
		err := db.Update(func(tx *Tx) error {
			var err error
			n, next, err = step(tx, from)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
		if next == nil {
			return total, nil
		}
		from = next
	}
}
