package uplink

import "errors"

// Errors a caller may act on.
var (
	// ErrBudget means the daily byte budget is spent: the round stopped
	// before the request that would have gone past it.
	ErrBudget = errors.New("sync: daily byte budget spent")
	// ErrOptions means New was given options it cannot work with.
	ErrOptions = errors.New("sync: bad options")
)
