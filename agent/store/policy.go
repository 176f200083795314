package store

import (
	"bytes"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/phone"
)

// The SIM's daily cap is a budget shared by everyone who writes to the
// shop. Policy says how the outbox spends it: order news and the
// operator first, no one number more than a small share of it, replies
// to chat only while they are fresh, and never more waiting than a day
// could send.

// Policy is how the outbox spends the SIM's daily cap. The zero value of
// each field takes its default.
type Policy struct {
	// Share is the fraction of the daily cap that replies to one number
	// may use in a SIM day (at least one segment). Default 0.05: with a
	// cap of 100, five segments.
	Share float64
	// Reserve is the fraction of the daily cap replies to chat may not
	// touch: it is kept for order notifications and the operator, so a
	// flood of chat never silences order news. Default 0.2.
	Reserve float64
	// ReplyMaxAge is how old a reply to chat may be and still be sent;
	// older, it is dropped with a record in the sent log. Default 30m.
	ReplyMaxAge time.Duration
	// PerNumber bounds the replies queued to one number; a new one drops
	// the oldest (the shopper has moved on). Default 3.
	PerNumber int
	// MaxQueued bounds the replies queued in all; a new one past it drops
	// the oldest queued reply. Default 200 (two days of a 100 cap).
	MaxQueued int
	// NewShare is the fraction of the chat budget that replies to numbers
	// the shop has never answered before today may use, so a flood of new
	// numbers leaves the rest for the shop's known shoppers. Default 0.5.
	NewShare float64
}

// Policy defaults.
const (
	DefaultShare       = 0.05
	DefaultReserve     = 0.2
	DefaultReplyMaxAge = 30 * time.Minute
	DefaultPerNumber   = 3
	DefaultMaxQueued   = 200
	DefaultNewShare    = 0.5
)

func (p Policy) withDefaults() Policy {
	if p.Share <= 0 || p.Share > 1 {
		p.Share = DefaultShare
	}
	if p.Reserve <= 0 || p.Reserve >= 1 {
		p.Reserve = DefaultReserve
	}
	if p.ReplyMaxAge <= 0 {
		p.ReplyMaxAge = DefaultReplyMaxAge
	}
	if p.PerNumber <= 0 {
		p.PerNumber = DefaultPerNumber
	}
	if p.MaxQueued <= 0 {
		p.MaxQueued = DefaultMaxQueued
	}
	if p.NewShare <= 0 || p.NewShare > 1 {
		p.NewShare = DefaultNewShare
	}
	return p
}

// share is the segments replies to one number may use in a day of cap.
func (p Policy) share(dailyCap int) int { return max(1, int(float64(dailyCap)*p.Share)) }

// chatBudget is the segments replies to chat may use in a day of cap.
func (p Policy) chatBudget(dailyCap int) int {
	return max(1, dailyCap-int(float64(dailyCap)*p.Reserve))
}

// newBudget is the segments replies to numbers new today may use.
func (p Policy) newBudget(dailyCap int) int {
	return max(1, int(float64(p.chatBudget(dailyCap))*p.NewShare))
}

// rank orders the queue: the byte every queue key starts with. Operator
// answers and order news go first; replies to chat after them; bulk last.
func rank(p Priority) byte {
	switch p {
	case Operator:
		return 0
	case Notification:
		return 1
	case Reply:
		return 2
	}
	return 3
}

// priorityOfRank undoes rank.
func priorityOfRank(r byte) Priority {
	switch r {
	case 0:
		return Operator
	case 1:
		return Notification
	case 2:
		return Reply
	}
	return Bulk
}

// Why a queued reply was dropped instead of sent.
const (
	DropStale      = "dropped: older than the reply age limit"
	DropSuperseded = "dropped: newer replies to the same number"
	DropOverflow   = "dropped: outbox full"
)

