package testtime

import (
	"testing/synctest"
	"time"
)

// Advance, inside a testing/synctest bubble, moves the bubble's clock on by
// d, firing every timer due on the way, and returns once every goroutine
// in the bubble is blocked again: what the code under test does at that
// time has happened. Outside a bubble it panics.
func Advance(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}
