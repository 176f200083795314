package modem

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tokrihq/tokri/modem/at"
)

// Init timings: short so a wedged modem is noticed quickly, retried so a
// booting one gets the time it needs.
const (
	syncAttempts    = 6
	syncTimeout     = 3 * time.Second
	syncPause       = time.Second
	simAttempts     = 15
	simPause        = 2 * time.Second
	smsAttempts     = 30 // SIM800 needs ~15 s after power-up before SMS commands work
	smsPause        = 2 * time.Second
	registerPoll    = 4 * time.Second
	listTimeout     = 60 * time.Second
	quickCmdTimeout = 5 * time.Second
)

// storagePrefs are tried in order for AT+CPMS: the SIM first (messages
// survive a modem swap), then the modem's own memory.
var storagePrefs = []string{
	`AT+CPMS="SM","SM","SM"`,
	`AT+CPMS="ME","ME","ME"`,
	`AT+CPMS="MT","MT","MT"`,
	`AT+CPMS="SM"`,
}

// cnmiPrefs are tried in order for AT+CNMI: store and announce with +CMTI
// (mt=1), status reports inline as +CDS (ds=1), or stored and announced as
// +CDSI (ds=2), or not at all. Buffering (mode 1) is the fallback for
// modems without mode 2.
var cnmiPrefs = []string{
	"AT+CNMI=2,1,0,1,0",
	"AT+CNMI=2,1,0,2,0",
	"AT+CNMI=1,1,0,1,0",
	"AT+CNMI=1,1,0,2,0",
	"AT+CNMI=2,1,0,0,0",
	"AT+CNMI=1,1,0,0,0",
}

// Init brings the modem into a known state: it gets the modem's attention
// through whatever state it is in (a half-typed command, an SMS prompt,
// echo, boot chatter), turns echo off and numeric errors on, checks the
// SIM (entering the PIN if asked), waits for registration, and sets PDU
// mode, storage and new-message indications. Run must be running.
func (m *Modem) Init(ctx context.Context) error {
	m.initMu.Lock()
	defer m.initMu.Unlock()
	m.beginInit()
	// Boot lines are expected while the modem is set up; from then on
	// one means the commands in flight will never be answered.
	m.port.WatchReboots(false)
	m.port.Resume()
	err := m.initLocked(ctx)
	if err == nil {
		m.port.WatchReboots(true)
	}
	return m.endInit(err)
}

func (m *Modem) beginInit() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initialising = true
	m.signInInit = ""
	if m.state == StateReady {
		m.setStateLocked(StateRecovering)
	}
}

// endInit records how Init went. A boot sign the port reported after it
// started watching (see portRebooted) means the modem, just set up,
// rebooted again: it is acted on once the modem is ready.
func (m *Modem) endInit(err error) error {
	m.mu.Lock()
	m.initialising = false
	sign := m.signInInit
	m.signInInit = ""
	m.initErr = err
	if err != nil {
		m.health.LastError = err.Error()
	} else {
		m.health.LastError = ""
		m.setStateLocked(StateReady)
	}
	m.mu.Unlock()
	if err != nil {
		return fmt.Errorf("init modem: %w", err)
	}
	h := m.Health()
	m.log.Info().Str("registration", h.Registration.String()).Int("bars", h.Signal.Bars).
		Str("operator", h.Operator).Msg("modem ready")
	m.emit(EventReady)
	if sign != "" {
		m.bootSeen(sign)
	}
	return nil
}

