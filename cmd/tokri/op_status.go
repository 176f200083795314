package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/modem"
)

// statusSpec is "tokri status".
var statusSpec = opSpec{name: "status", summary: "modem, queues, orders, sync", reach: admin.FileOK,
	help: "Show the agent, its modem, its queues and sync. Without a running agent, shows the store's counts.",
	mk: func(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			return answer(v, func(b admin.Backend) (admin.Status, error) { return b.Status(ctx) }, func(st admin.Status) error {
				printStatus(v.stdout, st, v.env.Loc)
				return nil
			})
		}
	}}

// printStatus says what st holds; a status read from the file, with no
// agent, has only the store's counts.
func printStatus(w io.Writer, st admin.Status, loc *time.Location) {
	row := func(k, format string, a ...any) { fmt.Fprintf(w, "%-9s %s\n", k, fmt.Sprintf(format, a...)) }
	switch {
	case !st.Running:
		row("agent", "not running (counts read from the store file)")
	case !st.StartedAt.IsZero():
		row("agent", "running since %s (up %s)", showTime(st.StartedAt, loc), strings.TrimSuffix(ago(st.Now, st.StartedAt), " ago"))
	default:
		row("agent", "running")
	}
	if st.Running {
		row("modem", "%s", modemLine(st.Modem))
		if st.Clock != nil {
			row("clock", "%s", st.Clock.Line())
		}
		if st.Disk != nil {
			row("disk", "%s", st.Disk.Line())
		}
		if st.Balance != nil {
			row("balance", "%s", st.Balance.Line())
		}
	}
	q := st.Queues
	row("inbox", "%d waiting, %d incomplete long %s, %d undecodable", q.InboxPending, q.Incomplete, plural(q.Incomplete, "message", "messages"), q.Undecodable)
	row("outbox", "%d waiting (%d replies, %d notifications, %d bulk)", q.OutboxWaiting, q.OutboxReply, q.OutboxNotification, q.OutboxBulk)
	sent := fmt.Sprintf("%d SMS today", q.SentToday)
	if q.DailyCap > 0 {
		sent = fmt.Sprintf("%d of %d SMS today", q.SentToday, q.DailyCap)
	}
	if q.Capped {
		sent += ", daily cap reached"
	}
	if q.Failed > 0 {
		sent += fmt.Sprintf("; %d failed for good", q.Failed)
	}
	row("sent", "%s", sent)
	if f := floodLine(q); f != "" {
		row("flood", "%s", f)
	}
	var open []string
	for _, s := range admin.OpenStates {
		if n := st.OpenOrders[string(s)]; n > 0 {
			open = append(open, fmt.Sprintf("%d %s", n, s))
		}
	}
	if len(open) == 0 {
		open = []string{"none open"}
	}
	row("orders", "%s", strings.Join(open, ", "))
	row("catalog", "%d %s", st.Items, plural(st.Items, "item", "items"))
	printSync(row, st)
}

func modemLine(m admin.ModemStatus) string {
	if m.State == "" {
		return "unknown"
	}
	parts := []string{m.State}
	if m.DBm != 0 {
		parts = append(parts, fmt.Sprintf("signal %d dBm (%d/4)", m.DBm, m.Bars))
	} else if m.CSQ == 99 {
		parts = append(parts, "signal unknown")
	}
	if s := simLine(m.SIM); s != "" {
		parts = append(parts, s)
	}
	reg := m.Registration
	if m.Operator != "" {
		reg = m.Operator + ", " + reg
	}
	if reg != "" {
		parts = append(parts, reg)
	}
	if m.LastError != "" {
		parts = append(parts, "last error: "+m.LastError)
	}
	return strings.Join(parts, ", ")
}

// simLine is the SIM state in words, "" while unknown.
func simLine(s string) string {
	switch modem.SIMState(s) {
	case modem.SIMReady:
		return "SIM ready"
	case modem.SIMPIN:
		return "SIM PIN needed (set [modem] pin)"
	case modem.SIMPUK:
		return "SIM blocked: PUK needed (unblock it in a phone)"
	case modem.SIMMissing:
		return "no SIM"
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// floodLine says what the outbox policy held back or dropped today, or ""
// when it did nothing: the sign of a flood the operator should know of.
func floodLine(q admin.Queues) string {
	var parts []string
	if q.ChatCapped {
		parts = append(parts, "replies to chat used their part of the cap; only order news and operator messages go")
	}
	if q.NewCapped && !q.ChatCapped {
		parts = append(parts, "new numbers used their part of the cap; known shoppers still answered")
	}
	if q.HeldNumbers > 0 {
		parts = append(parts, fmt.Sprintf("%d %s had their share today", q.HeldNumbers, plural(q.HeldNumbers, "number", "numbers")))
	}
	if q.DroppedToday > 0 {
		parts = append(parts, fmt.Sprintf("%d %s dropped unsent", q.DroppedToday, plural(q.DroppedToday, "reply", "replies")))
	}
	return strings.Join(parts, "; ")
}
