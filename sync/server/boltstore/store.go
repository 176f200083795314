package boltstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/internal/boltcheck"
	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/wire"
)

var _ server.Storage = (*Store)(nil)

// Bucket names. Top level: stores (id -> storeMeta JSON), the nonce buckets
// (see nonce.go) and one bucket per store named "store/<id>" with the
// sub-buckets below.
var (
	bucketStores  = []byte("central/stores")
	storePrefix   = "central/store/"
	bucketRecords = []byte("records") // idempotency key -> record JSON
	bucketOrders  = []byte("orders")  // order id -> server.Order JSON
	bucketItems   = []byte("items")   // sku -> itemRow JSON
	bucketChanges = []byte("changes") // be64(version) sku -> empty: the delta index
	bucketMeta    = []byte("meta")    // keys below
	keyVersion    = []byte("version")
	keyCats       = []byte("categories")
	keyCatsVer    = []byte("categories_version")
)

type storeMeta struct {
	Secret  string    `json:"secret"`
	Created time.Time `json:"created"`
}

type itemRow struct {
	Version uint64    `json:"version"`
	Item    wire.Item `json:"item"`
}

type recordRow struct {
	wire.Record
	Received time.Time `json:"received"`
}

// Store is Storage over one bbolt file.
type Store struct {
	db *bolt.DB
}

// Open opens (creating) the bbolt file at path. bbolt locks the file, so one
// process at a time.
func Open(path string) (*Store, error) {
	// Checked first, with no time limit (a large file takes as long as it
	// takes): a damaged pointer would otherwise fault in whichever request
	// first read it, and take the server down.
	db, err := boltcheck.Open(path, &bolt.Options{Timeout: time.Second}, 0)
	var d *boltcheck.DamageError
	if errors.As(err, &d) {
		return nil, fmt.Errorf("central store %s is damaged (%s); tokri-central will not run on it: put a copy from your backups in its place and start again", path, d.Cause)
	}
	if err != nil {
		return nil, fmt.Errorf("open central store %s: %w", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketStores, bucketNonces, bucketNonceTimes} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("create buckets: %w", err)
	}
	return &Store{db: db}, nil
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// DB is the bbolt handle, for tests that check the file.
func (s *Store) DB() *bolt.DB { return s.db }

// storeBucket returns the store's bucket or ErrUnknownStore.
func storeBucket(tx *bolt.Tx, store string) (*bolt.Bucket, error) {
	b := tx.Bucket([]byte(storePrefix + store))
	if b == nil {
		return nil, fmt.Errorf("store %s: %w", store, server.ErrUnknownStore)
	}
	return b, nil
}

func (s *Store) AddStore(ctx context.Context, store, secret string, now time.Time) error {
	meta, _ := json.Marshal(storeMeta{Secret: secret, Created: now.UTC()})
	return s.db.Update(func(tx *bolt.Tx) error {
		stores := tx.Bucket(bucketStores)
		if stores.Get([]byte(store)) != nil {
			return fmt.Errorf("add store %s: %w", store, server.ErrStoreExists)
		}
		if err := stores.Put([]byte(store), meta); err != nil {
			return err
		}
		b, err := tx.CreateBucket([]byte(storePrefix + store))
		if err != nil {
			return fmt.Errorf("add store %s: %w", store, err)
		}
		for _, name := range [][]byte{bucketRecords, bucketOrders, bucketItems, bucketChanges, bucketMeta} {
			if _, err := b.CreateBucket(name); err != nil {
				return fmt.Errorf("add store %s: %w", store, err)
			}
		}
		return nil
	})
}

func (s *Store) Secret(ctx context.Context, store string) (string, error) {
	var m storeMeta
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketStores).Get([]byte(store))
		if v == nil {
			return fmt.Errorf("store %s: %w", store, server.ErrUnknownStore)
		}
		return json.Unmarshal(v, &m)
	})
	return m.Secret, err
}

