package vmodem

import (
	"fmt"
	"time"
)

// The network's time (NITZ) as a modem reports it: AT+CCLK? answers the
// network's clock (Config.Now, in India's +05:30) once registered, and a
// SIM800's boot default before, as a real modem that has heard no NITZ.
// AT+CTZU turns automatic updates on; the imitation always follows.
//
// This file's init runs after commands.go's (files initialise in name
// order), which makes the handlers map.
func init() {
	handlers["+CCLK"] = handler{fn: (*engine).cclk}
	handlers["+CTZU"] = handler{fn: (*engine).ctzu}
}

// nitzZone is the zone the imitated network announces.
var nitzZone = time.FixedZone("IST", 5*3600+1800)

// bootClock is what an unsynchronised SIM800 answers to AT+CCLK?.
const bootClock = `+CCLK: "04/01/01,00:00:00+00"`

func (e *engine) cclk(c *command) ([]string, error) {
	switch c.op {
	case opTest:
		return nil, nil
	case opSet:
		return nil, nil // the host may set it; the next NITZ overwrites
	}
	if e.regStat() != 1 && e.regStat() != 5 {
		return []string{bootClock}, nil
	}
	return []string{FormatCCLK(e.cfg.Now())}, nil
}

func (e *engine) ctzu(c *command) ([]string, error) {
	if c.op == opRead {
		return []string{"+CTZU: 1"}, nil
	}
	return nil, nil
}

// FormatCCLK writes t as a +CCLK answer in the network's zone, quarter
// hours after the sign.
func FormatCCLK(t time.Time) string {
	t = t.In(nitzZone)
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf(`+CCLK: "%s%c%02d"`, t.Format("06/01/02,15:04:05"), sign, off/900)
}
