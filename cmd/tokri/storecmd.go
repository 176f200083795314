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

// ParseFlags implements command.
func (c *StoreFileMain) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("tokri "+c.verb, flag.ContinueOnError)
	c.register(fs, false)
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case c.verb == "compact" && fs.NArg() == 0:
		return nil
	case c.verb != "compact" && fs.NArg() == 1:
		c.file = fs.Arg(0)
		return nil
	case c.verb == "compact":
		return fmt.Errorf("tokri compact takes no file: it compacts the store in the data directory")
	default:
		return fmt.Errorf("usage: tokri %s [--data DIR | --config FILE] FILE", c.verb)
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
