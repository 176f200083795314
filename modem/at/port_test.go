package at

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem/at/attest"
)

// urcShape drops the timestamp for comparisons.
type urcShape struct {
	Name  string
	Lines []string
}

func shapes(us []URC) []urcShape {
	var out []urcShape
	for _, u := range us {
		out = append(out, urcShape{u.Name, u.Lines})
	}
	return out
}

func errIs(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

func cmsCode(code int) func(error) bool {
	return func(err error) bool {
		var e *CMSError
		return errors.As(err, &e) && e.Code == code
	}
}

func cmeCode(code int) func(error) bool {
	return func(err error) bool {
		var e *CMEError
		return errors.As(err, &e) && e.Code == code
	}
}

const pduE1752 = "07913366003051F5040B913366304381F900005180719120348004D4F29C0E"

func TestCommand(t *testing.T) {
	tests := []struct {
		name     string
		echo     bool
		chunk    int
		cmd      string
		reply    string
		want     []string
		wantErr  func(error) bool // nil: success
		wantURCs []urcShape
	}{
		{name: "plain OK", cmd: "AT", reply: "\r\nOK\r\n"},
		{name: "info and OK", cmd: "AT+CSQ", reply: "\r\n+CSQ: 20,99\r\n\r\nOK\r\n", want: []string{"+CSQ: 20,99"}},
		{name: "echo on", echo: true, cmd: "AT+CSQ", reply: "\r\n+CSQ: 20,99\r\n\r\nOK\r\n", want: []string{"+CSQ: 20,99"}},
		{name: "echo on, one byte per read", echo: true, chunk: 1, cmd: "AT+CSQ", reply: "\r\n+CSQ: 20,99\r\n\r\nOK\r\n", want: []string{"+CSQ: 20,99"}},
		{
			name: "echo CR CR LF (Huawei E1752)", cmd: "AT+CMGL=4",
			reply: "AT+CMGL=4\r\r\n+CMGL: 0,0,,23\r\n" + pduE1752 + "\r\n\r\nOK\r\n",
			want:  []string{"+CMGL: 0,0,,23", pduE1752},
		},
		{
			name: "half-typed command before the echo", cmd: "AT+CSQ",
			reply: "AT+CMAT+CSQ\r\r\n+CSQ: 9,99\r\nOK\r\n", want: []string{"+CSQ: 9,99"},
		},
		{name: "NUL and garbage bytes", cmd: "AT+CSQ", reply: "\x00\x00\r\n+CSQ:\x00 9,99\r\n\x7f\r\nOK\r\n", want: []string{"+CSQ: 9,99"}},
		{name: "bare CR line ends", cmd: "AT+CGMI", reply: "\rhuawei\rOK\r", want: []string{"huawei"}},
		{name: "LF only", cmd: "AT+CGMI", reply: "\nSIMCOM_Ltd\nOK\n", want: []string{"SIMCOM_Ltd"}},
		{name: "ERROR", cmd: "AT+CMGF=1", reply: "\r\nERROR\r\n", wantErr: errIs(ErrError)},
		{name: "CMS numeric", cmd: "AT+CMGR=67", reply: "\r\n+CMS ERROR: 321\r\n", wantErr: cmsCode(321)},
		{name: "CMS verbose", cmd: "AT+CMGR=67", reply: "\r\n+CMS ERROR: invalid memory index\r\n", wantErr: cmsCode(321)},
		{name: "CME numeric", cmd: "AT+CSCA?", reply: "\r\n+CME ERROR: 14\r\n", wantErr: cmeCode(14)},
		{name: "CME verbose", cmd: "AT+CPIN?", reply: "\r\n+CME ERROR: SIM PIN required\r\n", wantErr: cmeCode(11)},
		{name: "CME unknown text", cmd: "AT+X", reply: "\r\n+CME ERROR: out of bananas\r\n", wantErr: cmeCode(-1)},
		{name: "CME out of range (Ai-Thinker)", cmd: "AT+X", reply: "\r\n+CME ERROR: 15790320\r\n", wantErr: cmeCode(15790320)},
		{name: "COMMAND NOT SUPPORT (Huawei)", cmd: "AT^FOO", reply: "\r\nCOMMAND NOT SUPPORT\r\n", wantErr: errIs(ErrNotSupported)},
		{name: "TOO MANY PARAMETERS", cmd: "AT+CNMI=1,1,1,1,1,1", reply: "\r\nTOO MANY PARAMETERS\r\n", wantErr: errIs(ErrTooManyParameters)},
		{name: "ABORTED", cmd: "AT+COPS=?", reply: "\r\nABORTED\r\n", wantErr: errIs(ErrAborted)},
		{name: "NO CARRIER ends a dial", cmd: "ATD123;", reply: "\r\nNO CARRIER\r\n", wantErr: errIs(ErrNoCarrier)},
		{name: "BUSY ends a dial", cmd: "ATD123;", reply: "\r\nBUSY\r\n", wantErr: errIs(ErrBusy)},
		{name: "NO ANSWER ends a dial", cmd: "ATD123;", reply: "\r\nNO ANSWER\r\n", wantErr: errIs(ErrNoAnswer)},
		{name: "NO DIALTONE ends a dial", cmd: "ATD123;", reply: "\r\nNO DIALTONE\r\n", wantErr: errIs(ErrNoDialtone)},
		{
			name: "NO CARRIER during another command is a URC", cmd: "AT+CSQ",
			reply: "\r\nNO CARRIER\r\n+CSQ: 9,99\r\nOK\r\n", want: []string{"+CSQ: 9,99"},
			wantURCs: []urcShape{{"NO CARRIER", []string{"NO CARRIER"}}},
		},
		{
			name: "CMTI in the middle of a response", cmd: "AT+CSQ",
			reply: "\r\n+CMTI: \"SM\",3\r\n+CSQ: 20,99\r\n\r\nOK\r\n", want: []string{"+CSQ: 20,99"},
			wantURCs: []urcShape{{"+CMTI", []string{`+CMTI: "SM",3`}}},
		},
		{
			name: "CMTI between a CMGL header and its PDU", cmd: "AT+CMGL=4",
			reply:    "\r\n+CMGL: 0,0,,23\r\n+CMTI: \"SM\",1\r\n" + pduE1752 + "\r\nOK\r\n",
			want:     []string{"+CMGL: 0,0,,23", pduE1752},
			wantURCs: []urcShape{{"+CMTI", []string{`+CMTI: "SM",1`}}},
		},
		{
			name: "garbage line in a listing stays in the response (DWM222)", cmd: "AT+CMGL=4",
			reply: "\r\nAFSDLF SDKFJSKDLFJLKSDJF\r\n+CMGL: 0,0,,35\r\nAFSDLF SDKFJSKDLFJLKSDJF SJDLKFSKLDJFKSDFS\r\n07917248014000F3\r\nOK\r\n",
			want:  []string{"AFSDLF SDKFJSKDLFJLKSDJF", "+CMGL: 0,0,,35", "AFSDLF SDKFJSKDLFJLKSDJF SJDLKFSKLDJFKSDFS", "07917248014000F3"},
		},
		{
			name: "CMT header and PDU inside a response", cmd: "AT+CSQ",
			reply:    "\r\n+CMT: ,23\r\n07918497483252F0840B918496445078F700007121320144744004D4F29C0E\r\n+CSQ: 9,99\r\nOK\r\n",
			want:     []string{"+CSQ: 9,99"},
			wantURCs: []urcShape{{"+CMT", []string{"+CMT: ,23", "07918497483252F0840B918496445078F700007121320144744004D4F29C0E"}}},
		},
		{
			name: "CDS without space, blank line before PDU", cmd: "AT+CSQ",
			reply:    "\r\n+CDS:25\r\n\r\n07914875215652F006360B914892347527F3817003018104808170030181448000\r\n+CSQ: 9,99\r\nOK\r\n",
			want:     []string{"+CSQ: 9,99"},
			wantURCs: []urcShape{{"+CDS", []string{"+CDS:25", "07914875215652F006360B914892347527F3817003018104808170030181448000"}}},
		},
		{
			name: "CUSD spanning lines during a command", cmd: "AT+CSQ",
			reply:    "\r\n+CUSD: 1,\"Bal:$100.00 *\r\nExp 01 Jan 2013\r\n1. Recharge\",15\r\n+CSQ: 9,99\r\nOK\r\n",
			want:     []string{"+CSQ: 9,99"},
			wantURCs: []urcShape{{"+CUSD", []string{`+CUSD: 1,"Bal:$100.00 *`, "Exp 01 Jan 2013", `1. Recharge",15`}}},
		},
		{
			name: "CPIN answers its own command", cmd: "AT+CPIN?",
			reply: "\r\n+CPIN: READY\r\n\r\nOK\r\n", want: []string{"+CPIN: READY"},
		},
		{
			name: "CPIN during another command is a URC", cmd: "AT+CSQ",
			reply: "\r\n+CPIN: NOT READY\r\n+CSQ: 9,99\r\nOK\r\n", want: []string{"+CSQ: 9,99"},
			wantURCs: []urcShape{{"+CPIN", []string{"+CPIN: NOT READY"}}},
		},
		{
			name: "Huawei RSSI and MODE with CR CR LF", cmd: "AT+CSQ",
			reply: "\r\n^RSSI:25\r\n+CSQ: 25,99\r\n^MODE:5\r\r\nOK\r\n", want: []string{"+CSQ: 25,99"},
			wantURCs: []urcShape{{"^RSSI", []string{"^RSSI:25"}}, {"^MODE", []string{"^MODE:5"}}},
		},
		{
			name: "boot words during a command", cmd: "AT+CGACT=1,1",
			reply:    "AT+CGACT=1,1\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\nOK\r\n",
			wantURCs: []urcShape{{"Call Ready", []string{"Call Ready"}}, {"SMS Ready", []string{"SMS Ready"}}},
		},
		{
			name: "over-long line is capped", cmd: "AT+X",
			reply: "\r\n+X: " + strings.Repeat("A", 3*DefaultMaxLine) + "\r\nOK\r\n",
			want:  []string{"+X: " + strings.Repeat("A", DefaultMaxLine-4)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testtime.NoLeaks(t)
			m := attest.NewModem(func(string) string { return tt.reply })
			m.SetEcho(tt.echo)
			m.SetChunk(tt.chunk)
			p := startPort(t, m, Options{})
			lines, err := p.Command(context.Background(), tt.cmd)
			if tt.wantErr == nil && err != nil {
				t.Fatalf("Command(%q) error: %v", tt.cmd, err)
			}
			if tt.wantErr != nil && !tt.wantErr(err) {
				t.Fatalf("Command(%q) error = %v, not the expected one", tt.cmd, err)
			}
			if diff := cmp.Diff(tt.want, lines, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantURCs, shapes(p.urcsSoFar(t, m)), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("URCs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestURCsWhileIdle(t *testing.T) {
	testtime.NoLeaks(t)
	m := attest.NewModem(nil)
	p := startPort(t, m, Options{})
	m.Send("\r\nRING\r\n\r\n+CLIP: \"+27821231234\",145,,,,0\r\n" +
		"+CMT: \"+123456789\",20\r\n079153487489432004099121436587F90000122090028543802F5378799C0EB3416374581E1ED3CBF2B90EB4A1803628D02605DAF0401B1F68F3026D7AA00D10B429BB00\r\n" +
		"+ZDONR: \"METEOR\",272,3,\"CS_ONLY\",\"ROAM_OFF\"\r\n" +
		"NO CARRIER\r\n" +
		"OK\r\n" + // a late answer: dropped
		"+CMS ERROR: 524\r\n" +
		"Yet another random notification!\r\n" +
		"+CDS: 6,64,\"+919790197346\",145,\"15/01/09,17:38:48+22\",\"15/01/09,17:38:52+22\",0\r\n" +
		"+CMT: ,23\r\nOK\r\n")
	want := []urcShape{
		{"RING", []string{"RING"}},
		{"+CLIP", []string{`+CLIP: "+27821231234",145,,,,0`}},
		{"+CMT", []string{`+CMT: "+123456789",20`, "079153487489432004099121436587F90000122090028543802F5378799C0EB3416374581E1ED3CBF2B90EB4A1803628D02605DAF0401B1F68F3026D7AA00D10B429BB00"}},
		{"+ZDONR", []string{`+ZDONR: "METEOR",272,3,"CS_ONLY","ROAM_OFF"`}},
		{"NO CARRIER", []string{"NO CARRIER"}},
		{"+CMS ERROR", []string{"+CMS ERROR: 524"}},
		{"", []string{"Yet another random notification!"}},
		{"+CDS", []string{`+CDS: 6,64,"+919790197346",145,"15/01/09,17:38:48+22","15/01/09,17:38:52+22",0`}},
		// A +CMT header whose PDU never came stands alone.
		{"+CMT", []string{"+CMT: ,23"}},
	}
	if diff := cmp.Diff(want, shapes(p.urcsSoFar(t, m))); diff != "" {
		t.Errorf("URCs (-want +got):\n%s", diff)
	}
}

// A consumer that sends a command while handling a URC must not deadlock
// the port, however many URCs pile up meanwhile.
func TestURCsDoNotBlockCommands(t *testing.T) {
	testtime.NoLeaks(t)
	m := attest.NewModem(func(cmd string) string {
		return strings.Repeat("\r\n^RSSI:13\r\n", 50) + "\r\nOK\r\n"
	})
	opts := Options{Log: zerologTest(t)}
	p := New(m, opts)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- p.Run(ctx) }()
	for i := 0; i < 20; i++ {
		if _, err := p.Command(ctx, "AT"); err != nil {
			t.Fatalf("Command %d: %v", i, err)
		}
	}
	n := 0
	for u := range p.URCs() {
		n++
		if n == 1000 {
			cancel()
		}
		_ = u
	}
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func TestCommandsAreSerialised(t *testing.T) {
	testtime.NoLeaks(t)
	m := attest.NewModem(func(cmd string) string {
		return fmt.Sprintf("\r\n+ECHO: %s\r\nOK\r\n", cmd)
	})
	p := startPort(t, m, Options{})
	const n = 20
	errc := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			cmd := fmt.Sprintf("AT+ECHO=%d", i)
			lines, err := p.Command(context.Background(), cmd)
			if err == nil && (len(lines) != 1 || lines[0] != "+ECHO: "+cmd) {
				err = fmt.Errorf("%s got %q", cmd, lines)
			}
			errc <- err
		}()
	}
	for i := 0; i < n; i++ {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}

// result is what a command run by inBackground returned.
type result struct {
	lines []string
	err   error
}

// inBackground runs command on a goroutine of its own (in the test's
// bubble, where there is one) and hands back its result.
func inBackground(command func() ([]string, error)) <-chan result {
	res := make(chan result, 1)
	go func() {
		lines, err := command()
		res <- result{lines, err}
	}()
	return res
}

// timesOutAt moves the bubble's clock to just short of d, where the command
// must still be waiting, then to d, where it must have ended with
// ErrTimeout; it returns the lines the command had by then.
func timesOutAt(t *testing.T, res <-chan result, d time.Duration) []string {
	t.Helper()
	testtime.Advance(d - time.Millisecond)
	select {
	case r := <-res:
		t.Fatalf("ended before %v: %q, %v", d, r.lines, r.err)
	default:
	}
	testtime.Advance(time.Millisecond)
	select {
	case r := <-res:
		if !errors.Is(r.err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", r.err)
		}
		return r.lines
	default:
		t.Fatalf("still waiting at %v", d)
	}
	return nil
}

func TestTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Wavecom answers AT+CPIN? without an OK.
		m := answers("AT+CPIN?", "\r\n+CPIN: READY\r\n", "\r\nOK\r\n")
		p := startPort(t, m, Options{Timeout: 5 * time.Second})
		res := inBackground(func() ([]string, error) { return p.Command(context.Background(), "AT+CPIN?") })
		lines := timesOutAt(t, res, 5*time.Second)
		if diff := cmp.Diff([]string{"+CPIN: READY"}, lines); diff != "" {
			t.Errorf("partial lines (-want +got):\n%s", diff)
		}
		// The port still works, and the late OK of the timed-out command is
		// not taken for the next one's... here the modem answers at once.
		if _, err := p.Command(context.Background(), "AT"); err != nil {
			t.Fatalf("AT after timeout: %v", err)
		}
	})
}

func TestContextCancelInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := attest.NewModem(nil) // never answers
		p := startPort(t, m, Options{})
		ctx, cancel := context.WithCancel(context.Background())
		res := inBackground(func() ([]string, error) { return p.Command(ctx, "AT+COPS=?") })
		synctest.Wait() // the command is out
		cancel()
		if r := <-res; !errors.Is(r.err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", r.err)
		}
	})
}

