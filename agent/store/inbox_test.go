package store

import (
	"errors"
	"testing"
	"time"
)

// bucketShop stands in for the shop's own buckets; declared like theirs,
// so every test store has it.
var bucketShop = []byte("test-carts")

func init() { Declare("agent/store tests", bucketShop) }

func TestHandle(t *testing.T) {
	db := openTest(t, Options{})
	in := db.intake(pduIndia, t0)

	// fn fails after writing everywhere: nothing may stay.
	boom := errors.New("catalog unavailable")
	err := db.Handle(in.ID, func(tx *Tx, got Inbound) error {
		if got.ID != in.ID || got.Text != "Hi\n\nAnshu S" || got.Handled {
			t.Errorf("fn got %+v", got)
		}
		if _, err := tx.Enqueue(Outbound{To: got.From, Text: "Sorry", Priority: Reply}); err != nil {
			return err
		}
		if err := tx.Bolt().Bucket(bucketShop).Put([]byte("cart"), []byte("1 atta")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Handle = %v, want %v", err, boom)
	}
	if p := db.pending(); len(p) != 1 || p[0].ID != in.ID {
		t.Errorf("after a failed fn, pending = %+v", p)
	}
	assertNoOutbound(t, db)
	assertShop(t, db, nil)
	select {
	case <-db.OutboxSignal():
		t.Error("outbox signalled for a rolled-back enqueue")
	default:
	}

	// Success: handled, reply queued and cart written in one commit.
	var replyID uint64
	err = db.Handle(in.ID, func(tx *Tx, got Inbound) error {
		var err error
		if replyID, err = tx.Enqueue(Outbound{To: got.From, Text: "Welcome to the shop", Priority: Reply}); err != nil {
			return err
		}
		return tx.Bolt().Bucket(bucketShop).Put([]byte("cart"), []byte("1 atta"))
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-db.OutboxSignal():
	default:
		t.Error("outbox not signalled after a committed enqueue")
	}
	db.reopen()
	if p := db.pending(); len(p) != 0 {
		t.Errorf("still pending after Handle: %+v", p)
	}
	got, err := db.Inbound(in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Handled || !got.HandledAt.Equal(t0) {
		t.Errorf("inbound after Handle = %+v", got)
	}
	out, ok, _, err := db.nextOut(t0, 0)
	if err != nil || !ok {
		t.Fatalf("NextOutbound = %+v, %v, %v", out, ok, err)
	}
	if out.ID != replyID || out.InReplyTo != in.ID || out.To != "+919790197346" || out.Priority != Reply {
		t.Errorf("reply = %+v", out)
	}
	assertShop(t, db, []byte("1 atta"))

	// Once handled, never again: fn is not called.
	called := false
	err = db.Handle(in.ID, func(*Tx, Inbound) error { called = true; return nil })
	if !errors.Is(err, ErrHandled) || called {
		t.Errorf("second Handle = %v, fn called %v; want ErrHandled and no call", err, called)
	}
	if err := db.Handle(999, func(*Tx, Inbound) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("Handle(unknown) = %v", err)
	}
}

func TestHandlePendingOrder(t *testing.T) {
	db := openTest(t, Options{})
	for i := range 5 {
		db.intake(deliverPDU(i), t0.Add(time.Duration(i)*time.Second))
	}
	p := db.pending()
	if len(p) != 5 {
		t.Fatalf("%d pending", len(p))
	}
	for i := 1; i < len(p); i++ {
		if p[i].ID <= p[i-1].ID || p[i].ReceivedAt.Before(p[i-1].ReceivedAt) {
			t.Errorf("pending not oldest first: %+v", p)
		}
	}
	if err := db.Handle(p[2].ID, func(*Tx, Inbound) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if got := db.pending(); len(got) != 4 || got[2].ID != p[3].ID {
		t.Errorf("after handling the middle one: %+v", got)
	}
}

func TestViewCannotEnqueue(t *testing.T) {
	db := openTest(t, Options{})
	err := db.View(func(tx *Tx) error {
		_, err := tx.Enqueue(Outbound{To: "+919812345678", Text: "x"})
		return err
	})
	if !errors.Is(err, ErrReadOnly) {
		t.Errorf("Enqueue in View = %v", err)
	}
}

func assertNoOutbound(t *testing.T, db *testDB) {
	t.Helper()
	if out, ok, _, err := db.nextOut(t0.Add(24*time.Hour), 0); err != nil || ok {
		t.Errorf("outbox holds %+v (err %v)", out, err)
	}
	if s := db.stats(); s.Queued != [4]int{} {
		t.Errorf("Stats.Queued = %v", s.Queued)
	}
}

func assertShop(t *testing.T, db *testDB, want []byte) {
	t.Helper()
	err := db.View(func(tx *Tx) error {
		got := tx.Bolt().Bucket(bucketShop).Get([]byte("cart"))
		if string(got) != string(want) {
			t.Errorf("cart = %q, want %q", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
