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
		a.beats.send.Beat()
		sent, err := a.SendNext(ctx)
		if err != nil {
			return err
		}
		if sent {
			continue
		}
		a.beats.send.Wait()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-a.db.OutboxSignal():
		case <-t.C:
		}
	}
}

// SendNext sends the next due outbound message, if any, and reports whether
// there was one. Its parts are recorded in one commit after the last
// (store.DB.RecordParts says what a crash between them costs); a stop, a
// send error or a reboot between parts records those that went first, so
// the next attempt resumes with the part after them.
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
	var sent []store.SentPart
	if n := out.PartsSent; n >= len(enc.TPDUs) {
		// Every part went before a crash; only the record was missing.
		sent = append(sent, store.SentPart{Part: n, Last: true, MR: out.MRs[n-1], At: a.opts.Now()})
	}
	for part := out.PartsSent; part < len(enc.TPDUs); part++ {
		if part > out.PartsSent {
			if ctx.Err() != nil {
				break // stopping: what went is recorded below
			}
			// The rest of a message given up meanwhile is not sent; a
			// read costs no commit.
			if _, err := a.db.Outbound(out.ID); errors.Is(err, store.ErrNotFound) {
				return true, a.recorded(out, err)
			}
		}
		mr, err := a.opts.Modem.SendPDU(ctx, enc.TPDUs[part])
		if err != nil {
			if err := a.recordParts(out, sent); err != nil {
				return true, err
			}
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			return true, a.recorded(out, a.failed(out, err))
		}
		sent = append(sent, store.SentPart{Part: part + 1, Last: part+1 == len(enc.TPDUs), MR: mr, At: a.opts.Now()})
	}
	if err := a.recordParts(out, sent); err != nil {
		return true, err
	}
	if !sent[len(sent)-1].Last {
		return false, ctx.Err() // stopping: the next start resumes at the next part
	}
	a.log.Info().Uint64("outbound", out.ID).Int("segments", enc.Segments).Str("encoding", enc.Encoding).Msg("sms sent")
	return true, nil
}

// recordParts records the parts of out that the modem accepted, if any.
func (a *Agent) recordParts(out store.Outbound, sent []store.SentPart) error {
	return a.recorded(out, a.db.RecordParts(out.ID, sent...))
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
	a.log.Warn().Err(err).Uint64("outbound", out.ID).Stringer("retry_in", wait.Round(time.Millisecond)).Msg("sms send failed, will retry")
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
