package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/vmodem"
)

// TestRestart stops the agent in the middle of its work (replies queued
// behind a failing modem, a long message missing a part, a message arriving
// as it stops) and starts a new agent on the same store file: every
// message is answered, none twice, and the long message joins across the
// restart.
func TestRestart(t *testing.T) {
	long := "Bhaiya " + strings.Repeat("10 kg atta, 5 kg chawal, 2 l tel, ", 10) + "kal subah tak."
	onEveryProfile(t, func(t *testing.T, r *rig) {
		patient := func(o *agent.Options) {
			o.Handler = echo
			o.MaxAttempts = 1000 // the outage, not the attempt limit, is under test
		}
		first := r.start(patient)
		first.WaitModem()
		// Replies cannot leave: the network refuses every submit.
		if err := r.vmc.SetFaults(r.ctx, vmodem.Faults{Errors: []vmodem.ErrorFault{{Command: "+CMGS", Error: "+CMS ERROR: 500", Always: true}}}); err != nil {
			t.Fatal(err)
		}
		singles := []vmodem.SMS{
			smsFrom(phone(1000), "1"), smsFrom(phone(1001), "2 kg atta"),
			smsFrom(phone(1002), "दूध है?"), smsFrom(phone(1003), "MENU"),
		}
		for _, m := range singles {
			r.sms(m)
		}
		ref := 77
		scts := time.Date(2025, 1, 9, 17, 38, 30, 0, time.FixedZone("IST", 19800))
		longFrom := phone(1004)
		r.sms(vmodem.SMS{From: longFrom, Text: long, Ref: &ref, SCTS: &scts, Drop: []int{2}})
		r.eventually("the singles handled, their replies queued, the long one partial", func() (bool, string) {
			st, err := r.db.Stats(time.Now())
			if err != nil {
				return false, err.Error()
			}
			handled := 0
			for _, n := range r.handledBy() {
				handled += n
			}
			return handled == len(singles) && st.Queued[store.Reply] == len(singles) && st.PartialGroups == 1,
				fmt.Sprintf("handled %d, %+v", handled, st)
		})
		// One more arrives as the agent stops: it is either in the
		// store or still in the modem, never lost.
		late := phone(1005)
		r.sms(smsFrom(late, "jaldi"))
		first.Stop()
		r.reopenDB()

		if err := r.vmc.ClearFaults(r.ctx); err != nil {
			t.Fatal(err)
		}
		if len(r.sent()) != 0 {
			t.Fatalf("sent while the network refused: %+v", r.sent())
		}
		// The missing part, and a new shopper, while no agent runs.
		r.sms(vmodem.SMS{From: longFrom, Text: long, Ref: &ref, SCTS: &scts, Drop: []int{1, 3}})
		after := phone(1006)
		r.sms(smsFrom(after, "namaste"))

		r.start(patient)
		want := map[string]int{longFrom: 1, late: 1, after: 1}
		texts := map[string]string{longFrom: long, late: "jaldi", after: "namaste"}
		for _, m := range singles {
			want[m.From] = 1
			texts[m.From] = m.Text
		}
		r.waitSettled(want)
		sent := r.sent()
		counts := sentTo(sent)
		for _, s := range sent {
			if s.Text != texts[s.To] {
				t.Errorf("%s: echo %q, want %q", s.To, short(s.Text), short(texts[s.To]))
			}
		}
		handled := r.handledBy()
		for from := range want {
			if counts[from] != 1 || handled[from] != 1 {
				t.Errorf("%s: handled %d, answered %d; want 1 and 1", from, handled[from], counts[from])
			}
		}
		if len(sent) != len(want) {
			t.Errorf("%d replies, want %d", len(sent), len(want))
		}
		st, err := r.db.Stats(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if st.PartialGroups != 0 || st.Failed != 0 || st.InboxPending != 0 {
			t.Errorf("store after restart: %+v", st)
		}
	})
}

// TestRestartDuringSend stops the agent while the modem is sending a reply
// (the PDU is written, +CMGS has not answered yet). A stop is a planned
// event (an upgrade, a service restart), not a crash: the reply must go out
// once, not be sent again by the next agent because the first one
// abandoned the modem's answer (promise 4 allows a duplicate only between
// the +CMGS answer and its commit).
func TestRestartDuringSend(t *testing.T) {
	onEveryProfile(t, func(t *testing.T, r *rig) {
		if err := r.vmc.SetFaults(r.ctx, vmodem.Faults{Latency: map[string]vmodem.Duration{"+CMGS": vmodem.Duration(1500 * time.Millisecond)}}); err != nil {
			t.Fatal(err)
		}
		first := r.start(nil)
		from := phone(1100)
		r.sms(smsFrom(from, "hello"))
		r.eventually("the reply's PDU written to the modem", func() (bool, string) {
			n := r.journal.count("<SUB>")
			return n >= 1, fmt.Sprintf("%d PDUs written", n)
		})
		first.Stop()
		r.reopenDB()
		if err := r.vmc.ClearFaults(r.ctx); err != nil {
			t.Fatal(err)
		}
		r.start(nil)
		later := phone(1101)
		r.sms(smsFrom(later, "hello"))
		r.waitSettled(map[string]int{from: 1, later: 1})
		if n := sentTo(r.sent()); n[from] != 1 || n[later] != 1 {
			t.Errorf("replies per shopper %v, want 1 each", n)
		}
	})
}
