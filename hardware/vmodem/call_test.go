package vmodem

import (
	"fmt"
	"testing"
)

func TestMissedCall(t *testing.T) {
	tests := []struct {
		profile string
		want    string
	}{
		// ring-clip-and-call-urcs.txt: SIM800 fills subaddress and alpha with ""/0.
		{"sim800", "\r\nRING\r\n\r\n+CLIP: \"+919812345678\",145,\"\",0,\"\",0\r\n" +
			"\r\nRING\r\n\r\n+CLIP: \"+919812345678\",145,\"\",0,\"\",0\r\n\r\nNO CARRIER\r\n"},
		// python-gsmmodem's Huawei profile: ",,,,0" and ^CEND at hang-up.
		{"huawei-e1752", "\r\nRING\r\n\r\n+CLIP: \"+919812345678\",145,,,,0\r\n" +
			"\r\nRING\r\n\r\n+CLIP: \"+919812345678\",145,,,,0\r\n\r\n^CEND:1,0,104,16\r\n"},
		{"generic", "\r\nRING\r\n\r\n+CLIP: \"+919812345678\",145\r\n" +
			"\r\nRING\r\n\r\n+CLIP: \"+919812345678\",145\r\n\r\nNO CARRIER\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			r := newRig(t, Config{Profile: tt.profile})
			s := r.ready()
			s.cmd("AT^CURC=0")
			s.cmd("AT+CLIP=1")
			if err := r.c.Call(r.ctx, "+919812345678"); err != nil {
				t.Fatal(err)
			}
			s.expectExact(tt.want)
			if r.state().Call != "" {
				t.Error("call still up")
			}
		})
	}
}

func TestCallWithoutCLIPAndAnswer(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	s.cmd("AT+CRC=1")
	if err := r.c.CallWith(r.ctx, Call{From: "", Rings: 1}); err != nil {
		t.Fatal(err)
	}
	s.expectExact("\r\n+CRING: VOICE\r\n\r\nNO CARRIER\r\n")
	if got := s.cmd("ATA"); got != "\r\nNO CARRIER\r\n" {
		t.Errorf("answer without call: %q", got)
	}
}

// TestRealisticLatency: with realistic latency the agent sees RING, can list
// and reject the call, and what it types while a send is in progress is
// answered afterwards, in order.
func TestRealisticLatency(t *testing.T) {
	r := newRig(t, Config{Latency: true})
	s := r.stream
	s.expect("SMS Ready\r\n")
	s.cmd("ATE0")
	s.cmd("AT+CLIP=1")
	if err := r.c.CallWith(r.ctx, Call{From: "+919812345678", Rings: 5}); err != nil {
		t.Fatal(err)
	}
	s.expect("RING\r\n")
	if got := s.cmd("AT+CLCC"); got != "\r\n+CLIP: \"+919812345678\",145,\"\",0,\"\",0\r\n\r\n+CLCC: 1,1,4,0,0,\"+919812345678\",145,\"\"\r\n\r\nOK\r\n" {
		t.Errorf("clcc: %q", got)
	}
	if got := s.cmd("ATH"); got != "\r\nOK\r\n" {
		t.Errorf("hang up: %q", got)
	}
	if st := r.state(); st.Call != "" {
		t.Errorf("call %q after ATH", st.Call)
	}
	hs, ls := submitPDUs(t, "+919812345678", "busy modem", false)
	if got := s.cmd(fmt.Sprintf("AT+CMGS=%d", ls[0])); got != "\r\n> " {
		t.Fatalf("prompt %q", got)
	}
	s.write(hs[0] + "\x1aAT+CSQ\r")
	if got := s.response(); got != "\r\n+CMGS: 1\r\n\r\nOK\r\n" {
		t.Errorf("send: %q", got)
	}
	if got := s.response(); got != "\r\n+CSQ: 18,0\r\n\r\nOK\r\n" {
		t.Errorf("queued command: %q", got)
	}
}
