package catalog

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
)

// The store makes these buckets on open; the code here assumes each exists.
func init() { store.Declare("agent/catalog", bucketItems, bucketCategories, bucketMeta, bucketLevels) }

// Buckets.
var (
	bucketItems      = []byte("catalog/items")      // sku -> Item JSON
	bucketCategories = []byte("catalog/categories") // name -> Category JSON
	bucketMeta       = []byte("catalog/meta")       // metaVersion, metaStamp, metaShape
	// bucketLevels repeats each item's price and stock (sku -> 8-byte
	// price, 8-byte stock) so that Cache can refresh them after an order
	// without decoding every item.
	bucketLevels = []byte("catalog/levels")
)

var (
	metaVersion = []byte("version") // bumped by every write
	// metaStamp is random per write and metaShape random per write that
	// changes what the matcher reads. A write that rolls back can leave
	// the next one with the same Version; the stamps make Cache tell them
	// apart.
	metaStamp = []byte("stamp")
	metaShape = []byte("shape")
)

// ImportResult counts what Import did.
type ImportResult struct {
	Added, Updated int
}

// Import upserts items in tx. New categories get their order from first
// appearance in items, after the categories already known.
func Import(tx *bbolt.Tx, items []Item) (ImportResult, error) {
	var res ImportResult
	shape := false
	for _, it := range items {
		added, changedShape, err := put(tx, it)
		if err != nil {
			return ImportResult{}, err
		}
		if added {
			res.Added++
		} else {
			res.Updated++
		}
		shape = shape || changedShape
	}
	if len(items) > 0 {
		if err := bump(tx, shape); err != nil {
			return ImportResult{}, err
		}
	}
	return res, nil
}

// Get reads one item.
func Get(tx *bbolt.Tx, sku string) (Item, error) {
	var it Item
	found, err := store.Load(tx, bucketItems, []byte(sku), &it)
	if err == nil && !found {
		err = ErrNotFound
	}
	if err != nil {
		return Item{}, fmt.Errorf("get item %q: %w", sku, err)
	}
	return it, nil
}

// Put upserts one item (the CSV import and the central server's deltas).
// It records no stock movement: a figure from the server is not a change
// the server needs to hear about.
func Put(tx *bbolt.Tx, it Item) error {
	_, shape, err := put(tx, it)
	if err != nil {
		return err
	}
	return bump(tx, shape)
}

func put(tx *bbolt.Tx, it Item) (added, shape bool, err error) {
	switch {
	case it.SKU == "":
		return false, false, fmt.Errorf("put item: empty sku: %w", ErrInvalid)
	case it.Price < 0 || it.Price > MaxPrice:
		return false, false, fmt.Errorf("put item %q: price %d paise: %w", it.SKU, it.Price, ErrInvalid)
	case it.Stock < 0 || it.Stock > MaxStock:
		return false, false, fmt.Errorf("put item %q: stock %d: %w", it.SKU, it.Stock, ErrInvalid)
	}
	if len(it.Synonyms) == 0 {
		it.Synonyms = nil
	}
	old, err := Get(tx, it.SKU)
	switch {
	case err == nil:
		shape = !sameShape(old, it)
	case isNotFound(err):
		added, shape = true, true
	default:
		return false, false, err
	}
	newCat, err := ensureCategory(tx, it.Category)
	if err != nil {
		return false, false, err
	}
	return added, shape || newCat, writeItem(tx, it)
}

func writeItem(tx *bbolt.Tx, it Item) error {
	if err := store.Save(tx, bucketItems, []byte(it.SKU), it); err != nil {
		return fmt.Errorf("item %q: %w", it.SKU, err)
	}
	lb := tx.Bucket(bucketLevels)
	var lv [16]byte
	binary.BigEndian.PutUint64(lv[:8], uint64(it.Price))
	binary.BigEndian.PutUint64(lv[8:], uint64(int64(it.Stock)))
	if err := lb.Put([]byte(it.SKU), lv[:]); err != nil {
		return fmt.Errorf("store price and stock of %q: %w", it.SKU, err)
	}
	return nil
}

// refreshLevels copies items and gives the copies the price and stock
// stored now.
func refreshLevels(tx *bbolt.Tx, items []Item) ([]Item, error) {
	out := slices.Clone(items)
	lb := tx.Bucket(bucketLevels)
	if lb == nil {
		return nil, fmt.Errorf("read price and stock: %w", ErrNotFound)
	}
	for i := range out {
		lv := lb.Get([]byte(out[i].SKU))
		if len(lv) != 16 {
			return nil, fmt.Errorf("read price and stock of %q: %w", out[i].SKU, ErrNotFound)
		}
		out[i].Price = int64(binary.BigEndian.Uint64(lv[:8]))
		out[i].Stock = int(int64(binary.BigEndian.Uint64(lv[8:])))
	}
	return out, nil
}

