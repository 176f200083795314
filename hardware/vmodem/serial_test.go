package vmodem

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/tarm/serial"
)

// readUntil reads a tarm/serial port until want appears. With ReadTimeout
// set, a quiet line makes Read return 0 bytes and io.EOF: that means
// "nothing yet" (../shared/STYLE.md, Serial ports).
func readUntil(t *testing.T, p *serial.Port, want string) string {
	t.Helper()
	var got []byte
	buf := make([]byte, 256)
	deadline := time.Now().Add(wait)
	for !bytes.Contains(got, []byte(want)) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %q, got %q", want, got)
		}
		n, err := p.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil && !errors.Is(err, io.EOF) {
			t.Fatalf("read: %v", err)
		}
	}
	return string(got)
}

func TestTarmSerial(t *testing.T) {
	r := newRig(t, Config{Profile: "huawei-e1752"})
	r.stream.close() // the agent's serial library takes over the device
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "via tarm"})
	for round := 0; round < 2; round++ {
		p, err := serial.OpenPort(&serial.Config{Name: r.link, Baud: 115200, ReadTimeout: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Write([]byte("ATE0\r")); err != nil {
			t.Fatal(err)
		}
		readUntil(t, p, "OK\r\n")
		p.Write([]byte("AT+CPMS?\r"))
		if got := readUntil(t, p, "OK\r\n"); !bytes.Contains([]byte(got), []byte(`+CPMS: "SM",1,30`)) {
			t.Errorf("round %d: %q", round, got)
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
	}
	r.stream = openStream(t, r.link) // for the rig's cleanup
}
