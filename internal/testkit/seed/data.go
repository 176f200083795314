package seed

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/store"
)

// ShortDir is a data directory with a path short enough for a Unix
// socket (108 bytes), which t.TempDir's long names can exceed. It is
// removed when the test ends.
func ShortDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "tk")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// Open opens the store file of the data directory dir, where the agent
// keeps it, on Clock; the caller closes it, so a test can open it again.
func Open(t testing.TB, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, store.FileName), store.Options{Now: Clock, Log: zerolog.New(zerolog.NewTestWriter(t))})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// Data is a fresh data directory in a ShortDir, where the admin socket
// fits, and its store opened by Open and closed when the test ends.
func Data(t testing.TB) (dir string, db *store.DB) {
	t.Helper()
	dir = ShortDir(t)
	db = Open(t, dir)
	t.Cleanup(func() { db.Close() })
	return dir, db
}
