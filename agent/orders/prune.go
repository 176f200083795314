package orders

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/sync/outbox"
)

// Prune removes, in tx, final orders (delivered, rejected, cancelled) whose
// last change came before cutoff and whose every change the server holds
// (no record of theirs waits in the sync outbox). Open orders stay whatever
// their age. It visits at most limit orders by creation time, starting at
// from (nil: the oldest), so one call is one bounded transaction; next is
// where the following call starts, nil once the walk is through.
//
// Orders are walked oldest first and the walk stops at the first order
// created at or after cutoff: an order cannot have changed before it was
// created.
func Prune(tx *bbolt.Tx, cutoff time.Time, from []byte, limit int) (removed int, next []byte, err error) {
	byTime, byID, byShopper := tx.Bucket(bucketByTime), tx.Bucket(bucketByID), tx.Bucket(bucketByShopper)
	if byTime == nil || byID == nil {
		return 0, nil, nil
	}
	type victim struct {
		timeKey []byte
		o       Order
	}
	var drop []victim
	c := byTime.Cursor()
	k, _ := c.First()
	if from != nil {
		k, _ = c.Seek(from)
	}
	for i := 0; k != nil; k, _ = c.Next() {
		if i == limit {
			next = append([]byte(nil), k...)
			break
		}
		i++
		if len(k) < 8 {
			continue
		}
		if !time.Unix(0, int64(binary.BigEndian.Uint64(k[:8]))).Before(cutoff) {
			break
		}
		v := byID.Get(k[8:])
		if v == nil {
			drop = append(drop, victim{timeKey: append([]byte(nil), k...)})
			continue
		}
		var o Order
		if err := json.Unmarshal(v, &o); err != nil {
			return 0, nil, fmt.Errorf("decode order %s: %w", k[8:], err)
		}
		if !o.State.Final() || !o.UpdatedAt.Before(cutoff) || unpushed(tx, o.ID) {
			continue
		}
		drop = append(drop, victim{timeKey: append([]byte(nil), k...), o: o})
	}
	for _, d := range drop {
		if err := byTime.Delete(d.timeKey); err != nil {
			return 0, nil, fmt.Errorf("unindex order %s: %w", d.timeKey[8:], err)
		}
		if d.o.ID == "" {
			continue // an index entry left without its order
		}
		if err := byID.Delete([]byte(d.o.ID)); err != nil {
			return 0, nil, fmt.Errorf("delete order %s: %w", d.o.ID, err)
		}
		if byShopper != nil {
			if err := byShopper.Delete(append(shopperPrefix(d.o.Shopper), d.timeKey...)); err != nil {
				return 0, nil, fmt.Errorf("unindex order %s by shopper: %w", d.o.ID, err)
			}
		}
		removed++
	}
	return removed, next, nil
}

// unpushed reports whether a change of order id still waits in the sync
// outbox (its keys are "order:ID:placed" and "order_state:ID:STATE").
func unpushed(tx *bbolt.Tx, id string) bool {
	return outbox.HasKeyPrefix(tx, outbox.KindOrder+":"+id+":") ||
		outbox.HasKeyPrefix(tx, outbox.KindOrderState+":"+id+":")
}

// pruneChunk bounds the orders one pruning transaction visits, so the
// agent's own writes never wait long behind retention.
const pruneChunk = 500

// PruneBefore runs Prune over every order, one transaction per chunk, and
// returns how many orders it removed.
func PruneBefore(db *store.DB, cutoff time.Time) (int, error) {
	n, err := db.InChunks(func(tx *store.Tx, from []byte) (int, []byte, error) {
		return Prune(tx.Bolt(), cutoff, from, pruneChunk)
	})
	if err != nil {
		return n, fmt.Errorf("prune orders: %w", err)
	}
	return n, nil
}
