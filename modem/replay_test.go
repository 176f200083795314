package modem

import (
	"context"
	"encoding/hex"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem/at/attest"
)

// replayRig runs a Modem against a transcript from testdata.
func replayRig(t *testing.T, file string) (*rig, *attest.Replay) {
	t.Helper()
	testtime.NoLeaks(t)
	text, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	replay, err := attest.ParseReplay(string(text))
	if err != nil {
		t.Fatal(err)
	}
	j := newJournal()
	am := attest.NewModem(func(cmd string) string {
		j.add(cmd)
		return replay.Respond(cmd)
	})
	if s := replay.Start(); s != "" {
		am.Send(s)
	}
	r := startRig(t, am, j, Options{}, testtime.NewClock(epoch))
	t.Cleanup(func() {
		if mm := replay.Mismatches(); len(mm) > 0 {
			t.Errorf("transcript mismatches: %q", mm)
		}
		if rest := replay.Remaining(); len(rest) > 0 {
			t.Errorf("transcript steps not reached: %q", rest)
		}
	})
	return r, replay
}

// markReady skips Init for transcripts that start with a set-up modem.
func (r *rig) markReady() {
	r.m.mu.Lock()
	r.m.setStateLocked(StateReady)
	r.m.mu.Unlock()
}

func TestReplayGenericIndia(t *testing.T) {
	r, _ := replayRig(t, "generic-india-receive-send-report.at")
	r.markReady()
	in := &inbox{j: r.j}
	r.receive(in, poll)
	e := r.j.waitEntry(t, "AT+CMGD=7")
	before(t, e, accepted(pduIndia), "AT+CMGD=7")

	tpdu, _ := hex.DecodeString(submitIndia)
	mr, err := r.m.SendPDU(context.Background(), tpdu)
	if err != nil || mr != 64 {
		t.Fatalf("SendPDU = %d, %v; want 64", mr, err)
	}
	// The status report for MR 64 arrives inline and is acknowledged.
	e = r.j.waitEntry(t, "AT+CNMA=1")
	before(t, e, accepted(pduCDSIndia), "AT+CNMA=1")
}

func TestReplayZTESend(t *testing.T) {
	r, _ := replayRig(t, "zte-k3565z-send.at")
	r.markReady()
	tpdu, _ := hex.DecodeString(submitIndia)
	mr, err := r.m.SendPDU(context.Background(), tpdu)
	if err != nil || mr != 142 {
		t.Fatalf("SendPDU = %d, %v; want 142", mr, err)
	}
}

func TestReplayHuaweiListing(t *testing.T) {
	r, _ := replayRig(t, "huawei-e1752-listing.at")
	r.markReady()
	r.m.mu.Lock()
	r.m.readMem = "SM"
	r.m.mu.Unlock()
	in := &inbox{j: r.j}
	r.receive(in, poll)
	e := r.j.waitEntry(t, "AT+CMGD=0")
	before(t, e, accepted(pduE1752), "AT+CMGD=0")
}

func TestReplaySIM800BootInit(t *testing.T) {
	r, _ := replayRig(t, "sim800-boot-init.at")
	r.init()
	want := []string{"<ESC>", "AT", "ATE0", "AT+CMEE=1", "AT+CGMI", "AT+CPIN?", "AT+CSQ", "AT+CREG?", "AT+COPS?",
		"AT+CMGF=0", "AT+CMGF=0", `AT+CPMS="SM","SM","SM"`, "AT+CNMI=2,1,0,1,0", "AT+CLIP=1", "AT+CSCS?"}
	if diff := cmp.Diff(want, r.j.all()); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	// The boot lines during Init were not taken for a reboot.
	if h := r.m.Health(); h.Reboots != 0 || h.State != StateReady || h.Operator != "IND airtel" {
		t.Errorf("health %+v", h)
	}
}
