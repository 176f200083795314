package vmodem

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestErrorFaults(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	hs, ls := submitPDUs(t, "+919812345678", "hi", false)
	if err := r.c.SetFaults(r.ctx, Faults{Command: "AT+CMGS", Error: "+CMS ERROR: 500", Count: 1}); err != nil {
		t.Fatal(err)
	}
	// The prompt still comes; the error follows the PDU (cms-cme-error-lines.txt, node-pdu issue 22).
	if got := s.cmd(fmt.Sprintf("AT+CMGS=%d", ls[0])); got != "\r\n> " {
		t.Fatalf("prompt %q", got)
	}
	s.write(hs[0] + "\x1a")
	if got := s.response(); got != "\r\n+CMS ERROR: 500\r\n" {
		t.Fatalf("fault: %q", got)
	}
	send(t, s, hs[0], ls[0]) // count used up
	r.c.SetFaults(r.ctx, Faults{Errors: []ErrorFault{{Command: "+CPMS", Error: "ERROR", Always: true},
		{Command: "+CSQ", Error: "+CME ERROR: 14", Count: 2}}})
	for i := 0; i < 3; i++ {
		if got := s.cmd(`AT+CPMS="SM"`); got != "\r\nERROR\r\n" {
			t.Errorf("always: %q", got)
		}
	}
	s.cmd("AT+CSQ")
	s.cmd("AT+CSQ")
	if got := s.cmd("AT+CSQ"); got != "\r\n+CSQ: 18,0\r\n\r\nOK\r\n" {
		t.Errorf("after count: %q", got)
	}
	if st := r.state(); len(st.Faults.Errors) != 1 {
		t.Errorf("active errors %+v", st.Faults.Errors)
	}
	r.c.ClearFaults(r.ctx)
	if got := s.cmd(`AT+CPMS="SM"`); !strings.HasSuffix(got, "OK\r\n") {
		t.Errorf("after clear: %q", got)
	}
}

func TestSilenceFault(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	r.c.SetFaults(r.ctx, Faults{Silence: &Silence{Count: 2}})
	s.write("AT\rAT+CSQ\r")
	if got := s.cmd("AT"); got != "\r\nOK\r\n" {
		t.Fatalf("after two swallowed lines: %q (nothing else may precede it)", got)
	}
	// Always: no answers and no URCs, but the SMS is still stored.
	r.c.SetFaults(r.ctx, Faults{Silence: &Silence{Always: true}})
	s.write("AT\r")
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "while silent"})
	// bytes and API calls race: wait for the line to reach the modem
	r.waitState("third swallowed line", func(st State) bool { return st.Swallowed == 3 })
	if st := r.state(); st.Storage.Used != 1 {
		t.Fatalf("stored %d", st.Storage.Used)
	}
	r.c.ClearFaults(r.ctx)
	if got := s.cmd("AT+CPMS?"); got != "\r\n+CPMS: \"SM\",1,20,\"SM\",1,20,\"SM\",1,20\r\n\r\nOK\r\n" {
		t.Errorf("after silence: %q", got)
	}
}

func TestGarbageFault(t *testing.T) {
	r := newRig(t, Config{Seed: 7})
	s := r.ready()
	r.c.SetFaults(r.ctx, Faults{Garbage: &Garbage{Now: "ff00fe", InResponses: 1, Bytes: "deadbeef"}})
	s.expectExact("\xff\x00\xfe")
	if got := s.cmd("AT+CSQ"); got != "\r\n+CSQ: 18,0\r\n\xde\xad\xbe\xef\r\nOK\r\n" {
		t.Errorf("inside response: %q", got)
	}
	if got := s.cmd("AT"); got != "\r\nOK\r\n" {
		t.Errorf("only one response: %q", got)
	}
	r.c.SetFaults(r.ctx, Faults{Garbage: &Garbage{NowRandom: 32}})
	s.until("32 random bytes", func(b []byte) int {
		if len(b) >= 32 {
			return 32
		}
		return -1
	})
	if got := s.cmd("AT"); !strings.HasSuffix(got, "\r\nOK\r\n") {
		t.Errorf("after garbage: %q", got)
	}
	if err := r.c.SetFaults(r.ctx, Faults{Garbage: &Garbage{Now: "xyz"}}); err == nil {
		t.Error("bad hex accepted")
	}
}

