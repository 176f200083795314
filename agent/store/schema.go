package store

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/tokrihq/tokri/sync/outbox"
)

// Bucket names. Every bucket is created on open, so code may assume each
// exists.
var (
	bucketMeta        = []byte("meta")        // schema version, counters of the store itself
	bucketDedupe      = []byte("dedupe")      // dedupe key -> outcome, record id, time
	bucketInbox       = []byte("inbox")       // inbound id -> inboundRec
	bucketPending     = []byte("pending")     // inbound id -> nil, for Ready and not handled
	bucketGroups      = []byte("groups")      // group id -> groupRec (parts of a long message)
	bucketGroupIndex  = []byte("groupidx")    // from, ref bits, ref, total, group id -> nil
	bucketReports     = []byte("reports")     // report id -> reportRec
	bucketSubmits     = []byte("submits")     // stored SMS-SUBMIT id -> submitRec
	bucketUndecodable = []byte("undecodable") // id -> undecodableRec
	bucketOutbox      = []byte("outbox")      // outbound id -> outRec
	bucketQueue       = []byte("queue")       // priority, outbound id -> next attempt
	bucketSent        = []byte("sent")        // outbound id -> sentRec, after RecordParts of a last part or MarkFailed
	bucketMRIndex     = []byte("mridx")       // number suffix, MR, outbound id -> nil
	bucketEarly       = []byte("early")       // number suffix, MR, report id -> nil: reports that came before their send was recorded
	bucketDays        = []byte("days")        // YYYYMMDD in Options.Location -> segments sent
	bucketCounters    = []byte("counters")    // name -> lifetime count
	bucketQueuedTo    = []byte("queuedto")    // digits of number, 0, outbound id -> nil: queued replies
	bucketKnown       = []byte("known")       // digits of number -> YYYYMMDD of the first reply sent to it
)

// logFill is the FillPercent of the logs keyed by NextSequence ids (inbox,
// sent log, reports, stored submits, undecodable PDUs). Their keys only
// grow, so a page bbolt splits off is written again only when a recent
// record changes; the default split at half a page would leave every page
// of these logs half empty, doubling the file and the pages the agent
// reads and keeps mapped. The slack left takes the updates (handled, a
// delivery report) that make a recent record longer.
const logFill = 0.9

// logBucket is tx.Bucket(name) for a sequence-keyed log, filled to logFill.
func logBucket(tx *bbolt.Tx, name []byte) *bbolt.Bucket {
	b := tx.Bucket(name)
	b.FillPercent = logFill
	return b
}

func init() {
	Declare("agent/store",
		bucketMeta, bucketDedupe, bucketInbox, bucketPending, bucketGroups,
		bucketGroupIndex, bucketReports, bucketSubmits, bucketUndecodable,
		bucketOutbox, bucketQueue, bucketSent, bucketMRIndex, bucketDays,
		bucketCounters, bucketEarly, bucketQueuedTo, bucketKnown)
	// sync/outbox is shared with the central server and links nothing of
	// the agent, so the agent's store declares its buckets for it.
	Declare("sync/outbox", outbox.Buckets...)
}

// declared is every bucket of the file, by name, with the package that
// owns it.
var declared struct {
	mu    sync.Mutex // guards following
	owner map[string]string
}

// Declare adds an owner package's buckets to the file's layout. Each owner
// calls it from init, so every program that links the owner opens its
// store with those buckets made, in the transaction that brings the schema
// up to date, and the owner's code may assume each exists. A name declared
// by two owners panics: two packages would write one bucket.
func Declare(owner string, buckets ...[]byte) {
	declared.mu.Lock()
	defer declared.mu.Unlock()
	if declared.owner == nil {
		declared.owner = map[string]string{}
	}
	for _, b := range buckets {
		if o, ok := declared.owner[string(b)]; ok && o != owner {
			panic(fmt.Sprintf("store: bucket %q declared by %s and %s", b, o, owner))
		}
		declared.owner[string(b)] = owner
	}
}

// Buckets is every bucket Open creates, by name, with its owner.
func Buckets() map[string]string {
	declared.mu.Lock()
	defer declared.mu.Unlock()
	return maps.Clone(declared.owner)
}

// NewerSchemaError is why Open refused a file written by a newer agent:
// this one does not know its layout and could damage it.
type NewerSchemaError struct {
	Schema int // the file's
	Known  int // the newest this agent knows
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("this store was written by a newer tokri (schema %d); install that version or restore a backup (this tokri knows schema %d)", e.Schema, e.Known)
}

func (e *NewerSchemaError) Unwrap() error { return ErrNewerSchema }

