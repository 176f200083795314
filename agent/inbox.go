package agent

import (
	"context"
	"fmt"
	"time"
)

// AcceptPDU commits one PDU the modem printed. The modem driver deletes the
// message from the SIM only after this returns nil, so a crash at any instant
// leaves the message either on the SIM or in the store.
func (a *Agent) AcceptPDU(ctx context.Context, raw []byte, at time.Time) error {
	res, err := a.db.Intake(raw, at)
	if err != nil {
		return fmt.Errorf("commit inbound pdu: %w", err)
	}
	a.log.Debug().Uint64("seq", res.ID).Bool("duplicate", res.Duplicate).Msg("inbound pdu committed")
	a.signal()
	return nil
}

// MissedCall commits a missed call as an inbound event.
func (a *Agent) MissedCall(ctx context.Context, from string, at time.Time) error {
	if _, err := a.db.IntakeCall(from, at); err != nil {
		return fmt.Errorf("commit missed call: %w", err)
	}
	a.signal()
	return nil
}
