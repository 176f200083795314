package store

import (
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// Undecodable is a PDU no decoder could read, kept for the operator.
type Undecodable struct {
	ID         uint64
	Raw        []byte
	Err        string
	ReceivedAt time.Time
}

// StoredSubmit is an SMS-SUBMIT found in the modem's storage (a message
// written there, not one a shopper sent); it is kept and never answered.
type StoredSubmit struct {
	ID         uint64
	Raw        []byte
	To, Text   string
	Encoding   string
	ReceivedAt time.Time
}

// Undecodable lists the undecodable PDUs, oldest first.
func (db *DB) Undecodable() ([]Undecodable, error) {
	return list(db, bucketUndecodable, "undecodable", func(id uint64, r *undecodableRec) (Undecodable, bool) {
		return Undecodable{ID: id, Raw: r.Raw, Err: r.Err, ReceivedAt: r.ReceivedAt}, true
	})
}

// DismissUndecodable removes an undecodable PDU the operator has dealt
// with. Its dedupe key stays until Prune, so a re-read is still ignored.
func (db *DB) DismissUndecodable(id uint64) error {
	err := db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketUndecodable)
		if b.Get(u64(id)) == nil {
			return clean(ErrNotFound)
		}
		return b.Delete(u64(id))
	})
	if err != nil {
		return fmt.Errorf("dismiss undecodable %d: %w", id, err)
	}
	return nil
}

// StoredSubmits lists the SMS-SUBMITs taken from modem storage, oldest
// first.
func (db *DB) StoredSubmits() ([]StoredSubmit, error) {
	return list(db, bucketSubmits, "stored submits", func(id uint64, r *submitRec) (StoredSubmit, bool) {
		return StoredSubmit{ID: id, Raw: r.Raw, To: r.To, Text: r.Text, Encoding: r.Encoding, ReceivedAt: r.ReceivedAt}, true
	})
}

// Stats are the counts the console shows.
type Stats struct {
	InboxPending  int               // Ready inbound not yet handled
	PartialGroups int               // long messages waiting for parts
	Undecodable   int               // kept for the operator
	StoredSubmits int               // SMS-SUBMITs taken from modem storage
	Queued        [Operator + 1]int // outbox by priority: Queued[Reply], ...
	// Capped says the last NextOutbound, today, held a message back for
	// the daily cap.
	Capped    bool
	SentToday int // segments, in the SIM day of now
	// Lifetime counts (Prune does not lower them).
	Sent        int // RecordParts with a last part
	Failed      int // MarkFailed
	Delivered   int // sent messages reported delivered
	Undelivered int // sent messages reported failed by the network
	Dropped     int // replies the outbox policy dropped unsent
	// Pressure is what the cap and the outbox policy did today.
	Pressure Pressure
}

// Stats counts what is where.
func (db *DB) Stats(now time.Time) (Stats, error) {
	var s Stats
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		s.InboxPending = countKeys(tx.Bucket(bucketPending))
		s.PartialGroups = countKeys(tx.Bucket(bucketGroups))
		s.Undecodable = countKeys(tx.Bucket(bucketUndecodable))
		s.StoredSubmits = countKeys(tx.Bucket(bucketSubmits))
		c := tx.Bucket(bucketQueue).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			s.Queued[priorityOfRank(k[0])]++
		}
		s.SentToday = int(getUint(tx.Bucket(bucketDays), db.dayKey(now)))
		counters := tx.Bucket(bucketCounters)
		s.Sent = int(getUint(counters, counterSent))
		s.Failed = int(getUint(counters, counterFailed))
		s.Delivered = int(getUint(counters, counterDelivered))
		s.Undelivered = int(getUint(counters, counterUndelivered))
		s.Dropped = int(getUint(counters, counterDropped))
		s.Pressure = db.pressure(tx, now)
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("read stats: %w", err)
	}
	db.mu.Lock()
	s.Capped = db.cappedDay != "" && db.cappedDay == string(db.dayKey(now))
	db.mu.Unlock()
	return s, nil
}

func countKeys(b *bbolt.Bucket) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n
}
