package vmodem

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/creack/pty"
	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"
)

// maxQueued bounds output nobody reads (the agent is dead); older bytes go first.
const maxQueued = 1 << 20

// staleAfter is how long a blocked write may wait before the unread input of
// the slave is discarded (as a USB modem drops what a closed port never read).
const staleAfter = 2 * time.Second

// port is one pseudo-terminal: the modem's end (master) and a slave fd held
// open for the whole life of the port so the master never sees EIO or a
// hangup when the agent closes and reopens the device.
type port struct {
	gen    int
	master *os.File // non-blocking and pollable, so Close unblocks Read
	slave  *os.File // never read; keeps the line up and carries termios/flush ioctls
	path   string
	log    zerolog.Logger

	mu     sync.Mutex // guards following
	queue  []byte
	closed bool

	wake chan struct{}
	done chan struct{}
	wg   sync.WaitGroup
}

// openPort creates a pty with a raw slave.
func openPort(gen int, log zerolog.Logger) (*port, error) {
	m, s, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("open pty: %w", err)
	}
	// creack/pty leaves the master in blocking mode (it calls Fd); a
	// non-blocking duplicate goes through the poller instead.
	fd, err := unix.Dup(int(m.Fd()))
	if err == nil {
		err = unix.SetNonblock(fd, true)
	}
	if err != nil {
		m.Close()
		s.Close()
		return nil, fmt.Errorf("pty master nonblocking: %w", err)
	}
	master := os.NewFile(uintptr(fd), "ptmx")
	m.Close()
	if err := makeRaw(s); err != nil {
		master.Close()
		s.Close()
		return nil, err
	}
	return &port{
		gen:    gen,
		master: master,
		slave:  s,
		path:   s.Name(),
		log:    log,
		wake:   make(chan struct{}, 1),
		done:   make(chan struct{}),
	}, nil
}

// makeRaw turns off echo, canonical mode and all translation in the slave's
// line discipline, like cfmakeraw.
func makeRaw(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return fmt.Errorf("pty slave raw: %w", err)
	}
	var ioErr error
	err = rc.Control(func(fd uintptr) {
		t, err := unix.IoctlGetTermios(int(fd), unix.TCGETS)
		if err != nil {
			ioErr = err
			return
		}
		t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
		t.Oflag &^= unix.OPOST
		t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		t.Cflag &^= unix.CSIZE | unix.PARENB
		t.Cflag |= unix.CS8 | unix.CREAD | unix.CLOCAL
		t.Cc[unix.VMIN] = 1
		t.Cc[unix.VTIME] = 0
		ioErr = unix.IoctlSetTermios(int(fd), unix.TCSETS, t)
	})
	if err == nil {
		err = ioErr
	}
	if err != nil {
		return fmt.Errorf("pty slave raw: %w", err)
	}
	return nil
}

// chunk is bytes the agent wrote, tagged with the port generation.
type chunk struct {
	gen  int
	data []byte
}

// start runs the reader (master -> in) and the writer (queue -> master).
func (p *port) start(in chan<- chunk, stop <-chan struct{}) {
	p.wg.Add(2)
	go func() {
		defer p.wg.Done()
		buf := make([]byte, 4096)
		for {
			n, err := p.master.Read(buf)
			if n > 0 {
				c := chunk{gen: p.gen, data: append([]byte(nil), buf[:n]...)}
				select {
				case in <- c:
				case <-p.done:
					return
				case <-stop:
					return
				}
			}
			if err != nil {
				if !errors.Is(err, os.ErrClosed) {
					p.log.Debug().Err(err).Msg("pty read ended")
				}
				return
			}
		}
	}()
	go func() {
		defer p.wg.Done()
		p.writeLoop()
	}()
}

// write queues bytes for the agent; it never blocks the modem.
func (p *port) write(b []byte) {
	if len(b) == 0 {
		return
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.queue = append(p.queue, b...)
	if over := len(p.queue) - maxQueued; over > 0 {
		p.queue = append(p.queue[:0], p.queue[over:]...)
		p.log.Debug().Int("bytes", over).Msg("output queue overflow, oldest bytes dropped")
	}
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *port) writeLoop() {
	for {
		select {
		case <-p.done:
			return
		case <-p.wake:
		}
		for {
			p.mu.Lock()
			b := p.queue
			p.queue = nil
			p.mu.Unlock()
			if len(b) == 0 {
				break
			}
			for len(b) > 0 {
				_ = p.master.SetWriteDeadline(time.Now().Add(staleAfter))
				n, err := p.master.Write(b)
				b = b[n:]
				if err == nil {
					continue
				}
				if errors.Is(err, os.ErrDeadlineExceeded) {
					// Nobody reads the slave: drop what it never read.
					p.flushInput()
					continue
				}
				return
			}
		}
	}
}

// flushInput discards bytes queued for the agent but never read.
func (p *port) flushInput() {
	rc, err := p.slave.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_ = unix.IoctlSetInt(int(fd), unix.TCFLSH, unix.TCIFLUSH)
	})
	p.log.Debug().Msg("agent not reading; stale output flushed")
}

// close ends both goroutines and closes the pty; an agent holding the slave
// then sees a hangup, as when a USB modem disappears.
func (p *port) close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.mu.Unlock()
	close(p.done)
	p.master.Close()
	p.wg.Wait()
	p.slave.Close()
}

// link points path at target atomically, replacing an older symlink.
func link(path, target string) error {
	if path == "" {
		return nil
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink == 0 {
		return fmt.Errorf("link %s: %w", path, ErrLinkOccupied)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("link dir: %w", err)
	}
	tmp := fmt.Sprintf("%s.tmp%d", path, os.Getpid())
	_ = os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return fmt.Errorf("link %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("link %s: %w", path, err)
	}
	return nil
}

// unlink removes path if it is still our symlink to target.
func unlink(path, target string) {
	if path == "" {
		return
	}
	if t, err := os.Readlink(path); err == nil && t == target {
		_ = os.Remove(path)
	}
}
