package testtime

import (
	"strings"
	"testing"
	"time"
)

func TestLeakedFindsAGoroutineThatOutlivesItsTest(t *testing.T) {
	before := goroutines()
	stop := make(chan struct{})
	go parked(stop)
	extra, ok := leaked(before, 50*time.Millisecond)
	if ok || len(extra) != 1 || !strings.Contains(extra[0], "testtime.parked") {
		t.Fatalf("leaked = %v, %q; want the parked goroutine", ok, extra)
	}
	close(stop)
	if extra, ok := leaked(before, settle); !ok {
		t.Fatalf("after it ended, leaked still reports %q", extra)
	}
}

func parked(stop chan struct{}) { <-stop }

func TestClock(t *testing.T) {
	start := time.Date(2026, 1, 9, 17, 0, 0, 0, time.UTC)
	c := NewClock(start)
	c.Add(90 * time.Second)
	if got, want := c.Now(), start.Add(90*time.Second); !got.Equal(want) {
		t.Fatalf("after Add: %v, want %v", got, want)
	}
	c.Set(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("after Set: %v, want %v", got, start)
	}
	c.Set(time.Time{})
	if got := c.Now(); !got.IsZero() {
		t.Fatalf("after Set to the zero time: %v", got)
	}
}

func TestClockTimersFireWhenTheTimeMovesPastThem(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewClock(start)
	a := c.After(2 * time.Second)
	b := c.After(time.Second)
	c.Add(time.Second)
	select {
	case <-a:
		t.Fatal("2 s timer fired after 1 s")
	case got := <-b:
		if !got.Equal(start.Add(time.Second)) {
			t.Fatalf("fired at %v", got)
		}
	}
	if c.Pending() != 1 {
		t.Fatalf("pending = %d", c.Pending())
	}
	c.Set(start.Add(2 * time.Second))
	<-a
	if !c.WaitTimers(0, time.Second) || c.WaitTimers(1, time.Millisecond) {
		t.Fatal("WaitTimers miscounts")
	}
}

func TestWaitForTellsTimersApartByDurationSinceTheMark(t *testing.T) {
	c := NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	c.After(2 * time.Second)
	c.Mark()
	if c.WaitFor(2*time.Second, time.Millisecond) {
		t.Fatal("WaitFor took a timer made before the mark")
	}
	c.After(2 * time.Second)
	if !c.WaitAndAdvance(2*time.Second, time.Second) {
		t.Fatal("WaitFor missed a timer made after the mark")
	}
	if c.Pending() != 0 {
		t.Fatalf("pending = %d after both were due", c.Pending())
	}
}

func TestUntilSaysWhatItSawLast(t *testing.T) {
	n := 0
	saw, ok := until(time.Hour, func() (bool, string) { n++; return n == 3, strings.Repeat("x", n) })
	if !ok || saw != "xxx" {
		t.Fatalf("until = %q, %v; want xxx, true", saw, ok)
	}
}
