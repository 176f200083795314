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
}

func TestUntilSaysWhatItSawLast(t *testing.T) {
	n := 0
	saw, ok := until(time.Hour, func() (bool, string) { n++; return n == 3, strings.Repeat("x", n) })
	if !ok || saw != "xxx" {
		t.Fatalf("until = %q, %v; want xxx, true", saw, ok)
	}
}