func TestRunEndsCommands(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := attest.NewModem(nil)
		p := New(m, Options{Log: zerologTest(t)})
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- p.Run(ctx) }()
		inFlight := inBackground(func() ([]string, error) { return p.Command(context.Background(), "AT") })
		synctest.Wait() // the command is out
		cancel()
		if err := <-errc; err != nil {
			t.Fatalf("Run = %v, want nil after cancel", err)
		}
		if r := <-inFlight; !errors.Is(r.err, ErrClosed) {
			t.Fatalf("in-flight command = %v, want ErrClosed", r.err)
		}
		if _, err := p.Command(context.Background(), "AT"); !errors.Is(err, ErrClosed) {
			t.Fatalf("command after Run = %v, want ErrClosed", err)
		}
		if err := p.Run(context.Background()); !errors.Is(err, ErrRunning) {
			t.Fatalf("second Run = %v, want ErrRunning", err)
		}
		if _, ok := <-p.URCs(); ok {
			t.Fatal("URC channel still open after Run")
		}
	})
}

func TestHangupEndsRun(t *testing.T) {
	testtime.NoLeaks(t)
	m := attest.NewModem(nil)
	m.CloseOn("AT+CMGS")
	p := New(m, Options{Log: zerologTest(t)})
	errc := make(chan error, 1)
	go func() { errc <- p.Run(context.Background()) }()
	_, err := p.SMSCommand(context.Background(), "AT+CMGS=5", "0001000000")
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("SMS command on a hung-up port = %v, want ErrClosed", err)
	}
	if err := <-errc; !errors.Is(err, ErrClosed) {
		t.Fatalf("Run = %v, want it to wrap ErrClosed", err)
	}
}

