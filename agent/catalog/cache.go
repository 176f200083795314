package catalog

import (
	"sync"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/protocol/match"
)

// Cache holds the match index of the active items between catalog writes.
// It is safe for concurrent use.
type Cache struct {
	mu sync.Mutex // guards following
	// version and stamp identify the catalog write items reflects; shape
	// the last write that changed what idx was built from.
	version, stamp, shape uint64
	loaded                bool
	idx                   *match.Index
	items                 []Item
}

// NewCache returns an empty cache; the first Index builds it.
func NewCache() *Cache { return &Cache{} }

// Index returns the match index of the active items and those items
// (Hit.Item indexes them), as of tx. It rebuilds the index only when the
// catalog changed in a way the matcher sees, and rereads the items when
// only prices or stock changed. The returned slice is shared: callers must
// not modify it.
func (c *Cache) Index(tx *bbolt.Tx) (*match.Index, []Item, error) {
	version, stamp, shape := meta(tx)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded && c.version == version && c.stamp == stamp {
		return c.idx, c.items, nil
	}
	if c.loaded && c.shape == shape {
		// Only prices or stock changed: the same items in the same order.
		if items, err := refreshLevels(tx, c.items); err == nil {
			c.version, c.stamp, c.items = version, stamp, items
			return c.idx, c.items, nil
		}
	}
	items, err := ActiveItems(tx)
	if err != nil {
		return nil, nil, err
	}
	mi := make([]match.Item, len(items))
	for i, it := range items {
		mi[i] = it.MatchItem()
	}
	c.idx = match.New(mi)
	c.version, c.stamp, c.shape, c.loaded = version, stamp, shape, true
	c.items = items
	return c.idx, c.items, nil
}
