package modem

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
)

// SendPDU sends one SMS-SUBMIT TPDU (without SMSC field: the SIM's SMSC is
// used) and returns the message reference the network assigned, or -1 if
// the modem said OK without a +CMGS line. Classify errors with Retryable.
// A modem that reboots before answering fails the send at once with
// at.ErrRebooted; the network may or may not have the SMS.
func (m *Modem) SendPDU(ctx context.Context, tpdu []byte) (int, error) {
	if len(tpdu) == 0 {
		return 0, fmt.Errorf("send sms: empty TPDU")
	}
	if !m.isReady() {
		return 0, fmt.Errorf("send sms: %w", ErrNotReady)
	}
	cmd := fmt.Sprintf("AT+CMGS=%d", len(tpdu))
	lines, err := m.port.SMSCommand(ctx, cmd, "00"+strings.ToUpper(hex.EncodeToString(tpdu)))
	if err != nil {
		return 0, fmt.Errorf("send sms: %w", err)
	}
	f, ok := findFields(lines, "+CMGS")
	if !ok {
		m.log.Warn().Msg("modem accepted an SMS without giving a message reference")
		return -1, nil
	}
	mr, ok := atoi(f[0])
	if !ok {
		return -1, nil
	}
	return mr, nil
}
