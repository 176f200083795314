// Package heartbeat tells a loop that is waiting for work from one stuck in
// it, so the systemd watchdog restarts an agent whose loop hangs (a
// transaction that never ends, a modem call that never returns) and not one
// that is merely idle. Each loop says when it starts a bounded piece of work
// (Beat) and when it goes back to waiting (Wait); a loop is stuck when its
// current piece of work has run longer than the loop's bound.
//
// A nil *Board hands out nil *Loops, and every method of a nil *Loop does
// nothing, so code run without a watchdog (tests, tools) needs no board.
package heartbeat

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Board holds the loops one process runs, for its watchdog to check.
type Board struct {
	// Now is the clock; default time.Now, whose monotonic reading ignores
	// jumps of the wall clock.
	Now func() time.Time

	mu    sync.Mutex // guards following
	loops []*Loop
}

// Loop is one long-lived loop's heartbeat.
type Loop struct {
	board *Board
	name  string
	bound time.Duration

	// Guarded by board.mu.
	busy  bool
	since time.Time // when the current piece of work began
}

// Loop registers a loop called name whose every piece of work ends within
// bound. It counts as working from now: a loop that never starts is stuck.
func (b *Board) Loop(name string, bound time.Duration) *Loop {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	l := &Loop{board: b, name: name, bound: bound, busy: true, since: b.now()}
	b.loops = append(b.loops, l)
	return l
}

// Beat says the loop starts a piece of work (a round, one message, one
// request): it must Beat again or Wait within its bound.
func (l *Loop) Beat() { l.set(true) }

// Wait says the loop is waiting for work (a timer, a signal, a peer), which
// is healthy however long it lasts.
func (l *Loop) Wait() { l.set(false) }

// Progress, from a step inside the loop's work (one request of a round),
// gives a loop that is working its bound afresh; it leaves a waiting loop
// waiting, as the step may run for someone else while the loop waits.
func (l *Loop) Progress() {
	if l == nil {
		return
	}
	b := l.board
	b.mu.Lock()
	defer b.mu.Unlock()
	if l.busy {
		l.since = b.now()
	}
}

func (l *Loop) set(busy bool) {
	if l == nil {
		return
	}
	b := l.board
	b.mu.Lock()
	defer b.mu.Unlock()
	l.busy, l.since = busy, b.now()
}

// Check returns an error naming every loop whose current piece of work has
// run past its bound, and nil while every loop waits or works within it.
func (b *Board) Check() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	var stuck []string
	for _, l := range b.loops {
		if d := now.Sub(l.since); l.busy && d > l.bound {
			stuck = append(stuck, fmt.Sprintf("%s (working for %s, bound %s)", l.name, d.Round(time.Second), l.bound))
		}
	}
	if len(stuck) > 0 {
		return fmt.Errorf("loop stuck: %s", strings.Join(stuck, ", "))
	}
	return nil
}

func (b *Board) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}
