package testtime

import (
	"testing"
	"time"
)

// Deadline bounds every wait for an event: generous, because the race
// detector on a 2-core machine slows the whole path several times. It is a
// limit for a failing test, never a measure of a passing one.
const Deadline = 60 * time.Second

// Eventually looks again after firstPoll, then twice as long each time up
// to maxPoll: quick for what lands at once, light on a busy machine for
// what takes seconds (a child process to ask, a file to read).
const (
	firstPoll = time.Millisecond
	maxPoll   = 100 * time.Millisecond
)

// Eventually polls cond until it holds or Deadline passes; cond says what
// it saw, for the failure message.
func Eventually(t testing.TB, what string, cond func() (bool, string)) {
	t.Helper()
	if saw, ok := until(Deadline, cond); !ok {
		t.Fatalf("timed out waiting for %s; last saw: %s", what, saw)
	}
}

// Until is Eventually for a condition with nothing to report.
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	Eventually(t, what, func() (bool, string) { return cond(), "" })
}

// until polls cond for up to limit and says whether it held, with what cond
// saw last.
func until(limit time.Duration, cond func() (bool, string)) (string, bool) {
	end := time.Now().Add(limit)
	for poll := firstPoll; ; poll = min(2*poll, maxPoll) {
		ok, saw := cond()
		if ok {
			return saw, true
		}
		if time.Now().After(end) {
			return saw, false
		}
		time.Sleep(poll)
	}
}
