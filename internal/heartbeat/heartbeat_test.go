package heartbeat

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// TestProgressKeepsAWaitingLoopWaiting: a step run for someone else while
// the loop waits (a sync asked for by the operator between the uplink's
// rounds) must not leave the loop looking busy once the step is over; a
// step of the loop's own work gives it its bound afresh.
func TestProgressKeepsAWaitingLoopWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b Board
		l := b.Loop("sync", time.Minute)
		l.Wait()
		l.Progress()
		testtime.Advance(time.Hour)
		if err := b.Check(); err != nil {
			t.Fatalf("a waiting loop that saw progress: %v", err)
		}
		l.Beat()
		testtime.Advance(50 * time.Second)
		l.Progress()
		testtime.Advance(50 * time.Second)
		if err := b.Check(); err != nil {
			t.Fatalf("a working loop 50 s after its last progress: %v", err)
		}
		testtime.Advance(20 * time.Second)
		if err := b.Check(); err == nil || !strings.Contains(err.Error(), "sync") {
			t.Fatalf("a loop 70 s into a step bound to a minute: %v, want sync named", err)
		}
	})
}

// TestALoopThatNeverStartsIsStuck: a loop counts as working from the
// moment it is registered, so one that never runs is caught too.
func TestALoopThatNeverStartsIsStuck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b Board
		b.Loop("handle inbound", time.Minute).Wait()
		b.Loop("send outbox", time.Minute)
		testtime.Advance(2 * time.Minute)
		err := b.Check()
		if err == nil || !strings.Contains(err.Error(), "send outbox") || strings.Contains(err.Error(), "handle inbound") {
			t.Fatalf("Check = %v, want only send outbox named", err)
		}
	})
}

// TestNilBoardAndLoops: code run without a watchdog passes no board.
func TestNilBoardAndLoops(t *testing.T) {
	var b *Board
	l := b.Loop("x", time.Second)
	l.Beat()
	l.Progress()
	l.Wait()
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
}
