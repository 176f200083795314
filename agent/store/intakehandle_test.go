package store

import (
	"errors"
	"testing"
)

// An SMS once cost a commit to take in and another to handle. Taken in
// while nothing else waits, it is handled in the same commit; behind a
// waiting message it waits its turn; a handler that fails leaves it
// committed and pending, as Intake alone would.
func TestIntakeAndHandle(t *testing.T) {
	db := openTest(t, Options{})
	reply := func(tx *Tx, in Inbound) error {
		_, err := tx.Enqueue(Outbound{To: in.From, Text: "Namaste", Priority: Reply})
		return err
	}
	pending := func() int {
		t.Helper()
		p, err := db.Pending()
		if err != nil {
			t.Fatal(err)
		}
		return len(p)
	}

	before := db.Commits()
	res, handled, err := db.IntakeAndHandle([]byte(deliverPDU(1)), t0, reply)
	if err != nil || !handled || !res.Ready() {
		t.Fatalf("IntakeAndHandle = %+v, %v, %v; want a ready message handled", res, handled, err)
	}
	if n := db.Commits() - before; n != 1 {
		t.Errorf("%d commits, want 1", n)
	}
	if in, err := db.Inbound(res.ID); err != nil || !in.Handled || pending() != 0 {
		t.Errorf("inbound %+v, %v, %d pending; want it handled", in, err, pending())
	}

	// The same PDU again is a duplicate and runs nothing.
	ran := false
	res, handled, err = db.IntakeAndHandle([]byte(deliverPDU(1)), t0, func(*Tx, Inbound) error { ran = true; return nil })
	if err != nil || handled || ran || !res.Duplicate {
		t.Errorf("re-read: %+v, handled %v, ran %v, %v; want a duplicate, not handled", res, handled, ran, err)
	}

	// A failing handler: committed, pending, not handled.
	boom := errors.New("boom")
	res, handled, err = db.IntakeAndHandle([]byte(deliverPDU(2)), t0, func(*Tx, Inbound) error { return boom })
	if err != nil || handled || !res.Ready() || pending() != 1 {
		t.Fatalf("failing handler: %+v, handled %v, %v, %d pending; want committed and pending", res, handled, err, pending())
	}
	// Behind it, the next one waits its turn.
	res, handled, err = db.IntakeAndHandle([]byte(deliverPDU(3)), t0, reply)
	if err != nil || handled || !res.Ready() || pending() != 2 {
		t.Errorf("behind a pending one: %+v, handled %v, %v, %d pending; want it left pending", res, handled, err, pending())
	}
}
