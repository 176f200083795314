package vmodem

import (
	"fmt"
	"time"

	"github.com/rs/zerolog"
)

// Config describes one virtual modem.
type Config struct {
	// Link is the symlink created to point at the pty slave (e.g. /tmp/x/modem).
	// Empty means no symlink; use Path.
	Link string
	// Profile names the imitated model: "sim800" (default), "huawei-e1752",
	// "zte-k3565z" or "generic".
	Profile string
	// Slots is the number of SMS storage slots ("SM"); 0 takes the profile's.
	Slots int
	// Log receives the modem's diagnostics; AT traffic only at debug level.
	Log zerolog.Logger
	// Now is the clock for timestamps (SCTS, discharge times, sent log).
	Now func() time.Time
	// Latency false answers at once (tests, benchmarks); true imitates a real
	// modem's per-command latency, ring cadence and network delays.
	Latency bool
	// Seed makes random garbage bytes reproducible.
	Seed uint64
}

// timing is the set of delays a modem applies; all zero without Latency.
type timing struct {
	command time.Duration // ordinary command
	storage time.Duration // +CMGR/+CMGL/+CMGD
	submit  time.Duration // +CMGS after Ctrl-Z
	ussd    time.Duration // network answer to +CUSD
	scan    time.Duration // +COPS=?
	report  time.Duration // status report after a submit
	deliver time.Duration // network to storage
	ring    time.Duration // between RINGs
	boot    time.Duration // silence before boot lines
	rssi    time.Duration // periodic ^RSSI on Huawei (0 = none)
	ackWait time.Duration // +CNMA timeout for +CMT with +CSMS=1
	prompt  time.Duration // "> " abandoned without Ctrl-Z or ESC
}

func realisticTiming() timing {
	return timing{
		command: 20 * time.Millisecond,
		storage: 60 * time.Millisecond,
		submit:  800 * time.Millisecond,
		ussd:    1500 * time.Millisecond,
		scan:    3 * time.Second,
		report:  2 * time.Second,
		deliver: 300 * time.Millisecond,
		ring:    3 * time.Second,
		boot:    2 * time.Second,
		rssi:    10 * time.Second,
		ackWait: 15 * time.Second,
		prompt:  60 * time.Second,
	}
}

func zeroTiming() timing {
	// Even without latency an unacknowledged +CMT and a forgotten prompt
	// must time out eventually.
	return timing{ackWait: 15 * time.Second, prompt: 60 * time.Second}
}

// withDefaults fills the zero fields of cfg and checks the profile.
func (cfg Config) withDefaults() (Config, *profile, error) {
	if cfg.Profile == "" {
		cfg.Profile = "sim800"
	}
	p, ok := profiles[cfg.Profile]
	if !ok {
		return cfg, nil, fmt.Errorf("profile %q: %w", cfg.Profile, ErrUnknownProfile)
	}
	if cfg.Slots <= 0 {
		cfg.Slots = p.slots
	}
	if cfg.Slots > 255 {
		return cfg, nil, fmt.Errorf("slots %d: %w", cfg.Slots, ErrBadRequest)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg, p, nil
}
