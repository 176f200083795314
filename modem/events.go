package modem

import (
	"errors"
	"time"
)

// EventKind says what happened to the modem.
type EventKind int

// Event kinds.
const (
	EventReady        EventKind = iota // Init succeeded
	EventRebooted                      // the modem rebooted on its own (RDY, +CFUN: 1, +CPIN, SMS Ready)
	EventUnresponsive                  // the modem stopped answering; recovery started
	EventRecovered                     // recovery brought the modem back
	EventNetworkLost                   // registration lost
	EventNetworkBack                   // registered again
	EventSignal                        // signal bars changed
)

func (k EventKind) String() string {
	switch k {
	case EventReady:
		return "ready"
	case EventRebooted:
		return "rebooted"
	case EventUnresponsive:
		return "unresponsive"
	case EventRecovered:
		return "recovered"
	case EventNetworkLost:
		return "network-lost"
	case EventNetworkBack:
		return "network-back"
	case EventSignal:
		return "signal"
	}
	return "unknown"
}

// Event is one change, with the health right after it.
type Event struct {
	Kind   EventKind
	At     time.Time
	Health Health
}

// Events returns the modem's events. The channel is buffered; events are
// dropped, never waited for, when nobody reads it.
func (m *Modem) Events() <-chan Event { return m.events }

func (m *Modem) emit(k EventKind) {
	e := Event{Kind: k, At: m.now(), Health: m.Health()}
	select {
	case m.events <- e:
	default:
	}
}

// Health is the modem's condition as last checked.
type Health struct {
	State        State
	Signal       Signal
	Registration Registration
	Operator     string
	SIM          SIMState // what AT+CPIN? said at the last Init
	CheckedAt    time.Time
	Reboots      int    // reboots seen since start
	Recoveries   int    // successful recoveries since start
	LastError    string // why the last check or Init failed; no personal data
}

// SIMState is the SIM's condition as AT+CPIN? answered it: whether the
// modem can use it, or what the operator must do first.
type SIMState string

// SIM states; SIMUnknown until Init has asked.
const (
	SIMUnknown SIMState = ""
	SIMReady   SIMState = "ready"
	SIMPIN     SIMState = "pin"  // the SIM wants its PIN ([modem] pin unset or rejected)
	SIMPUK     SIMState = "puk"  // the SIM is blocked; only the operator's PUK frees it
	SIMMissing SIMState = "none" // no SIM inserted, or it cannot be read
)

// simStateOf is the SIM state checkSIM's answer means; a modem that did
// not answer leaves it unknown.
func simStateOf(err error) SIMState {
	switch {
	case err == nil:
		return SIMReady
	case errors.Is(err, ErrPINRequired):
		return SIMPIN
	case errors.Is(err, ErrPUKRequired):
		return SIMPUK
	case errors.Is(err, ErrNoSIM):
		return SIMMissing
	}
	return SIMUnknown
}

// Health returns a snapshot.
func (m *Modem) Health() Health {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.health
}

func (m *Modem) updateSignal(s Signal) {
	m.mu.Lock()
	old := m.health.Signal
	m.health.Signal = s
	m.mu.Unlock()
	if old.Bars != s.Bars {
		m.log.Debug().Int("bars", s.Bars).Int("dbm", s.DBm).Msg("signal changed")
		m.emit(EventSignal)
	}
}

func (m *Modem) updateRegistration(r Registration, operator string, checked time.Time) {
	m.mu.Lock()
	old := m.health.Registration
	m.health.Registration = r
	if operator != "" || !r.Registered() {
		m.health.Operator = operator
	}
	m.health.CheckedAt = checked
	m.mu.Unlock()
	switch {
	case old.Registered() && !r.Registered():
		m.log.Info().Str("registration", r.String()).Msg("network lost")
		m.emit(EventNetworkLost)
	case !old.Registered() && r.Registered():
		m.log.Info().Str("registration", r.String()).Str("operator", operator).Msg("network registered")
		m.emit(EventNetworkBack)
	}
}
