package at

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem/at/attest"
)

// submitIndia is the SMS-SUBMIT of the generic-india transcript (61 octets
// of TPDU after the empty SMSC field "00").
const submitIndia = "0021000C91197909913764000036D3E614242F8FCB697B99AC038964B058AD058BB5603950ECA69BE17433D80A56D3CD603A1032AD5004DD73741D341501"

func TestSMSCommand(t *testing.T) {
	tests := []struct {
		name     string
		echo     bool
		chunk    int
		prompt   string // answer to AT+CMGS
		final    string // answer to the PDU
		want     []string
		wantErr  func(error) bool
		wantCmds []string
		wantURCs []urcShape
	}{
		{
			name: "plain", prompt: "\r\n> ", final: "\r\n+CMGS: 64\r\n\r\nOK\r\n",
			want: []string{"+CMGS: 64"}, wantCmds: []string{"AT+CMGS=61", submitIndia + "<SUB>"},
		},
		{
			name: "prompt split byte by byte, echo on", echo: true, chunk: 1, prompt: "\r\n> ", final: "\r\n+CMGS: 64\r\n\r\nOK\r\n",
			want: []string{"+CMGS: 64"}, wantCmds: []string{"AT+CMGS=61", submitIndia + "<SUB>"},
		},
		{
			name: "prompt followed by CR LF", prompt: "\r\n> \r\n", final: "\r\n+CMGS: 1\r\nOK\r\n",
			want: []string{"+CMGS: 1"}, wantCmds: []string{"AT+CMGS=61", submitIndia + "<SUB>"},
		},
		{
			name:   "URCs before the prompt (ZTE)",
			prompt: "\r\n+ZDONR: \"METEOR\",272,3,\"CS_ONLY\",\"ROAM_OFF\"\r\n+ZPASR: \"UMTS\"\r\n> ",
			final:  "\r\n+ZPASR: \"UMTS\"\r\n+CMGS: 142\r\nOK\r\n",
			want:   []string{"+CMGS: 142"}, wantCmds: []string{"AT+CMGS=61", submitIndia + "<SUB>"},
			wantURCs: []urcShape{
				{"+ZDONR", []string{`+ZDONR: "METEOR",272,3,"CS_ONLY","ROAM_OFF"`}},
				{"+ZPASR", []string{`+ZPASR: "UMTS"`}},
				{"+ZPASR", []string{`+ZPASR: "UMTS"`}},
			},
		},
		{
			// node-pdu issue 22: the modem echoes the PDU after the prompt
			// and prints a second prompt before the error.
			name: "PDU echoed, second prompt, CMS 513", echo: true, prompt: "\r\n> ", final: "\r\n> \r\n+CMS ERROR: 513\r\n",
			wantErr: cmsCode(513), wantCmds: []string{"AT+CMGS=61", submitIndia + "<SUB>"},
		},
		{
			name: "error instead of the prompt", prompt: "\r\n+CMS ERROR: 304\r\n",
			wantErr: cmsCode(304), wantCmds: []string{"AT+CMGS=61"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testtime.NoLeaks(t)
			m := answers("AT+CMGS=61", tt.prompt, tt.final)
			m.SetEcho(tt.echo)
			m.SetChunk(tt.chunk)
			p := startPort(t, m, Options{})
			lines, err := p.SMSCommand(context.Background(), "AT+CMGS=61", submitIndia)
			if tt.wantErr == nil && err != nil {
				t.Fatalf("SMSCommand: %v", err)
			}
			if tt.wantErr != nil && !tt.wantErr(err) {
				t.Fatalf("SMSCommand error = %v, not the expected one", err)
			}
			if diff := cmp.Diff(tt.want, lines, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			wrote(t, m, tt.wantCmds)
			if diff := cmp.Diff(tt.wantURCs, shapes(p.urcsSoFar(t, m)), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("URCs (-want +got):\n%s", diff)
			}
		})
	}
}

// No prompt: the port must send ESC so the modem does not read the next
// command as PDU text, and the next command must work.
func TestSMSPromptTimeoutSendsESC(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := answers("AT", "\r\nOK\r\n", "")
		p := startPort(t, m, Options{Timeout: 10 * time.Second, SMSTimeout: time.Minute})
		res := inBackground(func() ([]string, error) { return p.SMSCommand(context.Background(), "AT+CMGS=61", submitIndia) })
		timesOutAt(t, res, 10*time.Second)
		if _, err := p.Command(context.Background(), "AT"); err != nil {
			t.Fatalf("AT after prompt timeout: %v", err)
		}
		wrote(t, m, []string{"AT+CMGS=61", "<ESC>", "AT"})
	})
}

