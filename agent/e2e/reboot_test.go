package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/hardware/vmodem"
)

// TestRebootTextModeMidRead: a SIM800 that browns out in the middle of a
// run of stored-message reads comes back printing RDY in text mode, its
// settings forgotten. Indications queued before the reboot must not be read
// before PDU mode is set again: every message, both parts of a long one
// among them, is handled exactly once and answered once, nothing is taken
// as undecodable, and the SIM ends empty.
func TestRebootTextModeMidRead(t *testing.T) {
	t.Parallel()
	r := newRig(t, "sim800-text")
	ru := r.start(func(o *agent.Options) { o.Handler = echo })
	ru.WaitModem()

	// Hold the receiver in a storage listing while the messages arrive, so
	// their indications queue up behind it; the modem reboots right after
	// answering the first read that follows.
	if err := r.vmc.SetFaults(r.ctx, vmodem.Faults{
		Latency: map[string]vmodem.Duration{"+CMGL": vmodem.Duration(1500 * time.Millisecond)},
		Reboot:  &vmodem.Reboot{Command: "+CMGR", Answered: true},
	}); err != nil {
		t.Fatalf("set faults: %v", err)
	}
	listings := r.journal.count("-> AT+CMGL")
	r.eventually("a storage listing in flight", func() (bool, string) {
		n := r.journal.count("-> AT+CMGL")
		return n > listings, "no new listing yet"
	})

	long := strings.Repeat("2 atta 5kg, 1 toor dal, 1 oil. ", 8)
	texts := map[string]string{phone(700): long, phone(701): "one", phone(702): "two", phone(703): "three"}
	for _, from := range []string{phone(700), phone(701), phone(702), phone(703)} {
		r.sms(smsFrom(from, texts[from]))
	}
	r.eventually("the modem to reboot", func() (bool, string) {
		st, err := r.vmc.State(r.ctx)
		if err != nil {
			return false, err.Error()
		}
		return st.Boots >= 2, "no reboot yet"
	})
	if err := r.vmc.ClearFaults(r.ctx); err != nil {
		t.Fatalf("clear faults: %v", err)
	}

	want := map[string]int{}
	for from := range texts {
		want[from] = 1
	}
	r.waitSettled(want)
	checkOnce(t, r, texts)
	if r.journal.count("queued indications dropped at a modem reboot") == 0 {
		t.Errorf("no queued indication was left when the modem rebooted: the test did not test the case")
	}
}

// TestRebootMidSend: a modem that reboots after the PDU and Ctrl-Z but
// before its +CMGS answer. The send timeout is far beyond the test's
// deadline, so the reply can only go out if the dead command is abandoned
// at the reboot and the send retried after re-initialisation. With the SMS
// gone out before the reboot, it goes out twice (outbound is at least
// once); the inbound message is acted on once either way.
func TestRebootMidSend(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		effect bool
	}{{"not-sent", false}, {"sent-unanswered", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, "sim800-text")
			ru := r.startWith(func(o *agent.Options) { o.Handler = echo },
				func(l *agent.Link) { l.Modem.SendTimeout = time.Hour })
			ru.WaitModem()
			if err := r.vmc.SetFaults(r.ctx, vmodem.Faults{
				Reboot: &vmodem.Reboot{Command: "+CMGS", Effect: tc.effect}}); err != nil {
				t.Fatalf("set faults: %v", err)
			}
			from, later := phone(710), phone(711)
			texts := map[string]string{from: "send me rice", later: "and dal"}
			r.sms(smsFrom(from, texts[from]))
			r.waitSent(0, 1)
			r.sms(smsFrom(later, texts[later]))
			r.waitSettled(map[string]int{from: 1, later: 1})

			st, err := r.vmc.State(r.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Boots < 2 {
				t.Fatalf("the modem never rebooted: %+v", st)
			}
			sent := sentTo(r.sent())
			if want := 1; sent[from] != want && !(tc.effect && sent[from] == 2) {
				t.Errorf("%s: %d replies, want %d", from, sent[from], want)
			}
			if sent[later] != 1 {
				t.Errorf("%s: %d replies, want 1", later, sent[later])
			}
			if n := r.journal.count("abandoned at a modem reboot"); n == 0 {
				t.Errorf("the in-flight AT+CMGS was not abandoned at the reboot")
			}
			checkOnce(t, r, texts)
		})
	}
}

// checkOnce: each sender's message was handled exactly once, whole, and
// nothing in the store is undecodable, failed or a partial group.
func checkOnce(t *testing.T, r *rig, texts map[string]string) {
	t.Helper()
	got := map[string][]string{}
	for _, in := range r.inbound() {
		if in.Handled {
			got[in.From] = append(got[in.From], in.Text)
		}
	}
	for from, text := range texts {
		switch h := got[from]; {
		case len(h) != 1:
			t.Errorf("%s: handled %d times, want once: %s", from, len(h), dump(r.inbound()))
		case h[0] != text:
			t.Errorf("%s: handled %q, want %q", from, short(h[0]), short(text))
		}
	}
	st, err := r.db.Stats(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st.Failed != 0 || st.Undecodable != 0 || st.PartialGroups != 0 {
		t.Errorf("store stats %+v", st)
	}
}
