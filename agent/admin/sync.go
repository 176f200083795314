package admin

import (
	"context"
	"time"

	"github.com/tokrihq/tokri/agent/uplink"
)

// Syncer is the agent's sync client as the admin API uses it: what it
// knows and one round on demand.
type Syncer interface {
	Status() uplink.Status
	SyncNow(ctx context.Context) (uplink.Round, error)
}

var _ Syncer = (*uplink.Client)(nil)

// syncTimeout bounds a round asked for over the API. It is shorter than
// the Client's own timeout so that the operator hears what a slow round
// did instead of a timeout.
const syncTimeout = 100 * time.Second

// SyncStatus is the sync part of Status. While no agent runs, only
// Pending is known (read from the store's sync outbox).
type SyncStatus struct {
	LastSuccess        time.Time `json:"last_success,omitzero"`
	LastAttempt        time.Time `json:"last_attempt,omitzero"`
	Pending            int       `json:"pending"`  // outbox records waiting for the server
	Rejected           int       `json:"rejected"` // records the server refused for good
	BytesSentToday     int64     `json:"bytes_sent_today"`
	BytesReceivedToday int64     `json:"bytes_received_today"`
	DailyBytes         int64     `json:"daily_bytes"` // the budget; 0 for none
	LastError          string    `json:"last_error,omitempty"`
	CatalogVersion     uint64    `json:"catalog_version"`
}

// SyncRound is what one round asked for by the operator did: the answer
// to POST /v1/sync. Error is set when the round stopped early; what it
// finished before stays done and is counted.
type SyncRound struct {
	Pushed         int    `json:"pushed"`     // records the server acknowledged, duplicates included
	Duplicates     int    `json:"duplicates"` // of Pushed, records it already had
	Rejected       int    `json:"rejected"`   // records refused for good, set aside
	Items          int    `json:"items"`      // catalog items applied
	Withdrawn      int    `json:"withdrawn"`  // of Items, newly withdrawn centrally
	CatalogVersion uint64 `json:"catalog_version"`
	BytesSent      int64  `json:"bytes_sent"`
	BytesReceived  int64  `json:"bytes_received"`
	Error          string `json:"error,omitempty"`
}

func syncStatusOf(s uplink.Status) *SyncStatus {
	return &SyncStatus{
		LastSuccess:        s.LastSuccess,
		LastAttempt:        s.LastAttempt,
		Pending:            s.Pending,
		Rejected:           s.Rejected,
		BytesSentToday:     s.BytesSentToday,
		BytesReceivedToday: s.BytesReceivedToday,
		DailyBytes:         s.DailyBytes,
		LastError:          s.LastError,
		CatalogVersion:     s.CatalogVersion,
	}
}

func syncRoundOf(r uplink.Round) SyncRound {
	return SyncRound{
		Pushed:         r.Pushed,
		Duplicates:     r.Duplicates,
		Rejected:       r.Rejected,
		Items:          r.Items,
		Withdrawn:      r.Withdrawn,
		CatalogVersion: r.CatalogVersion,
		BytesSent:      r.BytesSent,
		BytesReceived:  r.BytesReceived,
	}
}

// syncNow runs one round. A round that stops early is still an answer:
// the operator sees what it did and why it stopped.
func (s *service) syncNow(ctx context.Context) (SyncRound, error) {
	if s.sync == nil {
		return SyncRound{}, &Error{Code: CodeUnavailable, Field: "sync",
			Msg: "sync is not configured on this agent (set server in the [sync] section of the config)"}
	}
	ctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	r, err := s.sync.SyncNow(ctx)
	out := syncRoundOf(r)
	ev := s.log.Info()
	if err != nil {
		out.Error = err.Error()
		ev = s.log.Warn().Err(err)
	}
	ev.Int("pushed", out.Pushed).Int("rejected", out.Rejected).Int("items", out.Items).
		Int64("sent", out.BytesSent).Int64("received", out.BytesReceived).Msg("sync round run by operator")
	return out, nil
}
