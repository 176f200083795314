package store

import "errors"

// Errors callers act on.
var (
	// ErrHandled means the inbound was handled before; fn was not called.
	ErrHandled = errors.New("store: inbound already handled")
	// ErrNotFound means no record has the given id.
	ErrNotFound = errors.New("store: not found")
	// ErrPartOrder means RecordParts was called for a part that does not
	// follow the parts already recorded.
	ErrPartOrder = errors.New("store: part sent out of order")
	// ErrNewerSchema means the file was written by a newer version of the
	// agent; opening it would risk corrupting it.
	ErrNewerSchema = errors.New("store: file has a newer schema")
	// ErrInvalid means an argument cannot be stored as given.
	ErrInvalid = errors.New("store: invalid argument")
	// ErrReadOnly means Enqueue was called inside View.
	ErrReadOnly = errors.New("store: read-only transaction")
)
