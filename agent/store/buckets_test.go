package store_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	_ "github.com/tokrihq/tokri/agent/balance"
	_ "github.com/tokrihq/tokri/agent/catalog"
	_ "github.com/tokrihq/tokri/agent/orders"
	_ "github.com/tokrihq/tokri/agent/shop"
	_ "github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	_ "github.com/tokrihq/tokri/agent/today"
	_ "github.com/tokrihq/tokri/agent/uplink"
	_ "github.com/tokrihq/tokri/agent/ussd"
)

// ownerBuckets is the file's layout outside agent/store, by owner.
var ownerBuckets = map[string][]string{
	"agent/balance":  {"balance"},
	"agent/catalog":  {"catalog/items", "catalog/categories", "catalog/meta", "catalog/levels"},
	"agent/orders":   {"orders/by_id", "orders/by_time", "orders/by_shopper", "orders/settings"},
	"agent/shop":     {"shop/sessions", "shop/carts", "shop/limits", "shop/state"},
	"agent/shoppers": {"shoppers/profiles"},
	"agent/today":    {"today/sent"},
	"agent/uplink":   {"sync/state", "sync/rejected"},
	"agent/ussd":     {"ussd/sessions"},
	"sync/outbox":    {"sync/outbox", "sync/outbox_keys", "sync/outbox_stock"},
}

func TestOpenMakesEveryOwnersBuckets(t *testing.T) {
	declared := store.Buckets()
	for owner, names := range ownerBuckets {
		for _, name := range names {
			if got := declared[name]; got != owner {
				t.Errorf("bucket %s declared by %q, want %s", name, got, owner)
			}
		}
	}
	path := filepath.Join(t.TempDir(), store.FileName)
	db, err := store.Open(path, store.Options{Log: zerolog.New(zerolog.NewTestWriter(t))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *store.Tx) error {
		for name, owner := range declared {
			if tx.Bolt().Bucket([]byte(name)) == nil {
				t.Errorf("bucket %s of %s missing after open", name, owner)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoBucketMadeOnWrite keeps the layout in one place: a bucket made by
// a write would be missing from a fresh file and from the schema version.
// Only the store's Open makes the agent's buckets (the central server's
// own file aside).
func TestNoBucketMadeOnWrite(t *testing.T) {
	root := filepath.Join("..", "..")
	allowed := []string{"agent/store/schema.go", "sync/server/boltstore/store.go"}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		if slices.Contains(allowed, filepath.ToSlash(rel)) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(src), "CreateBucketIfNotExists") {
			t.Errorf("%s makes a bucket on write; declare it with store.Declare instead", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
