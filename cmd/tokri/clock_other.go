//go:build !linux

package main

import (
	"errors"
	"time"
)

func setSystemClock(time.Time) error {
	return errors.New("setting the system clock is supported on Linux only")
}