// Keys in bucketMeta.
var (
	metaSchema = []byte("schema") // uint64 schema version
	metaRef    = []byte("concat") // uint64 counter behind Outbound.Ref
)

// Keys in bucketCounters.
var (
	counterSent        = []byte("sent")        // messages moved to the sent log by RecordParts of a last part
	counterFailed      = []byte("failed")      // messages given up by MarkFailed
	counterDelivered   = []byte("delivered")   // sent messages whose reports say delivered
	counterUndelivered = []byte("undelivered") // sent messages whose reports say failed
	counterDropped     = []byte("dropped")     // replies the outbox policy dropped unsent
)

// A migration moves the file from version-1 to version. It runs in the
// same transaction as the version bump, after all buckets exist.
type migration struct {
	version int
	why     string
	apply   func(tx *bbolt.Tx) error
}

// migrations is append-only: never edit a released step, add a new one.
var migrations = []migration{
	{version: 1, why: "initial layout", apply: func(*bbolt.Tx) error { return nil }},
	{version: 2, why: "queue ranked by rank(), not the priority's value; replies indexed by number", apply: rankQueue},
	{version: 3, why: "numbers answered before, from the sent log, so they count as known shoppers", apply: knownFromSentLog},
	{version: 4, why: "every owner's buckets (catalog, orders, shop, sync...) made on open, not on first write", apply: func(*bbolt.Tx) error { return nil }},
	{version: 5, why: "sync/withdrawn dropped: the shop reads a withdrawal from the item's Active flag", apply: dropBucket("sync/withdrawn")},
}

// dropBucket deletes a bucket no owner declares any more, if the file has it.
func dropBucket(name string) func(*bbolt.Tx) error {
	return func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket([]byte(name)); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
			return err
		}
		return nil
	}
}

// schemaVersion is the version this code writes.
func schemaVersion() int { return migrations[len(migrations)-1].version }

// migrate creates every declared bucket and runs every migration the file
// lacks. A new file (no meta bucket yet) starts at the current schema:
// from is returned as to, so opening it is not reported as a migration.
func migrate(tx *bbolt.Tx) (from, to int, err error) {
	fresh := tx.Bucket(bucketMeta) == nil
	owners := Buckets()
	for _, name := range slices.Sorted(maps.Keys(owners)) {
		if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
			return 0, 0, fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	meta := tx.Bucket(bucketMeta)
	from = int(getUint(meta, metaSchema))
	to = schemaVersion()
	if from > to {
		return from, to, &NewerSchemaError{Schema: from, Known: to}
	}
	for _, m := range migrations {
		if m.version <= from {
			continue
		}
		if err := m.apply(tx); err != nil {
			return from, to, fmt.Errorf("migrate to schema %d (%s): %w", m.version, m.why, err)
		}
	}
	if err := putUint(meta, metaSchema, uint64(to)); err != nil {
		return from, to, fmt.Errorf("write schema version: %w", err)
	}
	if fresh {
		from = to
	}
	return from, to, nil
}

// rankQueue rewrites every queue key with rank() of its record's priority
// and indexes queued replies by number.
func rankQueue(tx *bbolt.Tx) error {
	q, outbox := tx.Bucket(bucketQueue), tx.Bucket(bucketOutbox)
	type entry struct{ k, v []byte }
	var old []entry
	c := q.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		old = append(old, entry{copyBytes(k), copyBytes(v)})
	}
	for _, e := range old {
		if err := q.Delete(e.k); err != nil {
			return err
		}
	}
	for _, e := range old {
		id := fromU64(e.k[1:])
		var r outRec
		found, err := get(outbox, u64(id), &r)
		if err != nil {
			return err
		}
		if !found {
			continue // a queue key without its record: nothing to send
		}
		if err := q.Put(queueKey(r.Priority, id), e.v); err != nil {
			return err
		}
		if r.Priority == Reply {
			if err := tx.Bucket(bucketQueuedTo).Put(queuedKey(r.To, id), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// knownFromSentLog marks every number a reply was sent to as known from
// the day it was first sent.
func knownFromSentLog(tx *bbolt.Tx) error {
	known := tx.Bucket(bucketKnown)
	return tx.Bucket(bucketSent).ForEach(func(k, v []byte) error {
		var r outRec
		if err := decodeRec(k, v, &r); err != nil {
			return err
		}
		if r.Priority != Reply || r.Failed || r.PartsSent == 0 {
			return nil
		}
		// The sent log has no time zone: the UTC day is near enough for
		// "answered before today".
		day := []byte(r.SentAt.UTC().Format("20060102"))
		key := []byte(digits(r.To))
		if old := known.Get(key); old != nil && string(old) <= string(day) {
			return nil
		}
		return known.Put(key, day)
	})
}
