package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/modem"
)

// faultCase is one fault of the virtual modem and how to tell it has hit.
type faultCase struct {
	name   string
	faults vmodem.Faults
	// hit reports, from the modem's state and the agent's, that the fault
	// has met the agent; until then the fault stays. Nil: it hits on its
	// own.
	hit func(f faultSeen) bool
	// clear removes the faults once hit (for faults that last).
	clear bool
	// outbound also queues a reply directly while the fault lasts, for
	// faults that hold back deliveries (so that nothing would be sent
	// during them otherwise).
	outbound bool
	// dupOK names whose reply ("before" or "during" the fault) the modem
	// may send without its +CMGS answer ever reaching the agent, which
	// then cannot know and sends it again: promise 4's window, the one
	// place a duplicate is allowed. checkDup holds it to exactly that.
	dupOK string
}

func errs(cmd, result string, count int) vmodem.Faults {
	return vmodem.Faults{Errors: []vmodem.ErrorFault{{Command: cmd, Error: result, Count: count}}}
}

func ptr[T any](v T) *T { return &v }

// faultSeen is what a faultCase's hit looks at.
type faultSeen struct {
	vm     vmodem.State
	modem  modem.State // the agent's modem; StateStarting while it has none
	health modem.Health
	out    store.Outbound
}

// consumed: no counted error fault is left.
func consumed(f faultSeen) bool { return len(f.vm.Faults.Errors) == 0 }

// interjected: every interjection was used up.
func interjected(f faultSeen) bool { return len(f.vm.Faults.Interject) == 0 }

// rebooted: the modem has booted again.
func rebooted(f faultSeen) bool { return f.vm.Boots >= 2 }

var faultCases = []faultCase{
	{name: "cmgs-error", faults: errs("+CMGS", "ERROR", 1), hit: consumed},
	{name: "cmgs-cms-500-twice", faults: errs("+CMGS", "+CMS ERROR: 500", 2), hit: consumed},
	{name: "cmgs-cms-331", faults: errs("+CMGS", "+CMS ERROR: 331", 1), hit: consumed},
	{name: "cmgl-error", faults: errs("+CMGL", "+CMS ERROR: 500", 3), hit: consumed},
	{name: "cmgr-error", faults: errs("+CMGR", "+CMS ERROR: 500", 1), hit: consumed},
	{name: "cmgd-error", faults: errs("+CMGD", "+CMS ERROR: 500", 2), hit: consumed},
	{name: "every-command-error", faults: errs("*", "ERROR", 5), hit: consumed},
	{name: "silence-3", faults: vmodem.Faults{Silence: &vmodem.Silence{Count: 3}},
		hit: func(f faultSeen) bool { return f.vm.Swallowed >= 3 }},
	{name: "silence-long", faults: vmodem.Faults{Silence: &vmodem.Silence{Always: true}},
		// The agent noticed: its modem is not ready.
		hit: func(f faultSeen) bool { return f.vm.Swallowed >= 1 && f.modem != modem.StateReady }, clear: true},
	{name: "garbage", faults: vmodem.Faults{Garbage: &vmodem.Garbage{NowRandom: 64, InResponses: 4}}},
	{name: "garbage-fixed", faults: vmodem.Faults{Garbage: &vmodem.Garbage{Now: "FF00FE0D0A2B434D54493A", InResponses: 3, Bytes: "DEADBEEF0D0A"}}},
	{name: "reboot-now", faults: vmodem.Faults{Reboot: &vmodem.Reboot{Now: true}}},
	{name: "reboot-at-cmgs", faults: vmodem.Faults{Reboot: &vmodem.Reboot{Command: "+CMGS"}},
		hit: rebooted},
	{name: "reboot-after-cmgs-sent", faults: vmodem.Faults{Reboot: &vmodem.Reboot{Command: "+CMGS", Effect: true}},
		hit: rebooted, dupOK: "during"},
	{name: "reboot-at-cmgr", faults: vmodem.Faults{Reboot: &vmodem.Reboot{Command: "+CMGR"}},
		hit: rebooted},
	{name: "reboot-after-cmgd", faults: vmodem.Faults{Reboot: &vmodem.Reboot{Command: "+CMGD", Effect: true}},
		hit: rebooted},
	{name: "storage-full", faults: vmodem.Faults{StorageFull: ptr(true)},
		hit: func(f faultSeen) bool { return f.vm.Waiting > 0 }, clear: true},
	{name: "storage-filled", faults: vmodem.Faults{Fill: -1}},
	{name: "network-lost", faults: vmodem.Faults{Network: "lost"},
		// A delivery waits in the network and a send was tried and failed.
		hit: func(f faultSeen) bool { return f.vm.Waiting > 0 && f.out.Attempts > 0 }, clear: true, outbound: true},
	{name: "latency", faults: vmodem.Faults{Latency: map[string]vmodem.Duration{
		"+CMGS": vmodem.Duration(1500 * time.Millisecond), "+CMGL": vmodem.Duration(time.Second), "+CMGR": vmodem.Duration(500 * time.Millisecond)}}},
	{name: "interject-in-listing", faults: vmodem.Faults{Interject: []vmodem.Interject{
		{Command: "+CMGL", Lines: []string{`+CMTI: "SM",9`, "Yet another random notification!"}, Count: 3}}},
		hit: interjected},
	{name: "interject-before-prompt", faults: vmodem.Faults{Interject: []vmodem.Interject{
		{Command: "+CMGS", Lines: []string{`+CMTI: "SM",7`, "+CSQ: 5,0"}, Where: "before_prompt", Count: 1}}},
		hit: interjected},
	{name: "no-signal", faults: vmodem.Faults{Signal: ptr(0)},
		hit: func(f faultSeen) bool { return f.health.Signal.CSQ == 0 }, clear: true},
	// The port goes the moment the first reply is on the air, so its
	// answer may be lost with the port.
	{name: "unplug", faults: vmodem.Faults{Unplug: &vmodem.Unplug{For: vmodem.Duration(time.Second)}},
		hit: func(f faultSeen) bool { return !f.vm.Unplugged && f.vm.Boots >= 2 }, dupOK: "before"},
}

