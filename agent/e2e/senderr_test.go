package e2e

import (
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/vmodem"
)

// TestSendErrorGivesUp: a final +CMS error on AT+CMGS (transfer rejected,
// unknown subscriber) fails the reply after one attempt; a passing one that
// never stops fails it after MaxAttempts. Either way the message is not
// tried again and the agent goes on answering others.
func TestSendErrorGivesUp(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		result   string
		attempts int // AT+CMGS tries before the reply fails for good
	}{
		{"cms-21-final", "+CMS ERROR: 21", 1},
		{"cms-28-final", "+CMS ERROR: 28", 1},
		{"cms-500-retryable", "+CMS ERROR: 500", 3},
	}
	for _, profile := range profiles {
		for i, tc := range cases {
			t.Run(profile+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				r := newRig(t, profile)
				ru := r.start(func(o *agent.Options) { o.MaxAttempts = 3 })
				ru.WaitModem()
				if err := r.vmc.SetFaults(r.ctx, vmodem.Faults{Errors: []vmodem.ErrorFault{{Command: "+CMGS", Error: tc.result, Always: true}}}); err != nil {
					t.Fatal(err)
				}
				barred, other := phone(700+i), phone(710+i)
				r.sms(smsFrom(barred, "hello"))
				rec := r.soleSent("the reply failed", func(rec store.SentRecord) bool { return rec.Failed })
				code := strings.TrimPrefix(tc.result, "+CMS ERROR: ")
				if rec.Attempts != tc.attempts || rec.PartsSent != 0 || rec.To != barred || !strings.Contains(rec.LastError, code) {
					t.Errorf("failed entry %+v, want %d attempts and an error naming %s", rec, tc.attempts, code)
				}
				// The modem works again; another shopper is answered, and
				// the failed reply is not among what goes out.
				if err := r.vmc.ClearFaults(r.ctx); err != nil {
					t.Fatal(err)
				}
				r.sms(smsFrom(other, "hello"))
				r.waitSent(0, 1)
				r.waitSettled(map[string]int{other: 1})
				sent := r.sent()
				if n := sentTo(sent); n[other] != 1 || n[barred] != 0 || len(sent) != 1 {
					t.Errorf("sent %+v, want one reply to %s only", sent, other)
				}
				if n := r.journal.count("-> AT+CMGS="); n != tc.attempts+1 {
					t.Errorf("%d AT+CMGS, want %d for the failed reply and 1 for the other", n, tc.attempts)
				}
				if h := r.handledBy(); h[barred] != 1 || h[other] != 1 {
					t.Errorf("handled %v", h)
				}
			})
		}
	}
}
