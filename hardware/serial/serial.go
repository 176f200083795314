package serial

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tarm/serial"
)

// Sentinel errors.
var (
	// ErrClosed is returned by Read and Write once Close was called.
	ErrClosed = errors.New("serial port closed")
	// ErrHangup means the device went away (a USB modem unplugged or
	// re-enumerated after a power cycle): reads return nothing at once,
	// again and again, instead of waiting for the read timeout.
	ErrHangup = errors.New("serial port hung up")
)

// ReadTimeout is how long one read waits for a byte before it is retried;
// it bounds how long Close waits for a pending Read.
const ReadTimeout = 100 * time.Millisecond

// hangupReads is how many instant empty reads in a row count as a hangup.
const hangupReads = 20

// Open opens the serial device at path in raw 8N1 mode at baud, and keeps
// it for this process until Close: a second process (another agent, or
// minicom) gets a *LockedError (ErrLocked) naming the holder, because two
// programs reading one modem each see half of what it says.
func Open(path string, baud int) (io.ReadWriteCloser, error) {
	l, err := lockPort(path)
	if err != nil {
		return nil, err
	}
	p, err := serial.OpenPort(&serial.Config{Name: path, Baud: baud, ReadTimeout: ReadTimeout})
	if err != nil {
		l.release()
		return nil, fmt.Errorf("open serial port %s: %w", path, err)
	}
	return &port{p: p, lock: l}, nil
}

// port wraps tarm's Port; Read and Write may be called concurrently with
// each other and with Close.
type port struct {
	p      *serial.Port
	lock   *portLock
	closed atomic.Bool
	once   sync.Once
	err    error // result of the first Close
}

// Read blocks until at least one byte arrives, the port is closed, or the
// device fails.
func (p *port) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	instant := 0
	for {
		if p.closed.Load() {
			return 0, ErrClosed
		}
		start := time.Now()
		n, err := p.p.Read(b)
		if n > 0 {
			return n, nil
		}
		if p.closed.Load() {
			return 0, ErrClosed
		}
		if err != nil && !errors.Is(err, io.EOF) {
			if errors.Is(err, os.ErrClosed) {
				return 0, ErrClosed
			}
			return 0, fmt.Errorf("read serial port: %w", err)
		}
		// A zero-byte read is normally the read timeout expiring. One that
		// comes back long before the timeout means the tty was hung up.
		if time.Since(start) < ReadTimeout/4 {
			instant++
			if instant >= hangupReads {
				return 0, ErrHangup
			}
		} else {
			instant = 0
		}
	}
}

// Write writes all of b.
func (p *port) Write(b []byte) (int, error) {
	if p.closed.Load() {
		return 0, ErrClosed
	}
	n, err := p.p.Write(b)
	if err != nil {
		if p.closed.Load() || errors.Is(err, os.ErrClosed) {
			return n, ErrClosed
		}
		return n, fmt.Errorf("write serial port: %w", err)
	}
	return n, nil
}

// Close closes the port; a pending Read returns ErrClosed within
// ReadTimeout. Closing twice is harmless.
func (p *port) Close() error {
	p.once.Do(func() {
		p.closed.Store(true)
		p.err = p.p.Close()
		p.lock.release()
	})
	return p.err
}
