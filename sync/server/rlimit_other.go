//go:build !unix

package server

// openFileLimit is unknown here: the configured cap stands.
func openFileLimit() int { return 0 }
