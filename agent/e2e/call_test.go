package e2e

import (
	"testing"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
)

// TestMissedCall: a missed call becomes one inbound on the call channel
// and gets one welcome SMS, whether the modem lets it ring out or the
// driver hangs up on it.
func TestMissedCall(t *testing.T) {
	t.Parallel()
	for _, profile := range profiles {
		for i, reject := range []bool{false, true} {
			name := profile + "/ring-out"
			if reject {
				name = profile + "/rejected"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				r := newRig(t, profile)
				ru := r.startWith(nil, func(l *agent.Link) { l.Modem.RejectCalls = reject })
				ru.WaitModem()
				from := phone(400 + i)
				if err := r.vmc.Call(r.ctx, from); err != nil {
					t.Fatalf("call: %v", err)
				}
				sent := r.waitSent(0, 1)
				if s := sent[0]; s.To != from || s.Text != agent.WelcomeText || s.Segments != 1 || s.Encoding != "gsm7" {
					t.Errorf("answer to the call = %+v", s)
				}
				r.eventually("the call handled", func() (bool, string) {
					in := r.inbound()
					return len(in) == 1 && in[0].Handled, dump(in)
				})
				if in := r.inbound()[0]; in.Channel != store.ChannelCall || in.From != from || in.Text != "" {
					t.Errorf("inbound = %+v", in)
				}
				// One call, one welcome: a later SMS is the second reply.
				r.sms(smsFrom(from, "hello"))
				all := r.waitSent(0, 2)
				if n := sentTo(all)[from]; n != 2 {
					t.Errorf("%d messages to %s, want 2: %+v", n, from, all)
				}
			})
		}
	}
}
