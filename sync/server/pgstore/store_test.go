package pgstore

import (
	"context"
	"os"
	"testing"

	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/storetest"
)

// TestStorage runs the contract suite against the database named by
// TOKRI_TEST_POSTGRES. Every table is truncated between tests: point it at a
// database used for nothing else.
func TestStorage(t *testing.T) {
	dsn := os.Getenv("TOKRI_TEST_POSTGRES")
	if dsn == "" {
		const how = "set TOKRI_TEST_POSTGRES to a PostgreSQL DSN for a scratch database, " +
			"e.g. postgres://tokri:tokri@127.0.0.1:5432/tokri_test?sslmode=disable"
		if os.Getenv("CI") == "true" {
			t.Fatal("the PostgreSQL storage tests must run in CI: " + how)
		}
		t.Log("PostgreSQL half of the storage suite did NOT run: " + how)
		return
	}
	storetest.Run(t, func(t *testing.T) server.Storage {
		ctx := context.Background()
		st, err := Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if err := st.Reset(ctx); err != nil {
			t.Fatal(err)
		}
		return st
	})
}
