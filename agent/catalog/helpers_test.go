package catalog_test

import (
	"testing"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
)

func openDB(t testing.TB) *store.DB {
	t.Helper()
	return testkit.OpenStore(t, store.Options{})
}
