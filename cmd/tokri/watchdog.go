package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/heartbeat"
	"github.com/tokrihq/tokri/modem"
)

// watchdog tells systemd (Type=notify) that the agent is up and pets its
// watchdog only while the agent's parts answer, so systemd restarts an
// agent that hangs instead of one that merely has no modem: the agent
// recovers a missing modem itself, a restart would not help.
type watchdog struct {
	interval time.Duration            // WatchdogSec; 0 when systemd runs no watchdog
	tick     <-chan time.Time         // nil: every interval/3
	healthy  func() error             // nil error: pet
	notify   func(state string) error // sd_notify
	log      zerolog.Logger
}

func newWatchdog(log zerolog.Logger, healthy func() error) *watchdog {
	interval, err := daemon.SdWatchdogEnabled(false)
	if err != nil {
		log.Warn().Err(err).Msg("systemd watchdog settings unreadable; not petting it")
	}
	return &watchdog{
		interval: interval,
		healthy:  healthy,
		notify: func(state string) error {
			_, err := daemon.SdNotify(false, state)
			return err
		},
		log: log,
	}
}

// Run says READY once the agent's parts answer, then pets the watchdog
// until ctx ends. Outside systemd every notification is a no-op.
func (w *watchdog) Run(ctx context.Context) error {
	tick := w.tick
	var t *time.Ticker
	if tick == nil {
		t = time.NewTicker(readyPoll)
		defer t.Stop()
		tick = t.C
	}
	for polls := 1; ; polls++ {
		err := w.healthy()
		if err == nil {
			w.send(daemon.SdNotifyReady)
			break
		}
		if polls == 50 { // about 10 s
			w.log.Warn().Err(err).Msg("agent not ready yet")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick:
		}
	}
	if t != nil {
		if w.interval <= 0 {
			<-ctx.Done()
			w.send(daemon.SdNotifyStopping)
			return nil
		}
		t.Reset(w.interval / 3)
	}
	for {
		select {
		case <-ctx.Done():
			w.send(daemon.SdNotifyStopping)
			return nil
		case <-tick:
			if err := w.healthy(); err != nil {
				w.log.Warn().Err(err).Msg("agent unhealthy: not petting the systemd watchdog")
				continue
			}
			w.send(daemon.SdNotifyWatchdog)
		}
	}
}

// readyPoll is how often the parts are asked until they all answer.
const readyPoll = 200 * time.Millisecond

func (w *watchdog) send(state string) {
	if err := w.notify(state); err != nil {
		w.log.Warn().Err(err).Str("state", state).Msg("sd_notify")
	}
}

// agentHealth is what the watchdog asks: every loop of the agent waits for
// work or does it within its bound, the store answers a read, the admin
// socket takes connections, and a modem that is up has had its health
// checked lately (its supervisor loop runs).
func agentHealth(beats *heartbeat.Board, db *store.DB, socket string, m func() *modem.Modem, healthEvery time.Duration, now func() time.Time) func() error {
	return func() error {
		if err := beats.Check(); err != nil {
			return err
		}
		done := make(chan error, 1)
		go func() { done <- db.View(func(*store.Tx) error { return nil }) }()
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("store read: %w", err)
			}
		case <-time.After(10 * time.Second):
			return fmt.Errorf("store read blocked for 10 s")
		}
		conn, err := net.DialTimeout("unix", socket, 5*time.Second)
		if err != nil {
			return fmt.Errorf("admin socket: %w", err)
		}
		conn.Close()
		if md := m(); md != nil {
			h := md.Health()
			stale := 3*healthEvery + time.Minute
			if h.State == modem.StateReady && !h.CheckedAt.IsZero() && now().Sub(h.CheckedAt) > stale {
				return fmt.Errorf("modem health last checked %s ago", now().Sub(h.CheckedAt).Round(time.Second))
			}
		}
		return nil
	}
}
