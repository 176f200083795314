package catalog_test

import (
	"errors"
	"sync"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/protocol/match"
)

func TestCacheRebuildsOnlyWhenNeeded(t *testing.T) {
	db := openWith(t, testkit.ExampleCatalog(t))
	c := catalog.NewCache()
	index := func() (*match.Index, []catalog.Item) {
		t.Helper()
		var idx *match.Index
		var items []catalog.Item
		testkit.View(t, db, func(tx *bbolt.Tx) (err error) {
			idx, items, err = c.Index(tx)
			return err
		})
		return idx, items
	}
	idx1, items1 := index()
	if idx1.Len() != 172 || len(items1) != 172 {
		t.Fatalf("index of %d, %d items", idx1.Len(), len(items1))
	}
	res := idx1.Find("cheeni 1kg", 3)
	if !res.Found() || items1[res.Hits[0].Item].SKU != "SUGAR1" {
		t.Errorf("Find(cheeni 1kg) = %+v", res)
	}
	if idx, _ := index(); idx != idx1 {
		t.Error("index rebuilt with no change")
	}

	// Stock and price: same index, fresh items.
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		return errors.Join(take(tx, "SUGAR1", 2), catalog.SetPrice(tx, "SUGAR1", 4700))
	})
	idx2, items2 := index()
	if idx2 != idx1 {
		t.Error("index rebuilt for a stock change")
	}
	if it := items2[res.Hits[0].Item]; it.Stock != 68 || it.Price != 4700 {
		t.Errorf("after reserve and price: %+v", it)
	}

	// Withdrawing an item changes what the matcher sees.
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return catalog.SetActive(tx, "SUGAR1", false) })
	idx3, items3 := index()
	if idx3 == idx1 || idx3.Len() != 171 || len(items3) != 171 {
		t.Errorf("after deactivating: same index %v, %d items", idx3 == idx1, len(items3))
	}
	for _, h := range idx3.Find("cheeni", 8).Hits {
		if items3[h.Item].SKU == "SUGAR1" {
			t.Error("inactive item found")
		}
	}
}

func TestCacheNotFooledByRollback(t *testing.T) {
	db := openDB(t)
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		return catalog.Put(tx, catalog.Item{SKU: "A", Name: "Atta", Category: "Staples", Price: 100, Stock: 5, Active: true})
	})
	c := catalog.NewCache()
	boom := errors.New("boom")
	// A write that the cache sees inside its transaction, then rolls back...
	err := db.Update(func(tx *store.Tx) error {
		if err := count(tx.Bolt(), "A", 99); err != nil {
			return err
		}
		if _, items, err := c.Index(tx.Bolt()); err != nil || items[0].Stock != 99 {
			t.Errorf("inside the write: %v, %v", items, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	// ...and a different write that reaches the same Version.
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return count(tx, "A", 1) })
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		_, items, err := c.Index(tx)
		if err != nil || items[0].Stock != 1 {
			t.Errorf("after rollback and another write: %v, %v", items, err)
		}
		return nil
	})
}

func TestCacheConcurrent(t *testing.T) {
	gen := catalog.Generate(500, 1)
	db := openWith(t, gen)
	c := catalog.NewCache()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				if i == 0 && j%5 == 0 {
					if err := db.Update(func(tx *store.Tx) error { return catalog.SetPrice(tx.Bolt(), gen[0].SKU, int64(100+j)) }); err != nil {
						t.Error(err)
					}
				}
				err := db.View(func(tx *store.Tx) error {
					idx, items, err := c.Index(tx.Bolt())
					if err == nil && idx.Len() != len(items) {
						t.Errorf("index of %d for %d items", idx.Len(), len(items))
					}
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkCacheIndexRebuild(b *testing.B) {
	gen := catalog.Generate(5000, 1)
	db := openWith(b, gen)
	sku := gen[0].SKU
	bench := func(b *testing.B, change func(tx *bbolt.Tx, i int) error) {
		c := catalog.NewCache()
		testkit.View(b, db, func(tx *bbolt.Tx) error { _, _, err := c.Index(tx); return err })
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			testkit.Update(b, db, func(tx *bbolt.Tx) error { return change(tx, i) })
			b.StartTimer()
			testkit.View(b, db, func(tx *bbolt.Tx) error { _, _, err := c.Index(tx); return err })
		}
	}
	// An item withdrawn: the whole match index is rebuilt.
	b.Run("rebuild", func(b *testing.B) {
		bench(b, func(tx *bbolt.Tx, i int) error { return catalog.SetActive(tx, sku, i%2 == 0) })
	})
	// A price changed: the items are reread, the index kept.
	b.Run("reload", func(b *testing.B) {
		bench(b, func(tx *bbolt.Tx, i int) error { return catalog.SetPrice(tx, sku, int64(1000+i%2)) })
	})
	b.Run("unchanged", func(b *testing.B) {
		bench(b, func(*bbolt.Tx, int) error { return nil })
	})
}