// After the PDU went out the wait is SMSTimeout, not Timeout.
func TestSMSFinalUsesSMSTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := answers("AT+CMGS=61", "\r\n> ", "")
		p := startPort(t, m, Options{Timeout: 10 * time.Second, SMSTimeout: time.Minute})
		res := inBackground(func() ([]string, error) { return p.SMSCommand(context.Background(), "AT+CMGS=61", submitIndia) })
		// 10 s (the prompt's timeout) and more must not end the command.
		timesOutAt(t, res, time.Minute)
		wrote(t, m, []string{"AT+CMGS=61", submitIndia + "<SUB>"})
	})
}

// A modem that reboots after the PDU and Ctrl-Z never answers its AT+CMGS.
// With reboots watched, the boot burst ends the command at once with
// ErrRebooted instead of after the send timeout; the driver hears of it
// before the sender does, and no command goes out until Resume (typed at a
// modem in text mode, AT+CMGS=61 would send to the number 61).
func TestRebootAbandonsSMSCommand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := attest.NewModem(func(cmd string) string {
			switch cmd {
			case "AT+CMGS=61":
				return "\r\n> "
			case "AT":
				return "\r\nOK\r\n"
			}
			return "" // the PDU: the modem browns out
		})
		var signs []string // OnReboot runs on the port's loop, before the answer
		p := startPort(t, m, Options{SMSTimeout: time.Hour, OnReboot: func(sign string) { signs = append(signs, sign) }})
		p.WatchReboots(true)
		res := inBackground(func() ([]string, error) { return p.SMSCommand(context.Background(), "AT+CMGS=61", submitIndia) })
		synctest.Wait() // the PDU is out
		// sim800_boot-urcs.txt (SIM800 manual V1.09 URC table).
		m.Send("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n")
		if r := <-res; !errors.Is(r.err, ErrRebooted) {
			t.Fatalf("SMSCommand across a reboot: %v, want ErrRebooted", r.err)
		}
		if diff := cmp.Diff([]string{"RDY"}, signs); diff != "" {
			t.Errorf("OnReboot calls before the answer (-want +got):\n%s", diff)
		}
		if _, err := p.Command(context.Background(), "AT"); !errors.Is(err, ErrRebooted) {
			t.Errorf("command after the reboot sign: %v, want ErrRebooted", err)
		}
		if n := len(m.Commands()); n != 2 {
			t.Errorf("%d commands reached the modem, want 2 (nothing after the reboot): %q", n, m.Commands())
		}
		p.Resume()
		if _, err := p.Command(context.Background(), "AT"); err != nil {
			t.Errorf("command after Resume: %v", err)
		}
	})
}

// While the driver sets the modem up, boot lines are expected and abandon
// nothing.
func TestBootLinesUnwatched(t *testing.T) {
	testtime.NoLeaks(t)
	m := attest.NewModem(func(cmd string) string {
		return "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\nOK\r\n"
	})
	p := startPort(t, m, Options{})
	if _, err := p.Command(context.Background(), "AT"); err != nil {
		t.Fatalf("command with boot lines in its answer, unwatched: %v", err)
	}
	if _, err := p.Command(context.Background(), "AT"); err != nil {
		t.Fatalf("next command: %v", err)
	}
}
