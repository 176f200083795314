package testkit

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/serial"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem"
)

// AgentOptions are an agent's options for a test: short retries and idle
// time, the real clock. Callers change what their test needs.
func AgentOptions(db *store.DB, h agent.Handler, log zerolog.Logger) agent.Options {
	return agent.Options{
		DB:        db,
		Handler:   h,
		Log:       log,
		Now:       time.Now,
		Retryable: modem.Retryable,
		RetryBase: 100 * time.Millisecond,
		RetryMax:  time.Second,
		Idle:      200 * time.Millisecond,
	}
}

// Link reaches vm through the real serial code, with timeouts long enough
// for a race-enabled run on a 2-core machine.
func Link(vm *vmodem.Modem, log zerolog.Logger) agent.Link {
	return agent.Link{
		Open: func() (io.ReadWriteCloser, error) { return serial.Open(vm.Link(), 115200) },
		Modem: modem.Options{
			Log:            log,
			CommandTimeout: 3 * time.Second,
			SendTimeout:    10 * time.Second,
			HealthInterval: time.Second,
			RegisterWait:   20 * time.Second,
			RebootWait:     5 * time.Second,
			RingGap:        time.Second,
		},
		Receiver:  modem.ReceiverOptions{PollInterval: 200 * time.Millisecond},
		RetryBase: 100 * time.Millisecond,
		RetryMax:  time.Second,
	}
}

// Agent is an agent serving a link until the test ends or Stop is called.
type Agent struct {
	*agent.Agent
	t      testing.TB
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// StartAgent makes an agent from opts and serves link with it.
func StartAgent(t testing.TB, opts agent.Options, link agent.Link) *Agent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a := &Agent{Agent: agent.New(opts), t: t, cancel: cancel, done: make(chan error, 1)}
	go func() { a.done <- a.Serve(ctx, link) }()
	t.Cleanup(a.Stop)
	return a
}

// Stop ends the agent and waits for Serve to return; later calls do
// nothing.
func (a *Agent) Stop() {
	a.once.Do(func() {
		a.cancel()
		select {
		case err := <-a.done:
			if err != nil {
				a.t.Errorf("agent.Serve: %v", err)
			}
		case <-time.After(testtime.Deadline):
			a.t.Errorf("agent.Serve did not return after its context ended")
		}
	})
}

// WaitModem waits until the agent has a modem that finished Init and
// returns it.
func (a *Agent) WaitModem() *modem.Modem {
	a.t.Helper()
	var m *modem.Modem
	testtime.Eventually(a.t, "the modem ready", func() (bool, string) {
		m = a.Modem()
		if m == nil {
			return false, "no modem"
		}
		return m.State() == modem.StateReady, m.State().String()
	})
	return m
}
