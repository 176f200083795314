package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/clock"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/store"
)

// RunMain is "tokri run": the agent on a modem until interrupted.
type RunMain struct {
	settings
	trace string
	logTo io.Writer // stderr unless set (the demo logs to a file)
	// ussdListen and ussdToken replace [ussd] listen and token (the demo
	// serves USSD on a free port).
	ussdListen, ussdToken string

	// system is the system clock (time.Now unless a test makes it wrong).
	system func() time.Time

	cfg     config.Config
	log     zerolog.Logger
	clock   *clock.Clock
	db      *store.DB
	closers []io.Closer
}

// Flags implements command.Command.
func (c *RunMain) Flags(fs *flag.FlagSet) {
	c.register(fs, true)
	fs.StringVar(&c.trace, "trace", "", "append every AT line (numbers and PDUs masked) to this `FILE` (overrides modem.trace)")
}

// defaultMemoryLimit is the agent's soft memory limit (Go heap, stacks and
// runtime metadata) unless GOMEMLIMIT says otherwise. Its live heap is a
// few MB (the catalog's match index, bbolt's nodes of the transaction in
// flight) but it allocates a few hundred KB per message, so by GOGC alone
// the heap runs up to twice the live set; the limit makes the collector
// work earlier only when the process nears it, which costs the 5,000-item
// bench about 1 MB of RSS less for little throughput. A much larger
// catalog that lives above it makes the collector run more, never fail.
const defaultMemoryLimit = 16 << 20

// Run implements command.
func (c *RunMain) Run(ctx context.Context) error {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if c.trace != "" {
		cfg.Modem.Trace = c.trace
	}
	if c.ussdListen != "" {
		cfg.USSD.Listen, cfg.USSD.Token = c.ussdListen, c.ussdToken
	}
	if cfg.Modem.Port == "" {
		return fmt.Errorf("no modem port: set modem.port in the config or pass --port")
	}
	c.cfg = cfg
	if c.logTo == nil {
		c.logTo = os.Stderr
	}
	c.log = newLogger(c.logTo, cfg.Agent.LogLevel)
	if err := os.MkdirAll(cfg.Agent.Data, 0o750); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	return c.serve(ctx)
}

// Close implements command.
func (c *RunMain) Close() error {
	for _, cl := range c.closers {
		cl.Close()
	}
	if c.db != nil {
		return c.db.Close()
	}
	return nil
}
