package outbox

import "errors"

// Errors callers act on.
var (
	// ErrDuplicateKey means a pending record already has the idempotency
	// key: two changes were given the same key, which would make the
	// server drop one of them.
	ErrDuplicateKey = errors.New("outbox: duplicate idempotency key")
	// ErrInvalid means a record cannot be added as given.
	ErrInvalid = errors.New("outbox: invalid record")
)
