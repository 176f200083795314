package modem

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// initCommands is what Init says to a modem that answers everything.
var initCommands = []string{
	"<ESC>", "AT", "ATE0", "AT+CMEE=1", "AT+CGMI", "AT+CPIN?", "AT+CSQ", "AT+CREG?", "AT+COPS?",
	"AT+CMGF=0", `AT+CPMS="SM","SM","SM"`, "AT+CNMI=2,1,0,1,0", "AT+CLIP=1", "AT+CSCS?",
}

func TestInit(t *testing.T) {
	r := newRig(t, nil, Options{})
	r.init()
	if diff := cmp.Diff(initCommands, r.sim.m.Commands()); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	r.event(EventReady)
	h := r.m.Health()
	want := Health{State: StateReady, Signal: Signal{CSQ: 20, DBm: -73, Bars: 4}, Registration: RegHome,
		Operator: "Vodafone IN", SIM: SIMReady, CheckedAt: epoch}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("health (-want +got):\n%s", diff)
	}
}

// Init must get through whatever the modem is in the middle of: here it
// had "AT+CM" half-typed, echo on, and prints junk and boot lines.
func TestInitHalfTypedEchoJunk(t *testing.T) {
	r := newRig(t, func(s *sim) {
		first := true
		s.hook = func(cmd string) (string, bool) {
			switch {
			case cmd == "AT" && first:
				first = false
				// The half-typed line and our AT ran together.
				return "AT+CMAT\r\r\nERROR\r\n", true
			case cmd == "ATE0":
				return "ATE0\r\r\nOK\r\n", true
			}
			return "", false
		}
	}, Options{})
	r.sim.m.Send("\x00\xff\xfeAT+CM\r\n\r\nRDY\r\n\r\n+CFUN: 1\r\n+CPIN: READY\r\n")
	if err := r.initThrough(syncPause); err != nil {
		t.Fatalf("Init: %v", err)
	}
	cmds := r.sim.m.Commands()
	if diff := cmp.Diff([]string{"<ESC>", "AT", "<ESC>", "AT", "ATE0"}, cmds[:5]); diff != "" {
		t.Errorf("first commands (-want +got):\n%s", diff)
	}
	if r.m.State() != StateReady {
		t.Errorf("state %v, want ready", r.m.State())
	}
	// The boot lines seen during Init are not a reboot.
	if h := r.m.Health(); h.Reboots != 0 {
		t.Errorf("reboots = %d, want 0", h.Reboots)
	}
}

func TestInitHuawei(t *testing.T) {
	r := newRig(t, func(s *sim) { s.manufacturer = "huawei" }, Options{})
	r.init()
	if !contains(r.sim.m.Commands(), "AT^CURC=0") {
		t.Errorf("AT^CURC=0 not sent to a Huawei: %q", r.sim.m.Commands())
	}
}

func TestInitNotHuaweiNoCURC(t *testing.T) {
	r := newRig(t, nil, Options{})
	r.init()
	if contains(r.sim.m.Commands(), "AT^CURC=0") {
		t.Error("AT^CURC=0 sent to a SIMCom")
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func TestInitSIM(t *testing.T) {
	tests := []struct {
		name    string
		cpin    []string
		pin     string // configured
		simPIN  string // the SIM's
		pauses  int    // SIM pauses to advance through
		wantErr error
		want    []string // commands that must have been sent
		sim     SIMState // Health's SIM afterwards
	}{
		{name: "ready", cpin: []string{"READY"}, sim: SIMReady},
		{name: "PIN entered", cpin: []string{"SIM PIN"}, pin: "1234", simPIN: "1234", want: []string{`AT+CPIN="1234"`}, sim: SIMReady},
		{name: "PIN needed, none configured", cpin: []string{"SIM PIN"}, wantErr: ErrPINRequired, sim: SIMPIN},
		{name: "wrong PIN", cpin: []string{"SIM PIN"}, pin: "0000", simPIN: "1234", wantErr: ErrPINRequired, sim: SIMPIN},
		{name: "PUK", cpin: []string{"SIM PUK"}, pin: "1234", wantErr: ErrPUKRequired, sim: SIMPUK},
		{name: "no SIM (CME 10)", cpin: []string{"+CME ERROR: 10"}, wantErr: ErrNoSIM, sim: SIMMissing},
		{name: "not inserted", cpin: []string{"NOT INSERTED"}, wantErr: ErrNoSIM, sim: SIMMissing},
		{name: "SIM busy, then ready", cpin: []string{"+CME ERROR: 14", "NOT READY", "READY"}, pauses: 2, sim: SIMReady},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, func(s *sim) {
				s.cpin = tt.cpin
				s.pin = tt.simPIN
			}, Options{PIN: tt.pin})
			err := r.initThrough(slices.Repeat([]time.Duration{simPause}, tt.pauses)...)
			if tt.wantErr == nil && err != nil {
				t.Fatalf("Init: %v", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("Init = %v, want %v", err, tt.wantErr)
			}
			for _, c := range tt.want {
				if !contains(r.sim.m.Commands(), c) {
					t.Errorf("%s not sent: %q", c, r.sim.m.Commands())
				}
			}
			if tt.wantErr != nil && r.m.State() == StateReady {
				t.Error("ready after a failed Init")
			}
			if got := r.m.Health().SIM; got != tt.sim {
				t.Errorf("Health().SIM = %q, want %q", got, tt.sim)
			}
		})
	}
}

