package modem

import (
	"context"
	"sync"
	"time"

	"github.com/tokrihq/tokri/phone"
)

// callTracker turns RING, +CRING and +CLIP into one missed call per
// caller. Modems differ: +CLIP after RING or before it (SIM800), +CLIP
// without RING, RING without +CLIP (ML307A), a RING every few seconds,
// and the end marked by NO CARRIER, ^CEND (Huawei), +WIND: 6 (Wavecom) or
// nothing at all. So the call ends on any of those markers, or when no
// RING came for gap. Only the dispatch goroutine touches it.
type callTracker struct {
	gap   time.Duration
	after func(time.Duration) <-chan time.Time

	active   bool
	from     string
	started  time.Time
	lastRing time.Time
	rejected bool
	timer    <-chan time.Time
}

// ring records a RING; it reports true when this is a new call.
func (c *callTracker) ring(now time.Time) bool {
	isNew := !c.active
	if isNew {
		c.active = true
		c.started = now
	}
	c.lastRing = now
	c.timer = c.after(c.gap)
	return isNew
}

// clip records the caller's number.
func (c *callTracker) clip(from string, now time.Time) {
	if !c.active {
		c.ring(now)
	}
	if from != "" {
		c.from = from
	}
}

// expire is called when the timer fires.
func (c *callTracker) expire(now time.Time) (string, time.Time, bool) {
	if !c.active {
		c.timer = nil
		return "", time.Time{}, false
	}
	if rest := c.gap - now.Sub(c.lastRing); rest > 0 {
		c.timer = c.after(rest)
		return "", time.Time{}, false
	}
	return c.end()
}

// hangup ends the call on an explicit marker.
func (c *callTracker) hangup() (string, time.Time, bool) {
	if !c.active {
		return "", time.Time{}, false
	}
	return c.end()
}

func (c *callTracker) end() (string, time.Time, bool) {
	from, at := c.from, c.started
	*c = callTracker{gap: c.gap, after: c.after}
	return from, at, true
}

// maybeReject hangs up once the caller is known (or after a RING when
// RejectCalls is set): the agent never answers, and rejecting frees the
// line and tells the caller at once. The call still counts as missed.
func (m *Modem) maybeReject(ctx context.Context, c *callTracker, wg *sync.WaitGroup) {
	if !m.opts.RejectCalls || !c.active || c.rejected || c.from == "" {
		return
	}
	c.rejected = true
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := m.port.Command(ctx, "ATH"); err != nil {
			m.log.Debug().Err(err).Msg("reject call")
		}
	}()
}

// missedCall queues a missed call for the receiver.
func (m *Modem) missedCall(from string, at time.Time) {
	if from == "" {
		// Nothing to reply to: the network withheld the number, or the
		// modem gives no +CLIP (ML307A).
		m.log.Info().Msg("missed call without caller ID, ignored")
		return
	}
	m.log.Info().Str("from", phone.Mask(from)).Msg("missed call")
	m.push(item{kind: itemCall, from: from, at: at})
}
