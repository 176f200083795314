package system

import (
	"syscall"
	"time"
)

// setSystemClock sets the system clock (needs CAP_SYS_TIME, which the
// packaged unit grants).
func setSystemClock(t time.Time) error {
	tv := syscall.NsecToTimeval(t.UnixNano())
	return syscall.Settimeofday(&tv)
}
