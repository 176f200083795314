package testkit

import (
	"testing"

	"github.com/rs/zerolog"
)

// Log writes to t's log. A fuzz target may not log through f, so there
// it is a no-op logger.
func Log(t testing.TB) zerolog.Logger {
	if _, ok := t.(*testing.F); ok {
		return zerolog.Nop()
	}
	return zerolog.New(zerolog.NewTestWriter(t))
}

// InfoLog is the test's log from info level up, for a harness whose
// debug lines would bury the test's own; a benchmark or fuzz target,
// which runs the harness thousands of times, logs nothing.
func InfoLog(t testing.TB) zerolog.Logger {
	tt, ok := t.(*testing.T)
	if !ok {
		return zerolog.Nop()
	}
	return zerolog.New(zerolog.NewTestWriter(tt)).Level(zerolog.InfoLevel)
}
