package catalog_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/sync/outbox"
)

func TestFreshFileReadsEmpty(t *testing.T) {
	db := openDB(t)
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		items, err := catalog.Items(tx)
		if err != nil || len(items) != 0 {
			t.Errorf("Items = %v, %v", items, err)
		}
		cats, err := catalog.Categories(tx)
		if err != nil || len(cats) != 0 {
			t.Errorf("Categories = %v, %v", cats, err)
		}
		if _, err := catalog.Get(tx, "ATTA5"); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("Get = %v, want ErrNotFound", err)
		}
		if v := catalog.Version(tx); v != 0 {
			t.Errorf("Version = %d", v)
		}
		idx, items, err := catalog.NewCache().Index(tx)
		if err != nil || idx.Len() != 0 || len(items) != 0 {
			t.Errorf("Cache.Index = %v, %v, %v", idx, items, err)
		}
		return nil
	})
}

func TestImportKirana(t *testing.T) {
	db := openDB(t)
	items := testkit.ExampleCatalog(t)
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		res, err := catalog.Import(tx, items)
		if err != nil {
			return err
		}
		if res != (catalog.ImportResult{Added: 172}) {
			t.Errorf("first Import = %+v", res)
		}
		return nil
	})
	items[0].Price = 29000
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		res, err := catalog.Import(tx, items[:10])
		if res != (catalog.ImportResult{Updated: 10}) {
			t.Errorf("second Import = %+v", res)
		}
		return err
	})
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		cats, err := catalog.Categories(tx)
		if err != nil {
			return err
		}
		want := []catalog.Category{{"Staples", 1}, {"Dal", 2}, {"Oil & Ghee", 3}, {"Spices", 4}, {"Snacks", 5},
			{"Dairy", 6}, {"Personal Care", 7}, {"Household", 8}}
		if diff := cmp.Diff(want, cats); diff != "" {
			t.Errorf("Categories (-want +got):\n%s", diff)
		}
		got, err := catalog.Get(tx, "ATTA5")
		if err != nil || got.Price != 29000 {
			t.Errorf("Get(ATTA5) = %+v, %v", got, err)
		}
		all, err := catalog.Items(tx)
		if err != nil || len(all) != 172 {
			t.Fatalf("Items = %d, %v", len(all), err)
		}
		// Staples first, by name then SKU: the two Aashirvaad Atta packs.
		if all[0].SKU != "ATTA10" || all[1].SKU != "ATTA5" || all[len(all)-1].Category != "Household" {
			t.Errorf("Items order starts %s %s, ends in %s", all[0].SKU, all[1].SKU, all[len(all)-1].Category)
		}
		return nil
	})
}

func TestCategoriesOnlyWithActiveItems(t *testing.T) {
	db := openDB(t)
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		_, err := catalog.Import(tx, []catalog.Item{
			{SKU: "A", Name: "Atta", Category: "Staples", Price: 100, Active: true},
			{SKU: "M", Name: "Milk", Category: "Dairy", Price: 100, Active: true},
			{SKU: "S", Name: "Soap", Category: "Care", Price: 100, Active: false},
		})
		if err != nil {
			return err
		}
		if err := catalog.SetActive(tx, "M", false); err != nil {
			return err
		}
		return catalog.SetCategoryOrder(tx, "Care", 0)
	})
	check := func(want []catalog.Category) {
		t.Helper()
		testkit.View(t, db, func(tx *bbolt.Tx) error {
			cats, err := catalog.Categories(tx)
			if diff := cmp.Diff(want, cats); diff != "" || err != nil {
				t.Errorf("Categories (-want +got): %v\n%s", err, diff)
			}
			return nil
		})
	}
	check([]catalog.Category{{"Staples", 1}})
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return catalog.SetActive(tx, "S", true) })
	check([]catalog.Category{{"Care", 0}, {"Staples", 1}})
}

