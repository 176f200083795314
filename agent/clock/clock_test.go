package clock

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

var network = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func TestCorrectsAWrongSystemClockFromNITZ(t *testing.T) {
	sys := testtime.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) // booted at its last saved time
	c := New(Options{System: sys.Now, Log: testkit.Log(t)})
	if !c.Now().Equal(sys.Now()) {
		t.Fatal("an uncorrected clock must read the system clock")
	}
	c.Network(network)
	if got := c.Now(); !got.Equal(network) {
		t.Fatalf("Now = %v after NITZ, want %v", got, network)
	}
	sys.Add(90 * time.Second)
	if got := c.Now(); !got.Equal(network.Add(90 * time.Second)) {
		t.Fatalf("Now = %v, want the corrected time moving with the system clock", got)
	}
	st := c.Status()
	if !st.Corrected || st.Source != SourceNITZ || !strings.Contains(st.Line(), "WRONG by") {
		t.Fatalf("Status = %+v %q", st, st.Line())
	}
	// NTP comes back: the system clock is right, and NITZ agrees.
	sys.Set(network.Add(10 * time.Minute))
	c.Network(network.Add(10*time.Minute + 5*time.Second))
	if got := c.Now(); !got.Equal(sys.Now()) {
		t.Fatalf("Now = %v once the system clock agrees, want the system clock %v", got, sys.Now())
	}
	if c.Status().Corrected {
		t.Fatal("still corrected after the network agreed")
	}
}

func TestSmallDifferenceIsNotCorrected(t *testing.T) {
	sys := testtime.NewClock(network.Add(-30 * time.Second))
	c := New(Options{System: sys.Now, Log: testkit.Log(t)})
	c.Network(network)
	if !c.Now().Equal(sys.Now()) || c.Status().Corrected {
		t.Fatal("a 30 s difference moved the clock")
	}
}

func TestSCTSMovesTheClockOnlyForward(t *testing.T) {
	sys := testtime.NewClock(network.Add(-3 * time.Hour))
	c := New(Options{System: sys.Now, Log: testkit.Log(t)})
	c.SCTS(network.Add(-4 * time.Hour)) // an old message: proves nothing
	if c.Status().Corrected {
		t.Fatal("an SMS stamped before now moved the clock")
	}
	c.SCTS(network)
	if got := c.Now(); !got.Equal(network) {
		t.Fatalf("Now = %v after a stamp 3 h ahead, want %v", got, network)
	}
	if c.Status().Source != SourceSCTS {
		t.Fatalf("source = %q", c.Status().Source)
	}
	// NITZ is exact and wins over stamps.
	c.Network(network.Add(2 * time.Minute))
	if got := c.Now(); !got.Equal(network.Add(2 * time.Minute)) {
		t.Fatalf("Now = %v, want NITZ's", got)
	}
	c.SCTS(network.Add(time.Hour))
	if got := c.Now(); !got.Equal(network.Add(2 * time.Minute)) {
		t.Fatalf("a stamp overrode NITZ: %v", got)
	}
}

func TestSetsTheSystemClockWhenAllowed(t *testing.T) {
	sys := testtime.NewClock(time.Unix(0, 0).UTC())
	c := New(Options{System: sys.Now, SetSystem: func(t time.Time) error { sys.Set(t); return nil }, Log: testkit.Log(t)})
	c.Network(network)
	if !sys.Now().Equal(network) {
		t.Fatalf("system clock = %v, want it set to %v", sys.Now(), network)
	}
	if c.Status().Corrected || !c.Now().Equal(network) {
		t.Fatalf("after setting the system clock: %+v", c.Status())
	}

	sys.Set(time.Unix(0, 0).UTC())
	c = New(Options{System: sys.Now, SetSystem: func(time.Time) error { return errors.New("operation not permitted") }, Log: testkit.Log(t)})
	c.Network(network)
	st := c.Status()
	if !st.Corrected || !c.Now().Equal(network) || !strings.Contains(st.Line(), "operation not permitted") {
		t.Fatalf("a refused set must keep the correction and say why: %+v %q", st, st.Line())
	}
}
