// Package boltstore keeps the central server's Storage in one bbolt file:
// a bucket per store, so no key of one store can be reached from another's.
package boltstore
