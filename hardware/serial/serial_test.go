package serial

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// openPTY returns the master side of a pty and the serial port opened on
// its slave side through Open, as the agent opens a real modem.
func openPTY(t *testing.T) (*os.File, io.ReadWriteCloser) {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatalf("pty.Open: %v", err)
	}
	name := slave.Name()
	port, err := Open(name, 115200)
	slave.Close()
	if err != nil {
		master.Close()
		t.Fatalf("Open(%s): %v", name, err)
	}
	t.Cleanup(func() {
		port.Close()
		master.Close()
	})
	return master, port
}

type readResult struct {
	b   []byte
	err error
}

func readAsync(r io.Reader) <-chan readResult {
	ch := make(chan readResult, 1)
	go func() {
		buf := make([]byte, 256)
		n, err := r.Read(buf)
		ch <- readResult{buf[:n], err}
	}()
	return ch
}

func TestRoundTripRawBytes(t *testing.T) {
	master, port := openPTY(t)
	// Bytes that a cooked tty would mangle: CR, Ctrl-Z, ESC, NUL.
	out := []byte("AT+CMGS=23\r0011\x1a\x1b\x00")
	if _, err := port.Write(out); err != nil {
		t.Fatalf("Write: %v", err)
	}
	got := make([]byte, 0, len(out))
	buf := make([]byte, 64)
	deadline := time.Now().Add(5 * time.Second)
	for len(got) < len(out) && time.Now().Before(deadline) {
		n, err := master.Read(buf)
		if err != nil {
			t.Fatalf("master read: %v", err)
		}
		got = append(got, buf[:n]...)
	}
	if !bytes.Equal(got, out) {
		t.Fatalf("modem side got %q, want %q", got, out)
	}

	in := []byte("\r\n+CMTI: \"SM\",3\r\n\x00> ")
	if _, err := master.Write(in); err != nil {
		t.Fatalf("master write: %v", err)
	}
	got = got[:0]
	for len(got) < len(in) {
		select {
		case r := <-readAsync(port):
			if r.err != nil {
				t.Fatalf("Read: %v", r.err)
			}
			got = append(got, r.b...)
		case <-time.After(5 * time.Second):
			t.Fatalf("Read got %q of %q", got, in)
		}
	}
	if !bytes.Equal(got, in) {
		t.Fatalf("host side got %q, want %q", got, in)
	}
}

// A quiet modem must not look like the end of the stream: tarm's VMIN=0
// mode returns (0, io.EOF) every ReadTimeout.
func TestQuietPortKeepsReading(t *testing.T) {
	master, port := openPTY(t)
	ch := readAsync(port)
	// Let several read timeouts pass with nothing on the line.
	select {
	case r := <-ch:
		t.Fatalf("Read returned early on a quiet port: %q, %v", r.b, r.err)
	case <-time.After(5 * ReadTimeout):
	}
	if _, err := master.Write([]byte("OK\r\n")); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-ch:
		if r.err != nil || string(r.b) != "OK\r\n" {
			t.Fatalf("Read = %q, %v", r.b, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Read did not return the modem's bytes")
	}
}

func TestCloseStopsPendingRead(t *testing.T) {
	testtime.NoLeaks(t) // the pending Read's goroutine ends with Close
	_, port := openPTY(t)
	ch := readAsync(port)
	if err := port.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case r := <-ch:
		if !errors.Is(r.err, ErrClosed) {
			t.Fatalf("Read after Close = %q, %v; want ErrClosed", r.b, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not stop the pending Read")
	}
	if err := port.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := port.Write([]byte("AT\r")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Write after Close = %v, want ErrClosed", err)
	}
}

// When the other end goes away (here the pty master; a USB modem being
// unplugged on real hardware) Read must fail rather than spin.
func TestHangupEndsRead(t *testing.T) {
	master, port := openPTY(t)
	ch := readAsync(port)
	master.Close()
	select {
	case r := <-ch:
		if r.err == nil {
			t.Fatalf("Read after hangup = %q, nil error", r.b)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Read did not notice the hangup")
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open("/nonexistent/ttyUSB9", 115200); err == nil {
		t.Fatal("Open of a missing device succeeded")
	}
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	defer slave.Close()
	if _, err := Open(slave.Name(), 12345); err == nil {
		t.Fatal("Open with an unsupported baud rate succeeded")
	}
}
