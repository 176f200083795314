package store

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReassembly(t *testing.T) {
	tests := []struct {
		name  string
		feed  []string // in arrival order; repeats are re-reads
		dup   []bool
		from  string
		parts int
		text  string
	}{
		{
			name: "8-bit ref, in order, parts through two SMSCs",
			feed: []string{pduMulti1, pduMulti2},
			dup:  []bool{false, false},
			from: "+16175046925", parts: 2,
			text: "This is a very long test designed to exercise multi part capability. It should show up as one message, " +
				"not as two, as the underlying encoding represents that the parts are related to one another. ",
		},
		{
			name: "8-bit ref ucs2, out of order, a part read twice",
			feed: []string{pduOfono3, pduOfono1, pduOfono3, pduOfono2},
			dup:  []bool{false, false, true, false},
			from: "5555", parts: 3,
			text: "Итак, Александр  слушал за дверью  и  все больше преисполнялся  гневом.\nНаконец, не в силах далее " +
				"терпеть, он стремительно вбежал в комнату, позабыв\nдаже, что  был наг.",
		},
		{
			name: "8-bit ref, five parts in the order the network gave them",
			feed: []string{pduNRF1, pduNRF4, pduNRF2, pduNRF3, pduNRF5},
			dup:  []bool{false, false, false, false, false},
			from: "+1234567890", parts: 5,
			text: strings.TrimSuffix(strings.Repeat("abcdefghijklmnopqrstuvwxyz ", 28), " "),
		},
		{
			name: "16-bit ref, reversed",
			feed: []string{pduHindi2, pduHindi1},
			dup:  []bool{false, false},
			from: "+919183746520", parts: 2,
			text: "हिन्दी में यह एक लंबा संदेश है जो दो भागों में भेजा गया है। इसका उद्देश्य सोलह-बिट संदर्भ संख्या वाले संयोजन का परीक्षण करना है।",
		},
		{
			// Part 1 ends in the escape of a euro sign whose character
			// is in part 2: only pdu.Join gets this right.
			name: "escape split across parts",
			feed: []string{pduEsc2, pduEsc1},
			dup:  []bool{false, false},
			from: "+1234567890", parts: 2,
			text: strings.Repeat("1234567890", 15) + "12€1234567890",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t, Options{})
			var last IntakeResult
			for i, raw := range tt.feed {
				// Every part crosses a restart before the next arrives.
				if i > 0 {
					db.reopen()
				}
				last = db.intake(raw, t0.Add(time.Duration(i)*time.Minute))
				if last.Duplicate != tt.dup[i] {
					t.Errorf("part %d: %+v, want duplicate=%v", i, last, tt.dup[i])
				}
				if i < len(tt.feed)-1 {
					if last.Outcome != OutcomePart || last.Ready() {
						t.Errorf("part %d: %+v, want a stored part", i, last)
					}
					if n := len(db.pending()); n != 0 {
						t.Errorf("part %d: %d pending before the group is complete", i, n)
					}
				}
			}
			if !last.Ready() {
				t.Fatalf("last part: %+v, want the group ready", last)
			}
			got := db.pending()
			if len(got) != 1 {
				t.Fatalf("%d pending, want 1", len(got))
			}
			in := got[0]
			if in.ID != last.ID || in.From != tt.from || in.Parts != tt.parts || in.Text != tt.text {
				t.Errorf("inbound = %+v\nwant from %s, %d parts, text %q", in, tt.from, tt.parts, tt.text)
			}
			if s := db.stats(); s.PartialGroups != 0 {
				t.Errorf("%d groups left after completion", s.PartialGroups)
			}
			// A re-read of any part after completion is a duplicate of
			// the inbound, and starts nothing new.
			for i, raw := range tt.feed {
				res := db.intake(raw, t0.Add(time.Hour))
				if !res.Duplicate || res.Outcome != OutcomeInbound || res.ID != in.ID {
					t.Errorf("re-read part %d: %+v, want duplicate of inbound %d", i, res, in.ID)
				}
			}
			if s := db.stats(); s.PartialGroups != 0 || s.InboxPending != 1 {
				t.Errorf("after re-reads: %+v", s)
			}
		})
	}
}