func (s *Store) Push(ctx context.Context, store string, recs []server.Record, now time.Time) (server.PushResult, error) {
	res := server.PushResult{Dup: make([]bool, len(recs))}
	// Batch shares one fsync among concurrent pushes; it may run the
	// function again alone, which starts over from a fresh transaction.
	err := s.db.Batch(func(tx *bolt.Tx) error {
		clear(res.Dup)
		b, err := storeBucket(tx, store)
		if err != nil {
			return err
		}
		res.From = getU64(b.Bucket(bucketMeta), keyVersion)
		res.Version = res.From
		records := b.Bucket(bucketRecords)
		stockDeltas := map[string]int{}
		for i, r := range recs {
			if records.Get([]byte(r.Key)) != nil {
				res.Dup[i] = true
				continue
			}
			row, _ := json.Marshal(recordRow{Record: r.Record, Received: now})
			if err := records.Put([]byte(r.Key), row); err != nil {
				return fmt.Errorf("put record: %w", err)
			}
			switch {
			case r.Stock != nil:
				stockDeltas[r.Stock.SKU] += r.Stock.Delta
			default:
				if err := applyOrder(b.Bucket(bucketOrders), r, now, stockDeltas); err != nil {
					return err
				}
			}
		}
		if err := applyStock(b, stockDeltas); err != nil {
			return err
		}
		res.Version = getU64(b.Bucket(bucketMeta), keyVersion)
		return nil
	})
	if err != nil {
		return server.PushResult{}, fmt.Errorf("push for %s: %w", store, err)
	}
	return res, nil
}

// applyOrder folds r into its order and adds the stock that moved to
// deltas.
func applyOrder(orders *bolt.Bucket, r server.Record, now time.Time, deltas map[string]int) error {
	id := []byte(r.OrderID())
	var o server.Order
	if v := orders.Get(id); v != nil {
		if err := json.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("read order %s: %w", id, err)
		}
	}
	before := o
	server.ApplyOrder(&o, r, now)
	server.StockMoves(before, o, deltas)
	v, _ := json.Marshal(o)
	return orders.Put(id, v)
}

