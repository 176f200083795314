package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// openOldFile copies testdata/schema3.db, written by the agent at schema 3
// before the records' Go fields were renamed, and opens the copy.
func openOldFile(t *testing.T) *DB {
	t.Helper()
	path := copyOldFile(t)
	db, err := Open(path, Options{Now: testtime.NewClock(t0.Add(time.Hour)).Now, Log: zerolog.New(zerolog.NewTestWriter(t))})
	if err != nil {
		t.Fatalf("open a schema-3 file: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
		checkFile(t, path)
	})
	return db
}

// TestOldFileReadsEveryRecordKind pins the JSON tags: every kind of record
// a schema-3 agent wrote reads back with each field in place.
func TestOldFileReadsEveryRecordKind(t *testing.T) {
	db := openOldFile(t)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

	// Inbox: handled, pending, a call, a long message released with parts missing.
	handled, err := db.Inbound(1)
	if err != nil {
		t.Fatal(err)
	}
	if handled.Channel != ChannelSMS || handled.Text != "Test2" || handled.Encoding != "gsm7" || handled.Parts != 1 ||
		!handled.ReceivedAt.Equal(at(0)) || !handled.Handled || !handled.HandledAt.Equal(at(1)) || handled.SCTS.IsZero() {
		t.Errorf("handled inbound = %+v", handled)
	}
	pending, err := db.Pending()
	if err != nil {
		t.Fatal(err)
	}
	var call, released Inbound
	for _, in := range pending {
		switch {
		case in.Channel == ChannelCall:
			call = in
		case in.Missing > 0:
			released = in
		}
	}
	if len(pending) != 3 || call.From != "+919812345678" || !call.ReceivedAt.Equal(at(3)) {
		t.Errorf("pending = %+v", pending)
	}
	if released.Encoding != "ucs2" || released.Missing != 2 || released.Parts != 1 {
		t.Errorf("released long message = %+v", released)
	}

	// Reassembly: the open group keeps its part.
	groups, err := db.IncompleteGroups(0, at(60))
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || groups[0].Total != 2 || len(groups[0].Have) != 1 || groups[0].Have[0] != 1 || groups[0].Text == "" {
		t.Errorf("open groups = %+v", groups)
	}

	// Stored submit and undecodable PDU.
	subs, err := db.StoredSubmits()
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Text != "www.diafaan.com" || subs[0].Encoding != "gsm7" || subs[0].To == "" {
		t.Errorf("stored submits = %+v", subs)
	}
	bad, err := db.Undecodable()
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || bad[0].Err == "" || len(bad[0].Raw) == 0 {
		t.Errorf("undecodable = %+v", bad)
	}

	// Sent log: a sent and reported reply, and a failure.
	log, err := db.SentLog(0)
	if err != nil {
		t.Fatal(err)
	}
	byTo := map[string]SentRecord{}
	for _, r := range log {
		byTo[r.To] = r
	}
	if r := byTo["+919790197346"]; r.Delivery != DeliveryDelivered || r.PartsSent != 1 || r.MRs[0] != 64 ||
		r.PartStatus[0] != 0 || !r.SentAt.Equal(at(9)) || !r.ReportedAt.Equal(at(10)) || r.Attempts != 1 ||
		!r.StatusReport || r.Priority != Reply || r.Segments != 1 || r.CreatedAt.IsZero() {
		t.Errorf("reported = %+v", r)
	}
	if r := byTo["+919800000001"]; !r.Failed || r.LastError != "+CMS ERROR: 500" || r.Priority != Operator {
		t.Errorf("failed = %+v", r)
	}
	if r := byTo["+919790197346"]; r.Text != "order 17 accepted" {
		t.Errorf("reported text = %q", r.Text)
	}

	// Outbox: the reply to the handled inbound, and a long message with its first part sent, waiting for a retry.
	reply, err := db.Outbound(1)
	if err != nil {
		t.Fatal(err)
	}
	if reply.InReplyTo != handled.ID || reply.Text != "thanks" || reply.To != handled.From || !reply.CreatedAt.Equal(at(1)) {
		t.Errorf("queued reply = %+v", reply)
	}
	if err := db.MarkFailed(reply.ID, "not this test's"); err != nil {
		t.Fatal(err)
	}
	next, err := db.NextOutbound(at(20), 0)
	if err != nil {
		t.Fatal(err)
	}
	o := next.Out
	if !next.OK || o.To != "+919812345678" || o.Priority != Notification || o.Segments != 2 || o.PartsSent != 1 ||
		o.MRs[0] != 77 || o.Attempts != 1 || o.LastError != "+CMS ERROR: 38" || !o.NextAttempt.Equal(at(20)) ||
		!o.StatusReport || o.Ref == 0 || o.Encoding != "gsm7" {
		t.Errorf("queued = %+v", next)
	}

	// Counters and the daily count carried over.
	s, err := db.Stats(at(20))
	if err != nil {
		t.Fatal(err)
	}
	if s.Sent != 1 || s.Failed != 2 || s.SentToday != 2 || s.Delivered != 1 {
		t.Errorf("stats = %+v", s)
	}
}

// copyOldFile copies testdata/schema3.db into the test's directory.
func copyOldFile(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/schema3.db")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenReportsOnlyRealMigrations: a new file starts at the current
// schema and says nothing of migrating; a schema-3 file says 3 to 5.
func TestOpenReportsOnlyRealMigrations(t *testing.T) {
	old := copyOldFile(t)
	for _, tt := range []struct {
		name, path, want string
	}{
		{"new file", filepath.Join(t.TempDir(), FileName), ""},
		{"schema-3 file", old, `"from":3,"to":5,"message":"store schema migrated"`},
	} {
		var log bytes.Buffer
		db, err := Open(tt.path, Options{Log: zerolog.New(&log)})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		got := log.String()
		if tt.want == "" && strings.Contains(got, "migrated") || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("%s: log %q, want %q", tt.name, got, tt.want)
		}
	}
}
