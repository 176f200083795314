package modem

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"github.com/tokrihq/tokri/modem/at"
)

// submitIndia is the SUBMIT TPDU of the generic-india transcript, without
// its leading "00" SMSC field.
const submitIndia = "21000C91197909913764000036D3E614242F8FCB697B99AC038964B058AD058BB5603950ECA69BE17433D80A56D3CD603A1032AD5004DD73741D341501"

func TestSendPDU(t *testing.T) {
	tpdu, err := hex.DecodeString(submitIndia)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		final     string // reply to the PDU; "" = the sim's default
		prompt    string
		wantMR    int
		wantErr   func(error) bool
		retryable bool
	}{
		{name: "sent", wantMR: 65},
		{name: "OK without +CMGS", final: ok(), wantMR: -1},
		{name: "no network (331)", final: "\r\n+CMS ERROR: 331\r\n", wantErr: isCMS(331), retryable: true},
		{name: "network out of order (38)", final: "\r\n+CMS ERROR: 38\r\n", wantErr: isCMS(38), retryable: true},
		{name: "unassigned number (1)", final: "\r\n+CMS ERROR: 1\r\n", wantErr: isCMS(1)},
		{name: "call barred (10)", final: "\r\n+CMS ERROR: 10\r\n", wantErr: isCMS(10)},
		{name: "vendor 513", final: "\r\n> \r\n+CMS ERROR: 513\r\n", wantErr: isCMS(513), retryable: true},
		{name: "wrong length refused at the prompt (304)", prompt: "\r\n+CMS ERROR: 304\r\n", wantErr: isCMS(304)},
		{name: "SIM800 before SMS Ready", prompt: "\r\nERROR\r\n", wantErr: func(err error) bool { return errors.Is(err, at.ErrError) }, retryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, func(s *sim) {
				if tt.final != "" {
					s.override["00"+submitIndia+"<SUB>"] = tt.final
				}
				if tt.prompt != "" {
					s.override["AT+CMGS=61"] = tt.prompt
				}
			}, Options{})
			r.init()
			mr, err := r.m.SendPDU(context.Background(), tpdu)
			if tt.wantErr != nil {
				if !tt.wantErr(err) {
					t.Fatalf("SendPDU error = %v, not the expected one", err)
				}
				if got := Retryable(err); got != tt.retryable {
					t.Errorf("Retryable(%v) = %v, want %v", err, got, tt.retryable)
				}
				return
			}
			if err != nil {
				t.Fatalf("SendPDU: %v", err)
			}
			if mr != tt.wantMR {
				t.Errorf("mr = %d, want %d", mr, tt.wantMR)
			}
			cmds := r.sim.m.Commands()
			if got := cmds[len(cmds)-2:]; got[0] != "AT+CMGS=61" || got[1] != "00"+submitIndia+"<SUB>" {
				t.Errorf("written %q", got)
			}
		})
	}
}

func TestSendPDUNotReady(t *testing.T) {
	r := newRig(t, nil, Options{})
	_, err := r.m.SendPDU(context.Background(), []byte{0x01, 0x00})
	if !errors.Is(err, ErrNotReady) || !Retryable(err) {
		t.Fatalf("err = %v, want a retryable ErrNotReady", err)
	}
}

// A modem that closes the line at the prompt (USB unplugged).
func TestSendPDUHangupAtPrompt(t *testing.T) {
	r := newRig(t, nil, Options{})
	r.init()
	r.sim.m.CloseOn("AT+CMGS")
	_, err := r.m.SendPDU(context.Background(), []byte{0x01, 0x00, 0x00})
	// Either the PDU write fails or the read side sees the hang-up first.
	if err == nil || !Retryable(err) {
		t.Fatalf("err = %v, want a retryable error", err)
	}
	if err := <-r.done; !errors.Is(err, at.ErrClosed) {
		t.Fatalf("Run = %v, want ErrClosed", err)
	}
	r.done <- nil // for the cleanup
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{at.ErrTimeout, true},
		{fmt.Errorf("send: %w", at.ErrTimeout), true},
		{at.ErrClosed, true},
		{ErrNotReady, true},
		{at.ErrError, true},
		{at.ErrNotSupported, false},
		{at.ErrTooManyParameters, false},
		{context.Canceled, true},
	}
	for code, want := range map[int]bool{
		1: false, 8: false, 10: false, 21: false, 27: true, 28: false, 29: false, 30: false, 38: true, 41: true,
		42: true, 47: true, 50: false, 69: false, 81: true, 95: false, 96: false, 97: false, 98: true, 99: false,
		111: true, 127: true, 17: true,
		0x80: false, 0x90: false, 0xA0: false, 0xB0: false, 0xC0: true, 0xC1: false, 0xC2: true, 0xC3: false,
		0xC4: false, 0xC5: false, 0xD3: true, 0xD4: true, 0xFF: true,
		300: true, 302: true, 303: false, 304: false, 305: false, 310: true, 311: true, 314: true, 316: true,
		321: false, 322: true, 330: true, 331: true, 332: true, 340: false, 500: true, 512: true, 513: true, 524: true,
		-1: true,
	} {
		tests = append(tests, struct {
			err  error
			want bool
		}{&at.CMSError{Code: code}, want})
	}
	for code, want := range map[int]bool{3: true, 4: false, 10: true, 14: true, 30: true, 100: true} {
		tests = append(tests, struct {
			err  error
			want bool
		}{&at.CMEError{Code: code}, want})
	}
	for _, tt := range tests {
		if got := Retryable(tt.err); got != tt.want {
			t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
