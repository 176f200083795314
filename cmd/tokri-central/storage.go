package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	bberrors "go.etcd.io/bbolt/errors"

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
	fs.StringVar(&f.Data, "data", "", "data `DIR` (bbolt file central.db)")
	fs.StringVar(&f.DB, "db", "", "PostgreSQL `DSN` (postgres://...); replaces the bbolt file")
}

// open opens the storage the flags name. The bbolt file is locked while
// open, so the CLI cannot use it while serve runs on it. On error the
// Storage is a nil interface, so that Close has nothing to close.
func (f *storageFlags) open(ctx context.Context) (server.Storage, error) {
	if f.DB != "" {
		st, err := pgstore.Open(ctx, f.DB)
		if err != nil {
			return nil, err
		}
		return st, nil
	}
	if f.Data == "" {
		return nil, errors.New("--data DIR or --db DSN is required")
	}
	if err := os.MkdirAll(f.Data, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	path := filepath.Join(f.Data, "central.db")
	st, err := boltstore.Open(path)
	if errors.Is(err, bberrors.ErrTimeout) {
		return nil, fmt.Errorf("%s is in use by another tokri-central (serve holds it while it runs; stop it first, or use --db postgres://...): %w", path, ErrInUse)
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

// storageCommand is the part every storage subcommand shares: the
// storage flags, the storage once opened, and closing it.
type storageCommand struct {
	flags storageFlags
	st    server.Storage
}

// open opens the storage the flags name.
func (c *storageCommand) open(ctx context.Context) (err error) {
	c.st, err = c.flags.open(ctx)
	return err
}

// Close closes the storage, if it was opened.
func (c *storageCommand) Close() error { return closeStorage(c.st) }

// oneStoreCommand is a storage subcommand about the one store --store
// names.
type oneStoreCommand struct {
	storageCommand
	store string
}

func (c *oneStoreCommand) register(fs *flag.FlagSet) {
	c.flags.register(fs)
	fs.StringVar(&c.store, "store", "", "store `ID`")
}

func closeStorage(st server.Storage) error {
	if st == nil {
		return nil
	}
	return st.Close()
}

// ErrInUse means the bbolt file is locked by another process.
var ErrInUse = errors.New("central store in use")
