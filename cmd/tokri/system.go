package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/sync/errgroup"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/clock"
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

// serve builds the running agent from c.cfg, c.log and c.logTo (which Run
// has set) and runs its parts until ctx ends or one of them fails. It is
// the one place the system is wired: tokri run, the demo (in-process) and
// the bench (as a process) all run it.
func (c *RunMain) serve(ctx context.Context) error {
	cfg := c.cfg
	var err error
	c.clock = c.newClock()
	now := c.clock.Now
	c.db, err = store.Open(filepath.Join(cfg.Agent.Data, admin.DBName), store.Options{
		Now:      now,
		Location: cfg.Location(), Country: cfg.Country(), Log: c.log, StatusReports: *cfg.Modem.StatusReports,
		Backup: true, // tokri.db.bak: refused files name it as the copy to restore
		Outbox: store.Policy{
			Share: cfg.Outbox.Share, Reserve: cfg.Outbox.Reserve, ReplyMaxAge: cfg.Outbox.ReplyMaxAge.Duration,
			PerNumber: cfg.Outbox.PerNumber, MaxQueued: cfg.Outbox.MaxQueued, NewShare: cfg.Outbox.NewShare,
		},
	})
	if err != nil {
		return storeBusy(err, cfg.Agent.Data)
	}
	cache := catalog.NewCache()
	sh := shop.New(shop.Options{
		Config:    cfg.Shop,
		Cache:     cache,
		Log:       c.log,
		OwnNumber: cfg.Agent.OwnNumber,
		Location:  cfg.Location(),
		Country:   cfg.Country(),
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
	opts.Location, opts.Country = cfg.Location(), cfg.Country()
	summary := c.daySummary()
	if summary != nil {
		opts.SummaryAt, opts.SummaryTo = fmt.Sprintf("%02d:%02d", summary.At/60, summary.At%60), summary.To
	}
	adm := admin.NewServer(opts)
	c.log.Info().Str("port", cfg.Modem.Port).Str("data", cfg.Agent.Data).Bool("sync", syncer != nil).Msg("agent starting")

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
	// The parts run together; the first to stop stops the others.
	g, ctx := errgroup.WithContext(ctx)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, run := range parts {
		g.Go(func() error {
			defer cancel()
			return run(ctx)
		})
	}
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
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
