package store

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestIntakeSingle(t *testing.T) {
	db := openTest(t, Options{})
	at := t0.Add(time.Minute)
	res := db.intake(pduIndia, at)
	if !res.Ready() || res.Outcome != OutcomeInbound {
		t.Fatalf("result = %+v, want a ready inbound", res)
	}
	got := db.pending()
	want := []Inbound{{
		ID: res.ID, Channel: ChannelSMS, From: "+919790197346", Text: "Hi\n\nAnshu S",
		Encoding: "gsm7", Parts: 1, ReceivedAt: at,
		SCTS: time.Date(2015, 1, 9, 17, 38, 30, 0, time.FixedZone("", 5*3600+1800)),
	}}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("Pending (-want +got):\n%s", diff)
	}
}

func TestIntakeDedupe(t *testing.T) {
	tests := []struct {
		name      string
		raws      []string
		inbound   int // distinct inbound messages expected
		duplicate []bool
	}{
		{"same pdu twice", []string{pduTest2, pduTest2}, 1, []bool{false, true}},
		{"same pdu printed in lower case", []string{pduTest2, strings.ToLower(pduTest2)}, 1, []bool{false, true}},
		{"same pdu with the line's CR and quote", []string{pduTest2, pduTest2 + "\"\r\n"}, 1, []bool{false, true}},
		// mm-pdu3 and mm-pdu3-pid-ff: one sender, one SCTS second, one text,
		// different TP-PID: two different messages.
		{"two messages in one second", []string{pduHello, pduHelloPIDFF, pduHello}, 2, []bool{false, false, true}},
		// Part 2 of mm-multipart arrived through another SMSC; the same TPDU
		// through a third is still the same part.
		{"same tpdu through another smsc", []string{pduMulti2, edit(t, pduMulti2, "07912160130320F6", "07912160130320F7")}, 0, []bool{false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t, Options{})
			for i, raw := range tt.raws {
				before := db.dedupeKeys()
				res := db.intake(raw, t0.Add(time.Duration(i)*time.Second))
				if res.Duplicate != tt.duplicate[i] {
					t.Errorf("intake %d: Duplicate = %v, want %v", i, res.Duplicate, tt.duplicate[i])
				}
				wantKeys := before + 1
				if res.Duplicate {
					wantKeys = before
				}
				if got := db.dedupeKeys(); got != wantKeys {
					t.Errorf("intake %d: %d dedupe keys, want %d", i, got, wantKeys)
				}
			}
			if got := len(db.pending()); got != tt.inbound {
				t.Errorf("%d pending, want %d", got, tt.inbound)
			}
		})
	}
}

func TestIntakeBinaryAndHexAreOnePDU(t *testing.T) {
	db := openTest(t, Options{})
	first := db.intake(pduTest2, t0)
	res, err := db.Intake(mustHex(t, pduTest2), t0.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Duplicate || res.ID != first.ID {
		t.Errorf("bytes after hex: %+v, want duplicate of %d", res, first.ID)
	}
}

func TestIntakeCall(t *testing.T) {
	db := openTest(t, Options{})
	ring := t0.Add(3 * time.Minute)
	steps := []struct {
		from    string
		at      time.Time
		wantDup bool
	}{
		{"+919812345678", ring, false},
		{"+919812345678", ring.Add(400 * time.Millisecond), true}, // the same call seen again
		{"+919812345678", ring.Add(2 * time.Minute), false},
		{"+919800000001", ring, false},
	}
	for i, s := range steps {
		res, err := db.IntakeCall(s.from, s.at)
		if err != nil {
			t.Fatal(err)
		}
		if res.Duplicate != s.wantDup || res.Outcome != OutcomeInbound {
			t.Errorf("call %d: %+v, want duplicate=%v inbound", i, res, s.wantDup)
		}
	}
	got := db.pending()
	if len(got) != 3 {
		t.Fatalf("%d pending, want 3", len(got))
	}
	if got[0].Channel != ChannelCall || got[0].From != "+919812345678" || !got[0].SCTS.Equal(ring) {
		t.Errorf("first call = %+v", got[0])
	}
	if _, err := db.IntakeCall("", ring); err == nil {
		t.Error("empty caller accepted")
	}
}

func TestUndecodableKept(t *testing.T) {
	garbage := string([]byte{0x00, 0xff, 0x13, 0x37})
	tests := []struct {
		name string
		raw  string
	}{
		{"unsupported message type", pduBadType},
		{"odd number of hex digits", pduOddHex},
		{"not hex, not a pdu", "+CMS ERROR: 500"},
		{"binary garbage", garbage},
		{"empty", ""},
	}
	db := openTest(t, Options{})
	for i, tt := range tests {
		res := db.intake(tt.raw, t0.Add(time.Duration(i)*time.Second))
		if res.Outcome != OutcomeUndecodable || res.Duplicate {
			t.Errorf("%s: %+v, want new undecodable", tt.name, res)
		}
		if again := db.intake(tt.raw, t0.Add(time.Hour)); !again.Duplicate || again.ID != res.ID {
			t.Errorf("%s again: %+v, want duplicate of %d", tt.name, again, res.ID)
		}
	}
	db.reopen()
	got, err := db.Undecodable()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(tests) {
		t.Fatalf("%d undecodable kept, want %d", len(got), len(tests))
	}
	for i, u := range got {
		if string(u.Raw) != tests[i].raw {
			t.Errorf("%s: raw %q, want the bytes as given", tests[i].name, u.Raw)
		}
		if u.Err == "" || !u.ReceivedAt.Equal(t0.Add(time.Duration(i)*time.Second)) {
			t.Errorf("%s: %+v", tests[i].name, u)
		}
	}
	if n := len(db.pending()); n != 0 {
		t.Errorf("%d pending from undecodable input", n)
	}
	if s := db.stats(); s.Undecodable != len(tests) {
		t.Errorf("Stats.Undecodable = %d", s.Undecodable)
	}
	if err := db.DismissUndecodable(got[0].ID); err != nil {
		t.Fatal(err)
	}
	if res := db.intake(tests[0].raw, t0.Add(2*time.Hour)); !res.Duplicate {
		t.Errorf("dismissed pdu re-read: %+v, want duplicate", res)
	}
}

func TestStoredSubmitKeptNotAnswered(t *testing.T) {
	db := openTest(t, Options{})
	res := db.intake(pduStoredSubmit, t0)
	if res.Outcome != OutcomeSubmit || res.Ready() {
		t.Fatalf("result %+v, want a kept submit", res)
	}
	if n := len(db.pending()); n != 0 {
		t.Errorf("a stored submit became %d pending inbound", n)
	}
	got, err := db.StoredSubmits()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].To != "+31628870634" || got[0].Text != "www.diafaan.com" || string(got[0].Raw) != pduStoredSubmit {
		t.Errorf("StoredSubmits = %+v", got)
	}
	if res := db.intake(pduStoredSubmit, t0.Add(time.Minute)); !res.Duplicate {
		t.Errorf("re-read submit: %+v, want duplicate", res)
	}
}