func TestRebootKeepsStorageLosesSettings(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	s.cmd("AT+CNMI=2,2,0,1,0")
	s.cmd("AT+CMEE=2")
	r.c.SetFaults(r.ctx, Faults{Fill: 2})
	if err := r.c.SetFaults(r.ctx, Faults{Reboot: &Reboot{Now: true}}); err != nil {
		t.Fatal(err)
	}
	s.expectExact("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n")
	if got := s.cmd("AT+CNMI?"); got != "AT+CNMI?\r\r\n+CNMI: 2,1,0,0,0\r\n\r\nOK\r\n" {
		t.Errorf("settings after reboot (echo back on): %q", got)
	}
	if st := r.state(); st.Storage.Used != 2 || st.Boots != 2 || st.Settings.CMEE != 0 {
		t.Errorf("state %+v", st)
	}
	// AT+CFUN=1,1 answers OK, then reboots.
	if got := s.cmd("AT+CFUN=1,1"); got != "AT+CFUN=1,1\r\r\nOK\r\n" {
		t.Errorf("cfun reset: %q", got)
	}
	s.expect("SMS Ready\r\n")
}

func TestRebootInsideCMGS(t *testing.T) {
	for _, effect := range []bool{false, true} {
		t.Run(fmt.Sprint("effect=", effect), func(t *testing.T) {
			r := newRig(t, Config{})
			s := r.ready()
			hs, ls := submitPDUs(t, "+919812345678", "order 17 confirmed", true)
			r.c.SetFaults(r.ctx, Faults{Reboot: &Reboot{Command: "+CMGS", Effect: effect}})
			s.cmd(fmt.Sprintf("AT+CMGS=%d", ls[0]))
			s.write(hs[0] + "\x1a")
			got := s.expect("SMS Ready\r\n")
			if strings.Contains(got, "+CMGS") {
				t.Errorf("answered despite reboot: %q", got)
			}
			sent, _ := r.c.Sent(r.ctx)
			if (len(sent) == 1) != effect {
				t.Errorf("sent %d entries with effect=%v", len(sent), effect)
			}
			if got := s.cmd("ATE0"); !strings.HasSuffix(got, "OK\r\n") {
				t.Errorf("after reboot: %q", got)
			}
		})
	}
}

// A SIM800 with text mode saved in its profile: a read answered in full,
// then a brown-out (after the first read, as armed); it comes back in text
// mode and answers the next read in text.
func TestRebootAfterAnswerIntoTextMode(t *testing.T) {
	r := newRig(t, Config{Profile: "sim800-text"})
	s := r.ready()
	if st := r.state(); st.Settings.CMGF != 1 {
		t.Fatalf("powered up with +CMGF %d, want text mode", st.Settings.CMGF)
	}
	s.cmd("AT+CMGF=0")
	r.c.SetFaults(r.ctx, Faults{Fill: 2})
	if err := r.c.SetFaults(r.ctx, Faults{Reboot: &Reboot{Command: "+CMGR", After: 1, Answered: true}}); err != nil {
		t.Fatal(err)
	}
	if got := s.cmd("AT+CMGR=1"); !strings.HasPrefix(got, "\r\n+CMGR: 0,") {
		t.Errorf("first read, before the armed one: %q", got)
	}
	got := s.cmd("AT+CMGR=2")
	if !strings.HasPrefix(got, "\r\n+CMGR: 0,") || !strings.HasSuffix(got, "OK\r\n") {
		t.Errorf("armed read not answered in full before the reboot: %q", got)
	}
	s.expect("SMS Ready\r\n")
	if got := s.cmd("AT+CMGR=2"); !strings.Contains(got, `+CMGR: "REC READ","+919800000000"`) {
		t.Errorf("read after the reboot, want text mode: %q", got)
	}
	if st := r.state(); st.Boots != 2 || st.Storage.Used != 2 || st.Settings.CMGF != 1 || st.Faults.Reboot != nil {
		t.Errorf("state after the reboot %+v", st)
	}
}