func TestReassemblyKeepsSendersApart(t *testing.T) {
	// The same part numbers and reference from two senders: the parts
	// must not mix.
	db := openTest(t, Options{})
	other := edit(t, pduMulti1, "0B916171056429F5", "0B916171056429F6")
	db.intake(pduMulti1, t0)
	db.intake(other, t0)
	if s := db.stats(); s.PartialGroups != 2 {
		t.Fatalf("%d groups, want 2", s.PartialGroups)
	}
	if res := db.intake(pduMulti2, t0); !res.Ready() {
		t.Fatalf("part 2: %+v", res)
	}
	got := db.pending()
	if len(got) != 1 || got[0].From != "+16175046925" {
		t.Errorf("pending = %+v", got)
	}
}

func TestIncompleteGroupsAndRelease(t *testing.T) {
	db := openTest(t, Options{})
	res := db.intake(pduOfono1, t0)
	db.intake(pduOfono3, t0.Add(time.Minute))

	groups, err := db.IncompleteGroups(time.Hour, t0.Add(30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 0 {
		t.Errorf("groups younger than an hour listed: %+v", groups)
	}
	groups, err = db.IncompleteGroups(time.Hour, t0.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 {
		t.Fatalf("IncompleteGroups = %+v, want 1", groups)
	}
	g := groups[0]
	if g.ID != res.ID || g.From != "5555" || g.RefBits != 8 || g.Ref != 0x1E || g.Total != 3 ||
		!slices.Equal(g.Have, []int{1, 3}) || !g.FirstAt.Equal(t0) || !g.LastAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("group = %+v", g)
	}

	id, err := db.ReleaseGroup(g.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := db.pending()
	if len(got) != 1 || got[0].ID != id || got[0].Parts != 2 ||
		!strings.HasPrefix(got[0].Text, "Итак") || !strings.HasSuffix(got[0].Text, "был наг.") {
		t.Errorf("released = %+v", got)
	}
	if _, err := db.ReleaseGroup(g.ID); err == nil {
		t.Error("released a group twice")
	}
	// Re-reads of released parts stay duplicates; the late part waits
	// in a group of its own instead of being lost.
	if r := db.intake(pduOfono1, t0.Add(3*time.Hour)); !r.Duplicate || r.ID != id {
		t.Errorf("re-read released part: %+v", r)
	}
	if r := db.intake(pduOfono2, t0.Add(3*time.Hour)); r.Outcome != OutcomePart || r.Duplicate {
		t.Errorf("late part: %+v", r)
	}
}

func TestReassemblyWindow(t *testing.T) {
	// mm-multipart part 1 as if the same sender reused reference 0x4C
	// a day later (SCTS moved by 2 days): it must not complete the old
	// group's message.
	db := openTest(t, Options{GroupWindow: time.Hour})
	db.intake(pduMulti1, t0)
	later := edit(t, pduMulti2, "21405291651569", "21405491651569") // 2012-04-25 -> 2012-04-27
	if r := db.intake(later, t0.Add(time.Minute)); r.Outcome != OutcomePart {
		t.Fatalf("part 2 from two days later joined: %+v", r)
	}
	if s := db.stats(); s.PartialGroups != 2 {
		t.Errorf("%d groups, want 2", s.PartialGroups)
	}
	if r := db.intake(pduMulti2, t0.Add(2*time.Minute)); !r.Ready() {
		t.Errorf("the real part 2: %+v", r)
	}
}

func TestReassemblyRedeliveredPart(t *testing.T) {
	// An SMSC that lost our acknowledgement delivers part 1 again with a
	// new SCTS: same text, different bytes. It is the same part.
	db := openTest(t, Options{})
	first := db.intake(pduMulti1, t0)
	again := edit(t, pduMulti1, "21405291650569", "21405291651569") // SCTS +1 minute
	res := db.intake(again, t0.Add(time.Minute))
	if !res.Duplicate || res.ID != first.ID || res.Outcome != OutcomePart {
		t.Fatalf("redelivered part: %+v, want duplicate of group %d", res, first.ID)
	}
	if r := db.intake(pduMulti2, t0.Add(2*time.Minute)); !r.Ready() {
		t.Fatalf("part 2: %+v", r)
	}
	if got := db.pending(); len(got) != 1 || got[0].Parts != 2 {
		t.Errorf("pending = %+v", got)
	}
}
