package e2e

import (
	"testing"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/vmodem"
)

// TestShortSMSGetsOneWelcome: one short message in, one one-segment GSM-7
// welcome out, the inbound handled once and the modem's copy deleted.
func TestShortSMSGetsOneWelcome(t *testing.T) {
	t.Parallel()
	for _, profile := range profiles {
		t.Run(profile, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, profile)
			r.start(nil)
			from := phone(1)
			r.sms(vmodem.SMS{From: from, Text: "2 kg atta bhejo"})

			sent := r.waitSent(0, 1)
			s := sent[0]
			if s.To != from || s.Text != agent.WelcomeText || s.Segments != 1 || s.Encoding != "gsm7" || s.StatusReport || s.DecodeError != "" {
				t.Errorf("reply = %+v, want one gsm7 segment of the welcome to %s", s, from)
			}
			r.eventually("the inbound handled", func() (bool, string) {
				in := r.inbound()
				return len(in) == 1 && in[0].Handled, short(dump(in))
			})
			in := r.inbound()[0]
			if in.Channel != store.ChannelSMS || in.From != from || in.Text != "2 kg atta bhejo" || in.Encoding != "gsm7" || in.Parts != 1 {
				t.Errorf("inbound = %+v", in)
			}
			r.waitStorageEmpty()
			// Nothing more goes out: a later message gets exactly one
			// more reply, so the first was not answered twice.
			r.sms(vmodem.SMS{From: from, Text: "aur 1 l tel"})
			all := r.waitSent(0, 2)
			if n := sentTo(all)[from]; n != 2 {
				t.Errorf("%d replies to %s for 2 messages: %+v", n, from, all)
			}
		})
	}
}
