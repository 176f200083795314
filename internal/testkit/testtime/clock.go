package testtime

import (
	"sort"
	"sync"
	"time"
)

// Clock is a settable time for the code under test: it moves only when
// the test says so. Pass Now as an Options.Now; pass After where the code
// starts timers (modem/at), and they fire only when Add or Set moves the
// time past them, so a test decides when a timeout happens.
type Clock struct {
	mu     sync.Mutex // guards following
	now    time.Time
	timers []*timer
	notify chan struct{} // closed and replaced when a timer is made
	seq    int           // timers made so far
	mark   int           // WaitFor ignores timers made before this
}

type timer struct {
	at  time.Time
	dur time.Duration
	seq int
	ch  chan time.Time
}

// NewClock returns a clock that reads start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start, notify: make(chan struct{})}
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After returns a channel that receives the clock's time once it has
// moved d past now.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &timer{at: c.now.Add(d), dur: d, seq: c.seq, ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- c.now
		return t.ch
	}
	c.timers = append(c.timers, t)
	close(c.notify)
	c.notify = make(chan struct{})
	return t.ch
}

// Add moves the clock on by d and fires every timer due by then, earliest
// first.
func (c *Clock) Add(d time.Duration) { c.move(func(t time.Time) time.Time { return t.Add(d) }, false) }

// Set moves the clock to t (forward or back) and fires every timer due by
// then.
func (c *Clock) Set(t time.Time) { c.move(func(time.Time) time.Time { return t }, false) }

// move sets the time to to(now), marking first if asked, and fires the
// timers due.
func (c *Clock) move(to func(now time.Time) time.Time, mark bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if mark {
		c.mark = c.seq
	}
	c.now = to(c.now)
	sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
	kept := c.timers[:0]
	for _, t := range c.timers {
		if !t.at.After(c.now) {
			t.ch <- c.now
			continue
		}
		kept = append(kept, t)
	}
	clear(c.timers[len(kept):])
	c.timers = kept
}

// Pending returns the number of timers that have not fired.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// WaitTimers blocks until at least n timers are pending, or until the
// real-time limit passes; it reports whether they were.
func (c *Clock) WaitTimers(n int, limit time.Duration) bool {
	return c.waitTimer(limit, func(pending []*timer, _ int) bool { return len(pending) >= n })
}

// WaitAdvance waits for a timer to be pending and then adds d; it reports
// false if none appeared within limit.
func (c *Clock) WaitAdvance(d, limit time.Duration) bool {
	if !c.WaitTimers(1, limit) {
		return false
	}
	c.Add(d)
	return true
}

// Mark makes WaitFor ignore the timers made so far: a test marks the
// clock just before the step whose timer it wants to catch.
func (c *Clock) Mark() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mark = c.seq
}

// WaitFor blocks until a timer of duration d made since the last Mark is
// pending, or until the real-time limit passes; it reports whether one
// was. Waiting by duration tells a code path's sleep (say a 2 s retry
// pause) apart from the command timeouts pending at the same time.
func (c *Clock) WaitFor(d, limit time.Duration) bool {
	return c.waitTimer(limit, func(pending []*timer, mark int) bool {
		for _, t := range pending {
			if t.dur == d && t.seq > mark {
				return true
			}
		}
		return false
	})
}

// waitTimer blocks until ok holds for the pending timers, woken by each
// new one, or until the real-time limit passes.
func (c *Clock) waitTimer(limit time.Duration, ok func(pending []*timer, mark int) bool) bool {
	deadline := time.After(limit)
	for {
		c.mu.Lock()
		if ok(c.timers, c.mark) {
			c.mu.Unlock()
			return true
		}
		ch := c.notify
		c.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			return false
		}
	}
}

// WaitAndAdvance waits for a timer of duration d (see WaitFor), then marks
// the clock and adds d in one step, so the next WaitFor waits for a timer
// made after this one fired.
func (c *Clock) WaitAndAdvance(d, limit time.Duration) bool {
	if !c.WaitFor(d, limit) {
		return false
	}
	c.move(func(t time.Time) time.Time { return t.Add(d) }, true)
	return true
}

// MarkAndAdvance marks the clock and adds d in one step, for a timer that
// was already pending before the last Mark.
func (c *Clock) MarkAndAdvance(d time.Duration) {
	c.move(func(t time.Time) time.Time { return t.Add(d) }, true)
}
