package vmodem

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/rs/zerolog"
)

// Modem is one virtual modem behind a pseudo-terminal.
type Modem struct {
	cfg  Config
	prof *profile
	log  zerolog.Logger

	mu   sync.Mutex // guards following
	port *port      // nil while unplugged
	path string     // slave device of the current (or last) port
	gen  int

	in      chan chunk
	ctl     chan func(*engine)
	timerCh chan *timerHandle
	stopped chan struct{} // closed when Run ends
	started atomic.Bool
	closed  atomic.Bool

	tap func([]byte) // engine-level tests: receives output instead of a port
}

// New creates the pty (slave in raw mode) and the symlink to it.
func New(cfg Config) (*Modem, error) {
	cfg, p, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	m := &Modem{
		cfg:     cfg,
		prof:    p,
		log:     cfg.Log.With().Str("component", "vmodem").Str("profile", p.name).Logger(),
		in:      make(chan chunk, 16),
		ctl:     make(chan func(*engine)),
		timerCh: make(chan *timerHandle),
		stopped: make(chan struct{}),
	}
	if err := m.plugPort(); err != nil {
		return nil, err
	}
	return m, nil
}

// Path is the pty slave device the modem currently answers on.
func (m *Modem) Path() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.path
}

// Link is the symlink from Config.Link ("" if none).
func (m *Modem) Link() string { return m.cfg.Link }

// plugPort creates a fresh pty and points the link at it.
func (m *Modem) plugPort() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	p, err := openPort(m.gen, m.log)
	if err != nil {
		return err
	}
	if err := link(m.cfg.Link, p.path); err != nil {
		p.close()
		return err
	}
	m.port, m.path = p, p.path
	if m.started.Load() {
		p.start(m.in, m.stopped)
	}
	return nil
}

// dropPort closes the current pty and removes the link.
func (m *Modem) dropPort() {
	m.mu.Lock()
	p := m.port
	m.port = nil
	m.mu.Unlock()
	if p == nil {
		return
	}
	unlink(m.cfg.Link, p.path)
	p.close()
}

// write queues bytes on the current port.
func (m *Modem) write(b []byte) {
	if m.tap != nil {
		m.tap(b)
		return
	}
	m.mu.Lock()
	p := m.port
	m.mu.Unlock()
	if p != nil {
		p.write(b)
	}
}

func (m *Modem) currentGen() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gen
}

// Run serves AT commands until ctx ends, then closes the pty and removes
// the link. A Modem runs once.
func (m *Modem) Run(ctx context.Context) error {
	if !m.started.CompareAndSwap(false, true) {
		return errors.New("virtual modem: run called twice")
	}
	if m.closed.Load() {
		return ErrNotRunning
	}
	m.mu.Lock()
	if m.port != nil {
		m.port.start(m.in, m.stopped)
	}
	m.mu.Unlock()
	e := newEngine(m, m.cfg, m.prof)
	defer func() {
		close(m.stopped)
		e.stopTimers()
		m.Close()
	}()
	m.log.Info().Str("path", m.Path()).Str("link", m.cfg.Link).Int("slots", m.cfg.Slots).
		Bool("latency", m.cfg.Latency).Msg("virtual modem ready")
	e.powerOn()
	e.periodicRSSI()
	for {
		e.settle()
		select {
		case <-ctx.Done():
			return nil
		case c := <-m.in:
			if c.gen == m.currentGen() {
				e.input(c.data)
			}
		case f := <-m.ctl:
			f(e)
		case h := <-m.timerCh:
			e.fire(h)
		}
	}
}

// Close releases the pty and the link of a modem that will not Run (Run
// does this itself when it ends).
func (m *Modem) Close() {
	if m.closed.Swap(true) {
		return
	}
	m.dropPort()
}

// do runs fn on the engine goroutine and waits for it.
func (m *Modem) do(ctx context.Context, fn func(*engine)) error {
	done := make(chan struct{})
	select {
	case m.ctl <- func(e *engine) { fn(e); close(done) }:
	case <-m.stopped:
		return ErrNotRunning
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-m.stopped:
		return ErrNotRunning
	case <-ctx.Done():
		return ctx.Err()
	}
}
