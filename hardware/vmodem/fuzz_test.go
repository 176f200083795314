package vmodem

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// tapEngine is an engine without a pty: output goes to a buffer.
func tapEngine(tb testing.TB, profile string) (*engine, *bytes.Buffer, func()) {
	tb.Helper()
	var out bytes.Buffer
	cfg, p, err := Config{Profile: profile, Log: zerolog.Nop()}.withDefaults()
	if err != nil {
		tb.Fatal(err)
	}
	m := &Modem{cfg: cfg, prof: p, log: cfg.Log, timerCh: make(chan *timerHandle), stopped: make(chan struct{}),
		tap: func(b []byte) { out.Write(b) }}
	e := newEngine(m, cfg, p)
	e.powerOn()
	e.settle()
	return e, &out, func() {
		close(m.stopped)
		e.stopTimers()
	}
}

// fuzzSeeds are host lines from the transcripts plus edge cases.
func fuzzSeeds(f *testing.F) [][]byte {
	seeds := [][]byte{
		[]byte("AT\r"), []byte("ATE0\r"), []byte("AT+CMGF=0;+CNMI=2,1,0,2,0\r"),
		[]byte("AT+CMGS=23\r0011000C911989214365870000AA04D4F29C0E\x1a"),
		[]byte("AT+CMGS=5\r00\x1b"), []byte("AT+CMGF=1\rAT+CMGS=\"+91\"\rhi\rthere\x1a"),
		[]byte("AT+CUSD=1,\"*123#\",15\rAT+CUSD=1,\"1\"\r"), []byte("AT+CSCS=\"\r"), []byte("A\x00T\xff\r"),
		[]byte("AT+CFUN=1,1\rAT\r"), []byte("ATD+919812345678;\r"), []byte("ATS7?;S0=2\r"),
		[]byte("AT+CPMS=\"SM\",,\"SM\"\r"), []byte("AT+CMGD=1,9\r"), []byte("AT+CMGR=-1\r"),
		[]byte("AT+CMGL=\"ALL\",1\r"), []byte("AT+\"\r"), []byte("AT;;;\r"), []byte("AT&\r"), []byte("ATS\r"),
	}
	files, _ := filepath.Glob("testdata/*.txt")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "--> ") {
				l = strings.ReplaceAll(strings.TrimPrefix(l, "--> "), "<SUB>", "\x1a")
				seeds = append(seeds, []byte(l+"\r"))
			}
		}
	}
	return seeds
}

// FuzzCommand: any input leaves a modem that answers AT with OK (after the
// ESC an agent sends to leave a stuck prompt and an ATZ).
func FuzzCommand(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(uint8(i), s)
	}
	f.Fuzz(func(t *testing.T, prof uint8, data []byte) {
		names := ProfileNames()
		e, out, done := tapEngine(t, names[int(prof)%len(names)])
		defer done()
		e.input(data)
		e.settle()
		e.input([]byte("\x1b\rATZ\r"))
		e.settle()
		out.Reset()
		e.input([]byte("AT\r"))
		e.settle()
		if !strings.HasSuffix(out.String(), "\r\nOK\r\n") {
			t.Fatalf("after %q: AT answered %q", data, out.String())
		}
	})
}

// FuzzSubmit feeds arbitrary PDUs through the +CMGS decoder and the sent log.
func FuzzSubmit(f *testing.F) {
	f.Add("0021000C91197909913764000036D3E614242F8FCB697B99AC038964B058AD058BB5603950ECA69BE17433D80A56D3CD603A1032AD5004DD73741D341501", 61)
	f.Add("0041000B914853958845F700008C060804AB65020147", 20)
	f.Add("00", 0)
	f.Fuzz(func(t *testing.T, h string, n int) {
		d, err := decodeSubmit(h, n)
		if err != nil {
			return
		}
		l := newSentLog()
		l.add(d, h, 1, time.Unix(0, 0))
		l.add(d, h, 2, time.Unix(0, 0))
		_ = l.since(0)
	})
}

// FuzzUSSDRequest: request strings in any encoding decode without panics.
func FuzzUSSDRequest(f *testing.F) {
	for _, s := range []string{"*123#", "AA180C3602", "002A0031003000320023", "1", "12", "0031", "zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = decodeUSSDRequest(s)
		_, _ = splitParams(s)
		_, _ = parseCommands(s)
	})
}

func TestPromptTimeout(t *testing.T) {
	e, out, done := tapEngine(t, "generic")
	defer done()
	e.input([]byte("ATE0\r"))
	e.settle()
	e.t.prompt = time.Millisecond
	e.input([]byte("AT+CMGS=20\r0011"))
	e.settle()
	select {
	case h := <-e.m.timerCh:
		e.fire(h)
		e.settle()
	case <-time.After(wait):
		t.Fatal("no timeout")
	}
	if !strings.HasSuffix(out.String(), "> \r\nERROR\r\n") {
		t.Errorf("timeout answer: %q", out.String())
	}
	out.Reset()
	e.input([]byte("AT\r"))
	e.settle()
	if out.String() != "\r\nOK\r\n" {
		t.Errorf("after timeout: %q", out.String())
	}
}
