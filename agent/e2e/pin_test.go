package e2e

import (
	"testing"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/hardware/vmodem"
)

// TestSIMPIN: a SIM that asks for its PIN is unlocked with the configured
// one and the shop answers; the PIN is asked again after a reboot and
// given again.
func TestSIMPIN(t *testing.T) {
	onEveryProfile(t, func(t *testing.T, r *rig) {
		pin := "4321"
		if err := r.vmc.SetSIM(r.ctx, vmodem.SIM{PIN: &pin}); err != nil {
			t.Fatal(err)
		}
		r.startWith(nil, func(l *agent.Link) { l.Modem.PIN = pin })
		from := phone(900)
		r.sms(smsFrom(from, "namaste"))
		if s := r.waitSent(0, 1)[0]; s.To != from || s.Text != agent.WelcomeText {
			t.Fatalf("reply = %+v", s)
		}
		if err := r.vmc.Reboot(r.ctx); err != nil {
			t.Fatal(err)
		}
		r.sms(smsFrom(from, "aur kuch"))
		if n := sentTo(r.waitSent(0, 2))[from]; n != 2 {
			t.Fatalf("%d replies after the reboot, want 2", n)
		}
	})
}

// TestWrongPINIsNotRetried: a wrong PIN is entered once and never again,
// so the agent cannot lock the SIM into asking for its PUK; the modem
// reports why it is not ready.
func TestWrongPINIsNotRetried(t *testing.T) {
	t.Parallel()
	r := newRig(t, "sim800")
	pin := "4321"
	if err := r.vmc.SetSIM(r.ctx, vmodem.SIM{PIN: &pin}); err != nil {
		t.Fatal(err)
	}
	run := r.startWith(nil, func(l *agent.Link) { l.Modem.PIN = "1111" })
	r.eventually("the modem to say why it is not ready", func() (bool, string) {
		m := run.Modem()
		if m == nil {
			return false, "no modem yet"
		}
		h := m.Health()
		return h.LastError != "", h.LastError
	})
	if entries := r.journal.count("-> AT+CPIN="); entries != 1 {
		t.Fatalf("the wrong PIN was entered %d times, want once", entries)
	}
}
