package modem

import (
	"context"
	"errors"
	"time"

	"github.com/tokrihq/tokri/modem/at"
)

// Recovery timings.
const (
	recoveryBase = 5 * time.Second
	recoveryMax  = 5 * time.Minute
	rebootSettle = 2 * time.Second // let a reboot burst finish before Init
	rebootMax    = 5 * time.Minute
	burstWindow  = 10 * time.Minute // reboots closer than this back off
	pingTimeout  = 3 * time.Second
	resetCommand = "AT+CFUN=1,1"
)

// supervise checks health every HealthInterval and brings the modem back
// after a reboot or when it stops answering.
func (m *Modem) supervise(ctx context.Context) {
	tick := m.opts.After(m.opts.HealthInterval)
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.rebootCh:
			m.afterReboot(ctx)
		case <-tick:
			tick = m.opts.After(m.opts.HealthInterval)
			switch m.State() {
			case StateReady:
				err := m.check(ctx)
				switch {
				case errors.Is(err, errEchoBack):
					if m.noteReboot("echo came back") {
						m.afterReboot(ctx)
					}
				case err != nil:
					m.recover(ctx, err)
				}
			case StateRecovering:
				// A failed re-init after a reboot: recover from here.
				m.recover(ctx, errors.New("re-initialisation after reboot failed"))
			case StateStarting:
				// Init was called and failed, or was never called: only
				// retry if it was.
				m.mu.Lock()
				err := m.initErr
				m.mu.Unlock()
				if err != nil {
					m.recover(ctx, err)
				}
			}
		}
	}
}

// errEchoBack means the modem echoes commands again after Init turned
// echo off: it rebooted without a boot line this package knows (Huawei,
// ZTE).
var errEchoBack = errors.New("echo came back")

// check refreshes signal, registration and operator. It returns an error
// when the modem does not answer at all, or errEchoBack.
func (m *Modem) check(ctx context.Context) error {
	m.mu.Lock()
	mark, sticky := m.echoMark, m.echoSticky
	m.mu.Unlock()
	if err := m.probe(ctx); err != nil {
		return err
	}
	if !sticky && m.port.Echoes() != mark {
		return errEchoBack
	}
	return nil
}

func (m *Modem) probe(ctx context.Context) error {
	sig, err := m.querySignal(ctx)
	if err != nil {
		if !errors.Is(err, at.ErrTimeout) {
			if errors.Is(err, at.ErrClosed) {
				return err
			}
			m.log.Debug().Err(err).Msg("signal check failed")
		} else if _, perr := m.port.CommandTimeout(ctx, "AT", pingTimeout); perr != nil {
			return errors.Join(ErrNoResponse, err)
		}
	} else {
		m.updateSignal(sig)
	}
	reg, err := m.queryRegistration(ctx)
	if err != nil {
		m.log.Debug().Err(err).Msg("registration check failed")
		return nil
	}
	op := ""
	if reg.Registered() {
		op, _ = m.queryOperator(ctx)
	}
	m.updateRegistration(reg, op, m.now())
	return nil
}

// afterReboot re-initialises a modem that rebooted by itself. A modem that
// keeps rebooting (a SIM7000 with its PWRKEY held, an undersized supply)
// waits longer each time, so it is not hammered with commands.
func (m *Modem) afterReboot(ctx context.Context) {
	now := m.now()
	m.mu.Lock()
	if !m.lastBoot.IsZero() && now.Sub(m.lastBoot) < burstWindow {
		m.bootBurst++
	} else {
		m.bootBurst = 0
	}
	m.lastBoot = now
	n := m.bootBurst
	m.mu.Unlock()
	wait := rebootSettle
	if n > 0 {
		wait = m.retry(rebootSettle, rebootMax).Delay(n + 1)
	}
	if err := m.sleep(ctx, wait); err != nil {
		return
	}
	// Lines of the same burst that arrived while settling are moot.
	select {
	case <-m.rebootCh:
	default:
	}
	if err := m.Init(ctx); err != nil {
		if ctx.Err() == nil {
			m.recover(ctx, err)
		}
	}
}

// recover brings back a modem that does not answer or failed to
// initialise: re-initialise, then soft-reset (AT+CFUN=1,1), then power-
// cycle through the hook, and round again, waiting longer after each
// failure (capped, jittered). A modem that answers but whose SIM is not
// usable is only re-initialised: resetting it would not help.
func (m *Modem) recover(ctx context.Context, cause error) {
	m.setState(StateRecovering)
	m.log.Warn().Err(cause).Msg("modem unhealthy, recovering")
	m.emit(EventUnresponsive)
	attempt := 0
	for ctx.Err() == nil {
		for _, step := range []string{"reinit", "reset", "power"} {
			if step == "power" && m.opts.PowerCycle == nil {
				continue
			}
			if step != "reinit" && !unresponsive(cause) {
				continue
			}
			err := m.recoveryStep(ctx, step)
			if err == nil {
				m.mu.Lock()
				m.health.Recoveries++
				m.mu.Unlock()
				m.log.Info().Str("step", step).Int("attempts", attempt+1).Msg("modem recovered")
				m.emit(EventRecovered)
				return
			}
			if ctx.Err() != nil || errors.Is(err, at.ErrClosed) {
				return
			}
			cause = err
			wait := m.retry(recoveryBase, recoveryMax).Delay(attempt + 1)
			attempt++
			m.log.Warn().Err(err).Str("step", step).Stringer("retry_in", wait.Round(time.Millisecond)).Msg("modem recovery step failed")
			if m.sleep(ctx, wait) != nil {
				return
			}
		}
	}
}

// unresponsive tells a modem that does not answer from one that answers
// with a problem (SIM, PIN).
func unresponsive(err error) bool {
	return errors.Is(err, ErrNoResponse) || errors.Is(err, at.ErrTimeout)
}

func (m *Modem) recoveryStep(ctx context.Context, step string) error {
	switch step {
	case "reset":
		// The modem may be too wedged to answer; the reset may still take.
		if _, err := m.port.CommandTimeout(ctx, resetCommand, pingTimeout); err != nil {
			m.log.Debug().Err(err).Msg("soft reset")
		}
		if err := m.sleep(ctx, m.opts.RebootWait); err != nil {
			return err
		}
	case "power":
		if err := m.opts.PowerCycle.PowerCycle(ctx); err != nil {
			m.log.Warn().Err(err).Msg("power cycle failed")
		}
		if err := m.sleep(ctx, m.opts.RebootWait); err != nil {
			return err
		}
	}
	return m.Init(ctx)
}
