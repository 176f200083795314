package modem

import (
	"context"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/backoff"
	"github.com/tokrihq/tokri/modem/at"
)

// State is where the modem is in its life cycle.
type State int

// States.
const (
	StateStarting   State = iota // Init has not succeeded yet
	StateReady                   // initialised and answering
	StateRecovering              // rebooted or stopped answering; being brought back
)

func (s State) String() string {
	switch s {
	case StateStarting:
		return "starting"
	case StateReady:
		return "ready"
	case StateRecovering:
		return "recovering"
	}
	return "unknown"
}

// Modem drives one GSM modem. Run must be running for anything else to
// work; Init brings the modem up and is repeated by Run's supervisor
// whenever the modem reboots or stops answering.
type Modem struct {
	port     *at.Port
	opts     Options
	log      zerolog.Logger
	events   chan Event
	rebootCh chan struct{} // a reboot burst was seen (cap 1)
	smsReady chan struct{} // "SMS Ready" was seen (cap 1)
	itemSig  chan struct{} // items were queued (cap 1)
	initMu   sync.Mutex    // one Init at a time

	mu           sync.Mutex // guards following
	state        State
	readyCh      chan struct{} // closed while StateReady
	readyGen     int           // counts transitions to StateReady
	initialising bool
	signInInit   string // a boot sign the port reported while Init was ending
	health       Health
	manufacturer string
	charset      string // +CSCS, for USSD
	readMem      string // <mem1> that AT+CMGR/CMGL/CMGD use
	noAck        bool   // the modem said +CNMA is not expected
	ussdCh       chan at.URC
	items        []item
	receiving    bool
	echoMark     uint64    // the port's echo count when Init finished
	echoSticky   bool      // the modem echoes despite ATE0: echo tells nothing
	pinRejected  bool      // the SIM refused Options.PIN: never enter it again
	initErr      error     // why the last Init failed; nil after a success
	bootBurst    int       // reboots in a row, for the settle back-off
	lastBoot     time.Time // when the last reboot was seen
}

// New returns a Modem talking to rw. Run owns rw and closes it when it
// returns (if rw is an io.Closer).
func New(rw io.ReadWriter, opts Options) *Modem {
	opts.setDefaults()
	log := opts.Log.With().Str("component", "modem").Logger()
	m := &Modem{
		opts:     opts,
		log:      log,
		events:   make(chan Event, 64),
		rebootCh: make(chan struct{}, 1),
		smsReady: make(chan struct{}, 1),
		itemSig:  make(chan struct{}, 1),
		readyCh:  make(chan struct{}),
		charset:  "IRA",
	}
	m.health.State = StateStarting
	m.port = at.New(rw, at.Options{
		Log:        opts.Log,
		Trace:      opts.Trace,
		Now:        opts.Now,
		After:      opts.After,
		Timeout:    opts.CommandTimeout,
		SMSTimeout: opts.SendTimeout,
		OnReboot:   m.portRebooted,
	})
	return m
}

// Run runs the AT port, routes unsolicited codes and supervises the
// modem's health until ctx ends (it returns nil) or the port fails (it
// returns the error: a USB modem that re-enumerated after a power cycle
// has to be reopened, and a new Modem started on it).
func (m *Modem) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		m.dispatch(ctx, &wg)
	}()
	go func() {
		defer wg.Done()
		m.supervise(ctx)
	}()
	err := m.port.Run(ctx)
	cancel()
	wg.Wait()
	if err != nil {
		m.log.Warn().Err(err).Msg("modem port ended")
	}
	return err
}

// State returns the current life-cycle state.
func (m *Modem) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state
}

// ready returns a channel closed while the modem is ready, and the ready
// generation.
func (m *Modem) ready() (<-chan struct{}, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.readyCh, m.readyGen
}

// setStateLocked moves to s, maintaining readyCh.
func (m *Modem) setStateLocked(s State) {
	if s == m.state {
		return
	}
	if m.state == StateReady {
		m.readyCh = make(chan struct{})
	}
	if s == StateReady {
		close(m.readyCh)
		m.readyGen++
		// Wake the receiver: a new generation means a storage scan.
		select {
		case m.itemSig <- struct{}{}:
		default:
		}
	}
	m.state = s
	m.health.State = s
}

func (m *Modem) setState(s State) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.setStateLocked(s)
}

func (m *Modem) isReady() bool { return m.State() == StateReady }

// WaitReady waits until the modem is ready, ctx ends or Run has returned.
func (m *Modem) WaitReady(ctx context.Context) error {
	ch, _ := m.ready()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-m.port.Done():
		return at.ErrClosed
	}
}

func (m *Modem) now() time.Time { return m.opts.Now() }

// sleep waits d on the injected clock.
func (m *Modem) sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-m.opts.After(d):
		return nil
	}
}

// retry is the back-off from base to max on the injected clock, each wait
// up to 40% shorter at random so a fleet does not retry in step.
func (m *Modem) retry(base, max time.Duration) backoff.Policy {
	return backoff.Policy{Base: base, Max: max, Jitter: 0.4, Rand: m.opts.Jitter, After: m.opts.After}
}

