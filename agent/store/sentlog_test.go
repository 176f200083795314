package store

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// send takes a queued message through the sender's steps with the given
// MRs, and returns its id.
func (d *testDB) send(to, text string, at time.Time, mrs ...int) uint64 {
	d.t.Helper()
	id := d.enqueue(Outbound{To: to, Text: text, Priority: Reply, StatusReport: true})
	for i, mr := range mrs {
		if err := d.RecordParts(id, SentPart{Part: i + 1, MR: mr, At: at}); err != nil {
			d.t.Fatal(err)
		}
	}
	if err := d.recordSent(id, at); err != nil {
		d.t.Fatal(err)
	}
	return id
}

func TestStatusReportMatchesSent(t *testing.T) {
	// real-india-cds reports MR 64 to +919790197346 delivered (TP-ST 0).
	tests := []struct {
		name string
		to   string // as the shop addressed it
	}{
		{"international", "+919790197346"},
		{"national with trunk 0", "09790197346"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t, Options{})
			older := db.send(tt.to, "order 17 accepted", t0, 64)
			other := db.send("+919812345678", "other shopper", t0, 64)
			newer := db.send(tt.to, "order 17 packed", t0.Add(time.Hour), 64)

			res := db.intake(pduIndiaReport, t0.Add(2*time.Hour))
			if res.Outcome != OutcomeReport || res.Matched != newer {
				t.Fatalf("report: %+v, want it matched to %d", res, newer)
			}
			log, err := db.SentLog(0)
			if err != nil {
				t.Fatal(err)
			}
			byID := map[uint64]SentRecord{}
			for _, r := range log {
				byID[r.ID] = r
			}
			if r := byID[newer]; r.Delivery != DeliveryDelivered || !slices.Equal(r.PartStatus, []int{0}) ||
				!r.ReportedAt.Equal(t0.Add(2*time.Hour)) {
				t.Errorf("newer = %+v", r)
			}
			for _, id := range []uint64{older, other} {
				if r := byID[id]; r.Delivery != DeliveryUnknown {
					t.Errorf("%d = %+v, want no report", id, r)
				}
			}
			if s := db.stats(); s.Delivered != 1 || s.Undelivered != 0 {
				t.Errorf("stats = %+v", s)
			}
			if again := db.intake(pduIndiaReport, t0.Add(3*time.Hour)); !again.Duplicate {
				t.Errorf("report re-read: %+v", again)
			}
		})
	}
}