func (m *Modem) initLocked(ctx context.Context) error {
	if err := m.sync(ctx); err != nil {
		return err
	}
	m.optional(ctx, "ATE0")
	echoes := m.port.Echoes()
	m.optional(ctx, "AT+CMEE=1")
	if lines, err := m.port.Command(ctx, "AT+CGMI"); err == nil {
		manu := identValue(lines, "+CGMI")
		m.mu.Lock()
		m.manufacturer = manu
		m.mu.Unlock()
		if strings.Contains(strings.ToLower(manu), "huawei") {
			// Stop ^RSSI/^BOOT/^MODE chatter (gammu issue 680).
			m.optional(ctx, "AT^CURC=0")
		}
	}
	err := m.checkSIM(ctx)
	m.mu.Lock()
	m.health.SIM = simStateOf(err)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	if s, err := m.querySignal(ctx); err == nil {
		m.updateSignal(s)
	}
	if err := m.waitRegistered(ctx); err != nil {
		return err
	}
	if err := m.setupSMS(ctx); err != nil {
		return err
	}
	m.optional(ctx, "AT+CLIP=1")
	if lines, err := m.port.Command(ctx, "AT+CSCS?"); err == nil {
		if f, ok := findFields(lines, "+CSCS"); ok && unquote(f[0]) != "" {
			m.mu.Lock()
			m.charset = unquote(f[0])
			m.mu.Unlock()
		}
	}
	// A modem that still echoed after ATE0 cannot have its reboots told
	// by the echo coming back.
	now := m.port.Echoes()
	m.mu.Lock()
	m.echoSticky = now != echoes
	m.echoMark = now
	m.mu.Unlock()
	return nil
}

// optional runs a command whose failure does not matter.
func (m *Modem) optional(ctx context.Context, cmd string) {
	if _, err := m.port.Command(ctx, cmd); err != nil {
		m.log.Debug().Err(err).Str("cmd", cmd).Msg("optional command failed")
	}
}

// sync gets an OK for "AT": ESC abandons an SMS prompt, CR ends a
// half-typed command (its ERROR is discarded), and boot chatter is
// skipped by the AT layer.
func (m *Modem) sync(ctx context.Context) error {
	var last error
	for i := 0; i < syncAttempts; i++ {
		if err := m.port.Interrupt(ctx); err != nil {
			last = err
		} else if _, err := m.port.CommandTimeout(ctx, "AT", syncTimeout); err == nil {
			return nil
		} else {
			last = err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(last, at.ErrClosed) || i == syncAttempts-1 {
			break
		}
		if err := m.sleep(ctx, syncPause); err != nil {
			return err
		}
	}
	return fmt.Errorf("%w: %w", ErrNoResponse, last)
}

// checkSIM makes sure the SIM is ready, entering the PIN if asked. A SIM
// that is busy right after boot (+CME ERROR: 14, Wavecom's 515, "+CPIN:
// NOT READY") is asked again.
func (m *Modem) checkSIM(ctx context.Context) error {
	pinSent := false
	var last error
	for i := 0; i < simAttempts; i++ {
		lines, err := m.port.CommandTimeout(ctx, "AT+CPIN?", quickCmdTimeout)
		status := ""
		if f, ok := findFields(lines, "+CPIN"); ok {
			// Wavecom answers without an OK: the line is enough.
			status = strings.ToUpper(unquote(f[0]))
			err = nil
		}
		var cme *at.CMEError
		var cms *at.CMSError
		switch {
		case err == nil && status == "READY":
			return nil
		case err == nil && status == "SIM PIN":
			m.mu.Lock()
			rejected := m.pinRejected
			m.mu.Unlock()
			if m.opts.PIN == "" {
				return ErrPINRequired
			}
			if rejected {
				// Entering a wrong PIN again would lock the SIM (PUK).
				return fmt.Errorf("%w: the configured PIN was rejected before", ErrPINRequired)
			}
			if pinSent {
				// The PIN was accepted but the SIM is still unlocking.
				break
			}
			pinSent = true
			if _, err := m.port.Command(ctx, fmt.Sprintf(`AT+CPIN="%s"`, m.opts.PIN)); err != nil {
				if errors.As(err, &cme) && cme.Code == 16 {
					m.mu.Lock()
					m.pinRejected = true
					m.mu.Unlock()
					return fmt.Errorf("%w: wrong PIN", ErrPINRequired)
				}
				return fmt.Errorf("enter PIN: %w", err)
			}
			continue
		case err == nil && (strings.Contains(status, "PUK") || strings.Contains(status, "PH-")):
			return fmt.Errorf("%w (%s)", ErrPUKRequired, status)
		case err == nil && status == "NOT INSERTED":
			return ErrNoSIM
		case errors.As(err, &cme) && (cme.Code == 10 || cme.Code == 13):
			return fmt.Errorf("%w: %w", ErrNoSIM, err)
		case errors.As(err, &cme) && cme.Code == 12:
			return ErrPUKRequired
		case errors.As(err, &cme) && cme.Code == 11:
			if m.opts.PIN == "" {
				return ErrPINRequired
			}
		case errors.As(err, &cms) && cms.Code == 310:
			return fmt.Errorf("%w: %w", ErrNoSIM, err)
		case errors.Is(err, at.ErrClosed):
			return err
		}
		last = err
		if last == nil {
			last = fmt.Errorf("SIM %s", status)
		}
		if i == simAttempts-1 {
			break
		}
		if err := m.sleep(ctx, simPause); err != nil {
			return err
		}
	}
	return fmt.Errorf("SIM not ready: %w", last)
}

// waitRegistered polls registration for up to RegisterWait. Not being
// registered is not an error: stored messages can still be read, and the
// health check reports it.
func (m *Modem) waitRegistered(ctx context.Context) error {
	deadline := m.opts.After(m.opts.RegisterWait)
	for {
		r, err := m.queryRegistration(ctx)
		if errors.Is(err, at.ErrClosed) {
			return err
		}
		op := ""
		if r.Registered() {
			op, _ = m.queryOperator(ctx)
		}
		m.updateRegistration(r, op, m.now())
		if r.Registered() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			m.log.Warn().Str("registration", r.String()).Msg("not registered to a network yet; carrying on")
			return nil
		case <-m.opts.After(registerPoll):
		}
	}
}

