package outbox

import (
	"bytes"

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
