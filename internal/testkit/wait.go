package testkit

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// Deadline bounds every wait for an event: generous, because the race
// detector on a 2-core machine slows the whole path several times.
const Deadline = 60 * time.Second

// Eventually polls cond until it holds or Deadline passes; cond says what
// it saw, for the failure message.
func Eventually(t testing.TB, what string, cond func() (bool, string)) {
	t.Helper()
	end := time.Now().Add(Deadline)
	for {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s; last saw: %s", what, saw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// RunNoLeaks runs the tests and turns a passing run into a failing one if
// goroutines outlive them by ten seconds; TestMain exits with its result.
func RunNoLeaks(m *testing.M) int {
	before := runtime.NumGoroutine()
	code := m.Run()
	if code != 0 {
		return code
	}
	end := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(end) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			fmt.Fprintf(os.Stderr, "goroutines leaked: %d before, %d after\n%s", before, runtime.NumGoroutine(), buf[:n])
			return 1
		}
		time.Sleep(20 * time.Millisecond)
	}
	return 0
}
