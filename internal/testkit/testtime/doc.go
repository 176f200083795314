// Package testtime is time in tests, in one place: a settable clock for the
// code under test, one way to wait for a condition, and a check that a
// test's goroutines end with it.
//
// It imports only the standard library, so every package's tests can use
// it, including those of agent/store and hardware/vmodem, which testkit
// itself imports. Loops that wait on no real file descriptor run in a
// testing/synctest bubble instead, where time is the bubble's own and
// synctest.Wait replaces polling.
package testtime