// TestFaults: under every fault the virtual modem can inject, a message
// that arrives during the fault and one after it are each handled exactly
// once, every reply goes out (once, except where the modem sent without
// answering), and the modem's storage ends empty.
func TestFaults(t *testing.T) {
	t.Parallel()
	for _, profile := range profiles {
		for _, fc := range faultCases {
			t.Run(profile+"/"+fc.name, func(t *testing.T) {
				t.Parallel()
				runFault(t, profile, fc)
			})
		}
	}
	// Every reboot again with a SIM800 that comes back in text mode.
	for _, fc := range faultCases {
		if !strings.HasPrefix(fc.name, "reboot") && fc.name != "unplug" {
			continue
		}
		t.Run("sim800-text/"+fc.name, func(t *testing.T) {
			t.Parallel()
			runFault(t, "sim800-text", fc)
		})
	}
}

func runFault(t *testing.T, profile string, fc faultCase) {
	r := newRig(t, profile)
	ru := r.start(nil)
	ru.WaitModem()
	before, during, queued, after := phone(600), phone(601), phone(602), phone(603)

	// The path works before the fault.
	r.sms(smsFrom(before, "before the fault"))
	r.waitSent(0, 1)

	if err := r.vmc.SetFaults(r.ctx, fc.faults); err != nil {
		t.Fatalf("set faults: %v", err)
	}
	r.sms(smsFrom(during, "during the fault"))
	var outID uint64
	if fc.outbound {
		if err := r.db.Update(func(tx *store.Tx) error {
			var err error
			outID, err = tx.Enqueue(store.Outbound{To: queued, Text: "Your order is packed.", Priority: store.Notification})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if fc.hit != nil {
		r.eventually("the fault to hit", func() (bool, string) {
			var f faultSeen
			var err error
			if f.vm, err = r.vmc.State(r.ctx); err != nil {
				return false, err.Error()
			}
			if m := ru.Modem(); m != nil {
				f.modem, f.health = m.State(), m.Health()
			}
			if outID != 0 {
				if f.out, err = r.db.Outbound(outID); err != nil {
					return false, err.Error()
				}
			}
			return fc.hit(f), fmt.Sprintf("modem %s %+v, outbound %+v, vmodem %+v", f.modem, f.health, f.out, f.vm)
		})
	}
	if fc.clear {
		if err := r.vmc.ClearFaults(r.ctx); err != nil {
			t.Fatalf("clear faults: %v", err)
		}
	}
	r.sms(smsFrom(after, "after the fault"))

	want := map[string]int{before: 1, during: 1, after: 1}
	if fc.outbound {
		want[queued] = 1
	}
	r.waitSettled(want)

	onAir := r.sent()
	sent := sentTo(onAir)
	handled := r.handledBy()
	dup := map[string]string{"before": before, "during": during}[fc.dupOK]
	for from := range want {
		if handled[from] != 1 && from != queued {
			t.Errorf("%s: handled %d times, want once", from, handled[from])
		}
		switch n := sent[from]; {
		case n == 1:
		case n == 2 && from == dup:
			r.checkDup(onAir, from)
		default:
			t.Errorf("%s: %d replies, want 1", from, n)
		}
	}
	// Whatever else the modem held (fillers) was answered once each too,
	// or its reply was dropped with a record for a newer one to the same
	// number: the fillers all come from one number, and the outbox keeps
	// only the newest few replies waiting for one number.
	superseded := r.superseded()
	for from, n := range handled {
		if from == dup {
			continue
		}
		if _, mine := want[from]; mine && superseded[from] != 0 {
			t.Errorf("%s: %d replies dropped as superseded, want none", from, superseded[from])
		}
		if sent[from]+superseded[from] != n {
			t.Errorf("%s: %d handled, %d replies, %d superseded", from, n, sent[from], superseded[from])
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

// waitSettled waits until every sender in want got at least its replies,
// nothing is pending or queued, and the modem's storage is empty.
func (r *rig) waitSettled(want map[string]int) {
	r.t.Helper()
	r.eventually("every reply out and nothing left", func() (bool, string) {
		got := sentTo(r.sent())
		var missing []string
		for to, n := range want {
			if got[to] < n {
				missing = append(missing, fmt.Sprintf("%s %d/%d", to, got[to], n))
			}
		}
		st, err := r.db.Stats(time.Now())
		if err != nil {
			return false, err.Error()
		}
		ms, err := r.vmc.State(r.ctx)
		if err != nil {
			return false, err.Error()
		}
		queued := st.Queued[store.Reply] + st.Queued[store.Notification] + st.Queued[store.Bulk]
		ok := len(missing) == 0 && st.InboxPending == 0 && queued == 0 && ms.Storage.Used == 0 && ms.Waiting == 0
		return ok, fmt.Sprintf("missing replies [%s]; pending %d, queued %d; modem used %d, waiting %d, faults %+v",
			strings.Join(missing, ", "), st.InboxPending, queued, ms.Storage.Used, ms.Waiting, ms.Faults)
	})
}

// superseded counts, per number, replies the outbox dropped for newer
// ones to the same number.
func (r *rig) superseded() map[string]int {
	r.t.Helper()
	log, err := r.db.SentLog(0)
	if err != nil {
		r.t.Fatal(err)
	}
	n := map[string]int{}
	for _, s := range log {
		if s.Failed && s.LastError == store.DropSuperseded {
			n[s.To]++
		}
	}
	return n
}

// checkDup holds a reply to to that went out twice to promise 4's window:
// one record, sent, carrying the second send's message reference (the
// first send was never recorded: its answer did not reach the commit),
// and the same PDUs both times (a resend of that record, not a second
// reply).
func (r *rig) checkDup(onAir []vmodem.Sent, to string) {
	r.t.Helper()
	log, err := r.db.SentLog(0)
	if err != nil {
		r.t.Fatal(err)
	}
	var recs []store.SentRecord
	for _, s := range log {
		if s.To == to {
			recs = append(recs, s)
		}
	}
	var sends []vmodem.Sent
	for _, s := range onAir {
		if s.To == to {
			sends = append(sends, s)
		}
	}
	if len(sends) != 2 || !slices.Equal(sends[0].PDUs, sends[1].PDUs) {
		r.t.Fatalf("%s: on the air %+v; want the same PDUs twice", to, sends)
	}
	if len(recs) != 1 || recs[0].Failed || !slices.Equal(recs[0].MRs, sends[1].MRs) || slices.Equal(recs[0].MRs, sends[0].MRs) {
		r.t.Errorf("%s: sent twice (MRs %v, then %v), sent log %+v; want one record, sent, with only the second send's MRs",
			to, sends[0].MRs, sends[1].MRs, recs)
		return
	}
	r.t.Logf("%s: sent again after the first answer was lost (MRs %v, then %v): promise 4's window", to, sends[0].MRs, sends[1].MRs)
}