func TestWriteError(t *testing.T) {
	testtime.NoLeaks(t)
	m := attest.NewModem(func(string) string { return "\r\nOK\r\n" })
	p := startPort(t, m, Options{})
	boom := errors.New("input/output error")
	m.FailWrites(boom)
	if _, err := p.Command(context.Background(), "AT"); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the write error", err)
	}
	m.FailWrites(nil)
	if _, err := p.Command(context.Background(), "AT"); err != nil {
		t.Fatalf("after the write error cleared: %v", err)
	}
}

func TestInterrupt(t *testing.T) {
	testtime.NoLeaks(t)
	m := attest.NewModem(func(cmd string) string {
		if cmd == "<ESC>" {
			return ""
		}
		if cmd == "" {
			return "\r\nERROR\r\n"
		}
		return "\r\nOK\r\n"
	})
	p := startPort(t, m, Options{})
	if err := p.Interrupt(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Command(context.Background(), "AT"); err != nil {
		t.Fatal(err)
	}
	wrote(t, m, []string{"<ESC>", "AT"})
}

func TestCommandIdleFailsOnSilenceNotLength(t *testing.T) {
	// A listing that stops mid-way fails after the idle time, not the
	// whole minute a long listing may take.
	synctest.Test(t, func(t *testing.T) {
		m := answers("AT+CMGL=4", "\r\n+CMGL: 1,0,,21\r\n0791198904100161040C9119892143658700006211626012652202E834\r\n", "\r\nOK\r\n")
		p := startPort(t, m, Options{Timeout: 5 * time.Second})
		res := inBackground(func() ([]string, error) {
			return p.CommandIdle(context.Background(), "AT+CMGL=4", 5*time.Second, time.Minute)
		})
		// The two lines re-arm the idle timer; silence after them is what
		// ends the command.
		if lines := timesOutAt(t, res, 5*time.Second); len(lines) != 2 {
			t.Fatalf("CommandIdle = %q; want the two lines", lines)
		}
	})
}

func TestLateAnswerOfAnAbandonedCommandIsNotTheNextOnes(t *testing.T) {
	// The receiver gives up on AT+CMGD=4 (its context ends) after the line
	// went out; the modem's OK comes later. It must not pass for the
	// answer to the AT+CMGS that follows, or the SMS counts as sent with
	// its PDU never written.
	synctest.Test(t, func(t *testing.T) {
		m := attest.NewModem(func(cmd string) string {
			switch {
			case cmd == "AT+CMGD=4", strings.HasPrefix(cmd, "AT+CMGS="):
				return "" // answered by hand, below
			case strings.HasSuffix(cmd, "<SUB>"):
				return "\r\n+CMGS: 7\r\n\r\nOK\r\n"
			}
			return "\r\nOK\r\n"
		})
		p := startPort(t, m, Options{Timeout: 5 * time.Second})
		ctx, cancel := context.WithCancel(context.Background())
		abandoned := inBackground(func() ([]string, error) { return p.Command(ctx, "AT+CMGD=4") })
		synctest.Wait()
		cancel()
		if r := <-abandoned; !errors.Is(r.err, context.Canceled) {
			t.Fatalf("abandoned command: %v, want context.Canceled", r.err)
		}
		res := inBackground(func() ([]string, error) { return p.SMSCommand(context.Background(), "AT+CMGS=21", submitIndia) })
		// A port that forgot the abandoned command writes AT+CMGS at once;
		// the late OK then lands on it.
		synctest.Wait()
		if len(m.Commands()) > 1 {
			t.Error("AT+CMGS went out before the abandoned command was answered")
		}
		m.Send("\r\nOK\r\n") // the late answer to AT+CMGD=4
		synctest.Wait()
		m.Send("\r\n> ")
		r := <-res
		if r.err != nil {
			t.Fatalf("AT+CMGS: %v", r.err)
		}
		if diff := cmp.Diff([]string{"+CMGS: 7"}, r.lines); diff != "" {
			t.Errorf("AT+CMGS answer (-want +got):\n%s", diff)
		}
	})
}
