package agent

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/backoff"
	"github.com/tokrihq/tokri/modem/pdu"
)

// sendLoop drains the outbox through the modem, one message at a time:
// the modem sends one SMS at a time anyway.
func (a *Agent) sendLoop(ctx context.Context) error {
	t := time.NewTicker(a.opts.Idle)
	defer t.Stop()
	for {
		sent, err := a.SendNext(ctx)
		if err != nil {
			return err
		}
		if sent {
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-a.db.OutboxSignal():
		case <-t.C:
		}
	}
}

// SendNext sends the next due outbound message, if any, and reports whether
// there was one. Each part is recorded as soon as the modem has answered for
// it, so a restart resumes with the next part rather than resending all.
func (a *Agent) SendNext(ctx context.Context) (bool, error) {
	now := a.opts.Now()
	next, err := a.db.NextOutbound(now, a.opts.DailyCap)
	if err != nil {
		return false, fmt.Errorf("next outbound: %w", err)
	}
	if next.Capped {
		a.reportCapped(now)
	}
	if !next.OK {
		return false, nil
	}
	out := next.Out
	enc, err := pdu.EncodeSubmit(out.To, out.Text, pdu.SubmitOptions{Ref: out.Ref, StatusReport: out.StatusReport})
	if err != nil {
		// Nothing a retry can fix: a number the codec cannot encode.
		return true, a.recorded(out, a.db.MarkFailed(out.ID, "encode: "+err.Error()))
	}
	if n := out.PartsSent; n >= len(enc.TPDUs) {
		// Every part went before a crash; only the record was missing.
		p := store.SentPart{Part: n, Last: true, MR: out.MRs[n-1], At: a.opts.Now()}
		if err := a.db.RecordPart(out.ID, p); err != nil {
			return true, a.recorded(out, fmt.Errorf("record outbound %d sent: %w", out.ID, err))
		}
	}
	for part := out.PartsSent; part < len(enc.TPDUs); part++ {
		mr, err := a.opts.Modem.SendPDU(ctx, enc.TPDUs[part])
		if err != nil {
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			return true, a.recorded(out, a.failed(out, err))
		}
		p := store.SentPart{Part: part + 1, Last: part+1 == len(enc.TPDUs), MR: mr, At: a.opts.Now()}
		if err := a.db.RecordPart(out.ID, p); err != nil {
			// Gone: the rest of a message no one keeps is not sent.
			return true, a.recorded(out, fmt.Errorf("record part %d of outbound %d: %w", p.Part, out.ID, err))
		}
		if ctx.Err() != nil && !p.Last {
			return false, ctx.Err() // the next start resumes at the next part
		}
	}
	a.log.Info().Uint64("outbound", out.ID).Int("segments", enc.Segments).Str("encoding", enc.Encoding).Msg("sms sent")
	return true, nil
}

// recorded passes on err from recording an attempt of out, except that
// the record is gone from the outbox: what went to the modem went, nothing
// is left to mark, and stopping the agent over it would answer no one.
func (a *Agent) recorded(out store.Outbound, err error) error {
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	a.log.Warn().Err(err).Uint64("outbound", out.ID).Str("priority", out.Priority.String()).
		Msg("outbound record gone while it was being sent; carrying on")
	return nil
}

// failed schedules a retry with capped, jittered back-off, or gives up.
func (a *Agent) failed(out store.Outbound, err error) error {
	attempts := out.Attempts + 1
	if !a.opts.Retryable(err) || attempts >= a.opts.MaxAttempts {
		a.log.Warn().Err(err).Uint64("outbound", out.ID).Int("attempts", attempts).Msg("sms failed for good")
		return a.db.MarkFailed(out.ID, err.Error())
	}
	wait := retryPolicy(a.opts.RetryBase, a.opts.RetryMax).Delay(attempts)
	a.log.Warn().Err(err).Uint64("outbound", out.ID).Dur("retry_in", wait).Msg("sms send failed, will retry")
	return a.db.MarkRetry(out.ID, err.Error(), a.opts.Now().Add(wait))
}

// retryPolicy is the agent's back-off between base and max, with up to a
// quarter taken off at random so that many stores recovering from one
// outage do not retry in step.
func retryPolicy(base, max time.Duration) backoff.Policy {
	return backoff.Policy{Base: base, Max: max, Jitter: 0.25}
}

// reportCapped tells the operator, once per SIM day, that the SIM's daily
// cap holds messages back: replies to chat once they have used their part
// of it, everything at the full cap (see store.Policy).
func (a *Agent) reportCapped(now time.Time) {
	day := now.Format("2006-01-02")
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cappedDay == day {
		return
	}
	a.cappedDay = day
	a.log.Warn().Int("daily_cap", a.opts.DailyCap).Msg("daily SMS cap reached: replies to chat (or everything, at the full cap) wait for tomorrow")
}
