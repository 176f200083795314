package server

import "time"

// NewNonces and the methods below let the external tests walk
// storetest's nonce steps through the memory in front of the storage.
var NewNonces = newNonces

func (n *nonces) Use(store, nonce string, now time.Time) bool { return n.use(store, nonce, now) }

func (n *nonces) Len() int { return n.len() }
