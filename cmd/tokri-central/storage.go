package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/boltstore"
	"github.com/tokrihq/tokri/sync/server/pgstore"
)

// storageFlags are the --data and --db flags every subcommand shares.
type storageFlags struct {
	Data string
	DB   string
}

func (f *storageFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Data, "data", "", "data directory (bbolt file central.db)")
	fs.StringVar(&f.DB, "db", "", "PostgreSQL DSN (postgres://...); replaces the bbolt file")
}

// open opens the storage the flags name. The bbolt file is locked while
// open, so the CLI cannot use it while serve runs on it.
func (f *storageFlags) open(ctx context.Context) (server.Storage, error) {
	if f.DB != "" {
		return pgstore.Open(ctx, f.DB)
	}
	if f.Data == "" {
		return nil, errors.New("--data DIR or --db DSN is required")
	}
	if err := os.MkdirAll(f.Data, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return boltstore.Open(filepath.Join(f.Data, "central.db"))
}