// ensureCategory adds name after the known categories if it is new.
func ensureCategory(tx *bbolt.Tx, name string) (added bool, err error) {
	b := tx.Bucket(bucketCategories)
	if b.Get([]byte(name)) != nil {
		return false, nil
	}
	cats, err := allCategories(tx)
	if err != nil {
		return false, err
	}
	order := 1
	for _, c := range cats {
		order = max(order, c.Order+1)
	}
	return true, writeCategory(b, Category{Name: name, Order: order})
}

func writeCategory(b *bbolt.Bucket, c Category) error {
	v, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode category %q: %w", c.Name, err)
	}
	if err := b.Put([]byte(c.Name), v); err != nil {
		return fmt.Errorf("store category %q: %w", c.Name, err)
	}
	return nil
}

// SetCategoryOrder places a category in the menu explicitly (lower first);
// it creates the category if it has no items yet.
func SetCategoryOrder(tx *bbolt.Tx, name string, order int) error {
	b := tx.Bucket(bucketCategories)
	if err := writeCategory(b, Category{Name: name, Order: order}); err != nil {
		return err
	}
	return bump(tx, true)
}

func allCategories(tx *bbolt.Tx) ([]Category, error) {
	out, err := store.All[Category](tx, bucketCategories)
	slices.SortFunc(out, func(a, b Category) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.Name, b.Name))
	})
	return out, err
}

// Items lists every item, active or not, by category order, then name,
// then SKU.
func Items(tx *bbolt.Tx) ([]Item, error) {
	return items(tx, false)
}

// Count is the number of items, active or not, as len(Items) but without
// decoding or sorting them.
func Count(tx *bbolt.Tx) int {
	b := tx.Bucket(bucketItems)
	if b == nil {
		return 0
	}
	return b.Stats().KeyN
}

// ActiveItems lists the items shoppers may order, in the order of Items.
func ActiveItems(tx *bbolt.Tx) ([]Item, error) {
	return items(tx, true)
}

func items(tx *bbolt.Tx, activeOnly bool) ([]Item, error) {
	cats, err := allCategories(tx)
	if err != nil {
		return nil, err
	}
	order := make(map[string]int, len(cats))
	for _, c := range cats {
		order[c.Name] = c.Order
	}
	var out []Item
	err = store.Each(tx, bucketItems, func(it Item) error {
		if it.Active || !activeOnly {
			out = append(out, it)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Item) int {
		return cmp.Or(
			cmp.Compare(order[a.Category], order[b.Category]),
			cmp.Compare(a.Category, b.Category),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.SKU, b.SKU),
		)
	})
	return out, nil
}

// Categories lists, in menu order, the categories that have an active item.
func Categories(tx *bbolt.Tx) ([]Category, error) {
	cats, err := allCategories(tx)
	if err != nil || len(cats) == 0 {
		return nil, err
	}
	active := map[string]bool{}
	err = store.Each(tx, bucketItems, func(it struct {
		Category string `json:"category"`
		Active   bool   `json:"active"`
	}) error {
		if it.Active {
			active[it.Category] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := cats[:0]
	for _, c := range cats {
		if active[c.Name] {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// SetPrice changes an item's price.
func SetPrice(tx *bbolt.Tx, sku string, paise int64) error {
	if paise < 0 || paise > MaxPrice {
		return fmt.Errorf("set price of %q to %d paise (0 to %d): %w", sku, paise, int64(MaxPrice), ErrInvalid)
	}
	return modify(tx, sku, false, func(it *Item) { it.Price = paise })
}

// SetActive offers an item to shoppers or withdraws it.
func SetActive(tx *bbolt.Tx, sku string, active bool) error {
	return modify(tx, sku, true, func(it *Item) { it.Active = active })
}

func modify(tx *bbolt.Tx, sku string, shape bool, fn func(*Item)) error {
	it, err := Get(tx, sku)
	if err != nil {
		return err
	}
	fn(&it)
	if err := writeItem(tx, it); err != nil {
		return err
	}
	return bump(tx, shape)
}

// Version is a number that grows with every catalog write; 0 for a
// catalog never written. Within one process a rolled-back write can leave
// the next with the same Version, so a cache that may see uncommitted
// writes should use Cache instead.
func Version(tx *bbolt.Tx) uint64 {
	v, _, _ := meta(tx)
	return v
}

func meta(tx *bbolt.Tx) (version, stamp, shape uint64) {
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return 0, 0, 0
	}
	return u64(b.Get(metaVersion)), u64(b.Get(metaStamp)), u64(b.Get(metaShape))
}

func bump(tx *bbolt.Tx, shape bool) error {
	b := tx.Bucket(bucketMeta)
	puts := [][2][]byte{
		{metaVersion, be64(u64(b.Get(metaVersion)) + 1)},
		{metaStamp, be64(rand.Uint64())},
	}
	if shape {
		puts = append(puts, [2][]byte{metaShape, be64(rand.Uint64())})
	}
	for _, p := range puts {
		if err := b.Put(p[0], p[1]); err != nil {
			return fmt.Errorf("store catalog %s: %w", p[0], err)
		}
	}
	return nil
}

func u64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func be64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}
