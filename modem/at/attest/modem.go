package attest

import (
	"errors"
	"io"
	"strings"
	"sync"
)

// ErrClosed is what Read and Write return after Close.
var ErrClosed = errors.New("attest: modem closed")

// Modem is a fake modem: the host's writes are cut into command lines (at
// CR, or at Ctrl-Z for an SMS PDU), recorded and answered by Respond; what
// the modem says is queued with Send and read by the host.
//
// Control bytes in recorded commands are shown as <SUB> and <ESC>.
type Modem struct {
	mu       sync.Mutex
	cond     *sync.Cond
	out      []byte
	closed   bool
	respond  func(cmd string) string
	echo     bool
	chunk    int
	writeErr error
	closeOn  string
	partial  []byte
	cmds     []string
}

// NewModem returns a fake modem that answers each command with
// respond(cmd); respond may be nil, and may return "" to stay silent.
func NewModem(respond func(cmd string) string) *Modem {
	m := &Modem{respond: respond}
	m.cond = sync.NewCond(&m.mu)
	return m
}

// SetEcho makes the modem echo every byte the host writes (ATE1).
func (m *Modem) SetEcho(on bool) { m.mu.Lock(); m.echo = on; m.mu.Unlock() }

// SetChunk makes each Read return at most n bytes, so the host sees lines
// (and the prompt) split across reads. 0 means no limit.
func (m *Modem) SetChunk(n int) { m.mu.Lock(); m.chunk = n; m.mu.Unlock() }

// FailWrites makes every following Write fail with err (nil clears it).
func (m *Modem) FailWrites(err error) { m.mu.Lock(); m.writeErr = err; m.mu.Unlock() }

// CloseOn makes the modem send its answer to the first command starting
// with prefix and then hang up, like a USB modem unplugged at the prompt.
func (m *Modem) CloseOn(prefix string) { m.mu.Lock(); m.closeOn = prefix; m.mu.Unlock() }

// Send queues bytes from the modem to the host.
func (m *Modem) Send(s string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	m.out = append(m.out, s...)
	m.cond.Broadcast()
}

// Commands returns the command lines written so far.
func (m *Modem) Commands() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.cmds...)
}

// Read implements io.Reader; it blocks until the modem has something to
// say or is closed.
func (m *Modem) Read(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(m.out) == 0 && !m.closed {
		m.cond.Wait()
	}
	if len(m.out) == 0 {
		return 0, io.EOF
	}
	n := len(p)
	if m.chunk > 0 && n > m.chunk {
		n = m.chunk
	}
	n = copy(p[:n], m.out)
	m.out = m.out[n:]
	return n, nil
}

// Write implements io.Writer.
func (m *Modem) Write(p []byte) (int, error) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return 0, ErrClosed
	}
	if m.writeErr != nil {
		err := m.writeErr
		m.mu.Unlock()
		return 0, err
	}
	if m.echo {
		m.out = append(m.out, p...)
		m.cond.Broadcast()
	}
	var cmds []string
	for _, c := range p {
		switch c {
		case '\r', 0x1a:
			if c == 0x1a {
				m.partial = append(m.partial, "<SUB>"...)
			}
			cmds = append(cmds, string(m.partial))
			m.partial = m.partial[:0]
		case '\n':
		case 0x1b:
			m.partial = append(m.partial, "<ESC>"...)
			if len(m.partial) == len("<ESC>") {
				// ESC on its own cancels a prompt; report it now.
				cmds = append(cmds, string(m.partial))
				m.partial = m.partial[:0]
			}
		default:
			m.partial = append(m.partial, c)
		}
	}
	respond := m.respond
	m.mu.Unlock()

	for _, cmd := range cmds {
		if cmd == "" {
			continue
		}
		m.mu.Lock()
		m.cmds = append(m.cmds, cmd)
		closeNow := m.closeOn != "" && strings.HasPrefix(cmd, m.closeOn)
		m.mu.Unlock()
		if respond != nil {
			if reply := respond(cmd); reply != "" {
				m.Send(reply)
			}
		}
		if closeNow {
			m.Close()
		}
	}
	return len(p), nil
}

// Close hangs up: Reads return what was already queued, then io.EOF;
// Writes fail with ErrClosed.
func (m *Modem) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.closed {
		m.closed = true
		m.cond.Broadcast()
	}
	return nil
}
