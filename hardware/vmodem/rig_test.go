package vmodem

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// wait is the generous deadline for events in tests.
const wait = 10 * time.Second

// rig runs a virtual modem with its control API and holds the slave open
// like the agent does.
type rig struct {
	t      *testing.T
	m      *Modem
	c      *Client
	ctx    context.Context
	link   string
	stream *stream
}

// stream collects everything read from the slave.
type stream struct {
	t    *testing.T
	f    *os.File
	mu   sync.Mutex
	buf  []byte
	pos  int
	note chan struct{}
	wg   sync.WaitGroup
}

func openStream(t *testing.T, path string) *stream {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open slave %s: %v", path, err)
	}
	s := &stream{t: t, f: f, note: make(chan struct{}, 1)}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		b := make([]byte, 4096)
		for {
			n, err := f.Read(b)
			if n > 0 {
				s.mu.Lock()
				s.buf = append(s.buf, b[:n]...)
				s.mu.Unlock()
				select {
				case s.note <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

func (s *stream) close() {
	s.f.Close()
	s.wg.Wait()
}

func (s *stream) write(str string) {
	s.t.Helper()
	if _, err := s.f.Write([]byte(str)); err != nil {
		s.t.Fatalf("write %q: %v", str, err)
	}
}

// until waits for cond on the unread bytes; it returns the number of bytes
// to consume as cond reports.
func (s *stream) until(what string, cond func(b []byte) int) string {
	s.t.Helper()
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		rest := s.buf[s.pos:]
		if n := cond(rest); n >= 0 {
			out := string(rest[:n])
			s.pos += n
			s.mu.Unlock()
			return out
		}
		s.mu.Unlock()
		select {
		case <-s.note:
		case <-deadline.C:
			s.mu.Lock()
			got := string(s.buf[s.pos:])
			s.mu.Unlock()
			s.t.Fatalf("waiting for %s; unread so far: %q", what, got)
		}
	}
}

// expect waits for sub and returns everything up to and including it.
func (s *stream) expect(sub string) string {
	s.t.Helper()
	return s.until(strconvQuote(sub), func(b []byte) int {
		if i := bytes.Index(b, []byte(sub)); i >= 0 {
			return i + len(sub)
		}
		return -1
	})
}

// expectExact waits for len(want) bytes and compares them exactly.
func (s *stream) expectExact(want string) {
	s.t.Helper()
	got := s.until(strconvQuote(want), func(b []byte) int {
		if len(b) >= len(want) {
			return len(want)
		}
		return -1
	})
	if got != want {
		s.t.Fatalf("got  %q\nwant %q", got, want)
	}
}

// line waits for a line starting with prefix and consumes through its end.
func (s *stream) line(prefix string) string {
	s.t.Helper()
	out := s.until(strconvQuote(prefix), func(b []byte) int {
		i := bytes.Index(b, []byte(prefix))
		if i < 0 {
			return -1
		}
		j := bytes.Index(b[i:], []byte("\r\n"))
		if j < 0 {
			return -1
		}
		return i + j + 2
	})
	out = out[strings.LastIndex(out, prefix):]
	return strings.TrimSuffix(out, "\r\n")
}

// finals are the final result codes and the prompt that end a response.
var finals = []string{"\r\nOK\r\n", "\r\nERROR\r\n", "\r\nCOMMAND NOT SUPPORT\r\n", "\r\nNO CARRIER\r\n", "\r\n> "}

// response waits for a complete response and returns it.
func (s *stream) response() string {
	s.t.Helper()
	return s.until("final result", func(b []byte) int {
		best := -1
		for _, f := range finals {
			if i := bytes.Index(b, []byte(f)); i >= 0 && (best < 0 || i+len(f) < best) {
				best = i + len(f)
			}
		}
		for _, p := range []string{"+CME ERROR: ", "+CMS ERROR: "} {
			if i := bytes.Index(b, []byte("\r\n"+p)); i >= 0 {
				if j := bytes.Index(b[i+2:], []byte("\r\n")); j >= 0 {
					if end := i + 2 + j + 2; best < 0 || end < best {
						best = end
					}
				}
			}
		}
		return best
	})
}

// cmd sends one command line and returns its response.
func (s *stream) cmd(line string) string {
	s.t.Helper()
	s.write(line + "\r")
	return s.response()
}

// exchange is a command line and the exact bytes the modem must answer.
type exchange struct{ cmd, want string }

// talk sends each command in turn and checks its answer.
func (s *stream) talk(t *testing.T, exchanges []exchange) {
	t.Helper()
	for _, x := range exchanges {
		if got := s.cmd(x.cmd); got != x.want {
			t.Errorf("%s:\n got  %q\n want %q", x.cmd, got, x.want)
		}
	}
}

func strconvQuote(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r", `\r`), "\n", `\n`)
}

// newRig starts a modem; cfg.Link and cfg.Log are filled in.
func newRig(t *testing.T, cfg Config) *rig {
	t.Helper()
	testtime.NoLeaks(t)
	cfg.Log = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.DebugLevel)
	if cfg.Link == "" {
		cfg.Link = filepath.Join(t.TempDir(), "dev", "modem")
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatalf("new modem: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	srv := httptest.NewServer(m.Handler())
	r := &rig{t: t, m: m, c: &Client{BaseURL: srv.URL, HTTP: srv.Client()}, ctx: ctx, link: cfg.Link}
	r.stream = openStream(t, cfg.Link)
	t.Cleanup(func() {
		r.stream.close()
		srv.Close()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
		if _, err := os.Lstat(cfg.Link); !os.IsNotExist(err) {
			t.Errorf("link %s still there after Run: %v", cfg.Link, err)
		}
	})
	return r
}

// ready drains the boot lines and switches echo off.
func (r *rig) ready() *stream {
	r.t.Helper()
	s := r.stream
	p := profiles[r.m.prof.name]
	s.expect(p.boot[len(p.boot)-1] + "\r\n")
	if got := s.cmd("ATE0"); !strings.HasSuffix(got, "\r\nOK\r\n") {
		r.t.Fatalf("ATE0: %q", got)
	}
	return s
}

func (r *rig) state() State {
	r.t.Helper()
	st, err := r.c.State(r.ctx)
	if err != nil {
		r.t.Fatalf("state: %v", err)
	}
	return st
}

// waitState polls the control API until cond holds.
func (r *rig) waitState(what string, cond func(State) bool) State {
	r.t.Helper()
	var st State
	testtime.Eventually(r.t, what, func() (bool, string) {
		st = r.state()
		return cond(st), fmt.Sprintf("%+v", st)
	})
	return st
}