func TestStorageFullFault(t *testing.T) {
	r := newRig(t, Config{Slots: 3})
	s := r.ready()
	r.c.SetFaults(r.ctx, Faults{Fill: -1})
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "late"})
	if st := r.state(); st.Storage.Used != 3 || st.Waiting != 1 {
		t.Fatalf("fill: %+v", st.Storage)
	}
	s.cmd("AT+CMGD=1,4")
	s.expectExact("\r\n+CMTI: \"SM\",1\r\n")
	full := true
	r.c.SetFaults(r.ctx, Faults{StorageFull: &full})
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "later"})
	if st := r.state(); st.Storage.Used != 1 || st.Waiting != 1 {
		t.Fatalf("storage_full: %+v waiting %d", st.Storage, st.Waiting)
	}
	full = false
	r.c.SetFaults(r.ctx, Faults{StorageFull: &full})
	s.expectExact("\r\n+CMTI: \"SM\",2\r\n")
}

func TestNetworkLost(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	s.cmd("AT+CREG=1")
	r.c.SetFaults(r.ctx, Faults{Network: "lost"})
	s.expectExact("\r\n+CREG: 0\r\n")
	hs, ls := submitPDUs(t, "+919812345678", "hi", false)
	s.cmd(fmt.Sprintf("AT+CMGS=%d", ls[0]))
	s.write(hs[0] + "\x1a")
	if got := s.response(); got != "\r\n+CMS ERROR: 331\r\n" {
		t.Errorf("send without network: %q", got)
	}
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "waits"})
	s.talk(t, []exchange{
		{"AT+CREG?", "\r\n+CREG: 1,0\r\n\r\nOK\r\n"},
		{"AT+CSQ", "\r\n+CSQ: 99,99\r\n\r\nOK\r\n"},
		{"AT+COPS?", "\r\n+COPS: 0\r\n\r\nOK\r\n"},
	})
	if st := r.state(); st.Network != "lost" || st.Waiting != 1 {
		t.Errorf("state %s waiting %d", st.Network, st.Waiting)
	}
	r.c.SetFaults(r.ctx, Faults{Network: "back"})
	s.expectExact("\r\n+CREG: 1\r\n\r\n+CMTI: \"SM\",1\r\n")
	send(t, s, hs[0], ls[0])
}

func TestLatencyFaultKeepsOrder(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	r.c.SetFaults(r.ctx, Faults{Latency: map[string]Duration{"AT+CSQ": Duration(30e6)}})
	s.write("AT+CSQ\rAT+CMGF?\r")
	if got := s.response(); got != "\r\n+CSQ: 18,0\r\n\r\nOK\r\n" {
		t.Errorf("slow command: %q", got)
	}
	if got := s.response(); got != "\r\n+CMGF: 0\r\n\r\nOK\r\n" {
		t.Errorf("queued command: %q", got)
	}
	if st := r.state(); st.Faults.Latency["+CSQ"] != Duration(30e6) {
		t.Errorf("latency state %+v", st.Faults.Latency)
	}
}

func TestInterjectFault(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "a"})
	s.line("+CMTI")
	r.c.SetFaults(r.ctx, Faults{Interject: []Interject{
		{Command: "+CMGL", Lines: []string{`+CMTI: "SM",2`}},
		{Command: "+CMGS", Lines: []string{`+ZPASR: "UMTS"`}, Where: "before_prompt"},
	}})
	got := s.cmd("AT+CMGL=4")
	if !strings.Contains(got, "\r\n\r\n+CMTI: \"SM\",2\r\n\r\nOK\r\n") {
		t.Errorf("cmgl: %q", got)
	}
	if got := s.cmd("AT+CMGS=10"); got != "\r\n+ZPASR: \"UMTS\"\r\n\r\n> " {
		t.Errorf("cmgs: %q", got)
	}
	s.write("\x1b")
	s.response()
}