func TestStatusReportBeforeLastPart(t *testing.T) {
	// A long message's first part is reported while the second is still
	// to go: the report lands on the outbox entry and moves with it.
	db := openTest(t, Options{})
	id := db.enqueue(Outbound{To: "+919790197346", Text: "long", Priority: Reply, StatusReport: true})
	if err := db.RecordParts(id, SentPart{Part: 1, MR: 64, At: t0}); err != nil {
		t.Fatal(err)
	}
	if res := db.intake(pduIndiaReport, t0.Add(time.Second)); res.Matched != id {
		t.Fatalf("report: %+v, want matched to %d", res, id)
	}
	if err := db.RecordParts(id, SentPart{Part: 2, MR: 65, At: t0.Add(2 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	if err := db.recordSent(id, t0.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	log, err := db.SentLog(1)
	if err != nil {
		t.Fatal(err)
	}
	r := log[0]
	if r.Segments != 2 || !slices.Equal(r.MRs, []int{64, 65}) || !slices.Equal(r.PartStatus, []int{0, -1}) || r.Delivery != DeliveryUnknown {
		t.Errorf("sent = %+v", r)
	}
}

func TestStatusReportBeforeSendRecorded(t *testing.T) {
	// On a fast network the report overtakes the commit of +CMGS: it is
	// kept, and applied when the part is recorded, within the window only.
	db := openTest(t, Options{})
	res := db.intake(pduIndiaReport, t0)
	if res.Outcome != OutcomeReport || res.Matched != 0 {
		t.Fatalf("report: %+v, want kept unmatched", res)
	}
	id := db.send("+919790197346", "order 17 placed", t0.Add(time.Second), 64)
	log, err := db.SentLog(1)
	if err != nil {
		t.Fatal(err)
	}
	if r := log[0]; r.ID != id || r.Delivery != DeliveryDelivered || !slices.Equal(r.PartStatus, []int{0}) {
		t.Errorf("sent = %+v, want delivered by the early report", r)
	}
	if s := db.stats(); s.Delivered != 1 {
		t.Errorf("delivered = %d, want 1", s.Delivered)
	}
	// The report is used once: a later message with the same MR stays unknown.
	later := db.send("+919790197346", "order 18 placed", t0.Add(2*time.Second), 64)
	log, err = db.SentLog(1)
	if err != nil {
		t.Fatal(err)
	}
	if r := log[0]; r.ID != later || r.Delivery != DeliveryUnknown {
		t.Errorf("later = %+v, want no report", r)
	}
	// A report far older than the send belongs to an earlier message.
	db2 := openTest(t, Options{})
	db2.intake(pduIndiaReport, t0)
	db2.send("+919790197346", "next day", t0.Add(24*time.Hour), 64)
	if log, _ := db2.SentLog(1); log[0].Delivery != DeliveryUnknown {
		t.Errorf("stale report applied: %+v", log[0])
	}
}

func TestStatusReportStates(t *testing.T) {
	// mm-status-report-not-stored: MR 90 to 639337937, TP-ST 0x30 (the
	// SMSC is still trying).
	db := openTest(t, Options{})
	id := db.send("639337937", "hello", t0, 90)
	res := db.intake(pduReportNotStored, t0.Add(time.Minute))
	if res.Matched != id {
		t.Fatalf("report: %+v", res)
	}
	log, _ := db.SentLog(0)
	if log[0].Delivery != DeliveryPending || !slices.Equal(log[0].PartStatus, []int{0x30}) {
		t.Errorf("sent = %+v", log[0])
	}

	// A report for nothing we sent is kept, unmatched.
	db2 := openTest(t, Options{})
	if res := db2.intake(pduIndiaReport, t0); res.Outcome != OutcomeReport || res.Matched != 0 || res.Duplicate {
		t.Errorf("unmatched report: %+v", res)
	}
}

func TestDeliveryFold(t *testing.T) {
	tests := []struct {
		st   []int
		want Delivery
	}{
		{nil, DeliveryUnknown},
		{[]int{-1}, DeliveryUnknown},
		{[]int{0}, DeliveryDelivered},
		{[]int{0, 1, 2}, DeliveryDelivered},
		{[]int{0, -1}, DeliveryUnknown},
		{[]int{0x20, 0}, DeliveryPending},
		{[]int{-1, 0x30}, DeliveryPending},
		{[]int{0, 0x41}, DeliveryFailed},
		{[]int{0x20, 0x61}, DeliveryFailed},
	}
	for _, tt := range tests {
		if got := delivery(tt.st); got != tt.want {
			t.Errorf("delivery(%v) = %v, want %v", tt.st, got, tt.want)
		}
	}
}

func TestStatusReportsOptionAsksForEveryMessage(t *testing.T) {
	for _, on := range []bool{false, true} {
		db := openTest(t, Options{StatusReports: on})
		id := db.enqueue(Outbound{To: "+919812345678", Text: "hi", Priority: Reply})
		out, err := db.Outbound(id)
		if err != nil {
			t.Fatal(err)
		}
		if out.StatusReport != on {
			t.Errorf("StatusReports %v: outbound asks for a report: %v", on, out.StatusReport)
		}
	}
}

func TestPartSentWithoutReference(t *testing.T) {
	// Some modems answer a send with a bare OK: the part is sent and
	// counted, and no report can match it.
	db := openTest(t, Options{})
	id := db.send("+919790197346", "order 17 placed", t0, -1)
	log, err := db.SentLog(1)
	if err != nil {
		t.Fatal(err)
	}
	if r := log[0]; r.ID != id || r.PartsSent != 1 || !slices.Equal(r.MRs, []int{-1}) || r.Failed {
		t.Fatalf("sent = %+v", r)
	}
	if n, err := db.SentToday(t0); err != nil || n != 1 {
		t.Fatalf("SentToday = %d, %v; want 1", n, err)
	}
	if err := db.RecordParts(id+100, SentPart{Part: 1, MR: -2, At: t0}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("mr -2: %v, want ErrInvalid", err)
	}
}

func TestMarkLastPartSentIsBothSteps(t *testing.T) {
	db := openTest(t, Options{})
	id := db.enqueue(Outbound{To: "+919790197346", Text: "two parts", Priority: Reply, StatusReport: true})
	if err := db.RecordParts(id, SentPart{Part: 1, MR: 63, At: t0}); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordParts(id, SentPart{Part: 2, Last: true, MR: 64, At: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Outbound(id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("still in the outbox: %v", err)
	}
	log, err := db.SentLog(1)
	if err != nil {
		t.Fatal(err)
	}
	if r := log[0]; r.ID != id || r.PartsSent != 2 || !slices.Equal(r.MRs, []int{63, 64}) || r.Failed || r.Segments != 2 {
		t.Fatalf("sent = %+v", r)
	}
	if n, _ := db.SentToday(t0); n != 2 {
		t.Fatalf("SentToday = %d, want 2", n)
	}
	// The report for the last part finds it in the sent log.
	if res := db.intake(pduIndiaReport, t0.Add(time.Second)); res.Matched != id {
		t.Fatalf("report: %+v, want matched to %d", res, id)
	}
	if s := db.stats(); s.Sent != 1 {
		t.Fatalf("stats.Sent = %d, want 1", s.Sent)
	}
}

// A long message is recorded in one commit after its last part, and its
// one report (TP-SRR on the last part only) decides its delivery.
func TestLongMessageOneCommitOneReport(t *testing.T) {
	db := openTest(t, Options{})
	text := strings.Repeat("Atta 5kg Rs 285. ", 27) // three GSM-7 parts
	id := db.enqueue(Outbound{To: "+919790197346", Text: text, Priority: Reply, StatusReport: true})
	before := db.Commits()
	err := db.RecordParts(id, SentPart{Part: 1, MR: 62, At: t0}, SentPart{Part: 2, MR: 63, At: t0},
		SentPart{Part: 3, Last: true, MR: 64, At: t0})
	if err != nil {
		t.Fatal(err)
	}
	if n := db.Commits() - before; n != 1 {
		t.Errorf("recording three parts cost %d commits, want 1", n)
	}
	log, err := db.SentLog(1)
	if err != nil {
		t.Fatal(err)
	}
	if r := log[0]; r.PartsSent != 3 || !slices.Equal(r.PartStatus, []int{statusNotAsked, statusNotAsked, -1}) || r.Delivery != DeliveryUnknown {
		t.Fatalf("sent = %+v, want three parts waiting for the last one's report", r)
	}
	if res := db.intake(pduIndiaReport, t0.Add(time.Second)); res.Matched != id {
		t.Fatalf("report: %+v, want matched to %d", res, id)
	}
	log, err = db.SentLog(1)
	if err != nil {
		t.Fatal(err)
	}
	if r := log[0]; r.Delivery != DeliveryDelivered {
		t.Errorf("after the last part's report: %+v, want delivered", r)
	}
	if s := db.stats(); s.Delivered != 1 {
		t.Errorf("delivered = %d, want 1", s.Delivered)
	}
}
