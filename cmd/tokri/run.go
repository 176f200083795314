package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/clock"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/disk"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shop"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/today"
	"github.com/tokrihq/tokri/agent/uplink"
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

// ParseFlags implements command.
func (c *RunMain) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("tokri run", flag.ContinueOnError)
	c.register(fs, true)
	fs.StringVar(&c.trace, "trace", "", "append every AT line (numbers and PDUs masked) to this file (overrides modem.trace)")
	return parse(fs, args)
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
	c.clock = c.newClock()
	now := c.clock.Now
	c.db, err = store.Open(filepath.Join(cfg.Agent.Data, admin.DBName), store.Options{
		Now:      now,
		Location: cfg.Location(), Log: c.log, StatusReports: *cfg.Modem.StatusReports,
		Backup: true, // tokri.db.bak: refused files name it as the copy to restore
		Outbox: store.Policy{
			Share: cfg.Outbox.Share, Reserve: cfg.Outbox.Reserve, ReplyMaxAge: cfg.Outbox.ReplyMaxAge.Duration,
			PerNumber: cfg.Outbox.PerNumber, MaxQueued: cfg.Outbox.MaxQueued, NewShare: cfg.Outbox.NewShare,
		},
	})
	if err != nil {
		return err
	}
	cache := catalog.NewCache()
	sh := shop.New(shop.Options{
		Config:    cfg.Shop,
		Cache:     cache,
		Log:       c.log,
		OwnNumber: cfg.Agent.OwnNumber,
		Location:  cfg.Location(),
		Now:       now,
	})
	err = c.db.Update(func(tx *store.Tx) error {
		if err := orders.SetShopName(tx.Bolt(), cfg.Shop.Name); err != nil {
			return err
		}
		return orders.SetNotices(tx.Bolt(), sh.Notices())
	})
	if err != nil {
		return fmt.Errorf("shop name and notices: %w", err)
	}
	diskWatch := &disk.Watch{Dir: cfg.Agent.Data, Log: c.log.With().Str("component", "disk").Logger()}
	a := agent.New(agent.Options{
		Admit:     diskWatch.Admit,
		DB:        c.db,
		Handler:   c.stampedHandler(sh),
		Now:       now,
		Log:       c.log,
		DailyCap:  cfg.Agent.DailyCap,
		Retryable: modem.Retryable,
		Retention: agent.Retention{
			Keep: cfg.Retention.Keep.Duration, Orders: cfg.Retention.Orders.Duration, Incomplete: cfg.Retention.Incomplete.Duration, Every: cfg.Retention.Every.Duration,
		},
	})
	link, err := c.link()
	if err != nil {
		return err
	}
	syncer, err := c.syncClient()
	if err != nil {
		return err
	}
	bal := c.balanceChecker(a)
	started := now()
	opts := admin.Options{
		DB:    c.db,
		Cache: cache,
		Log:   c.log,
		Now:   now,
		Status: func() admin.Status {
			st := admin.Status{StartedAt: started, Queues: admin.Queues{DailyCap: cfg.Agent.DailyCap}}
			st.Shop.Open, st.Shop.Hours = cfg.Shop.OpenAt(now().In(cfg.Location())), cfg.Shop.Opens+"-"+cfg.Shop.Closes
			clk, dsk := c.clock.Status(), diskWatch.Status()
			st.Clock, st.Disk = &clk, &dsk
			if m := a.Modem(); m != nil {
				st.Modem = admin.ModemFromHealth(m.Health())
			}
			if bal != nil {
				b := bal.Status()
				st.Balance = &b
			}
			return st
		},
	}
	if syncer != nil {
		opts.Sync = syncer
	}
	opts.Location = cfg.Location()
	summary := c.daySummary()
	if summary != nil {
		opts.SummaryAt, opts.SummaryTo = fmt.Sprintf("%02d:%02d", summary.At/60, summary.At%60), summary.To
	}
	adm := admin.NewServer(opts)
	c.log.Info().Str("port", cfg.Modem.Port).Str("data", cfg.Agent.Data).Bool("sync", syncer != nil).Msg("agent starting")

	// The parts run together; the first to fail stops the others.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	parts := []func(context.Context) error{
		func(ctx context.Context) error { return a.Serve(ctx, link) },
		func(ctx context.Context) error {
			return adm.Serve(ctx, filepath.Join(cfg.Agent.Data, admin.SocketName))
		},
	}
	if syncer != nil {
		parts = append(parts, syncer.Run)
	}
	if bal != nil {
		parts = append(parts, bal.Run)
	}
	if summary != nil {
		parts = append(parts, summary.Run)
	}
	ussdParts, err := c.ussdParts(sh)
	if err != nil {
		return err
	}
	parts = append(parts, ussdParts...)
	parts = append(parts, diskWatch.Run)
	parts = append(parts, func(ctx context.Context) error {
		return c.clock.Poll(ctx, func() clock.NetworkTimer {
			if m := a.Modem(); m != nil && m.State() == modem.StateReady {
				return m
			}
			return nil
		}, clockPoll)
	})
	health := agentHealth(c.db, filepath.Join(cfg.Agent.Data, admin.SocketName), a.Modem, cfg.Modem.HealthInterval.Duration, c.system)
	parts = append(parts, newWatchdog(c.log, health).Run)
	errc := make(chan error, len(parts))
	for _, run := range parts {
		go func() { errc <- run(ctx) }()
	}
	var first error
	for range parts {
		err := <-errc
		if first == nil && err != nil && !errors.Is(err, context.Canceled) {
			first = err
		}
		cancel()
	}
	return first
}

// daySummary is what sends the day's summary to the first operator, or
// nil when the shop has no operator or the config turns it off.
func (c *RunMain) daySummary() *today.Sender {
	at, ok := c.cfg.Shop.SummaryAt()
	if !ok || len(c.cfg.Shop.Operators) == 0 {
		return nil
	}
	return &today.Sender{DB: c.db, Loc: c.cfg.Location(), At: at, To: c.cfg.Shop.Operators[0],
		Log: c.log.With().Str("component", "today").Logger()}
}

// syncClient builds the central sync client, or nil when the store runs
// alone.
func (c *RunMain) syncClient() (*uplink.Client, error) {
	cfg := c.cfg.Sync
	if cfg.Server == "" {
		return nil, nil
	}
	secret, err := cfg.ReadSecret()
	if err != nil {
		return nil, err
	}
	return uplink.New(uplink.Options{
		DB:         c.db,
		Server:     cfg.Server,
		StoreID:    cfg.StoreID,
		Secret:     secret,
		PinSHA256:  cfg.Pin(),
		DailyBytes: cfg.DailyBytes,
		Location:   c.cfg.Location(),
		Log:        c.log,
		Interval:   cfg.Interval.Duration,
		Wake:       c.db.SyncSignal(),
		Now:        c.clock.Now,
		MaxBackoff: cfg.MaxBackoff.Duration,
		Batch:      cfg.Batch,
	})
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
