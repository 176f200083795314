package agent

import (
	"context"
	"fmt"
	"time"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/phone"
	"github.com/tokrihq/tokri/sync/outbox"
)

// Retention is how the agent keeps its store small and answers long
// messages whose last parts never come.
type Retention struct {
	// Keep is how long handled messages, the sent log and reports stay
	// (store.Prune). Default 30 days.
	Keep time.Duration
	// Orders is how long delivered, rejected and cancelled orders stay
	// after their last change (orders.Prune). Default a year.
	Orders time.Duration
	// Incomplete is how long the parts of a long message wait for the
	// rest; then what came is answered as it is. Default 5 minutes.
	Incomplete time.Duration
	// Every is how often incomplete messages are looked for. Pruning runs
	// at most hourly. Default one minute.
	Every time.Duration
	// Alone is set for a store with no sync server: its sync records are
	// dropped once older than Orders, since no server will take them and
	// the orders they name would otherwise stay for ever.
	Alone bool
}

// pruneEvery spaces Prune runs: each walks whole buckets, in chunks.
const pruneEvery = time.Hour

// pruneChunk bounds what one retention transaction visits, so the agent's
// own writes never wait long behind it.
const pruneChunk = 500

// PartialNote goes before the answer to a long message released with parts
// missing, so the shopper knows why the answer may miss the point. It
// is GSM-7 and costs 37 characters of the reply; PartialNoteHi goes before
// an answer in Devanagari, which is UCS-2 anyway.
const (
	PartialNote   = "Part of your message did not arrive. "
	PartialNoteHi = "आपके संदेश का एक हिस्सा नहीं पहुँचा। "
)

// partialNote is the note in the reply's own script.
func partialNote(reply string) string {
	for _, r := range reply {
		if r >= '\u0900' && r <= '\u097F' {
			return PartialNoteHi
		}
	}
	return PartialNote
}

func (r Retention) withDefaults() Retention {
	if r.Keep <= 0 {
		r.Keep = 30 * 24 * time.Hour
	}
	if r.Orders <= 0 {
		r.Orders = 365 * 24 * time.Hour
	}
	if r.Incomplete <= 0 {
		r.Incomplete = 5 * time.Minute
	}
	if r.Every <= 0 {
		r.Every = time.Minute
	}
	return r
}

// retainLoop runs Retain every Retention.Every until ctx ends.
func (a *Agent) retainLoop(ctx context.Context) error {
	// The first prune waits an hour: a start has the modem's stored
	// messages and the outbox to catch up on first, and a prune's write
	// transactions would only slow them.
	a.mu.Lock()
	if a.prunedAt.IsZero() {
		a.prunedAt = a.opts.Now()
	}
	a.mu.Unlock()
	t := time.NewTicker(a.opts.Retention.Every)
	defer t.Stop()
	for {
		a.beats.retain.Beat()
		if err := a.Retain(); err != nil {
			// Retention failing must not stop the shop; the next tick
			// tries again.
			a.log.Error().Err(err).Msg("retention")
		}
		a.beats.retain.Wait()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Retain releases every long message whose first part came more than
// Retention.Incomplete ago and still lacks parts, so the handler answers
// what came, and prunes the store if it has not in the last hour. Times
// come from Options.Now.
func (a *Agent) Retain() error {
	now := a.opts.Now()
	groups, err := a.db.IncompleteGroups(a.opts.Retention.Incomplete, now)
	if err != nil {
		return err
	}
	for _, g := range groups {
		id, err := a.db.ReleaseGroup(g.ID)
		if err != nil {
			return fmt.Errorf("release long message %d: %w", g.ID, err)
		}
		a.log.Info().Uint64("group", g.ID).Uint64("inbound", id).Int("have", len(g.Have)).Int("total", g.Total).
			Str("from", phone.Mask(g.From)).Msg("long message released with parts missing")
	}
	if len(groups) > 0 {
		a.signal()
	}
	a.mu.Lock()
	due := a.prunedAt.IsZero() || now.Sub(a.prunedAt) >= pruneEvery || now.Before(a.prunedAt)
	if due {
		a.prunedAt = now
	}
	a.mu.Unlock()
	if due {
		if _, err := a.db.Prune(now, a.opts.Retention.Keep); err != nil {
			return err
		}
		if a.opts.Retention.Alone {
			if err := a.dropUnsynced(now.Add(-a.opts.Retention.Orders)); err != nil {
				return err
			}
		}
		if _, err := a.pruneOrders(now.Add(-a.opts.Retention.Orders)); err != nil {
			return err
		}
	}
	return nil
}

// pruneOrders removes final orders last changed before cutoff that the
// server holds.
func (a *Agent) pruneOrders(cutoff time.Time) (int, error) {
	n, err := orders.PruneBefore(a.db, cutoff)
	if n > 0 {
		a.log.Info().Int("removed", n).Time("before", cutoff).Msg("orders pruned")
	}
	return n, err
}

// dropUnsynced removes sync records added before cutoff, one bounded
// transaction at a time.
func (a *Agent) dropUnsynced(cutoff time.Time) error {
	n, err := a.db.InChunks(func(tx *store.Tx, _ []byte) (int, []byte, error) {
		n, more, err := outbox.DropBefore(tx.Bolt(), cutoff, pruneChunk)
		if !more {
			return n, nil, err
		}
		return n, []byte{}, err
	})
	if n > 0 {
		a.log.Info().Int("dropped", n).Time("before", cutoff).Msg("sync records of a store without a server dropped")
	}
	if err != nil {
		return fmt.Errorf("drop old sync records: %w", err)
	}
	return nil
}

// noteMissing wraps a Handler: the answer to a long message released with
// parts missing starts with PartialNote, in the same transaction.
type noteMissing struct{ Handler }

func (h noteMissing) Handle(tx *store.Tx, in store.Inbound) error {
	if err := h.Handler.Handle(tx, in); err != nil {
		return err
	}
	if in.Missing == 0 {
		return nil
	}
	return tx.PrefixReplies(partialNote)
}
