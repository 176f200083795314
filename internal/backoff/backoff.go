// Package backoff spaces out the retries of something that keeps failing
// (the modem, its port, an SMS, the sync link, the USSD relay): each wait
// doubles up to a cap, and is shortened at random so that parts, or
// stores, cut off by the same outage do not all come back in the same
// second. The clock and the randomness are injected, so tests step it.
package backoff

import (
	"context"
	"math/rand/v2"
	"time"
)

// Policy is how one retrying part waits. The zero Jitter waits exactly.
type Policy struct {
	// Base is the wait after the first failure; Max caps every wait.
	Base, Max time.Duration
	// Jitter is the share of a wait, in [0, 1], that may be taken off at
	// random: a wait of d lasts between d×(1-Jitter) and d, never longer.
	Jitter float64
	// Rand is uniform in [0, 1). Default math/rand/v2.
	Rand func() float64
	// After is the clock Sleep waits on. Default time.After.
	After func(time.Duration) <-chan time.Time
}

// Delay is the wait after the n-th failure in a row (n from 1).
func (p Policy) Delay(n int) time.Duration {
	d := p.Base
	for i := 1; i < n && d < p.Max; i++ {
		d *= 2
	}
	d = min(d, p.Max)
	if p.Jitter <= 0 {
		return d
	}
	r := rand.Float64
	if p.Rand != nil {
		r = p.Rand
	}
	return d - time.Duration(min(p.Jitter, 1)*r()*float64(d))
}

// Sleep waits d on the policy's clock; it returns ctx.Err() if ctx ends
// first.
func (p Policy) Sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-p.Timer(d):
		return nil
	}
}

// Timer fires once d has passed on the policy's clock, for a caller that
// waits on other things as well.
func (p Policy) Timer(d time.Duration) <-chan time.Time {
	if p.After != nil {
		return p.After(d)
	}
	return time.After(d)
}
