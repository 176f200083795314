package server

import (
	"context"
	"sync"
	"time"
)

// nonces remembers the nonces of authenticated requests for a window, so a
// captured request cannot be replayed while its timestamp is still fresh.
// This memory is the fast path in front of Storage.UseNonce: it refuses a
// replay to the same process without a storage write, but it alone would
// forget on restart and know nothing of other servers, so a nonce it has not
// seen is always checked in the storage too.
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

// forgetEvery is how many fresh nonces a server records between two
// ForgetNonces calls: the stored nonces stay at about one window's traffic
// plus this many, and each call deletes about this many.
const forgetEvery = 1024

// useNonce reports whether store's nonce is fresh, in memory and then in the
// storage, and now and then deletes the stored nonces the window has passed.
func (s *Server) useNonce(ctx context.Context, store, nonce string, now time.Time) (bool, error) {
	if !s.nonces.use(store, nonce, now) {
		return false, nil
	}
	since := now.Add(-s.nonces.window)
	fresh, err := s.st.UseNonce(ctx, store, nonce, now, since)
	if err != nil || !fresh {
		return false, err
	}
	if s.used.Add(1)%forgetEvery == 0 {
		// A failure only leaves old rows for the next call: the request goes on.
		if _, err := s.st.ForgetNonces(ctx, since); err != nil {
			s.log.Warn().Err(err).Msg("forget old nonces")
		}
	}
	return true, nil
}