func TestPINFlow(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	s.cmd("AT+CMEE=1")
	pin := "1234"
	r.c.SetSIM(r.ctx, SIM{PIN: &pin})
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "waits for the pin"})
	s.talk(t, []exchange{
		{"AT+CPIN?", "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n"},
		{"AT+CMGL=4", "\r\n+CMS ERROR: 311\r\n"},
		{"AT+COPS?", "\r\n+CME ERROR: 11\r\n"},
		{"AT+CSQ", "\r\n+CSQ: 99,99\r\n\r\nOK\r\n"},
		{`AT+CPIN="0000"`, "\r\n+CME ERROR: 16\r\n"},
		{`AT+CPIN="1234"`, "\r\nOK\r\n"},
	})
	s.expectExact("\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n\r\n+CMTI: \"SM\",1\r\n")
	r.c.Reboot(r.ctx)
	s.expectExact("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: SIM PIN\r\n")
	s.cmd("ATE0")
	s.cmd("AT+CMEE=1")
	for i := 0; i < 2; i++ {
		s.cmd(`AT+CPIN="9999"`)
	}
	if got := s.cmd(`AT+CPIN="9999"`); got != "\r\n+CME ERROR: 12\r\n" {
		t.Errorf("third wrong pin: %q", got)
	}
	if got := s.cmd(`AT+CPIN="12345678","4321"`); got != "\r\nOK\r\n" {
		t.Errorf("puk: %q", got)
	}
	s.expect("SMS Ready\r\n")
	no := false
	r.c.SetSIM(r.ctx, SIM{Present: &no})
	if got := s.cmd("AT+CPIN?"); got != "\r\n+CME ERROR: 10\r\n" {
		t.Errorf("no sim: %q", got)
	}
}

// TestUnplug: the device vanishes like a USB modem re-enumerating; the agent
// must reopen the link and finds the same storage.
func TestUnplug(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "kept"})
	s.line("+CMTI")
	r.c.SetFaults(r.ctx, Faults{Unplug: &Unplug{}})
	s.wg.Wait() // the reader ends: hangup on the old pty
	r.stream.close()
	r.state() // the replug ran on the loop before this answer
	r.stream = openStream(t, r.link)
	s = r.stream
	s.expect("SMS Ready\r\n")
	// The new pty may have the old one's number (the kernel hands out the
	// lowest free one, as a USB modem may come back as ttyUSB0 again):
	// what matters is that the link leads to the live one.
	if target, err := os.Readlink(r.link); err != nil || target != r.m.Path() {
		t.Errorf("link after unplug -> %q (%v), want the new pty %s", target, err, r.m.Path())
	}
	s.cmd("ATE0")
	if st := r.state(); st.Storage.Used != 1 || st.Unplugged {
		t.Errorf("after replug: %+v", st)
	}
}

// TestReopenKeepsStorage: the agent closes the slave and opens it again (it
// is killed and restarted); the modem keeps running and answering.
func TestReopenKeepsStorage(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "before"})
	s.line("+CMTI")
	r.stream.close()
	// While nobody holds the slave: a delivery and its URC.
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "while closed"})
	for i := 0; i < 3; i++ {
		r.stream = openStream(t, r.link)
		s = r.stream
		if i == 0 {
			s.expectExact("\r\n+CMTI: \"SM\",2\r\n") // the tty kept it
		}
		if got := s.cmd("AT+CPMS?"); got != "\r\n+CPMS: \"SM\",2,20,\"SM\",2,20,\"SM\",2,20\r\n\r\nOK\r\n" {
			t.Fatalf("reopen %d: %q", i, got)
		}
		r.stream.close()
	}
	r.stream = openStream(t, r.link)
	if _, err := os.Stat(r.link); err != nil {
		t.Fatal(err)
	}
}

func TestBadControlRequests(t *testing.T) {
	r := newRig(t, Config{})
	r.ready()
	bad := []Faults{
		{Command: "+CMGS"},
		{Network: "sideways"},
		{Interject: []Interject{{Command: "+CMGL", Where: "inside"}}},
		{Reboot: &Reboot{}},
		{Reboot: &Reboot{Command: "+CMGR", After: -1}},
		{Signal: intp(40)},
	}
	for _, f := range bad {
		err := r.c.SetFaults(r.ctx, f)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != 400 {
			t.Errorf("%+v: %v", f, err)
		}
	}
	for _, m := range []SMS{{Text: "no sender"}, {From: "+91", Text: "x", RefBits: 12},
		{From: "+91", Text: strings.Repeat("x", 200), Order: []int{1, 1}}, {From: "+91", Text: "€uro ₹", Encoding: "gsm7"}} {
		if err := r.c.SendSMS(r.ctx, m); err == nil {
			t.Errorf("%+v accepted", m)
		}
	}
	if err := r.c.Call(r.ctx, "+919812345678"); err != nil {
		t.Fatal(err)
	}
	if err := r.c.Call(r.ctx, "+919812345678"); err != nil {
		// the first call already ended (zero latency); a second one is fine
		t.Errorf("second call: %v", err)
	}
}