// Keys in bucketDays besides the day's segment count: the day key, then
// one of these, then (for per-number counts) the number.
var (
	daySuffixTo      = []byte("/to/")     // segments of replies sent to one number
	daySuffixDropped = []byte("/dropped") // replies dropped
	daySuffixNew     = []byte("/new")     // segments of replies to numbers new that day
)

// known says whether the shop answered number on a day before now's: a
// shopper it knows, not one of a flood of new numbers.
func (db *DB) known(tx *bbolt.Tx, number string, now time.Time) bool {
	v := tx.Bucket(bucketKnown).Get([]byte(digits(number)))
	return v != nil && bytes.Compare(v, db.dayKey(now)) < 0
}

// countReplyTx counts a segment of a reply sent to number at at: against
// the number's share, against the budget for new numbers if it is new,
// and makes it known from that day on.
func (db *DB) countReplyTx(tx *bbolt.Tx, number string, at time.Time) error {
	days := tx.Bucket(bucketDays)
	if err := addUint(days, db.dayToKey(at, number), 1); err != nil {
		return err
	}
	if db.known(tx, number, at) {
		return nil
	}
	if err := addUint(days, concat(db.dayKey(at), daySuffixNew), 1); err != nil {
		return err
	}
	k := tx.Bucket(bucketKnown)
	if k.Get([]byte(digits(number))) == nil {
		return k.Put([]byte(digits(number)), db.dayKey(at))
	}
	return nil
}

func (db *DB) dayToKey(at time.Time, to string) []byte {
	return concat(db.dayKey(at), daySuffixTo, []byte(digits(to)))
}

// queuedKey indexes a queued reply by number, so the outbox can be bounded
// per number without reading every record.
func queuedKey(to string, id uint64) []byte {
	return concat([]byte(digits(to)), []byte{0}, u64(id))
}

// dropTx removes a queued message without sending it and keeps it in the
// sent log as failed with cause, counted as dropped (not as failed: the
// send did not fail, the policy chose not to send).
func (db *DB) dropTx(tx *bbolt.Tx, id uint64, r *outRec, at time.Time, cause string) error {
	r.SentAt = at.UTC()
	r.Failed = true
	r.LastError = cause
	if err := put(logBucket(tx, bucketSent), u64(id), *r); err != nil {
		return err
	}
	if err := unqueueTx(tx, id, r); err != nil {
		return err
	}
	if err := addUint(tx.Bucket(bucketCounters), counterDropped, 1); err != nil {
		return err
	}
	return addUint(tx.Bucket(bucketDays), concat(db.dayKey(at), daySuffixDropped), 1)
}

// unqueueTx removes id from the outbox, the queue and the per-number index.
func unqueueTx(tx *bbolt.Tx, id uint64, r *outRec) error {
	if err := tx.Bucket(bucketOutbox).Delete(u64(id)); err != nil {
		return fmt.Errorf("remove from outbox: %w", err)
	}
	if err := tx.Bucket(bucketQueue).Delete(queueKey(r.Priority, id)); err != nil {
		return fmt.Errorf("remove from queue: %w", err)
	}
	if err := tx.Bucket(bucketQueuedTo).Delete(queuedKey(r.To, id)); err != nil {
		return fmt.Errorf("remove from number index: %w", err)
	}
	return nil
}

