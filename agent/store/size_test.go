package store

import (
	"errors"
	"testing"
)

// Commits counts what reached the file: one per committed transaction,
// none for one that rolled back.
func TestCommitsCountsCommittedTransactions(t *testing.T) {
	db := openTest(t, Options{})
	before := db.Commits()
	if _, err := db.Intake([]byte(deliverPDU(1)), t0); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := db.Update(func(tx *Tx) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("failing update: %v", err)
	}
	if got := db.Commits() - before; got != 1 {
		t.Errorf("%d commits counted, want 1", got)
	}
	used, err := db.Used()
	if err != nil || used <= 0 {
		t.Errorf("Used = %d, %v; want the pages in use", used, err)
	}
}
