package server

import (
	"sync"
	"time"
)

// nonces remembers the nonces of authenticated requests for a window, so a
// captured request cannot be replayed while its timestamp is still fresh.
// It lives in memory: a restart forgets it, which reopens replays of requests
// signed in the few minutes before the restart (pushes are idempotent, and a
// catalog read changes nothing).
type nonces struct {
	window time.Duration

	mu    sync.Mutex // guards following
	seen  map[string]time.Time
	queue []nonceEntry // in insertion order, for pruning
}

type nonceEntry struct {
	key    string
	expiry time.Time
}

func newNonces(window time.Duration) *nonces {
	return &nonces{window: window, seen: map[string]time.Time{}}
}

// use records store's nonce at now and reports false if it was already seen
// within the window.
func (n *nonces) use(store, nonce string, now time.Time) bool {
	key := store + "\x00" + nonce
	n.mu.Lock()
	defer n.mu.Unlock()
	n.pruneLocked(now)
	if exp, ok := n.seen[key]; ok && now.Before(exp) {
		return false
	}
	exp := now.Add(n.window)
	n.seen[key] = exp
	n.queue = append(n.queue, nonceEntry{key, exp})
	return true
}

func (n *nonces) pruneLocked(now time.Time) {
	i := 0
	for ; i < len(n.queue) && !now.Before(n.queue[i].expiry); i++ {
		if n.seen[n.queue[i].key] == n.queue[i].expiry {
			delete(n.seen, n.queue[i].key)
		}
	}
	if i > 0 {
		n.queue = append(n.queue[:0:0], n.queue[i:]...)
	}
}

func (n *nonces) len() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.seen)
}
