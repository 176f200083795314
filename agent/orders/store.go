package orders

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
)

// The store makes these buckets on open; the code here assumes each exists.
func init() { store.Declare("agent/orders", bucketByID, bucketByTime, bucketByShopper, bucketSettings) }

var (
	bucketByID      = []byte("orders/by_id")      // id -> Order JSON
	bucketByTime    = []byte("orders/by_time")    // created (8-byte ns) + id -> nil
	bucketByShopper = []byte("orders/by_shopper") // number + 0 + created + id -> nil
	bucketSettings  = []byte("orders/settings")
)

var settingShopName = []byte("shop_name")

// DefaultShopName is what notifications call the shop until SetShopName.
const DefaultShopName = "Tokri Store"

// Filter selects orders for List. Zero fields select everything.
type Filter struct {
	States  []State   // any of these
	Shopper string    // this number only
	Since   time.Time // created at or after
	Limit   int       // at most this many; <= 0 means all
}

// Get reads one order; id is read as NormalizeID does.
func Get(tx *bbolt.Tx, id string) (Order, error) {
	id = NormalizeID(id)
	var o Order
	found, err := store.Load(tx, bucketByID, []byte(id), &o)
	if err == nil && !found {
		err = ErrNotFound
	}
	if err != nil {
		return Order{}, fmt.Errorf("get order %q: %w", id, err)
	}
	return o, nil
}

// List returns the orders f selects, newest first.
func List(tx *bbolt.Tx, f Filter) ([]Order, error) {
	var idx *bbolt.Bucket
	var prefix []byte
	if f.Shopper != "" {
		idx, prefix = tx.Bucket(bucketByShopper), shopperPrefix(f.Shopper)
	} else {
		idx = tx.Bucket(bucketByTime)
	}
	if idx == nil {
		return nil, nil
	}
	var out []Order
	c := idx.Cursor()
	k, _ := lastWithPrefix(c, prefix)
	for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
		rest := k[len(prefix):]
		if len(rest) < 8 {
			continue
		}
		created := time.Unix(0, int64(binary.BigEndian.Uint64(rest[:8]))).UTC()
		if !f.Since.IsZero() && created.Before(f.Since) {
			break
		}
		o, err := Get(tx, string(rest[8:]))
		if err != nil {
			return nil, err
		}
		if len(f.States) > 0 && !slices.Contains(f.States, o.State) {
			continue
		}
		out = append(out, o)
		if f.Limit > 0 && len(out) >= f.Limit {
			break
		}
	}
	return out, nil
}

// Last is the newest order of shopper, for REPEAT and STATUS.
func Last(tx *bbolt.Tx, shopper string) (Order, bool, error) {
	list, err := List(tx, Filter{Shopper: shopper, Limit: 1})
	if err != nil || len(list) == 0 {
		return Order{}, false, err
	}
	return list[0], true, nil
}

// SetSynced records whether the central server has acknowledged the
// order's latest change (the sync client calls it on Ack).
func SetSynced(tx *bbolt.Tx, id string, synced bool) error {
	o, err := Get(tx, id)
	if err != nil {
		return err
	}
	o.Synced = synced
	return put(tx, o)
}

// SetShopName sets the name notifications give the shop (config shop.name).
func SetShopName(tx *bbolt.Tx, name string) error {
	b := tx.Bucket(bucketSettings)
	if err := b.Put(settingShopName, []byte(name)); err != nil {
		return fmt.Errorf("store shop name: %w", err)
	}
	return nil
}

// ShopName is the name notifications give the shop.
func ShopName(tx *bbolt.Tx) string {
	if b := tx.Bucket(bucketSettings); b != nil {
		if v := b.Get(settingShopName); len(v) > 0 {
			return string(v)
		}
	}
	return DefaultShopName
}

// put writes o; new orders also go into the indexes.
func put(tx *bbolt.Tx, o Order) error {
	v, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("encode order %s: %w", o.ID, err)
	}
	b := tx.Bucket(bucketByID)
	isNew := b.Get([]byte(o.ID)) == nil
	if err := b.Put([]byte(o.ID), v); err != nil {
		return fmt.Errorf("store order %s: %w", o.ID, err)
	}
	if !isNew {
		return nil
	}
	tk := timeKey(nil, o.CreatedAt, o.ID)
	for _, ix := range []struct {
		bucket []byte
		key    []byte
	}{
		{bucketByTime, tk},
		{bucketByShopper, append(shopperPrefix(o.Shopper), tk...)},
	} {
		b := tx.Bucket(ix.bucket)
		if err := b.Put(ix.key, nil); err != nil {
			return fmt.Errorf("index order %s in %s: %w", o.ID, ix.bucket, err)
		}
	}
	return nil
}

func timeKey(dst []byte, t time.Time, id string) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(t.UnixNano()))
	return append(dst, id...)
}

func shopperPrefix(number string) []byte {
	return append([]byte(number), 0)
}

// lastWithPrefix places c on the last key with prefix (the last key of all
// for an empty prefix).
func lastWithPrefix(c *bbolt.Cursor, prefix []byte) ([]byte, []byte) {
	if len(prefix) == 0 {
		return c.Last()
	}
	// The first key after every key with prefix: prefix with its last
	// byte raised (prefix ends in 0, so no carry).
	end := bytes.Clone(prefix)
	end[len(end)-1]++
	k, _ := c.Seek(end)
	if k == nil {
		return c.Last()
	}
	return c.Prev()
}
