package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/backup"
)

// StoreFileMain is "tokri backup FILE", "tokri restore FILE" and
// "tokri compact": the store file as a whole.
type StoreFileMain struct {
	settings
	verb string // backup, restore or compact
	file string
}

// Flags implements command.Command.
func (c *StoreFileMain) Flags(fs *flag.FlagSet) { c.register(fs, false) }

// Args implements command.Arguments: backup and restore take one file,
// compact none.
func (c *StoreFileMain) Args(args []string) error {
	switch {
	case c.verb == "compact" && len(args) == 0:
		return nil
	case c.verb != "compact" && len(args) == 1:
		c.file = args[0]
		return nil
	case c.verb == "compact":
		return errors.New("compact takes no file: it compacts the store in the data directory")
	case len(args) == 0:
		return errors.New("missing FILE")
	default:
		return fmt.Errorf("unexpected argument %q", args[1])
	}
}

// Run implements command.
func (c *StoreFileMain) Run(ctx context.Context) error {
	cfg, err := c.load()
	if err != nil {
		return err
	}
	dbPath := filepath.Join(cfg.Agent.Data, admin.DBName)
	switch c.verb {
	case "backup":
		how := "from the store file (no agent running)"
		n, err := backup.Write(c.file, backup.FromFile(dbPath))
		if errors.Is(err, backup.ErrInUse) {
			cl := admin.Dial(filepath.Join(cfg.Agent.Data, admin.SocketName))
			defer cl.Close()
			how = "through the running agent"
			n, err = backup.Write(c.file, func(w io.Writer) error { return cl.Backup(ctx, w) })
		}
		if err != nil {
			return err
		}
		fmt.Printf("backed up %s to %s (%d KB), %s\n", dbPath, c.file, n>>10, how)
	case "restore":
		_, had := os.Stat(dbPath)
		if err := backup.Restore(c.file, dbPath); err != nil {
			if errors.Is(err, backup.ErrInUse) {
				return fmt.Errorf("%w: stop it first (sudo systemctl stop tokri), then restore, then start it", err)
			}
			return err
		}
		fmt.Printf("restored %s from %s\n", dbPath, c.file)
		if had == nil {
			fmt.Printf("the file it replaced is kept as %s%s\n", dbPath, backup.BeforeRestoreSuffix)
		}
	case "compact":
		before, after, err := backup.Compact(dbPath)
		if err != nil {
			if errors.Is(err, backup.ErrInUse) {
				return fmt.Errorf("%w: stop it first (sudo systemctl stop tokri), compact, then start it", err)
			}
			return err
		}
		fmt.Printf("compacted %s: %d KB -> %d KB\n", dbPath, before>>10, after>>10)
	}
	return nil
}

// Close implements command.
func (c *StoreFileMain) Close() error { return nil }
