// Package clock is the agent's one source of time. A Pi has no battery
// clock: after a power cut with no internet it boots at its last saved
// time, or 1970. The network knows better (NITZ, read from the modem, and
// the service centre's time stamp on every SMS), so when the system clock
// is more than MaxSkew off the network's, the clock keeps the correction
// and everything that reads it (shop hours, order times, sync signatures)
// gets the network's time. With SetSystem it also sets the system clock.
package clock

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// MaxSkew is how far the system clock may be from the network's before
// the clock corrects it.
const MaxSkew = time.Minute

// Sources of a correction.
const (
	SourceNITZ = "network time (NITZ)"
	SourceSCTS = "SMS centre time stamp"
)

// Options configure a Clock.
type Options struct {
	// System is the system clock; nil is time.Now. Its readings should
	// carry Go's monotonic clock, so a jump of the wall clock after a
	// correction does not move the corrected time.
	System func() time.Time
	// SetSystem, when not nil, sets the system clock to a corrected time
	// (config [clock] set_system; needs CAP_SYS_TIME).
	SetSystem func(time.Time) error
	Log       zerolog.Logger
}

// Clock is the system clock, corrected by the network's time.
type Clock struct {
	opts Options

	mu sync.Mutex // guards following
	// While corrected, now is base plus the system time since sysAt.
	corrected bool
	base      time.Time // network time when learned
	sysAt     time.Time // system reading at the same instant
	source    string
	offset    time.Duration // network minus system when learned
	setErr    error
	lastNet   time.Time // when the network's time was last read (system time)
}

// New returns a clock that reads the system clock until told otherwise.
func New(opts Options) *Clock {
	if opts.System == nil {
		opts.System = time.Now
	}
	return &Clock{opts: opts}
}

// Now is the agent's time: the system clock's, or the network's when the
// system clock is off.
func (c *Clock) Now() time.Time {
	sys := c.opts.System()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.corrected {
		return sys
	}
	return c.base.Add(sys.Sub(c.sysAt))
}

// Network takes the network's time from NITZ: it is exact, so it both
// corrects a wrong system clock and ends a correction once the system
// clock agrees again (NTP came back, or the clock was set).
func (c *Clock) Network(t time.Time) { c.learn(t, SourceNITZ, true) }

// SCTS takes an SMS's service centre time stamp. A message cannot be
// stamped after it arrives, so a stamp ahead of the system clock by more
// than MaxSkew proves the clock is behind; one behind it proves nothing
// (messages wait in the network), so it never moves the clock back.
func (c *Clock) SCTS(t time.Time) {
	if t.IsZero() {
		return
	}
	c.mu.Lock()
	nitz := c.source == SourceNITZ && c.corrected
	c.mu.Unlock()
	if nitz {
		return // NITZ is exact; a stamp only bounds the time from below
	}
	if t.Sub(c.Now()) > MaxSkew {
		c.learn(t, SourceSCTS, false)
	}
}

func (c *Clock) learn(net time.Time, source string, exact bool) {
	sys := c.opts.System()
	off := net.Sub(sys)
	c.mu.Lock()
	c.lastNet = sys
	if off <= MaxSkew && off >= -MaxSkew {
		if c.corrected && exact {
			c.opts.Log.Info().Msg("system clock agrees with the network again")
			c.corrected = false
			c.source, c.offset = "", 0
		}
		c.mu.Unlock()
		return
	}
	first := !c.corrected || c.source != source
	c.corrected, c.base, c.sysAt, c.source, c.offset = true, net, sys, source, off
	set := c.opts.SetSystem
	c.mu.Unlock()
	if first {
		c.opts.Log.Warn().Stringer("offset", off.Round(time.Second)).Str("source", source).Msg("system clock is wrong: using the network's time")
	}
	if set == nil {
		return
	}
	err := set(net)
	c.mu.Lock()
	c.setErr = err
	if err == nil {
		// The system clock is right now: read it again, plainly.
		c.corrected, c.source, c.offset = false, "", 0
	}
	c.mu.Unlock()
	if err != nil {
		c.opts.Log.Warn().Err(err).Msg("could not set the system clock (needs CAP_SYS_TIME)")
	} else {
		c.opts.Log.Info().Stringer("moved", off.Round(time.Second)).Str("source", source).Msg("system clock set from the network's time")
	}
}

// Status is the clock's state for tokri status and the doctor.
type Status struct {
	Corrected bool      `json:"corrected"`           // the system clock is off and the network's time is used
	Offset    string    `json:"offset,omitempty"`    // network minus system, as "-2h0m0s"
	Source    string    `json:"source,omitempty"`    // where the correction came from
	Now       time.Time `json:"now"`                 // the agent's time
	SetError  string    `json:"set_error,omitempty"` // why the system clock could not be set
	// Checked is when the network's time was last read; zero when never.
	Checked time.Time `json:"checked,omitzero"`
}

// Status reports the clock's state.
func (c *Clock) Status() Status {
	now := c.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	st := Status{Corrected: c.corrected, Source: c.source, Now: now, Checked: c.lastNet}
	if c.corrected {
		st.Offset = c.offset.Round(time.Second).String()
	}
	if c.setErr != nil {
		st.SetError = c.setErr.Error()
	}
	return st
}

// Line is the status in one line for people.
func (s Status) Line() string {
	if !s.Corrected {
		if s.Checked.IsZero() {
			return "system clock (no network time yet to compare)"
		}
		return "system clock agrees with the network"
	}
	line := fmt.Sprintf("WRONG by %s: using the %s (%s)", s.Offset, s.Source, s.Now.UTC().Format(time.RFC3339))
	if s.SetError != "" {
		line += "; could not set it: " + s.SetError
	}
	return line
}

// NetworkTimer is a modem that reads the network's time.
type NetworkTimer interface {
	EnableNetworkTime(ctx context.Context)
	NetworkTime(ctx context.Context) (time.Time, error)
}

// Poll reads the network's time from the modem that modem returns (nil
// while there is none) every interval, and soon after each new modem
// appears, until ctx ends.
func (c *Clock) Poll(ctx context.Context, modem func() NetworkTimer, interval time.Duration) error {
	var last NetworkTimer
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		next := interval
		m := modem()
		switch {
		case m == nil:
			next = 5 * time.Second
		default:
			if m != last {
				m.EnableNetworkTime(ctx)
				last = m
			}
			qctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			nt, err := m.NetworkTime(qctx)
			cancel()
			if err != nil {
				c.opts.Log.Debug().Err(err).Msg("network time")
				next = min(interval, time.Minute) // NITZ comes with registration; ask again soon
			} else {
				c.Network(nt)
			}
		}
		t.Reset(next)
	}
}
