package modem

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tokrihq/tokri/modem/at"
	"github.com/tokrihq/tokri/modem/pdu"
)

// ussdGrace is how long a "+CUSD: 2" (session released) or "+CUSD: 3"
// (another client answered) waits for the real answer: some networks send
// the release first (python-gsmmodem issue 14), others answer only with a
// 2 that carries the text (Quectel M35).
const ussdGrace = 3 * time.Second

// USSDReply is the network's answer to a USSD code.
type USSDReply struct {
	// Status is the +CUSD <m>: 0 no further action, 1 further action
	// required (the session is cancelled by USSD, which does one-shot
	// codes), 2 terminated by the network, 3 other client responded.
	Status int
	Text   string
}

// USSD runs code (e.g. "*123#") and returns the answer. One runs at a
// time.
func (m *Modem) USSD(ctx context.Context, code string) (USSDReply, error) {
	if !m.isReady() {
		return USSDReply{}, fmt.Errorf("ussd: %w", ErrNotReady)
	}
	// Holding initMu keeps Init (and so AT+CSCS changes) out meanwhile and
	// makes USSD calls one at a time.
	m.initMu.Lock()
	defer m.initMu.Unlock()
	ch := make(chan at.URC, 8)
	m.mu.Lock()
	m.ussdCh = ch
	charset := m.charset
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.ussdCh = nil
		m.mu.Unlock()
	}()

	cmd := fmt.Sprintf(`AT+CUSD=1,"%s",15`, pdu.EncodeUSSD(code, charset))
	if _, err := m.port.Command(ctx, cmd); err != nil {
		return USSDReply{}, fmt.Errorf("ussd: %w", err)
	}
	timeout := m.opts.After(m.opts.USSDTimeout)
	var fallback *USSDReply
	var grace <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			m.cancelUSSD()
			return USSDReply{}, ctx.Err()
		case <-timeout:
			m.cancelUSSD()
			return USSDReply{}, fmt.Errorf("ussd: %w", at.ErrTimeout)
		case <-grace:
			return *fallback, nil
		case u := <-ch:
			c, ok := parseCUSD(u.Lines)
			if !ok {
				m.log.Warn().Int("lines", len(u.Lines)).Msg("unreadable +CUSD")
				continue
			}
			text, err := pdu.DecodeUSSD(c.Str, c.DCS, charset)
			if err != nil {
				m.log.Debug().Err(err).Int("dcs", c.DCS).Msg("ussd text kept as printed")
				text = strings.ToValidUTF8(c.Str, "\uFFFD")
			}
			r := USSDReply{Status: c.Status, Text: text}
			switch c.Status {
			case 0:
				return r, nil
			case 1:
				m.cancelUSSD()
				return r, nil
			case 2, 3:
				if fallback == nil {
					fallback = &r
					grace = m.opts.After(ussdGrace)
				}
			case 4:
				return r, fmt.Errorf("%w: not supported by the network", ErrUSSD)
			case 5:
				return r, fmt.Errorf("%w: network timed out", ErrUSSD)
			default:
				return r, fmt.Errorf("%w: status %d", ErrUSSD, c.Status)
			}
		}
	}
}

// cancelUSSD ends an open USSD session; best effort.
func (m *Modem) cancelUSSD() {
	ctx, cancel := context.WithTimeout(context.Background(), m.opts.CommandTimeout)
	defer cancel()
	if _, err := m.port.Command(ctx, "AT+CUSD=2"); err != nil {
		m.log.Debug().Err(err).Msg("cancel ussd session")
	}
}