// Wavecom answers AT+CPIN? with "+CPIN: READY" and no OK.
func TestInitWavecomCPINWithoutOK(t *testing.T) {
	// The ^RSSI after the line tells the test (by a signal event) that
	// the line has been read before it lets the command time out.
	r := newRig(t, func(s *sim) { s.override["AT+CPIN?"] = "\r\n+CPIN: READY\r\n^RSSI:13\r\n" }, Options{})
	errc := make(chan error, 1)
	go func() { errc <- r.m.Init(context.Background()) }()
	r.event(EventSignal) // from ^RSSI: no earlier event can be a signal one
	if !r.clock.WaitAndAdvance(quickCmdTimeout, wait) {
		t.Fatal("no AT+CPIN? timer")
	}
	if err := <-errc; err != nil {
		t.Fatalf("Init: %v", err)
	}
}

// SIM800 refuses SMS commands until it has printed "SMS Ready".
func TestInitWaitsForSMSReady(t *testing.T) {
	r := newRig(t, func(s *sim) {
		s.cmgfFails = 100
		s.hook = func(cmd string) (string, bool) {
			if cmd == "AT+CMGF=0" && s.cmgfFails == 99 {
				// After the first refusal the module finishes booting.
				s.cmgfFails = 0
				return "\r\nERROR\r\n\r\nSMS Ready\r\n", true
			}
			if cmd == "AT+CMGF=0" && s.cmgfFails == 100 {
				s.cmgfFails--
				return "\r\nERROR\r\n", true
			}
			return "", false
		}
	}, Options{})
	// First refusal: wait out one pause; the second refusal comes with
	// "SMS Ready", which ends the next wait at once.
	if err := r.initThrough(smsPause); err != nil {
		t.Fatalf("Init: %v", err)
	}
	n := 0
	for _, c := range r.sim.m.Commands() {
		if c == "AT+CMGF=0" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("AT+CMGF=0 sent %d times, want 3", n)
	}
}

func TestInitFallbacks(t *testing.T) {
	r := newRig(t, func(s *sim) {
		s.override[`AT+CPMS="SM","SM","SM"`] = "\r\n+CMS ERROR: 302\r\n"
		s.override["AT+CNMI=2,1,0,1,0"] = "\r\n+CMS ERROR: 303\r\n"
		s.override["AT+CLIP=1"] = "\r\nCOMMAND NOT SUPPORT\r\n"
		s.cscs = "UCS2"
	}, Options{})
	r.init()
	cmds := r.sim.m.Commands()
	for _, c := range []string{`AT+CPMS="ME","ME","ME"`, "AT+CNMI=2,1,0,2,0"} {
		if !contains(cmds, c) {
			t.Errorf("fallback %s not tried: %q", c, cmds)
		}
	}
	r.m.mu.Lock()
	mem, cs := r.m.readMem, r.m.charset
	r.m.mu.Unlock()
	if mem != "ME" || cs != "UCS2" {
		t.Errorf("readMem %q charset %q, want ME, UCS2", mem, cs)
	}
}

func TestInitWaitsForRegistration(t *testing.T) {
	r := newRig(t, func(s *sim) { s.creg = []string{"2", "2", "5"} }, Options{})
	if err := r.initThrough(registerPoll, registerPoll); err != nil {
		t.Fatalf("Init: %v", err)
	}
	if h := r.m.Health(); h.Registration != RegRoaming {
		t.Errorf("registration %v, want roaming", h.Registration)
	}
	r.event(EventNetworkBack)
}

// An unregistered modem is still initialised: stored messages can be read.
func TestInitCarriesOnUnregistered(t *testing.T) {
	r := newRig(t, func(s *sim) { s.creg = []string{"3"} }, Options{RegisterWait: 12 * 1e9})
	if err := r.initThrough(registerPoll, registerPoll, registerPoll); err != nil {
		t.Fatalf("Init: %v", err)
	}
	if h := r.m.Health(); h.Registration != RegDenied || h.State != StateReady {
		t.Errorf("health %+v", h)
	}
}

func TestInitNoResponse(t *testing.T) {
	r := newRig(t, func(s *sim) { s.silent = true }, Options{})
	err := r.initThrough(syncFails()...)
	if !errors.Is(err, ErrNoResponse) {
		t.Fatalf("Init = %v, want ErrNoResponse", err)
	}
	if !strings.Contains(r.m.Health().LastError, "not responding") {
		t.Errorf("LastError %q", r.m.Health().LastError)
	}
}

// A PIN the SIM rejected is never entered again: three wrong tries lock
// the SIM.
func TestWrongPINNotRetried(t *testing.T) {
	r := newRig(t, func(s *sim) {
		s.cpin = []string{"SIM PIN"}
		s.pin = "1234"
	}, Options{PIN: "0000"})
	for i := 0; i < 3; i++ {
		if err := r.m.Init(context.Background()); !errors.Is(err, ErrPINRequired) {
			t.Fatalf("Init %d = %v, want ErrPINRequired", i, err)
		}
	}
	if n := r.j.count(`AT+CPIN="0000"`); n != 1 {
		t.Errorf("wrong PIN entered %d times, want 1", n)
	}
}