// boundReplies makes room for one more reply to to: it drops the oldest
// replies to that number past PerNumber-1 and the oldest reply overall
// past MaxQueued-1. The reply being sent (see NextOutbound) is neither
// dropped nor counted: it is as good as gone.
func (db *DB) boundReplies(tx *bbolt.Tx, to string, at time.Time) error {
	p := db.policy
	prefix := concat([]byte(digits(to)), []byte{0})
	var mine []uint64
	c := tx.Bucket(bucketQueuedTo).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if id := fromU64(k[len(prefix):]); !db.held(id) {
			mine = append(mine, id)
		}
	}
	for len(mine) >= p.PerNumber {
		if err := db.dropID(tx, mine[0], at, DropSuperseded); err != nil {
			return err
		}
		mine = mine[1:]
	}
	replies := []byte{rank(Reply)}
	var all []uint64
	qc := tx.Bucket(bucketQueue).Cursor()
	for k, _ := qc.Seek(replies); k != nil && k[0] == replies[0]; k, _ = qc.Next() {
		if id := fromU64(k[1:]); !db.held(id) {
			all = append(all, id)
		}
	}
	for ; len(all) >= p.MaxQueued; all = all[1:] {
		if err := db.dropID(tx, all[0], at, DropOverflow); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) dropID(tx *bbolt.Tx, id uint64, at time.Time, cause string) error {
	var r outRec
	found, err := get(tx.Bucket(bucketOutbox), u64(id), &r)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("queued outbound %d has no record", id)
	}
	db.log.Debug().Uint64("outbound", id).Str("to", phone.Mask(r.To)).Str("why", cause).Msg("reply dropped")
	return db.dropTx(tx, id, &r, at, cause)
}

// dropStale drops every queued reply older than ReplyMaxAge.
func (db *DB) dropStale(now time.Time) (int, error) {
	cutoff := now.Add(-db.policy.ReplyMaxAge)
	n := 0
	err := db.update(func(tx *bbolt.Tx) error {
		n = 0
		outbox := tx.Bucket(bucketOutbox)
		replies := []byte{rank(Reply)}
		var stale []uint64
		c := tx.Bucket(bucketQueue).Cursor()
		for k, _ := c.Seek(replies); k != nil && k[0] == replies[0]; k, _ = c.Next() {
			id := fromU64(k[1:])
			var r outRec
			if _, err := get(outbox, u64(id), &r); err != nil {
				return err
			}
			if r.CreatedAt.Before(cutoff) && !db.held(id) {
				stale = append(stale, id)
			}
		}
		for _, id := range stale {
			if err := db.dropID(tx, id, now, DropStale); err != nil {
				return err
			}
		}
		n = len(stale)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("drop stale replies: %w", err)
	}
	if n > 0 {
		db.log.Info().Int("dropped", n).Stringer("max_age", db.policy.ReplyMaxAge.Round(time.Millisecond)).Msg("stale replies dropped")
	}
	return n, nil
}

// Pressure is what the cap and the outbox policy did today: what tells the
// operator a flood is on.
type Pressure struct {
	Dropped int // replies dropped today (stale, superseded, overflow)
	Held    int // numbers whose replies wait for their share, as last seen
	// ChatCapped says replies to chat used all of today's chat budget, as
	// last seen; only notifications and the operator still go out.
	ChatCapped bool
	// NewCapped says replies to numbers new today used their part of the
	// chat budget, as last seen; known shoppers are still answered.
	NewCapped bool
}

// pressureState is what the last NextOutbound saw, kept in memory: it
// changes on every send, and it is only worth showing for the same day.
type pressureState struct {
	day                   string
	held                  map[string]bool
	chatCapped, newCapped bool
}

func (db *DB) notePressure(now time.Time, held []string, chatCapped, newCapped bool) {
	day := string(db.dayKey(now))
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.press.day != day {
		db.press = pressureState{day: day, held: map[string]bool{}}
	}
	for _, n := range held {
		db.press.held[n] = true
	}
	db.press.chatCapped = db.press.chatCapped || chatCapped
	db.press.newCapped = db.press.newCapped || newCapped
}

func (db *DB) pressure(tx *bbolt.Tx, now time.Time) Pressure {
	day := db.dayKey(now)
	p := Pressure{Dropped: int(getUint(tx.Bucket(bucketDays), concat(day, daySuffixDropped)))}
	db.mu.Lock()
	if db.press.day == string(day) {
		p.Held, p.ChatCapped, p.NewCapped = len(db.press.held), db.press.chatCapped, db.press.newCapped
	}
	db.mu.Unlock()
	return p
}