func TestSetters(t *testing.T) {
	db := openDB(t)
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		return catalog.Put(tx, catalog.Item{SKU: "A", Name: "Atta", Category: "Staples", Price: 100, Stock: 5, Active: true})
	})
	var v0 uint64
	testkit.View(t, db, func(tx *bbolt.Tx) error { v0 = catalog.Version(tx); return nil })
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		for _, err := range []error{catalog.SetPrice(tx, "A", 5250), count(tx, "A", 9), catalog.SetActive(tx, "A", false)} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		it, _ := catalog.Get(tx, "A")
		if it.Price != 5250 || it.Stock != 9 || it.Active {
			t.Errorf("after setters: %+v", it)
		}
		if v := catalog.Version(tx); v != v0+3 {
			t.Errorf("Version = %d, want %d", v, v0+3)
		}
		return nil
	})
	refused := []struct {
		name string
		fn   func(tx *bbolt.Tx) error
		want error
	}{
		{"price of missing", func(tx *bbolt.Tx) error { return catalog.SetPrice(tx, "Z", 1) }, catalog.ErrNotFound},
		{"stock of missing", func(tx *bbolt.Tx) error { return count(tx, "Z", 1) }, catalog.ErrNotFound},
		{"active of missing", func(tx *bbolt.Tx) error { return catalog.SetActive(tx, "Z", true) }, catalog.ErrNotFound},
		{"negative price", func(tx *bbolt.Tx) error { return catalog.SetPrice(tx, "A", -1) }, catalog.ErrInvalid},
		{"negative stock", func(tx *bbolt.Tx) error { return count(tx, "A", -1) }, catalog.ErrInvalid},
		{"put no sku", func(tx *bbolt.Tx) error { return catalog.Put(tx, catalog.Item{Name: "x"}) }, catalog.ErrInvalid},
		{"reserve zero", func(tx *bbolt.Tx) error { return take(tx, "A", 0) }, catalog.ErrInvalid},
		{"move beyond the most", func(tx *bbolt.Tx) error { return putBack(tx, "A", catalog.MaxStock+1) }, catalog.ErrInvalid},
		{"reserve missing", func(tx *bbolt.Tx) error { return take(tx, "Z", 1) }, catalog.ErrNotFound},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			err := db.Update(func(tx *store.Tx) error { return tc.fn(tx.Bolt()) })
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestStockMovementsRecordedForSync(t *testing.T) {
	db := openDB(t)
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		return catalog.Put(tx, catalog.Item{SKU: "SUGAR1", Name: "Sugar", Category: "Staples", Price: 4600, Stock: 10, Active: true})
	})
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		steps := []error{
			take(tx, "SUGAR1", 3),    // 7
			putBack(tx, "SUGAR1", 1), // 8
			// An order's lines: its own records carry them.
			catalog.Move(tx, catalog.Movement{SKU: "SUGAR1", Delta: -2, ForOrder: true}), // 6
			count(tx, "SUGAR1", 20), // 20
			count(tx, "SUGAR1", 20), // no movement, no record
		}
		return errors.Join(steps...)
	})
	err := db.Update(func(tx *store.Tx) error { return take(tx.Bolt(), "SUGAR1", 21) })
	var se *catalog.StockError
	if !errors.As(err, &se) || !errors.Is(err, catalog.ErrOutOfStock) || *se != (catalog.StockError{SKU: "SUGAR1", Have: 20, Want: 21}) {
		t.Errorf("Reserve 21 of 20 = %v", err)
	}
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		it, _ := catalog.Get(tx, "SUGAR1")
		if it.Stock != 20 {
			t.Errorf("stock = %d, want 20", it.Stock)
		}
		recs, err := outbox.Pending(tx, 0, 0)
		if err != nil {
			return err
		}
		var got []outbox.Stock
		for _, r := range recs {
			var s outbox.Stock
			if r.Kind != outbox.KindStock || !r.At.Equal(t0) {
				t.Errorf("record %s at %v, want a stock record at the caller's %v", r.Kind, r.At, t0)
			}
			if err := json.Unmarshal(r.Body, &s); err != nil {
				return err
			}
			got = append(got, s)
		}
		want := []outbox.Stock{
			{SKU: "SUGAR1", Delta: -3, Reason: "reserve"},
			{SKU: "SUGAR1", Delta: 1, Reason: "release"},
			{SKU: "SUGAR1", Delta: 14, Reason: "set"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("stock records (-want +got):\n%s", diff)
		}
		// The order's 2 count once its record is added (outbox.AddMoving).
		if d, _ := outbox.LocalStockDelta(tx, "SUGAR1"); d != 12 {
			t.Errorf("LocalStockDelta = %d, want 12", d)
		}
		return nil
	})
}

func TestPutKeepsSynonymsAndRecordsNoStock(t *testing.T) {
	db := openDB(t)
	it := catalog.Item{SKU: "T", Name: "Tata Salt", NameHi: "टाटा नमक", Category: "Staples", Unit: "1 kg", Price: 2800, Stock: 4, Active: true, Synonyms: []string{"namak"}}
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return catalog.Put(tx, it) })
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		got, err := catalog.Get(tx, "T")
		if diff := cmp.Diff(it, got); diff != "" || err != nil {
			t.Errorf("Get (-want +got): %v\n%s", err, diff)
		}
		if n, _ := outbox.Count(tx); n != 0 {
			t.Errorf("Put wrote %d sync records", n)
		}
		return nil
	})
}

func TestGenerate(t *testing.T) {
	a, b := catalog.Generate(5000, 42), catalog.Generate(5000, 42)
	if !cmp.Equal(a, b) {
		t.Error("Generate is not the same for the same seed")
	}
	if cmp.Equal(a, catalog.Generate(5000, 43)) {
		t.Error("Generate ignores the seed")
	}
	seen := map[string]bool{}
	cats := map[string]bool{}
	for _, it := range a {
		if seen[it.SKU] || it.Name == "" || it.NameHi == "" || it.Category == "" || it.Price <= 0 || it.Stock < 0 || len(it.Synonyms) == 0 {
			t.Fatalf("bad item %+v", it)
		}
		seen[it.SKU] = true
		cats[it.Category] = true
	}
	if len(cats) != 8 {
		t.Errorf("%d categories", len(cats))
	}
	// What Generate makes survives the CSV.
	db := openDB(t)
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		res, err := catalog.Import(tx, a)
		if res.Added != 5000 {
			t.Errorf("Import = %+v", res)
		}
		return err
	})
}

func TestCount(t *testing.T) {
	db := openDB(t)
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		if n := catalog.Count(tx); n != 0 {
			t.Errorf("Count of a fresh file = %d", n)
		}
		return nil
	})
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		if _, err := catalog.Import(tx, testkit.ExampleCatalog(t)); err != nil {
			return err
		}
		return catalog.SetActive(tx, "SUGAR1", false)
	})
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		items, err := catalog.Items(tx)
		if n := catalog.Count(tx); err != nil || n != len(items) || n != 172 {
			t.Errorf("Count = %d, len(Items) = %d, %v", n, len(items), err)
		}
		return nil
	})
}
