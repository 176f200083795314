package store

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the day boundary test needs Asia/Kolkata without system tzdata

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

func TestOutboxPriority(t *testing.T) {
	db := openTest(t, Options{})
	enq := []struct {
		text string
		pri  Priority
	}{
		{"bulk 1", Bulk}, {"notify 1", Notification}, {"reply 1", Reply},
		{"bulk 2", Bulk}, {"reply 2", Reply}, {"notify 2", Notification},
	}
	for _, e := range enq {
		db.enqueue(Outbound{To: "+919812345678", Text: e.text, Priority: e.pri})
	}
	if s := db.stats(); s.Queued != [4]int{2, 2, 2, 0} {
		t.Errorf("Queued = %v", s.Queued)
	}
	var order []string
	for {
		out, ok, _, err := db.nextOut(t0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		order = append(order, out.Text)
		if err := db.RecordParts(out.ID, SentPart{Part: 1, MR: len(order), At: t0}); err != nil {
			t.Fatal(err)
		}
		if err := db.recordSent(out.ID, t0); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"notify 1", "notify 2", "reply 1", "reply 2", "bulk 1", "bulk 2"}
	if !slices.Equal(order, want) {
		t.Errorf("sent %q, want %q", order, want)
	}
}

func TestOutboxBackoff(t *testing.T) {
	c := testtime.NewClock(t0)
	db := openTest(t, Options{Now: c.Now})
	reply := db.enqueue(Outbound{To: "+919812345678", Text: "your order", Priority: Reply})
	bulk := db.enqueue(Outbound{To: "+919812345678", Text: "offer", Priority: Bulk})

	if err := db.MarkRetry(reply, "+CMS ERROR: 38", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	// While the reply backs off, the bulk message is due.
	out, ok, _, err := db.nextOut(t0.Add(30*time.Second), 0)
	if err != nil || !ok || out.ID != bulk {
		t.Fatalf("during back-off: %+v %v %v, want the bulk message", out, ok, err)
	}
	out, ok, _, err = db.nextOut(t0.Add(time.Minute), 0)
	if err != nil || !ok || out.ID != reply {
		t.Fatalf("after back-off: %+v %v %v, want the reply", out, ok, err)
	}
	if out.Attempts != 1 || out.LastError != "+CMS ERROR: 38" || !out.NextAttempt.Equal(t0.Add(time.Minute)) {
		t.Errorf("reply after one retry = %+v", out)
	}
	if err := db.MarkRetry(reply, "timeout", t0.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	db.reopen()
	if err := db.MarkFailed(bulk, "number barred"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _, _ := db.nextOut(t0.Add(4*time.Minute), 0); ok {
		t.Error("a message is due during the second back-off")
	}
	out, ok, _, _ = db.nextOut(t0.Add(5*time.Minute), 0)
	if !ok || out.Attempts != 2 {
		t.Fatalf("after two retries: %+v", out)
	}
	if err := db.RecordParts(reply, SentPart{Part: 1, MR: 7, At: t0.Add(5 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := db.recordSent(reply, t0.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	log, err := db.SentLog(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 {
		t.Fatalf("sent log = %+v", log)
	}
	if r := log[0]; r.ID != bulk || !r.Failed || r.LastError != "number barred" || r.Attempts != 1 {
		t.Errorf("failed entry = %+v", r)
	}
	if r := log[1]; r.ID != reply || r.Failed || r.Attempts != 3 || r.Segments != 1 || !slices.Equal(r.MRs, []int{7}) {
		t.Errorf("sent entry = %+v", r)
	}
	if s := db.stats(); s.Sent != 1 || s.Failed != 1 || s.Queued != [4]int{} {
		t.Errorf("stats = %+v", s)
	}
	if err := db.MarkRetry(reply, "x", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("MarkRetry after MarkSent = %v", err)
	}
}

func TestDailyCapKolkata(t *testing.T) {
	ist, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	// 23:50 IST on 21 January and 00:05 IST on 22 January are one UTC day.
	late := time.Date(2026, 1, 21, 23, 50, 0, 0, ist)
	nextDay := time.Date(2026, 1, 22, 0, 5, 0, 0, ist)
	if late.UTC().YearDay() != nextDay.UTC().YearDay() {
		t.Fatal("test times must share a UTC day")
	}
	c := testtime.NewClock(late)
	db := openTest(t, Options{Now: c.Now, Location: ist})
	const dailyCap = 4

	long := db.enqueue(Outbound{To: "+919812345678", Text: strings.Repeat("a", 161), Priority: Notification}) // 2 segments
	out, ok, capped, err := db.nextOut(late, dailyCap)
	if err != nil || !ok || capped || out.ID != long || out.Segments != 2 || out.Encoding != "gsm7" {
		t.Fatalf("first: %+v ok=%v capped=%v err=%v", out, ok, capped, err)
	}
	for part, mr := range []int{10, 11} {
		if err := db.RecordParts(long, SentPart{Part: part + 1, MR: mr, At: late}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.recordSent(long, late); err != nil {
		t.Fatal(err)
	}
	// 2 of 4 used; a 3-segment UCS-2 message does not fit today.
	hindi := db.enqueue(Outbound{To: "+919812345678", Text: strings.Repeat("नमस्ते ", 25), Priority: Reply})
	if n, _ := db.SentToday(late); n != 2 {
		t.Errorf("SentToday = %d, want 2", n)
	}
	out, ok, capped, err = db.nextOut(late, dailyCap)
	if err != nil || ok || !capped {
		t.Fatalf("over the cap: %+v ok=%v capped=%v err=%v", out, ok, capped, err)
	}
	if s := db.stats(); !s.Capped || s.SentToday != 2 {
		t.Errorf("stats while capped = %+v", s)
	}
	// After midnight in Kolkata the count starts again.
	c.Set(nextDay)
	if n, _ := db.SentToday(nextDay); n != 0 {
		t.Errorf("SentToday after IST midnight = %d", n)
	}
	if s := db.stats(); s.Capped {
		t.Error("still capped on a new day")
	}
	out, ok, capped, err = db.nextOut(nextDay, dailyCap)
	if err != nil || !ok || capped || out.ID != hindi || out.Segments != 3 || out.Encoding != "ucs2" {
		t.Fatalf("next day: %+v ok=%v capped=%v err=%v", out, ok, capped, err)
	}
	if n, _ := db.SentToday(late); n != 2 {
		t.Errorf("yesterday's count = %d, want 2", n)
	}
}

func TestPartsSentSurviveRestart(t *testing.T) {
	db := openTest(t, Options{})
	first := db.enqueue(Outbound{To: "+919812345678", Text: "short", Priority: Reply})
	id := db.enqueue(Outbound{To: "+919812345678", Text: strings.Repeat("b", 300), Priority: Reply, StatusReport: true})
	if err := db.recordSent(first, t0); err != nil {
		t.Fatal(err)
	}
	before, err := db.Outbound(id)
	if err != nil {
		t.Fatal(err)
	}
	if before.Ref == 0 || before.Segments != 2 {
		t.Fatalf("queued = %+v", before)
	}
	if err := db.RecordParts(id, SentPart{Part: 1, MR: 200, At: t0}); err != nil {
		t.Fatal(err)
	}
	db.reopen()
	out, ok, _, err := db.nextOut(t0, 0)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if out.ID != id || out.PartsSent != 1 || !slices.Equal(out.MRs, []int{200}) || out.Ref != before.Ref || !out.StatusReport {
		t.Errorf("after restart = %+v", out)
	}
	// The same part recorded again (a retried commit) changes nothing;
	// a gap or a different MR for a recorded part is refused.
	if err := db.RecordParts(id, SentPart{Part: 1, MR: 200, At: t0}); err != nil {
		t.Errorf("repeat RecordParts = %v", err)
	}
	if err := db.RecordParts(id, SentPart{Part: 1, MR: 201, At: t0}); !errors.Is(err, ErrPartOrder) {
		t.Errorf("part 1 with another mr = %v", err)
	}
	if err := db.RecordParts(id, SentPart{Part: 3, MR: 201, At: t0}); !errors.Is(err, ErrPartOrder) {
		t.Errorf("part 3 before 2 = %v", err)
	}
	if n, _ := db.SentToday(t0); n != 2 {
		t.Errorf("SentToday = %d, want 2 (first's one part, id's part 1 once)", n)
	}
}

func TestConcatRefsDoNotRepeatSoon(t *testing.T) {
	db := openTest(t, Options{})
	seen := map[int]bool{}
	for range 200 {
		id := db.enqueue(Outbound{To: "+919812345678", Text: "x", Priority: Bulk})
		out, err := db.Outbound(id)
		if err != nil {
			t.Fatal(err)
		}
		if seen[out.Ref] || out.Ref < 0 || out.Ref > 255 {
			t.Fatalf("ref %d repeated or out of range", out.Ref)
		}
		seen[out.Ref] = true
		if len(seen)%50 == 0 {
			db.reopen()
		}
	}
}

func TestEnqueueInvalid(t *testing.T) {
	db := openTest(t, Options{})
	for _, out := range []Outbound{
		{Text: "no recipient"},
		{To: "+919812345678", Text: "bad priority", Priority: Operator + 1},
	} {
		err := db.Update(func(tx *Tx) error { _, err := tx.Enqueue(out); return err })
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Enqueue(%+v) = %v", out, err)
		}
	}
}

func TestDailyCapPassesOverOversize(t *testing.T) {
	db := openTest(t, Options{})
	big := db.enqueue(Outbound{To: "+919812345678", Text: strings.Repeat("c", 800), Priority: Notification}) // 6 segments
	small := db.enqueue(Outbound{To: "+919812345678", Text: "order 9 is ready", Priority: Bulk})
	out, ok, capped, err := db.nextOut(t0, 5)
	if err != nil || !ok || capped || out.ID != small {
		t.Errorf("cap 5: %+v ok=%v capped=%v err=%v, want the small message", out, ok, capped, err)
	}
	if out, ok, _, _ := db.nextOut(t0, 6); !ok || out.ID != big {
		t.Errorf("cap 6: %+v, want the big notification", out)
	}
}
