package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
)

// syncSpecs are the sync group.
var syncSpecs = []opSpec{
	{name: "sync now", summary: "push orders and pull the catalog now", reach: admin.AgentOnly,
		help: "Push waiting orders to the central server and pull catalog changes, now.", mk: syncNow},
}

func syncNow(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		// A round that failed part way is shown, then its error returned.
		var failed error
		err := answer(v, func(b admin.Backend) (admin.SyncRound, error) {
			r, err := b.SyncNow(ctx)
			var e *admin.Error
			if errors.As(err, &e) && e.Code == admin.CodeSyncFailed {
				failed, err = err, nil
			}
			return r, err
		}, func(r admin.SyncRound) error { printRound(v.stdout, r); return nil })
		if err != nil {
			return err
		}
		return failed
	}
}

// printRound says what a round did; a round that stopped early did part.
func printRound(w io.Writer, r admin.SyncRound) {
	row := func(k, format string, a ...any) { fmt.Fprintf(w, "%-9s %s\n", k, fmt.Sprintf(format, a...)) }
	pushed := fmt.Sprintf("%d %s", r.Pushed, plural(r.Pushed, "record", "records"))
	if r.Duplicates > 0 {
		pushed += fmt.Sprintf(" (%d the server already had)", r.Duplicates)
	}
	row("pushed", "%s, %d rejected", pushed, r.Rejected)
	items := fmt.Sprintf("%d %s applied", r.Items, plural(r.Items, "item", "items"))
	if r.Withdrawn > 0 {
		items += fmt.Sprintf(" (%d withdrawn)", r.Withdrawn)
	}
	row("catalog", "%s, version %d", items, r.CatalogVersion)
	row("bytes", "%s sent, %s received", showBytes(r.BytesSent), showBytes(r.BytesReceived))
}

// printSync is the sync part of "tokri status".
func printSync(row func(k, format string, a ...any), st admin.Status) {
	s := st.Sync
	switch {
	case !st.Running:
		if s != nil {
			row("sync", "%d %s waiting for the central server", s.Pending, plural(s.Pending, "record", "records"))
		}
		return
	case s == nil:
		row("sync", "not configured")
		return
	}
	row("sync", "last success %s, %d pending, %d rejected, catalog version %d",
		ago(st.Now, s.LastSuccess), s.Pending, s.Rejected, s.CatalogVersion)
	used := s.BytesSentToday + s.BytesReceivedToday
	budget := "no daily cap"
	if s.DailyBytes > 0 {
		budget = "of " + showBytes(s.DailyBytes)
	}
	row("", "%s %s today (%s sent, %s received)", showBytes(used), budget, showBytes(s.BytesSentToday), showBytes(s.BytesReceivedToday))
	if s.LastError != "" {
		row("", "last error: %s", s.LastError)
	}
}

// ago is how long before now t was, coarsely: "3m ago", "2h5m ago".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < 0:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 24*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%dh ago", h)
		}
		return fmt.Sprintf("%dh%dm ago", h, m)
	}
	return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
}

// showBytes is n in B, kB or MB (powers of 1000, as metered data is sold).
func showBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
