package testkit

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
)

// RepoRoot finds the module's root (the folder with go.mod) above the
// test's working directory, which is its package's folder.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's working directory")
		}
		dir = up
	}
}

// ExampleCatalog reads the catalog shipped in examples/kirana.csv.
func ExampleCatalog(t testing.TB) []catalog.Item {
	t.Helper()
	items, err := catalog.ReadFile(filepath.Join(RepoRoot(t), "examples", "kirana.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// ImportShop imports items into the store and names the shop, as
// cmd/tokri's run does before the shop takes messages.
func ImportShop(t testing.TB, db *store.DB, name string, items []catalog.Item) {
	t.Helper()
	err := db.Update(func(tx *store.Tx) error {
		if _, err := catalog.Import(tx.Bolt(), items); err != nil {
			return err
		}
		return orders.SetShopName(tx.Bolt(), name)
	})
	if err != nil {
		t.Fatalf("import catalog: %v", err)
	}
}
