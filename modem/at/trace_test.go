package at

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{`+CLIP: "+27821231234",145,,,,0`, `+CLIP: "+*******1234",145,,,,0`},
		{"+CMGR: 0,,29", "+CMGR: 0,,29"},
		{"0791198904100161240C911979099137640000511090718303220BC8B4421174CFD175D014", "[hex 74]"},
		{"0021000C91197909913764<SUB>", "[hex 22]<SUB>"},
		{"866234032345678", "***********5678"},
		{"AT+CMGS=61", "AT+CMGS=61"},
		{"AT+CMGR=1234567", "AT+CMGR=***4567"},
		{`+CSCA: "+919840011016",145`, `+CSCA: "+********1016",145`},
		{"+CSQ: 20,99", "+CSQ: 20,99"},
		{`+CMTI: "SM",7`, `+CMTI: "SM",7`},
		{"SIMCOM_Ltd", "SIMCOM_Ltd"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactorBuffersLines(t *testing.T) {
	var out bytes.Buffer
	r := NewRedactor(&out)
	for _, part := range []string{"+CLIP: \"+2782", "1231234\",145\n", "OK\n"} {
		if n, err := r.Write([]byte(part)); err != nil || n != len(part) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if got, want := out.String(), "+CLIP: \"+*******1234\",145\nOK\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestTrace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		stamp := time.Date(2026, 1, 9, 17, 38, 30, 0, time.UTC)
		m := answers("AT+CMGS=61", "\r\n> ", "\r\n+CMGS: 64\r\nOK\r\n")
		var out strings.Builder
		p := startPort(t, m, Options{Now: func() time.Time { return stamp }, Trace: NewRedactor(&out)})
		if _, err := p.SMSCommand(context.Background(), "AT+CMGS=61", submitIndia); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // the port's loop, the trace's one writer, is idle
		want := strings.Join([]string{
			"2026-01-09T17:38:30.000Z -> AT+CMGS=61",
			"2026-01-09T17:38:30.000Z <- ",
			"2026-01-09T17:38:30.000Z <- > ",
			"2026-01-09T17:38:30.000Z -> [hex 124]<SUB>",
			"2026-01-09T17:38:30.000Z <- ",
			"2026-01-09T17:38:30.000Z <- +CMGS: 64",
			"2026-01-09T17:38:30.000Z <- OK",
		}, "\n") + "\n"
		if got := out.String(); got != want {
			t.Errorf("trace:\n%s\nwant:\n%s", got, want)
		}
	})
}

// FuzzRedact: never panics, is stable when applied twice, and leaves no
// run of 7 or more digits standing on its own.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		`+CLIP: "+27821231234",145,,,,0`, "866234032345678", "0021000C91197909913764<SUB>",
		`+CUSD: 0,"49B41C74ACD3D16171D90D32FBE52072BA0C72CA5DB45CAC76C3CD6CB41B2D060389CB74F9FE4C07D55C371CA85897BF1B",15`,
		"AT+CMGS=61", "^BOOT:48175390,0,0,0,89",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Redact(s)
		if twice := Redact(once); twice != once {
			t.Fatalf("Redact not stable: %q -> %q -> %q", s, once, twice)
		}
		run := 0
		for i := 0; i < len(once); i++ {
			c := once[i]
			if c >= '0' && c <= '9' {
				run++
				continue
			}
			if run >= 7 && !isLetter(c) && (i-run == 0 || !isLetter(once[i-run-1])) {
				t.Fatalf("%d digits left in %q (from %q)", run, once, s)
			}
			run = 0
		}
	})
}