// dispatch routes URCs: SMS indications and missed calls to the receiver's
// queue, +CUSD to a waiting USSD call, reboot bursts to the supervisor.
func (m *Modem) dispatch(ctx context.Context, wg *sync.WaitGroup) {
	calls := callTracker{gap: m.opts.RingGap, after: m.opts.After}
	urcs := m.port.URCs()
	for {
		select {
		case <-ctx.Done():
			return
		case u, ok := <-urcs:
			if !ok {
				return
			}
			m.onURC(ctx, u, &calls, wg)
		case now := <-calls.timer:
			if from, at, ended := calls.expire(now); ended {
				m.missedCall(from, at)
			}
		}
	}
}

func (m *Modem) onURC(ctx context.Context, u at.URC, calls *callTracker, wg *sync.WaitGroup) {
	line := ""
	if len(u.Lines) > 0 {
		line = u.Lines[0]
	}
	if at.BootSign(u) {
		if u.Name == "SMS Ready" {
			select {
			case m.smsReady <- struct{}{}:
			default:
			}
		}
		// The port acted on the burst's first line in step with the
		// commands (portRebooted); this copy can arrive after Init has
		// set the modem up again, and would start a second re-init. In
		// step with the other codes, it drops the indications before it.
		m.dropIndications()
		return
	}
	switch u.Name {
	case "+CMTI", "+CDSI":
		mem, idx, ok := parseIndication(line)
		if !ok {
			m.log.Warn().Str("urc", u.Name).Msg("unreadable storage indication")
			return
		}
		m.push(item{kind: itemStored, mem: mem, index: idx, report: u.Name == "+CDSI", at: u.At})
	case "+CMT", "+CDS":
		if len(u.Lines) < 2 {
			m.log.Warn().Str("urc", u.Name).Msg("indication without a PDU line")
			return
		}
		m.push(item{kind: itemInline, pdu: u.Lines[1], report: u.Name == "+CDS", at: u.At})
	case "+CUSD":
		m.mu.Lock()
		ch := m.ussdCh
		m.mu.Unlock()
		if ch == nil {
			m.log.Debug().Msg("network-initiated USSD ignored")
			return
		}
		select {
		case ch <- u:
		default:
		}
	case "RING", "+CRING":
		if calls.ring(u.At) {
			m.maybeReject(ctx, calls, wg)
		}
	case "+CLIP":
		calls.clip(parseCLIP(line), u.At)
		m.maybeReject(ctx, calls, wg)
	case "NO CARRIER", "^CEND", "HANGUP":
		if from, at, ended := calls.hangup(); ended {
			m.missedCall(from, at)
		}
	case "+WIND":
		// Wavecom: +WIND: 6,<id> is "call released".
		if rest, _ := afterPrefix(line, "+WIND"); strings.HasPrefix(rest, "6") {
			if from, at, ended := calls.hangup(); ended {
				m.missedCall(from, at)
			}
		}
	case "^RSSI":
		if rest, ok := afterPrefix(line, "^RSSI"); ok {
			if v, ok := atoi(rest); ok {
				m.updateSignal(SignalFromCSQ(v))
			}
		}
	case "+CMS ERROR":
		// nRF91: an unsolicited +CMS ERROR: 524 means the modem dropped
		// the SMS client registration; Init sets +CNMI again.
		m.log.Warn().Str("urc", line).Msg("unsolicited SMS error, re-initialising")
		m.bootSeen(u.Name)
	case "NORMAL POWER DOWN", "UNDER-VOLTAGE POWER DOWN", "OVER-VOLTAGE POWER DOWN",
		"UNDER-VOLTAGE WARNNING", "OVER-VOLTAGE WARNNING":
		m.log.Warn().Str("urc", u.Name).Msg("modem reports a power problem: check the supply")
	default:
		m.log.Debug().Str("urc", u.Name).Msg("unsolicited code ignored")
	}
}

// bootSeen reacts to a sign that the modem lost its settings: a line of a
// reboot burst (at.BootSign), or an answer in the wrong mode. Indications
// queued before it point at reads that would now be answered in whatever
// mode the modem came up in, so they are dropped: the storage scan after
// re-initialisation finds those messages. Unless Init is running or
// recovery already is, the modem is initialised again.
//
// Huawei's ^BOOT is not a sign: without AT^CURC=0 it repeats every few
// seconds as a heartbeat (python-gsmmodem issue 35), and models that
// refuse AT^CURC would be re-initialised for ever.
func (m *Modem) bootSeen(sign string) {
	if m.noteReboot(sign) {
		select {
		case m.rebootCh <- struct{}{}:
		default:
		}
	}
}

// portRebooted is the port's OnReboot: a boot sign came while the port
// watched, which it does from just before Init declares the modem ready.
// A sign in that gap is kept for Init to act on once it has finished.
func (m *Modem) portRebooted(sign string) {
	m.mu.Lock()
	if m.initialising {
		m.signInInit = sign
	}
	m.mu.Unlock()
	m.bootSeen(sign)
}

// noteReboot drops the queued indications and records a reboot unless
// Init is running or the modem is not ready anyway; it reports whether it
// did.
func (m *Modem) noteReboot(sign string) bool {
	m.dropIndications()
	m.mu.Lock()
	if m.initialising || m.state != StateReady {
		m.mu.Unlock()
		return false
	}
	m.setStateLocked(StateRecovering)
	m.health.Reboots++
	m.mu.Unlock()
	// Nothing more is typed at a modem whose settings are gone (in text
	// mode an AT+CMGS=<length> sends to the number <length>) until Init
	// sets it up again.
	m.port.Halt()
	m.log.Info().Str("sign", sign).Msg("modem rebooted, re-initialising")
	m.emit(EventRebooted)
	return true
}
