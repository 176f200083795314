package store

import (
	"testing"
	"time"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

func TestPrune(t *testing.T) {
	c := testtime.NewClock(t0)
	db := openTest(t, Options{Now: c.Now})
	const keep = 30 * 24 * time.Hour

	// Old: a handled message with its reply sent and reported, an
	// unhandled one, a part, an undecodable PDU.
	handled := db.intake(pduIndia, t0)
	if err := db.Handle(handled.ID, func(tx *Tx, in Inbound) error {
		_, err := tx.Enqueue(Outbound{To: in.From, Text: "ok", Priority: Reply})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	out, _, _, _ := db.nextOut(t0, 0)
	if err := db.RecordParts(out.ID, SentPart{Part: 1, MR: 64, At: t0}); err != nil {
		t.Fatal(err)
	}
	if err := db.recordSent(out.ID, t0); err != nil {
		t.Fatal(err)
	}
	db.intake(pduIndiaReport, t0)
	waiting := db.intake(pduTest2, t0)
	db.intake(pduMulti1, t0)
	db.intake(pduBadType, t0)

	// Recent: handled yesterday.
	now := t0.Add(keep + 48*time.Hour)
	c.Set(now.Add(-24 * time.Hour))
	recent := db.intake(pduHello, now.Add(-24*time.Hour))
	if err := db.Handle(recent.ID, func(*Tx, Inbound) error { return nil }); err != nil {
		t.Fatal(err)
	}
	c.Set(now)

	removed, err := db.Prune(now, keep)
	if err != nil {
		t.Fatal(err)
	}
	// inbound, sent entry, report, day counter, the day's counts of
	// replies to the number and to new numbers, the number's first reply
	// day, and the dedupe keys of the inbound and the report.
	if removed != 9 {
		t.Errorf("removed %d records, want 9", removed)
	}
	if _, err := db.Inbound(handled.ID); err == nil {
		t.Error("old handled inbound kept")
	}
	if _, err := db.Inbound(recent.ID); err != nil {
		t.Errorf("recent handled inbound: %v", err)
	}
	if p := db.pending(); len(p) != 1 || p[0].ID != waiting.ID {
		t.Errorf("pending after prune = %+v", p)
	}
	if log, _ := db.SentLog(0); len(log) != 0 {
		t.Errorf("old sent log kept: %+v", log)
	}
	s := db.stats()
	if s.PartialGroups != 1 || s.Undecodable != 1 || s.Sent != 1 || s.Delivered != 1 {
		t.Errorf("stats after prune = %+v", s)
	}
	if n, _ := db.SentToday(t0); n != 0 {
		t.Errorf("old day count = %d", n)
	}
	err = db.View(func(tx *Tx) error {
		if n := countKeys(tx.Bolt().Bucket(bucketMRIndex)); n != 0 {
			t.Errorf("%d MR index entries left", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Kept records keep their dedupe keys.
	for _, raw := range []string{pduTest2, pduMulti1, pduBadType, pduHello} {
		if res := db.intake(raw, now); !res.Duplicate {
			t.Errorf("re-read after prune: %+v, want duplicate", res)
		}
	}
	if again, _ := db.Prune(now, keep); again != 0 {
		t.Errorf("second prune removed %d", again)
	}
}

func TestPruneManyInChunks(t *testing.T) {
	c := testtime.NewClock(t0)
	db := openTest(t, Options{Now: c.Now})
	n := pruneChunk*2 + 17
	err := db.Update(func(tx *Tx) error {
		for range n {
			id, err := db.addInbound(tx.Bolt(), inboundRec{Channel: ChannelSMS, From: "+919812345678", Handled: true, HandledAt: t0, ReceivedAt: t0}, nil)
			if err != nil {
				return err
			}
			if err := tx.Bolt().Bucket(bucketPending).Delete(u64(id)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	removed, err := db.Prune(t0.Add(48*time.Hour), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if removed != n {
		t.Errorf("removed %d, want %d", removed, n)
	}
}
