package today

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
)

// The store makes these buckets on open; the code here assumes each exists.
func init() { store.Declare("agent/today", bucketSent) }

// Sender sends the day's summary to the operator once a day, at a time of
// day in the shop's zone.
type Sender struct {
	DB  *store.DB
	Loc *time.Location
	// At is the local time of day to send, in minutes after midnight.
	At  int
	To  string // the operator's phone
	Now func() time.Time
	Log zerolog.Logger
}

var (
	bucketSent = []byte("today/sent") // YYYY-MM-DD -> nil: summaries sent
)

// CatchUp is how late a summary may still go: an agent restarted soon
// after closing time sends it, one started in the morning does not send
// a summary of a day just begun.
const CatchUp = 3 * time.Hour

// SendIfDue queues the summary whose time came last, if that was at most
// CatchUp ago and it has not gone yet. It reports whether it queued one.
// A summary covers the day that was running a minute before its time, so
// a shop closing at midnight gets the day it just finished, not the empty
// one that starts. The check and the queueing are one transaction, so a
// restart never sends a day twice.
func (s *Sender) SendIfDue(now time.Time) (bool, error) {
	due := lastDue(now.In(s.Loc), s.At)
	if now.Sub(due) > CatchUp {
		return false, nil
	}
	sum, err := Of(s.DB, due.Add(-time.Minute), s.Loc)
	if err != nil {
		return false, err
	}
	sent := false
	err = s.DB.Update(func(tx *store.Tx) error {
		b := tx.Bolt().Bucket(bucketSent)
		if b.Get([]byte(sum.Day)) != nil {
			return nil
		}
		r := Text(orders.ShopName(tx.Bolt()), sum)
		if _, err := tx.Enqueue(store.Outbound{To: s.To, Text: r.Text, Priority: store.Notification, CreatedAt: now}); err != nil {
			return err
		}
		sent = true
		return b.Put([]byte(sum.Day), nil)
	})
	if err != nil {
		return false, fmt.Errorf("send day summary: %w", err)
	}
	if sent {
		s.Log.Info().Str("day", sum.Day).Int("orders", sum.Orders).Msg("day summary queued for the operator")
	}
	return sent, nil
}

// Sent reports whether the summary of day (YYYY-MM-DD) has gone.
func Sent(tx *bbolt.Tx, day string) bool {
	b := tx.Bucket(bucketSent)
	return b != nil && b.Get([]byte(day)) != nil
}

// Run checks once a minute until ctx ends.
func (s *Sender) Run(ctx context.Context) error {
	if s.Now == nil {
		s.Now = time.Now
	}
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		if _, err := s.SendIfDue(s.Now()); err != nil {
			s.Log.Error().Err(err).Msg("day summary")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// lastDue is the latest moment at or before local that is at minutes
// after a midnight.
func lastDue(local time.Time, minutes int) time.Time {
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location())
	due := day.Add(time.Duration(minutes) * time.Minute)
	if due.After(local) {
		due = day.AddDate(0, 0, -1).Add(time.Duration(minutes) * time.Minute)
	}
	return due
}
