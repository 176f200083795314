package orders

import "errors"

// Errors callers act on.
var (
	// ErrNotFound means no order has the id.
	ErrNotFound = errors.New("orders: order not found")
	// ErrBadTransition means the order cannot move to the state asked for,
	// or not by whom: it was packed before a cancel, is already finished,
	// or the step skips one.
	ErrBadTransition = errors.New("orders: transition not allowed")
	// ErrInvalid means an order cannot be placed as given.
	ErrInvalid = errors.New("orders: invalid order")
)
