package at

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/modem/at/attest"
)

// wait is the real-time limit for events that should happen at once.
const wait = 10 * time.Second

// started is a running Port with its URCs collected.
type started struct {
	*Port
	urcs chan URC
	errc chan error
}

// answers is a modem that answers cmd with answer and any other command
// with rest.
func answers(cmd, answer, rest string) *attest.Modem {
	return attest.NewModem(func(c string) string {
		if c == cmd {
			return answer
		}
		return rest
	})
}

// startPort runs a Port over m until the test ends.
func startPort(t *testing.T, m *attest.Modem, opts Options) *started {
	t.Helper()
	opts.Log = zerolog.New(zerolog.NewTestWriter(t))
	p := New(m, opts)
	ctx, cancel := context.WithCancel(context.Background())
	s := &started{Port: p, urcs: make(chan URC, 256), errc: make(chan error, 1)}
	go func() { s.errc <- p.Run(ctx) }()
	go func() {
		for u := range p.URCs() {
			s.urcs <- u
		}
		close(s.urcs)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.errc:
		case <-time.After(wait):
			t.Error("Run did not return after cancel")
		}
	})
	return s
}

// nextURC returns the next URC or fails.
func (s *started) nextURC(t *testing.T) URC {
	t.Helper()
	select {
	case u, ok := <-s.urcs:
		if !ok {
			t.Fatal("URC channel closed")
		}
		return u
	case <-time.After(wait):
		t.Fatal("no URC")
	}
	return URC{}
}

// urcsSoFar returns every URC the modem sent up to now: it sends a marker
// line (outside any command) and collects until the marker comes back,
// which works because URCs are delivered in order.
func (s *started) urcsSoFar(t *testing.T, m *attest.Modem) []URC {
	t.Helper()
	m.Send("\r\n+TESTMARK: 1\r\n")
	var out []URC
	for {
		u := s.nextURC(t)
		if u.Name == "+TESTMARK" {
			return out
		}
		out = append(out, u)
	}
}

// wrote fails the test unless the modem was written exactly want.
func wrote(t *testing.T, m *attest.Modem, want []string) {
	t.Helper()
	if diff := cmp.Diff(want, m.Commands()); diff != "" {
		t.Errorf("written (-want +got):\n%s", diff)
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func zerologTest(t *testing.T) zerolog.Logger { return zerolog.New(zerolog.NewTestWriter(t)) }
