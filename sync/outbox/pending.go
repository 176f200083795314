package outbox

import (
	"bytes"
	"time"

	"go.etcd.io/bbolt"
)

// HasKeyPrefix reports whether a record whose idempotency key starts with
// prefix still waits for the server, so retention can leave alone what the
// server does not hold yet.
func HasKeyPrefix(tx *bbolt.Tx, prefix string) bool {
	keys := tx.Bucket(bucketKeys)
	if keys == nil {
		return false
	}
	k, _ := keys.Cursor().Seek([]byte(prefix))
	return k != nil && bytes.HasPrefix(k, []byte(prefix))
}

// DropBefore removes up to limit of the oldest records added before cutoff,
// as an acknowledgement would (their keys and stock sums go with them), and
// says how many it removed and whether more may wait. It is for a store
// that runs without a server: nothing would ever take its records, and
// retention keeps every order whose changes still wait here.
func DropBefore(tx *bbolt.Tx, cutoff time.Time, limit int) (dropped int, more bool, err error) {
	recs, err := Pending(tx, 0, limit)
	if err != nil {
		return 0, false, err
	}
	var seqs []uint64
	for _, r := range recs {
		if !r.At.Before(cutoff) {
			break
		}
		seqs = append(seqs, r.Seq)
	}
	if err := Ack(tx, seqs); err != nil {
		return 0, false, err
	}
	return len(seqs), len(seqs) == limit && limit > 0, nil
}
