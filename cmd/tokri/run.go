package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/tokrihq/tokri/agent/system"
	"github.com/tokrihq/tokri/internal/logging"
)

// RunMain is "tokri run": the agent on a modem until interrupted.
type RunMain struct {
	settings
	trace string
	logTo io.Writer // stderr unless set (tests log to the test)

	// system is the system clock (time.Now unless a test makes it wrong).
	system func() time.Time

	sys *system.System
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
	if cfg.Modem.Port == "" {
		return fmt.Errorf("no modem port: set modem.port in the config or pass --port")
	}
	if c.logTo == nil {
		c.logTo = os.Stderr
	}
	log := logging.New(c.logTo, cfg.Agent.LogLevel)
	if err := os.MkdirAll(cfg.Agent.Data, 0o750); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if c.system == nil {
		c.system = time.Now
	}
	c.sys, err = system.New(system.Options{Config: cfg, Log: log, SystemClock: c.system})
	if err != nil {
		return storeBusy(err, cfg.Agent.Data)
	}
	health := agentHealth(&c.sys.Beats, c.sys.DB, c.sys.Socket, c.sys.Agent.Modem, cfg.Modem.HealthInterval.Duration, c.system)
	c.sys.Add(newWatchdog(log, health).Run)
	return c.sys.Run(ctx)
}

// Close implements command.
func (c *RunMain) Close() error {
	if c.sys != nil {
		return c.sys.Close()
	}
	return nil
}
