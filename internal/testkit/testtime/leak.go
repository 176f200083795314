package testtime

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// settle is how long goroutines get to end after the test let them go:
// a closed connection or a cancelled context takes a scheduler round or
// two, more under the race detector.
const settle = 10 * time.Second

// NoLeaks fails t if goroutines started during it outlive it. Call it
// first in the test, so its cleanup runs after every other one; not for
// parallel tests, whose goroutines it cannot tell apart.
func NoLeaks(t testing.TB) {
	t.Helper()
	before := goroutines()
	t.Cleanup(func() {
		if extra, ok := leaked(before, settle); !ok {
			t.Errorf("%d goroutines outlived the test:\n\n%s", len(extra), strings.Join(extra, "\n\n"))
		}
	})
}

// RunNoLeaks runs the tests and turns a passing run into a failing one if
// goroutines outlive them all; TestMain exits with its result.
func RunNoLeaks(m *testing.M) int {
	before := goroutines()
	code := m.Run()
	if code != 0 {
		return code
	}
	if extra, ok := leaked(before, settle); !ok {
		fmt.Fprintf(os.Stderr, "%d goroutines outlived the tests:\n\n%s\n", len(extra), strings.Join(extra, "\n\n"))
		return 1
	}
	return 0
}

// leaked waits up to limit for every goroutine not in before to end, and
// returns the stacks of those that did not.
func leaked(before map[string]bool, limit time.Duration) ([]string, bool) {
	var extra []string
	_, ok := until(limit, func() (bool, string) {
		extra = extra[:0]
		for id, stack := range goroutineStacks() {
			if !before[id] && !ignored(stack) {
				extra = append(extra, stack)
			}
		}
		return len(extra) == 0, ""
	})
	slices.Sort(extra)
	return extra, ok
}

// ignored says whether a goroutine belongs to the runtime or the testing
// package rather than to the code under test.
func ignored(stack string) bool {
	for _, s := range []string{
		"testing.(*T).Run(",      // the test runner waiting on a subtest
		"testing.tRunner(",       // a test, including the one checking
		"testing.runTests(",      // the main test goroutine
		"os/signal.signal_recv(", // signal.Notify's loop, started once
		// teatest's watcher of SIGINT, which it starts with every test
		// program and never stops.
		"teatest.NewTestModel.func2(",
	} {
		if strings.Contains(stack, s) {
			return true
		}
	}
	return false
}

// goroutines is the set of goroutine ids alive now.
func goroutines() map[string]bool {
	ids := map[string]bool{}
	for id := range goroutineStacks() {
		ids[id] = true
	}
	return ids
}

// goroutineStacks maps each live goroutine's id to its stack.
func goroutineStacks() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		// "goroutine 7 [chan receive]:"
		id, _, ok := strings.Cut(strings.TrimPrefix(g, "goroutine "), " ")
		if ok {
			out[id] = g
		}
	}
	return out
}
