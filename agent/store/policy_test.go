package store

import (
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// A file from before the queue was ranked (schema 1: the key's first byte
// was the priority's value, replies first) is rewritten on open, so order
// news already queued goes before chat, and queued replies count against
// their number's bound.
func TestMigrateRanksTheQueue(t *testing.T) {
	db := openTest(t, Options{})
	reply := db.enqueue(Outbound{To: "+919812345678", Text: "reply", Priority: Reply})
	note := db.enqueue(Outbound{To: "+919812345678", Text: "order news", Priority: Notification})
	// Make it look as schema 1 wrote it.
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		q := tx.Bucket(bucketQueue)
		for _, e := range []struct {
			id uint64
			p  Priority
		}{{reply, Reply}, {note, Notification}} {
			v := copyBytes(q.Get(queueKey(e.p, e.id)))
			if err := q.Delete(queueKey(e.p, e.id)); err != nil {
				return err
			}
			if err := q.Put(concat([]byte{byte(e.p)}, u64(e.id)), v); err != nil {
				return err
			}
		}
		if err := tx.DeleteBucket(bucketQueuedTo); err != nil {
			return err
		}
		return putUint(tx.Bucket(bucketMeta), metaSchema, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	db.reopen()
	if s := db.stats(); s.Queued[Reply] != 1 || s.Queued[Notification] != 1 {
		t.Fatalf("after migration Queued = %v", s.Queued)
	}
	out, ok, _, err := db.NextOutbound(t0, 0)
	if err != nil || !ok || out.ID != note {
		t.Fatalf("first out = %+v %v %v, want the order news", out, ok, err)
	}
	// Three more replies to the number: the migrated one is the oldest of
	// four and is dropped for the bound of three.
	for range 3 {
		db.enqueue(Outbound{To: "+919812345678", Text: "later", Priority: Reply})
	}
	if s := db.stats(); s.Queued[Reply] != 3 || s.Dropped != 1 {
		t.Errorf("after three more replies: Queued %v, dropped %d; want 3 queued, the migrated one dropped", s.Queued, s.Dropped)
	}
}

// A reply older than the age limit is dropped with a record, not sent.
func TestStaleReplyIsDroppedWithARecord(t *testing.T) {
	c := newClock(t0)
	db := openTest(t, Options{Now: c.Now, Outbox: Policy{ReplyMaxAge: 10 * time.Minute}})
	id := db.enqueue(Outbound{To: "+919812345678", Text: "answer", Priority: Reply})
	c.Set(t0.Add(11 * time.Minute))
	if out, ok, _, err := db.NextOutbound(c.Now(), 100); err != nil || ok {
		t.Fatalf("NextOutbound = %+v %v %v, want nothing", out, ok, err)
	}
	log, err := db.SentLog(0)
	if err != nil || len(log) != 1 || log[0].ID != id || !log[0].Failed || log[0].LastError != DropStale || log[0].PartsSent != 0 {
		t.Fatalf("sent log = %+v, %v; want the reply dropped as stale", log, err)
	}
	if s := db.stats(); s.Dropped != 1 || s.Pressure.Dropped != 1 || s.Failed != 0 {
		t.Errorf("stats = dropped %d (today %d), failed %d", s.Dropped, s.Pressure.Dropped, s.Failed)
	}
}

// A store from before numbers were known learns them from its sent log,
// so its regular shoppers are not new numbers on the day it is upgraded.
func TestMigrateKnowsNumbersFromTheSentLog(t *testing.T) {
	c := newClock(t0)
	db := openTest(t, Options{Now: c.Now})
	id := db.enqueue(Outbound{To: "+919812345678", Text: "answer", Priority: Reply})
	if err := db.MarkLastPartSent(id, 1, 5, t0); err != nil {
		t.Fatal(err)
	}
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket(bucketKnown); err != nil {
			return err
		}
		return putUint(tx.Bucket(bucketMeta), metaSchema, 2)
	})
	if err != nil {
		t.Fatal(err)
	}
	db.reopen()
	err = db.bolt.View(func(tx *bbolt.Tx) error {
		if !db.known(tx, "+919812345678", t0.Add(24*time.Hour)) {
			t.Error("a number answered before is not known after the migration")
		}
		if db.known(tx, "+919800000001", t0.Add(24*time.Hour)) {
			t.Error("a number never answered is known")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
