package modem

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrNoNetworkTime means the modem's clock was never set by the network
// (NITZ): it still counts from the date it booted at.
var ErrNoNetworkTime = errors.New("modem: no network time yet")

// EnableNetworkTime asks the modem to set its clock from the network's
// time messages (NITZ): AT+CTZU=1 (3GPP), and AT+CLTS=1 for SIMCom's
// SIM800/SIM900, which ignore CTZU. A modem that knows neither (or keeps
// NITZ on always) answers ERROR, which is not a failure.
func (m *Modem) EnableNetworkTime(ctx context.Context) {
	for _, cmd := range []string{"AT+CTZU=1", "AT+CLTS=1"} {
		if _, err := m.port.Command(ctx, cmd); err != nil {
			m.log.Debug().Err(err).Str("cmd", cmd).Msg("network time setting refused")
		}
	}
}

// NetworkTime reads the modem's clock (AT+CCLK?). A Pi has no battery
// clock and may boot at a wrong time; a modem that heard NITZ knows the
// right one. A clock before 2020 is the modem's boot default, not the
// network's time, and returns ErrNoNetworkTime.
func (m *Modem) NetworkTime(ctx context.Context) (time.Time, error) {
	lines, err := m.port.Command(ctx, "AT+CCLK?")
	if err != nil {
		return time.Time{}, fmt.Errorf("AT+CCLK?: %w", err)
	}
	f, ok := findFields(lines, "+CCLK")
	if !ok || len(f) == 0 {
		return time.Time{}, fmt.Errorf("AT+CCLK?: no +CCLK line in %q", lines)
	}
	t, err := ParseCCLK(strings.Join(f, ","))
	if err != nil {
		return time.Time{}, err
	}
	if t.Year() < 2020 {
		return time.Time{}, ErrNoNetworkTime
	}
	return t, nil
}

// ParseCCLK reads a +CCLK answer, "yy/MM/dd,hh:mm:ss±zz" with the zone in
// quarter hours (3GPP TS 27.007 8.15), quoted or not.
func ParseCCLK(s string) (time.Time, error) {
	s = unquote(strings.TrimSpace(s))
	bad := func() (time.Time, error) {
		return time.Time{}, fmt.Errorf("modem clock %q: not yy/MM/dd,hh:mm:ss±zz", s)
	}
	if len(s) < 17 {
		return bad()
	}
	base, zone := s[:17], s[17:]
	t, err := time.Parse("06/01/02,15:04:05", base)
	if err != nil {
		return bad()
	}
	offset := 0
	if zone != "" {
		q, err := strconv.Atoi(zone)
		if err != nil || q < -96 || q > 96 || (zone[0] != '+' && zone[0] != '-') {
			return bad()
		}
		offset = q * 15 * 60
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone("", offset)), nil
}

// SMSC reads the SIM's service centre address (AT+CSCA?). Without one
// the modem cannot send any SMS. An empty answer means none is set.
func (m *Modem) SMSC(ctx context.Context) (string, error) {
	lines, err := m.port.Command(ctx, "AT+CSCA?")
	if err != nil {
		return "", fmt.Errorf("AT+CSCA?: %w", err)
	}
	f, ok := findFields(lines, "+CSCA")
	if !ok || len(f) == 0 {
		return "", nil
	}
	return unquote(f[0]), nil
}
