package store

import (
	"fmt"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
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
	db.reopenAsSchema(1, func(tx *bbolt.Tx) error {
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
		return tx.DeleteBucket(bucketQueuedTo)
	})
	if s := db.stats(); s.Queued[Reply] != 1 || s.Queued[Notification] != 1 {
		t.Fatalf("after migration Queued = %v", s.Queued)
	}
	out, ok, _, err := db.nextOut(t0, 0)
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
	c := testtime.NewClock(t0)
	db := openTest(t, Options{Now: c.Now, Outbox: Policy{ReplyMaxAge: 10 * time.Minute}})
	id := db.enqueue(Outbound{To: "+919812345678", Text: "answer", Priority: Reply})
	c.Set(t0.Add(11 * time.Minute))
	if out, ok, _, err := db.nextOut(c.Now(), 100); err != nil || ok {
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
	c := testtime.NewClock(t0)
	db := openTest(t, Options{Now: c.Now})
	id := db.enqueue(Outbound{To: "+919812345678", Text: "answer", Priority: Reply})
	if err := db.RecordParts(id, SentPart{Part: 1, Last: true, MR: 5, At: t0}); err != nil {
		t.Fatal(err)
	}
	db.reopenAsSchema(2, func(tx *bbolt.Tx) error { return tx.DeleteBucket(bucketKnown) })
	err := db.bolt.View(func(tx *bbolt.Tx) error {
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

// The reply the sender holds is neither dropped nor counted by the bounds:
// more replies to its number, or a full outbox, drop the ones still
// waiting, and recording it as sent still finds it. Dropped, recording it
// failed with ErrNotFound and stopped the agent.
func TestBoundsPassOverTheReplyBeingSent(t *testing.T) {
	for _, tc := range []struct {
		name   string
		policy Policy
		to     func(i int) string
	}{
		{"per number", Policy{PerNumber: 2}, func(int) string { return "+919812345678" }},
		{"outbox full", Policy{MaxQueued: 2}, func(i int) string { return fmt.Sprintf("+9198000000%02d", i) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t, Options{Outbox: tc.policy})
			first := db.enqueue(Outbound{To: tc.to(0), Text: "first answer", Priority: Reply})
			out, ok, _, err := db.nextOut(t0, 100)
			if err != nil || !ok || out.ID != first {
				t.Fatalf("NextOutbound = %+v %v %v, want the first reply", out, ok, err)
			}
			// While the modem sends it, three more replies come.
			var later []uint64
			for i := 1; i <= 3; i++ {
				later = append(later, db.enqueue(Outbound{To: tc.to(i), Text: "later answer", Priority: Reply}))
			}
			if err := db.RecordParts(first, SentPart{Part: 1, Last: true, MR: 7, At: t0}); err != nil {
				t.Fatalf("record the reply being sent: %v", err)
			}
			if s := db.stats(); s.Queued[Reply] != 2 || s.Dropped != 1 || s.Sent != 1 {
				t.Errorf("queued %v, dropped %d, sent %d; want the two newest waiting, one dropped, one sent", s.Queued, s.Dropped, s.Sent)
			}
			log, err := db.SentLog(0)
			failed := map[uint64]bool{}
			for _, s := range log {
				failed[s.ID] = s.Failed
			}
			if f, sent := failed[first]; err != nil || len(log) != 2 || !sent || f || !failed[later[0]] {
				t.Errorf("sent log = %+v, %v; want the first sent and the oldest waiting one dropped", log, err)
			}
			// Once recorded, it holds nothing: the next reply counts the
			// two waiting ones and drops the older.
			db.enqueue(Outbound{To: tc.to(4), Text: "even later", Priority: Reply})
			if s := db.stats(); s.Queued[Reply] != 2 || s.Dropped != 2 {
				t.Errorf("after the send: queued %v, dropped %d; want 2 and 2", s.Queued, s.Dropped)
			}
		})
	}
}

// A reply dropped after the sender looked but before it held it is not
// handed out: NextOutbound looks again.
func TestNextOutboundSkipsAReplyDroppedBeforeTheHold(t *testing.T) {
	db := openTest(t, Options{Outbox: Policy{PerNumber: 1}})
	db.enqueue(Outbound{To: "+919812345678", Text: "old answer", Priority: Reply})
	// The look sees the old answer; the hold finds it gone, as if the
	// newer reply's transaction committed in between.
	out, _, _, _, err := db.nextOutbound(t0, 100)
	if err != nil {
		t.Fatal(err)
	}
	newer := db.enqueue(Outbound{To: "+919812345678", Text: "new answer", Priority: Reply})
	if held, err := db.holdQueued(out.ID); err != nil || held {
		t.Fatalf("holdQueued(dropped) = %v, %v; want false", held, err)
	}
	if db.held(out.ID) {
		t.Error("a dropped reply is still held")
	}
	got, ok, _, err := db.nextOut(t0, 100)
	if err != nil || !ok || got.ID != newer {
		t.Fatalf("NextOutbound = %+v %v %v, want the newer reply", got, ok, err)
	}
}
