package agent

import (
	"context"
	"fmt"
	"time"

	"github.com/tokrihq/tokri/agent/store"
)

// AcceptPDU commits one PDU the modem printed. The modem driver deletes the
// message from the SIM only after this returns nil, so a crash at any instant
// leaves the message either on the SIM or in the store. A message ready
// while no other waits is handled in the same commit (an SD card's write
// saved per SMS); otherwise the handling loop takes it.
func (a *Agent) AcceptPDU(ctx context.Context, raw []byte, at time.Time) error {
	if a.opts.Admit != nil {
		if err := a.opts.Admit(); err != nil {
			return fmt.Errorf("inbound pdu left on the modem: %w", err)
		}
	}
	res, handled, err := a.db.IntakeAndHandle(raw, at, a.opts.Handler.Handle)
	if err != nil {
		return fmt.Errorf("commit inbound pdu: %w", err)
	}
	switch {
	case res.Duplicate:
		a.log.Debug().Uint64("id", res.ID).Msg("inbound pdu seen before")
	case res.Outcome == store.OutcomeUndecodable:
		// Kept with its raw bytes for the operator; never dropped.
		a.log.Warn().Uint64("undecodable", res.ID).Int("bytes", len(raw)).Msg("inbound pdu does not decode; kept for the operator")
	case res.Outcome == store.OutcomeSubmit:
		a.log.Warn().Uint64("submit", res.ID).Msg("modem storage held an SMS-SUBMIT; kept for the operator")
	default:
		a.log.Debug().Uint64("id", res.ID).Stringer("outcome", res.Outcome).Bool("handled", handled).Msg("inbound pdu committed")
	}
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