// applyStock adds deltas to known items under one new catalog version.
func applyStock(b *bolt.Bucket, deltas map[string]int) error {
	if len(deltas) == 0 {
		return nil
	}
	items := b.Bucket(bucketItems)
	var changed []itemRow
	for sku, d := range deltas {
		row, ok, err := getItem(items, sku)
		if err != nil {
			return err
		}
		if ok && d != 0 {
			row.Item.Stock += d
			changed = append(changed, row)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	ver := bumpVersion(b)
	for _, row := range changed {
		if err := putItem(b, row, ver); err != nil {
			return err
		}
	}
	return nil
}

func getItem(items *bolt.Bucket, sku string) (itemRow, bool, error) {
	v := items.Get([]byte(sku))
	if v == nil {
		return itemRow{}, false, nil
	}
	var row itemRow
	if err := json.Unmarshal(v, &row); err != nil {
		return itemRow{}, false, fmt.Errorf("read item %s: %w", sku, err)
	}
	return row, true, nil
}

// putItem writes an item stamped ver and moves its delta index entry.
func putItem(b *bolt.Bucket, row itemRow, ver uint64) error {
	changes := b.Bucket(bucketChanges)
	if row.Version != 0 {
		if err := changes.Delete(changeKey(row.Version, row.Item.SKU)); err != nil {
			return err
		}
	}
	row.Version = ver
	v, _ := json.Marshal(row)
	if err := b.Bucket(bucketItems).Put([]byte(row.Item.SKU), v); err != nil {
		return fmt.Errorf("put item %s: %w", row.Item.SKU, err)
	}
	return changes.Put(changeKey(ver, row.Item.SKU), nil)
}

func changeKey(ver uint64, sku string) []byte {
	k := make([]byte, 8, 8+len(sku))
	binary.BigEndian.PutUint64(k, ver)
	return append(k, sku...)
}

func getU64(b *bolt.Bucket, key []byte) uint64 {
	if v := b.Get(key); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

func putU64(b *bolt.Bucket, key []byte, n uint64) error {
	return b.Put(key, binary.BigEndian.AppendUint64(nil, n))
}

func bumpVersion(b *bolt.Bucket) uint64 {
	meta := b.Bucket(bucketMeta)
	v := getU64(meta, keyVersion) + 1
	putU64(meta, keyVersion, v) // the bucket is writable here
	return v
}

func (s *Store) Orders(ctx context.Context, store string, limit int) ([]server.Order, error) {
	var out []server.Order
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := storeBucket(tx, store)
		if err != nil {
			return err
		}
		return b.Bucket(bucketOrders).ForEach(func(k, v []byte) error {
			var o server.Order
			if err := json.Unmarshal(v, &o); err != nil {
				return fmt.Errorf("read order %s: %w", k, err)
			}
			out = append(out, o)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("orders of %s: %w", store, err)
	}
	sortOrders(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func sortOrders(os []server.Order) {
	sort.SliceStable(os, func(i, j int) bool {
		ci, cj := os[i].CreatedAt(), os[j].CreatedAt()
		if !ci.Equal(cj) {
			return ci.After(cj)
		}
		return os[i].ID > os[j].ID
	})
}

func (s *Store) ImportCatalog(ctx context.Context, store string, items []wire.Item, cats []wire.Category) (server.ImportResult, error) {
	var res server.ImportResult
	err := s.db.Update(func(tx *bolt.Tx) error {
		res = server.ImportResult{}
		b, err := storeBucket(tx, store)
		if err != nil {
			return err
		}
		meta := b.Bucket(bucketMeta)
		res.Version = getU64(meta, keyVersion)
		next := res.Version + 1
		var oldCats []wire.Category
		if v := meta.Get(keyCats); v != nil {
			if err := json.Unmarshal(v, &oldCats); err != nil {
				return fmt.Errorf("read categories: %w", err)
			}
		}
		changed := false
		if !slices.Equal(oldCats, cats) {
			v, _ := json.Marshal(cats)
			if err := meta.Put(keyCats, v); err != nil {
				return err
			}
			if err := putU64(meta, keyCatsVer, next); err != nil {
				return err
			}
			res.CategoriesReplaced, changed = true, true
		}
		for _, it := range items {
			row, ok, err := getItem(b.Bucket(bucketItems), it.SKU)
			if err != nil {
				return err
			}
			if !res.Count(row.Item, ok, it) {
				continue
			}
			row.Item = it
			if err := putItem(b, row, next); err != nil {
				return err
			}
			changed = true
		}
		if changed {
			res.Version = bumpVersion(b)
		}
		return nil
	})
	if err != nil {
		return server.ImportResult{}, fmt.Errorf("import catalog for %s: %w", store, err)
	}
	return res, nil
}

func (s *Store) CatalogPage(ctx context.Context, store string, after wire.Cursor, limit int) (server.Page, error) {
	var p server.Page
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := storeBucket(tx, store)
		if err != nil {
			return err
		}
		meta := b.Bucket(bucketMeta)
		p.Version = getU64(meta, keyVersion)
		p.CategoriesVersion = getU64(meta, keyCatsVer)
		if v := meta.Get(keyCats); v != nil {
			if err := json.Unmarshal(v, &p.Categories); err != nil {
				return fmt.Errorf("read categories: %w", err)
			}
		}
		seek := changeKey(after.Version, after.SKU)
		if after.SKU == "" {
			seek = changeKey(after.Version+1, "")
		}
		c := b.Bucket(bucketChanges).Cursor()
		items := b.Bucket(bucketItems)
		for k, _ := c.Seek(seek); k != nil; k, _ = c.Next() {
			ver, sku := binary.BigEndian.Uint64(k[:8]), string(k[8:])
			if !server.After(after, ver, sku) {
				continue
			}
			if len(p.Items) == limit {
				p.More = true
				break
			}
			row, ok, err := getItem(items, sku)
			if err != nil {
				return err
			}
			if !ok || row.Version != ver {
				return fmt.Errorf("delta index names %s at %d: index and items disagree", sku, ver)
			}
			p.Items = append(p.Items, row.Item)
			p.Stamps = append(p.Stamps, ver)
		}
		return nil
	})
	if err != nil {
		return server.Page{}, fmt.Errorf("catalog page for %s: %w", store, err)
	}
	return p, nil
}

func (s *Store) CatalogVersion(ctx context.Context, store string) (uint64, error) {
	var v uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := storeBucket(tx, store)
		if err != nil {
			return err
		}
		v = getU64(b.Bucket(bucketMeta), keyVersion)
		return nil
	})
	return v, err
}
