package agent

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/modem/pdu"
)

// Part 1 of a long message whose part 2 never comes was once kept forever
// and never answered. After Retention.Incomplete it is answered as it is,
// with a note that part of it was lost.
func TestLongMessageWithAPartMissingIsAnswered(t *testing.T) {
	f := newFloodRig(t, time.Date(2026, 1, 21, 10, 0, 0, 0, ist))
	long := strings.Repeat("2 atta 5kg and 1 oil please, ", 8) // two parts
	parts := deliverPDUs(t, number(7), long, f.clock.Now())
	if len(parts) != 2 {
		t.Fatalf("%d parts, want 2", len(parts))
	}
	if err := f.a.AcceptPDU(context.Background(), parts[0], f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(4 * time.Minute)
	if err := f.a.Retain(); err != nil {
		t.Fatal(err)
	}
	f.step(10)
	if sent, _ := f.sentLog(); len(sent) != 0 {
		t.Fatalf("answered before the wait was over: %v", sent)
	}
	f.clock.Add(2 * time.Minute) // past the default 5 minutes
	if err := f.a.Retain(); err != nil {
		t.Fatal(err)
	}
	f.step(10)
	log, err := f.db.SentLog(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].To != number(7) || log[0].Text != PartialNote+WelcomeText {
		t.Fatalf("sent log = %+v, want the welcome with the note", log)
	}
	// The note's cost: the welcome with it still fits one segment.
	if n, enc := pdu.Count(log[0].Text); n != 1 || enc != "gsm7" || log[0].Segments != 1 {
		t.Errorf("answer costs %d %s segments (recorded %d), want 1 gsm7", n, enc, log[0].Segments)
	}
	if st := f.stats(); st.PartialGroups != 0 {
		t.Errorf("%d long messages still waiting", st.PartialGroups)
	}
	in, err := f.db.Inbound(log[0].InReplyTo)
	if err != nil || in.Missing != 1 || !strings.HasPrefix(long, in.Text) {
		t.Errorf("inbound = %+v, %v; want part 1's text with 1 part missing", in, err)
	}

	// Part 2 turning up late starts a new group rather than answering
	// twice at once.
	if err := f.a.AcceptPDU(context.Background(), parts[1], f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if st := f.stats(); st.PartialGroups != 1 {
		t.Errorf("late part: %d groups waiting, want 1", st.PartialGroups)
	}
}

// Retention runs in the agent: handled messages and the sent log older
// than Keep go, by the agent's clock.
func TestRetainPrunesOnTheAgentsClock(t *testing.T) {
	f := newFloodRig(t, time.Date(2026, 1, 21, 10, 0, 0, 0, ist))
	f.sms(number(8), "hi")
	f.step(10)
	if sent, _ := f.sentLog(); sent[number(8)] != 1 {
		t.Fatalf("not answered: %v", sent)
	}
	if err := f.a.Retain(); err != nil {
		t.Fatal(err)
	}
	if log, _ := f.db.SentLog(0); len(log) != 1 {
		t.Fatalf("pruned too early: %d in the sent log", len(log))
	}
	f.clock.Add(31 * 24 * time.Hour)
	if err := f.a.Retain(); err != nil {
		t.Fatal(err)
	}
	if log, _ := f.db.SentLog(0); len(log) != 0 {
		t.Errorf("%d in the sent log after 31 days, want none", len(log))
	}
	if _, err := f.db.Inbound(1); err == nil {
		t.Error("handled inbound kept after 31 days")
	}
}

// An answer in Devanagari gets the note in Hindi.
func TestPartialNoteFollowsTheReplysScript(t *testing.T) {
	if got := partialNote("आपकी टोकरी खाली है।"); got != PartialNoteHi {
		t.Errorf("note for a Hindi reply = %q", got)
	}
	if got := partialNote("Your cart is empty."); got != PartialNote {
		t.Errorf("note for an English reply = %q", got)
	}
	// Pinned cost: the Hindi note is 37 UCS-2 characters of a 70-character
	// segment.
	if n, enc := pdu.Count(PartialNoteHi); n != 1 || enc != "ucs2" || len([]rune(PartialNoteHi)) != 37 {
		t.Errorf("Hindi note: %d %s segments, %d characters", n, enc, len([]rune(PartialNoteHi)))
	}
}
