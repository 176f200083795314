package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/power"
	"github.com/tokrihq/tokri/hardware/serial"
	"github.com/tokrihq/tokri/modem"
	"github.com/tokrihq/tokri/modem/at"
)

// RunMain is "tokri run": the agent on a modem until interrupted.
type RunMain struct {
	settings
	trace string
	logTo io.Writer // stderr unless set (the demo logs to a file)

	cfg     config.Config
	log     zerolog.Logger
	db      *store.DB
	closers []io.Closer
}

// ParseFlags implements command.
func (c *RunMain) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("tokri run", flag.ContinueOnError)
	c.register(fs, true)
	fs.StringVar(&c.trace, "trace", "", "append every AT line (numbers and PDUs masked) to this file (overrides modem.trace)")
	return parse(fs, args)
}

// Run implements command.
func (c *RunMain) Run(ctx context.Context) error {
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
	c.cfg = cfg
	if c.logTo == nil {
		c.logTo = os.Stderr
	}
	c.log = newLogger(c.logTo, cfg.Agent.LogLevel)
	if err := os.MkdirAll(cfg.Agent.Data, 0o750); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	c.db, err = store.Open(filepath.Join(cfg.Agent.Data, "tokri.db"), store.Options{Location: cfg.Location(), Log: c.log})
	if err != nil {
		return err
	}
	a := agent.New(agent.Options{
		DB:            c.db,
		Handler:       agent.Welcome{OwnNumber: cfg.Agent.OwnNumber},
		Log:           c.log,
		DailyCap:      cfg.Agent.DailyCap,
		StatusReports: *cfg.Modem.StatusReports,
		Retryable:     modem.Retryable,
	})
	link, err := c.link()
	if err != nil {
		return err
	}
	c.log.Info().Str("port", cfg.Modem.Port).Str("data", cfg.Agent.Data).Msg("agent starting")
	return a.Serve(ctx, link)
}

// link builds how the agent reaches the modem from the config.
func (c *RunMain) link() (agent.Link, error) {
	cfg := c.cfg.Modem
	opts := modem.Options{
		Log:            c.log,
		HealthInterval: cfg.HealthInterval.Duration,
		PIN:            cfg.PIN,
		RejectCalls:    true,
	}
	if len(cfg.PowerCycle) > 0 {
		opts.PowerCycle = power.Command{Argv: cfg.PowerCycle}
	} else {
		opts.PowerCycle = power.None{}
	}
	if cfg.Trace != "" {
		f, err := os.OpenFile(cfg.Trace, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
		if err != nil {
			return agent.Link{}, fmt.Errorf("trace file: %w", err)
		}
		c.closers = append(c.closers, f)
		opts.Trace = at.NewRedactor(f)
	}
	return agent.Link{
		Open:     func() (io.ReadWriteCloser, error) { return serial.Open(cfg.Port, cfg.Baud) },
		Modem:    opts,
		Receiver: modem.ReceiverOptions{PollInterval: cfg.PollInterval.Duration},
	}, nil
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