// setupSMS sets PDU mode, storage and indications. Until a SIM800 has
// printed "SMS Ready", SMS commands fail; they are retried until it has.
func (m *Modem) setupSMS(ctx context.Context) error {
	var err error
	for i := 0; i < smsAttempts; i++ {
		if _, err = m.port.Command(ctx, "AT+CMGF=0"); err == nil {
			break
		}
		if errors.Is(err, at.ErrClosed) || ctx.Err() != nil {
			return fmt.Errorf("AT+CMGF=0: %w", err)
		}
		m.log.Debug().Err(err).Msg("SMS not ready yet")
		if i == smsAttempts-1 {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-m.smsReady:
		case <-m.opts.After(smsPause):
		}
	}
	if err != nil {
		return fmt.Errorf("PDU mode (AT+CMGF=0): %w", err)
	}

	mem := ""
	for _, cmd := range storagePrefs {
		if _, err := m.port.Command(ctx, cmd); err == nil {
			mem = cmd[len(`AT+CPMS="`) : len(`AT+CPMS="`)+2]
			break
		} else if errors.Is(err, at.ErrClosed) {
			return err
		}
	}
	if mem == "" {
		// Keep whatever the modem uses.
		st, err := m.queryStorage(ctx)
		if err != nil {
			return fmt.Errorf("no usable SMS storage: %w", err)
		}
		mem = st.Mem
		m.log.Warn().Str("mem", mem).Msg("could not select SMS storage; using the modem's")
	}

	cnmi := ""
	for _, cmd := range cnmiPrefs {
		if _, err := m.port.Command(ctx, cmd); err == nil {
			cnmi = cmd
			break
		} else if errors.Is(err, at.ErrClosed) {
			return err
		}
	}
	if cnmi == "" {
		// Without indications the storage poll still finds messages.
		m.log.Warn().Msg("modem refused every AT+CNMI setting; relying on storage polling")
	}
	m.mu.Lock()
	m.readMem = mem
	m.mu.Unlock()
	m.log.Debug().Str("mem", mem).Str("cnmi", cnmi).Msg("SMS set up")
	return nil
}
