package uplink

import "time"

// backoff is the wait after the attempt-th failure in a row (from 1):
// doubling from min up to max, with "equal jitter" so that agents cut off
// by the same outage do not all come back in the same second, while none
// retries sooner than half the step. r is uniform in [0, 1).
func backoff(attempt int, min, max time.Duration, r float64) time.Duration {
	d := min
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	return half + time.Duration(r*float64(d-half))
}
