//go:build !linux

package system

import (
	"errors"
	"time"
)

func setSystemClock(time.Time) error {
	return errors.New("setting the system clock is supported on Linux only")
}
