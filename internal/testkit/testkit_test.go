package testkit_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

func TestRepoRootHoldsTheExampleCatalog(t *testing.T) {
	root := testkit.RepoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "examples", "kirana.csv")); err != nil {
		t.Fatal(err)
	}
	if items := testkit.ExampleCatalog(t); len(items) == 0 {
		t.Error("example catalog is empty")
	}
}

func TestShopConfigTakesExtraLines(t *testing.T) {
	cfg := testkit.ShopConfig(t, "pickup = false\n")
	if cfg.Name != "Sharma Kirana" {
		t.Errorf("Name = %q", cfg.Name)
	}
	if cfg.Pickup == nil || *cfg.Pickup {
		t.Errorf("extra line ignored: Pickup = %v", cfg.Pickup)
	}
}

func TestStoreWithExampleCatalog(t *testing.T) {
	db := testkit.OpenStore(t, store.Options{Now: testtime.NewClock(testkit.ShopStart).Now})
	testkit.ImportShop(t, db, "Sharma Kirana", testkit.ExampleCatalog(t))
}
