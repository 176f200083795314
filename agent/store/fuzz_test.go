package store

import (
	"encoding/hex"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// FuzzIntake: no input panics or is lost. Every call either dedupes or
// adds exactly one dedupe key, whose record exists; taking the same bytes
// in again is a duplicate of the same record.
func FuzzIntake(f *testing.F) {
	for _, s := range []string{
		pduTest2, pduHello, pduHelloPIDFF, pduIndia, pduIndiaReport, pduReportNotStored,
		pduStoredSubmit, pduBadType, pduOddHex, pduMulti1, pduMulti2, pduOfono1, pduOfono2,
		pduOfono3, pduNRF1, pduNRF4, pduEsc1, pduEsc2, pduHindi1, pduHindi2,
	} {
		f.Add([]byte(s))
		if b, err := hex.DecodeString(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte{})
	f.Add([]byte("\r\n+CMTI: \"SM\",3\r\n"))

	db := openTest(f, Options{})
	at := t0
	f.Fuzz(func(t *testing.T, raw []byte) {
		at = at.Add(time.Second)
		before := keyCount(t, db)
		res, err := db.Intake(raw, at)
		if err != nil {
			t.Fatalf("Intake: %v", err)
		}
		after := keyCount(t, db)
		switch {
		case res.Duplicate && after != before:
			t.Fatalf("duplicate %+v added %d keys", res, after-before)
		case !res.Duplicate && after != before+1:
			t.Fatalf("%+v added %d keys, want 1", res, after-before)
		}
		if !recordExists(t, db, res) {
			t.Fatalf("%+v: record missing", res)
		}
		again, err := db.Intake(raw, at)
		if err != nil {
			t.Fatalf("Intake again: %v", err)
		}
		if !again.Duplicate || again.Outcome != res.Outcome || again.ID != res.ID {
			t.Fatalf("again = %+v, first %+v", again, res)
		}
	})
}

func keyCount(t *testing.T, db *testDB) int {
	n := 0
	err := db.View(func(tx *Tx) error {
		n = countKeys(tx.Bolt().Bucket(bucketDedupe))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func recordExists(t *testing.T, db *testDB, res IntakeResult) bool {
	found := false
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		found = tx.Bucket(outcomeBucket(res.Outcome)).Get(u64(res.ID)) != nil
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}
