package store

import (
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// testDB is a store in t.TempDir() that is closed and checked with
// tx.Check at cleanup.
type testDB struct {
	*DB
	t    testing.TB
	path string
	opts Options
}

var t0 = time.Date(2026, 1, 21, 8, 0, 0, 0, time.UTC)

func openTest(t testing.TB, opts Options) *testDB {
	t.Helper()
	if opts.Now == nil {
		opts.Now = testtime.NewClock(t0).Now
	}
	opts.Log = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)
	if _, ok := t.(*testing.F); ok {
		// The fuzz target may not log through f.
		opts.Log = zerolog.Nop()
	}
	path := filepath.Join(t.TempDir(), "tokri.db")
	db, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	tdb := &testDB{DB: db, t: t, path: path, opts: opts}
	t.Cleanup(func() {
		if tdb.DB != nil {
			if err := tdb.DB.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			tdb.DB = nil
		}
		checkFile(t, path)
	})
	return tdb
}

// reopen closes and opens the file again, as a restart would.
func (d *testDB) reopen() {
	d.t.Helper()
	if err := d.DB.Close(); err != nil {
		d.t.Fatalf("Close: %v", err)
	}
	d.DB = nil
	checkFile(d.t, d.path)
	db, err := Open(d.path, d.opts)
	if err != nil {
		d.t.Fatalf("reopen: %v", err)
	}
	d.DB = db
}

// reopenAsSchema makes the file look as an older agent left it (fn undoes
// what later schemas added, and the file says schema) and opens it again,
// which migrates it.
func (d *testDB) reopenAsSchema(schema uint64, fn func(tx *bbolt.Tx) error) {
	d.t.Helper()
	err := d.bolt.Update(func(tx *bbolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return putUint(tx.Bucket(bucketMeta), metaSchema, schema)
	})
	if err != nil {
		d.t.Fatal(err)
	}
	d.reopen()
}

// checkFile runs bbolt's consistency check over a closed store file.
func checkFile(t testing.TB, path string) {
	t.Helper()
	b, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Errorf("open for check: %v", err)
		return
	}
	defer b.Close()
	err = b.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("tx.Check: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Errorf("check: %v", err)
	}
}

func (d *testDB) intake(raw string, at time.Time) IntakeResult {
	d.t.Helper()
	res, err := d.Intake([]byte(raw), at)
	if err != nil {
		d.t.Fatalf("Intake: %v", err)
	}
	return res
}

func (d *testDB) pending() []Inbound {
	d.t.Helper()
	in, err := d.Pending()
	if err != nil {
		d.t.Fatalf("Pending: %v", err)
	}
	return in
}

func (d *testDB) stats() Stats {
	d.t.Helper()
	s, err := d.Stats(d.opts.Now())
	if err != nil {
		d.t.Fatalf("Stats: %v", err)
	}
	return s
}

func (d *testDB) enqueue(out Outbound) uint64 {
	d.t.Helper()
	var id uint64
	err := d.Update(func(tx *Tx) error {
		var err error
		id, err = tx.Enqueue(out)
		return err
	})
	if err != nil {
		d.t.Fatalf("Enqueue: %v", err)
	}
	return id
}

func (d *testDB) dedupeKeys() int {
	d.t.Helper()
	n := 0
	err := d.View(func(tx *Tx) error {
		n = countKeys(tx.Bolt().Bucket(bucketDedupe))
		return nil
	})
	if err != nil {
		d.t.Fatalf("count dedupe keys: %v", err)
	}
	return n
}

// deliverPDU builds a real-shaped SMS-DELIVER: mm-pdu3 ("hellohello",
// +18005551212, SMSC +12345678901) with the originator's last four digits
// and the SCTS time of day taken from n, so each n is a distinct message.
func deliverPDU(n int) string {
	oa := fmt.Sprintf("1800555%04d", n%10000)
	day := n / 10000
	scts := fmt.Sprintf("110101%02d%02d%02d00", (day/3600)%24, (day/60)%60, day%60)
	return "07912143658709F1" + "040B91" + semiOctets(oa) + "0000" + semiOctets(scts) + "0AE8329BFD4697D9EC37"
}

// semiOctets swaps each pair of digits, padding an odd count with F.
func semiOctets(digits string) string {
	if len(digits)%2 == 1 {
		digits += "F"
	}
	b := []byte(digits)
	for i := 0; i+1 < len(b); i += 2 {
		b[i], b[i+1] = b[i+1], b[i]
	}
	return string(b)
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("hex: %v", err)
	}
	return b
}

// edit replaces old with new in a PDU, failing if old is not there, so a
// derived PDU always differs from its source.
func edit(t testing.TB, pdu, old, new string) string {
	t.Helper()
	if !strings.Contains(pdu, old) {
		t.Fatalf("%s not in %s", old, pdu)
	}
	return strings.Replace(pdu, old, new, 1)
}

// nextOut is NextOutbound spread into its fields.
func (db *DB) nextOut(now time.Time, dailyCap int) (Outbound, bool, bool, error) {
	n, err := db.NextOutbound(now, dailyCap)
	return n.Out, n.OK, n.Capped, err
}

// recordSent finishes outbound id as the sender would: its last recorded
// part again, or every part with no MR if none was recorded.
func (db *DB) recordSent(id uint64, at time.Time) error {
	out, err := db.Outbound(id)
	if err != nil {
		return err
	}
	if n := out.PartsSent; n > 0 {
		return db.RecordParts(id, SentPart{Part: n, Last: true, MR: out.MRs[n-1], At: at})
	}
	for part := 1; part <= out.Segments; part++ {
		if err := db.RecordParts(id, SentPart{Part: part, Last: part == out.Segments, MR: -1, At: at}); err != nil {
			return err
		}
	}
	return nil
}
