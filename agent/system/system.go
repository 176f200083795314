package system

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
	"github.com/tokrihq/tokri/internal/heartbeat"
	"github.com/tokrihq/tokri/internal/together"
	"github.com/tokrihq/tokri/modem"
	"github.com/tokrihq/tokri/modem/at"
)

// Options say what to build beyond the config.
type Options struct {
	// Config is what to build; its data directory exists. With no modem
	// port the shop runs without a modem (the USSD bench).
	Config      config.Config
	Log         zerolog.Logger
	SystemClock func() time.Time // nil is time.Now
	// Link, when set, adjusts how the agent reaches its modem (tests
	// shorten its timeouts).
	Link func(*agent.Link)
}

// System is the shop built from its config. Run runs it; Close releases
// what New opened.
type System struct {
	DB       *store.DB
	Agent    *agent.Agent
	Clock    *clock.Clock
	Socket   string          // the admin API's Unix socket
	USSDAddr string          // where [ussd] listen took callbacks (a port of 0 chosen)
	Beats    heartbeat.Board // the agent's loops', for the watchdog

	opts    Options
	cfg     config.Config
	log     zerolog.Logger
	parts   []func(context.Context) error
	closers []io.Closer
}

// New opens the store in the config's data directory and builds every
// part the config asks for; nothing runs until Run.
func New(o Options) (_ *System, err error) {
	cfg := o.Config
	s := &System{opts: o, cfg: cfg, log: o.Log, Socket: filepath.Join(cfg.Agent.Data, admin.SocketName)}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	s.Clock = s.newClock()
	now := s.Clock.Now
	s.DB, err = store.Open(filepath.Join(cfg.Agent.Data, admin.DBName), store.Options{
		Now:      now,
		Location: cfg.Location(), Country: cfg.Country(), Log: s.log, StatusReports: *cfg.Modem.StatusReports,
		Backup: true, // tokri.db.bak: refused files name it as the copy to restore
		Outbox: store.Policy{
			Share: cfg.Outbox.Share, Reserve: cfg.Outbox.Reserve, ReplyMaxAge: cfg.Outbox.ReplyMaxAge.Duration,
			PerNumber: cfg.Outbox.PerNumber, MaxQueued: cfg.Outbox.MaxQueued, NewShare: cfg.Outbox.NewShare,
		},
	})
	if err != nil {
		return nil, err
	}
	cache := catalog.NewCache()
	sh := shop.New(shop.Options{
		Config:    cfg.Shop,
		Cache:     cache,
		Log:       s.log,
		OwnNumber: cfg.Agent.OwnNumber,
		Location:  cfg.Location(),
		Country:   cfg.Country(),
		Now:       now,
	})
	err = s.DB.Update(func(tx *store.Tx) error {
		if err := orders.SetShopName(tx.Bolt(), cfg.Shop.Name); err != nil {
			return err
		}
		return orders.SetNotices(tx.Bolt(), sh.Notices())
	})
	if err != nil {
		return nil, fmt.Errorf("shop name and notices: %w", err)
	}
	diskWatch := &disk.Watch{Dir: cfg.Agent.Data, Log: s.log.With().Str("component", "disk").Logger()}
	s.Agent = agent.New(agent.Options{
		Admit:     diskWatch.Admit,
		Beats:     &s.Beats,
		DB:        s.DB,
		Handler:   s.stampedHandler(sh),
		Now:       now,
		Log:       s.log,
		DailyCap:  cfg.Agent.DailyCap,
		Retryable: modem.Retryable,
		Retention: agent.Retention{
			Keep: cfg.Retention.Keep.Duration, Orders: cfg.Retention.Orders.Duration, Incomplete: cfg.Retention.Incomplete.Duration, Every: cfg.Retention.Every.Duration,
			Alone: cfg.Sync.Server == "",
		},
	})
	link, err := s.link()
	if err != nil {
		return nil, err
	}
	syncer, err := s.syncClient()
	if err != nil {
		return nil, err
	}
	bal := s.balanceChecker(s.Agent)
	started := now()
	opts := admin.Options{
		DB:    s.DB,
		Cache: cache,
		Log:   s.log,
		Now:   now,
		Status: func() admin.Status {
			st := admin.Status{StartedAt: started, Queues: admin.Queues{DailyCap: cfg.Agent.DailyCap}}
			st.Shop.Open, st.Shop.Hours = cfg.Shop.OpenAt(now().In(cfg.Location())), cfg.Shop.Opens+"-"+cfg.Shop.Closes
			clk, dsk := s.Clock.Status(), diskWatch.Status()
			st.Clock, st.Disk = &clk, &dsk
			if m := s.Agent.Modem(); m != nil {
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
	summary := s.daySummary()
	if summary != nil {
		opts.SummaryAt, opts.SummaryTo = fmt.Sprintf("%02d:%02d", summary.At/60, summary.At%60), summary.To
	}
	adm := admin.NewServer(opts)
	s.log.Info().Str("port", cfg.Modem.Port).Str("data", cfg.Agent.Data).Bool("sync", syncer != nil).Msg("agent starting")

	if cfg.Modem.Port == "" {
		s.Add(s.Agent.Run) // no modem: what the shop sends waits in the outbox
	} else {
		s.Add(func(ctx context.Context) error { return s.Agent.Serve(ctx, link) })
	}
	s.Add(func(ctx context.Context) error { return adm.Serve(ctx, s.Socket) })
	if syncer != nil {
		s.Add(syncer.Run)
	}
	if bal != nil {
		s.Add(bal.Run)
	}
	if summary != nil {
		s.Add(summary.Run)
	}
	if err := s.ussdParts(sh, syncer); err != nil {
		return nil, err
	}
	s.Add(diskWatch.Run)
	s.Add(func(ctx context.Context) error {
		return s.Clock.Poll(ctx, func() clock.NetworkTimer {
			if m := s.Agent.Modem(); m != nil && m.State() == modem.StateReady {
				return m
			}
			return nil
		}, clockPoll)
	})
	return s, nil
}

// Add adds a part to run with the others (the systemd watchdog).
func (s *System) Add(run func(context.Context) error) { s.parts = append(s.parts, run) }

// Run runs the parts together until ctx ends or one of them stops; the
// first to stop stops the others.
func (s *System) Run(ctx context.Context) error { return together.Run(ctx, s.parts...) }

// Close closes what New opened (the store, the trace file, the USSD
// listener), after Run has returned.
func (s *System) Close() error {
	for _, cl := range s.closers {
		cl.Close()
	}
	if s.DB != nil {
		return s.DB.Close()
	}
	return nil
}

// daySummary is what sends the day's summary to the first operator, or
// nil when the shop has no operator or the config turns it off.
func (s *System) daySummary() *today.Sender {
	at, ok := s.cfg.Shop.SummaryAt()
	if !ok || len(s.cfg.Shop.Operators) == 0 {
		return nil
	}
	return &today.Sender{DB: s.DB, Loc: s.cfg.Location(), At: at, To: s.cfg.Shop.Operators[0],
		Now: s.Clock.Now, Log: s.log.With().Str("component", "today").Logger()}
}

// syncClient builds the central sync client, or nil when the store runs
// alone.
func (s *System) syncClient() (*uplink.Client, error) {
	cfg := s.cfg.Sync
	if cfg.Server == "" {
		return nil, nil
	}
	secret, err := cfg.ReadSecret()
	if err != nil {
		return nil, err
	}
	return uplink.New(uplink.Options{
		DB:          s.DB,
		Server:      cfg.Server,
		StoreID:     cfg.StoreID,
		Secret:      secret,
		PinSHA256:   cfg.Pin(),
		PostQuantum: cfg.PostQuantum,
		DailyBytes:  cfg.DailyBytes,
		Location:    s.cfg.Location(),
		Log:         s.log,
		Interval:    cfg.Interval.Duration,
		Wake:        s.DB.SyncSignal(),
		Now:         s.Clock.Now,
		MaxBackoff:  cfg.MaxBackoff.Duration,
		Batch:       cfg.Batch,
		Beats:       &s.Beats,
	})
}

// link builds how the agent reaches the modem from the config.
func (s *System) link() (agent.Link, error) {
	cfg := s.cfg.Modem
	opts := modem.Options{
		Log:            s.log,
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
		s.closers = append(s.closers, f)
		opts.Trace = at.NewRedactor(f)
	}
	link := agent.Link{
		Open:     func() (io.ReadWriteCloser, error) { return serial.Open(cfg.Port, cfg.Baud) },
		Modem:    opts,
		Receiver: modem.ReceiverOptions{PollInterval: cfg.PollInterval.Duration},
	}
	if s.opts.Link != nil {
		s.opts.Link(&link)
	}
	return link, nil
}
