package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
)

// maxCommitsPerSMS is what one inbound SMS may cost the store, whatever
// the length of its reply: intake with handling, the reply's send record,
// its delivery report. Each commit is two fdatasyncs on an SD card.
const maxCommitsPerSMS = 3

// TestCommitsPerInboundSMS counts the store's commits for an inbound SMS,
// its reply and the reply's delivery report, through the real serial
// code, for replies of one to four segments.
func TestCommitsPerInboundSMS(t *testing.T) {
	t.Parallel()
	for _, segments := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("%d-segment reply", segments), func(t *testing.T) {
			t.Parallel()
			r := newRig(t, "sim800")
			r.reopenDBWith(store.Options{StatusReports: true})
			reply := strings.Repeat("Atta 5kg Rs 285. ", 9*segments)[:153*segments-10]
			r.start(func(o *agent.Options) {
				o.Handler = agent.HandlerFunc(func(tx *store.Tx, in store.Inbound) error {
					_, err := tx.Enqueue(store.Outbound{To: in.From, Text: reply, Priority: store.Reply})
					return err
				})
			})
			// The first exchange brings the agent to its steady state;
			// the second is counted.
			for i, from := range []string{phone(1300 + 10*segments), phone(1301 + 10*segments)} {
				before := r.commits()
				r.sms(smsFrom(from, "atta"))
				sent := r.waitSent(i, 1)
				if s := sent[len(sent)-1]; s.Segments != segments || s.To != from {
					t.Fatalf("sent %+v, want a %d-segment reply to %s", s, segments, from)
				}
				r.eventually("the reply delivered on the sent log", func() (bool, string) {
					log, err := r.db.SentLog(1)
					if err != nil || len(log) != 1 {
						return false, fmt.Sprint(log, err)
					}
					return log[0].To == from && log[0].Delivery == store.DeliveryDelivered, fmt.Sprintf("%+v", log[0])
				})
				r.waitStorageEmpty()
				commits := r.commits() - before - 1 // less the second barrier
				t.Logf("%d-segment reply: %d commits", segments, commits)
				if i == 1 && commits > maxCommitsPerSMS {
					t.Errorf("an inbound SMS with a %d-segment reply cost %d commits, want at most %d", segments, commits, maxCommitsPerSMS)
				}
			}
		})
	}
}

// commits reads the store's commit counter behind a commit of its own: a
// reader sees a transaction's data an instant before the counter counts
// it, and the empty commit waits for the one in progress.
func (r *rig) commits() uint64 {
	r.t.Helper()
	if err := r.db.Update(func(*store.Tx) error { return nil }); err != nil {
		r.t.Fatal(err)
	}
	return r.db.Commits()
}
