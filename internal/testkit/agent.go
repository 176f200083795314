package testkit

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/serial"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit/seed"
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

// Link reaches vm through the real serial code, with Quick's timeouts.
func Link(vm *vmodem.Modem, log zerolog.Logger) agent.Link {
	l := agent.Link{Open: func() (io.ReadWriteCloser, error) { return serial.Open(vm.Link(), 115200) }, Modem: modem.Options{Log: log}}
	Quick(&l)
	return l
}

// Quick sets l's timeouts and retries for a test: short, but long enough
// for a race-enabled run on a 2-core machine.
func Quick(l *agent.Link) {
	m := &l.Modem
	m.CommandTimeout, m.SendTimeout, m.HealthInterval = 3*time.Second, 10*time.Second, time.Second
	m.RegisterWait, m.RebootWait, m.RingGap = 20*time.Second, 5*time.Second, time.Second
	l.Receiver.PollInterval, l.RetryBase, l.RetryMax = 200*time.Millisecond, 100*time.Millisecond, time.Second
}

// Agent is an agent, alone or in the running system, serving a link until
// the test ends or Stop is called.
type Agent struct {
	*agent.Agent
	t testing.TB
	// Stop ends the agent and waits for it to return; later calls do
	// nothing.
	Stop func()
}

// StartAgent makes an agent from opts and serves link with it.
func StartAgent(t testing.TB, opts agent.Options, link agent.Link) *Agent {
	t.Helper()
	a := agent.New(opts)
	return NewAgent(t, a, seed.Serve(t, func(ctx context.Context) error { return a.Serve(ctx, link) }))
}

// NewAgent is a, already running, which stop ends.
func NewAgent(t testing.TB, a *agent.Agent, stop func()) *Agent {
	return &Agent{Agent: a, t: t, Stop: stop}
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
