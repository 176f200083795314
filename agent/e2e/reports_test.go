package e2e

import (
	"testing"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/vmodem"
)

// TestStatusReports: with the store's StatusReports the agent asks for delivery
// reports, and the network's report for the reply lands on its entry in
// the sent log: delivered, or failed for a permanent error.
func TestStatusReports(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		status int // TP-ST the network reports
		want   store.Delivery
	}{
		{"delivered", 0x00, store.DeliveryDelivered},
		{"permanent-failure", 0x41, store.DeliveryFailed},
	}
	for _, profile := range profiles {
		for i, tc := range cases {
			t.Run(profile+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				r := newRig(t, profile)
				st := tc.status
				if err := r.vmc.SetFaults(r.ctx, vmodem.Faults{ReportStatus: &st}); err != nil {
					t.Fatal(err)
				}
				r.reopenDBWith(store.Options{StatusReports: true})
				r.start(nil)
				from := phone(300 + i)
				r.sms(vmodem.SMS{From: from, Text: "status?"})
				sent := r.waitSent(0, 1)
				if s := sent[0]; !s.StatusReport || s.To != from || len(s.MRs) != 1 {
					t.Fatalf("sent %+v, want one part with TP-SRR", s)
				}
				rec := r.soleSent("the report on the sent log", func(rec store.SentRecord) bool { return rec.Delivery == tc.want })
				if rec.Failed || len(rec.PartStatus) != 1 || rec.PartStatus[0] != tc.status || len(rec.MRs) != 1 || rec.MRs[0] != sent[0].MRs[0] {
					t.Errorf("sent log entry %+v; the network sent mr %v", rec, sent[0].MRs)
				}
				// The report is consumed, not answered, and not left behind.
				r.waitStorageEmpty()
				if n := len(r.sent()); n != 1 {
					t.Errorf("%d messages sent, want only the reply", n)
				}
				if in := r.inbound(); len(in) != 1 {
					t.Errorf("inbound: %s", dump(in))
				}
			})
		}
	}
}

// TestSentLogSaysReportAsked: a reply sent with TP-SRR (the agent runs
// with the store's StatusReports) shows StatusReport on its sent-log entry, so the
// console can tell "no report yet" from "none asked for".
func TestSentLogSaysReportAsked(t *testing.T) {
	t.Parallel()
	r := newRig(t, "sim800")
	// As tokri run does: the SIM-wide setting goes to the store, which
	// records it on every message; the sender asks for what is recorded.
	r.reopenDBWith(store.Options{StatusReports: true})
	r.start(nil)
	from := phone(310)
	r.sms(smsFrom(from, "status?"))
	sent := r.waitSent(0, 1)
	if !sent[0].StatusReport {
		t.Fatalf("sent without TP-SRR: %+v", sent[0])
	}
	rec := r.soleSent("the reply on the sent log", func(rec store.SentRecord) bool { return rec.Delivery == store.DeliveryDelivered })
	if !rec.StatusReport {
		t.Errorf("sent log entry has StatusReport false, but the PDU asked for a report: %+v", rec)
	}
}
