package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/internal/command"
)

// orderSpecs are the orders group: list, show and each move.
var orderSpecs = append([]opSpec{
	{name: "orders list", summary: "orders, newest first", reach: admin.FileOK,
		help: "List orders, newest first.", mk: ordersList},
	{name: "orders show", args: "ORDER-ID", summary: "one order, its lines and history", reach: admin.FileOK,
		help: "Show one order with its lines and history.", mk: ordersShow},
}, orderMoves...)

// orderMoves are the state changes, each told to the shopper by SMS.
var orderMoves = []opSpec{
	orderMove(admin.Accept, "accept a placed order", "Accept a placed order. The shopper is told by SMS."),
	orderMove(admin.Reject, "reject it; stock goes back, the shopper is told why",
		"Reject an order; its stock goes back and the shopper is told why by SMS."),
	orderMove(admin.Pack, "mark it packed", "Mark an accepted order packed. The shopper is told by SMS."),
	orderMove(admin.Dispatch, "mark it out for delivery", "Mark a packed order out for delivery. The shopper is told by SMS."),
	orderMove(admin.Deliver, "mark it delivered (or picked up)", "Mark an order delivered (or picked up). The shopper is told by SMS."),
	orderMove(admin.Cancel, "cancel it before packing; stock goes back",
		"Cancel an order before it is packed; its stock goes back. The shopper is told by SMS."),
}

func ordersList(fs *flag.FlagSet, v *verb) func(ctx context.Context) error {
	state := fs.String("state", "", "only these `STATES`, comma-separated: "+admin.JoinStates(admin.States)+", or \"open\"")
	shopper := fs.String("shopper", "", "only this shopper's `NUMBER`")
	since := fs.String("since", "", "only orders placed since `WHEN`: a date (2026-05-01), a time (RFC 3339) or an age (36h, 7d)")
	limit := fs.Int("limit", 50, "at most this many (0 for all)")
	return func(ctx context.Context) error {
		var f orders.Filter
		for _, s := range strings.Split(*state, ",") {
			switch s = strings.TrimSpace(s); {
			case s == "":
			case s == "open":
				f.States = append(f.States, admin.OpenStates...)
			case slices.Contains(admin.States, orders.State(s)):
				f.States = append(f.States, orders.State(s))
			default:
				return fmt.Errorf("--state: unknown state %q (want %s or open)", s, admin.JoinStates(admin.States))
			}
		}
		f.Shopper = *shopper
		if *since != "" {
			t, err := parseWhen(*since, v.env.Now(), v.env.Loc)
			if err != nil {
				return fmt.Errorf("--since: %w", err)
			}
			f.Since = t
		}
		if *limit < 0 {
			return fmt.Errorf("--limit: %d is negative", *limit)
		}
		f.Limit = *limit
		return answer(v, func(b admin.Backend) ([]orders.Order, error) { return b.Orders(ctx, f) }, func(list []orders.Order) error {
			return printTable(v.stdout, "no orders", "ID\tSTATE\tPLACED\tSHOPPER\tITEMS\tTOTAL\tPAY\tMODE", list, func(o orders.Order) string {
				return fmt.Sprintf("%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s", o.ID, o.State, showTime(o.CreatedAt, v.env.Loc), o.Shopper, units(o), catalog.FormatRupees(o.Total), o.Payment, o.Mode)
			})
		})
	}
}

func units(o orders.Order) int {
	n := 0
	for _, l := range o.Lines {
		n += l.Qty
	}
	return n
}

func ordersShow(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		return answer(v, func(b admin.Backend) (orders.Order, error) { return b.Order(ctx, normID(v.pos[0])) }, func(o orders.Order) error {
			return printOrder(v.stdout, v.env.Loc, o)
		})
	}
}

func printOrder(w io.Writer, loc *time.Location, o orders.Order) error {
	fmt.Fprintf(w, "order %s  %s\n", o.ID, o.State)
	if o.Reason != "" {
		fmt.Fprintf(w, "reason   %s\n", o.Reason)
	}
	fmt.Fprintf(w, "shopper  %s\n", o.Shopper)
	fmt.Fprintf(w, "placed   %s\n", showTime(o.CreatedAt, loc))
	mode := o.Mode
	if o.Address != "" {
		mode += ": " + o.Address
	}
	fmt.Fprintf(w, "mode     %s\n", mode)
	fmt.Fprintf(w, "payment  %s\n\n", o.Payment)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "QTY\tSKU\tITEM\tPRICE\tAMOUNT\t")
	for _, l := range o.Lines {
		name := l.Name
		if l.Unit != "" {
			name += " " + l.Unit
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t\n", l.Qty, l.SKU, name, catalog.FormatRupees(l.Price), catalog.FormatRupees(l.Price*int64(l.Qty)))
	}
	fmt.Fprintf(tw, "\t\t\tsubtotal\t%s\t\n", catalog.FormatRupees(o.Subtotal))
	if o.DeliveryFee != 0 {
		fmt.Fprintf(tw, "\t\t\tdelivery\t%s\t\n", catalog.FormatRupees(o.DeliveryFee))
	}
	fmt.Fprintf(tw, "\t\t\ttotal\t%s\t\n", catalog.FormatRupees(o.Total))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(o.History) > 0 {
		fmt.Fprintln(w, "\nhistory")
		for _, c := range o.History {
			line := fmt.Sprintf("  %s  %-10s by %s", showTime(c.At, loc), c.State, c.By)
			if c.Reason != "" {
				line += ": " + c.Reason
			}
			fmt.Fprintln(w, line)
		}
	}
	return nil
}

// orderMove is the command that moves an order by a, which takes
// --reason only where the shopper is told one.
func orderMove(a admin.Action, summary, help string) opSpec {
	o := opSpec{name: "orders " + string(a), args: "ORDER-ID", summary: summary, help: help, reach: admin.AgentOnly}
	o.mk = func(fs *flag.FlagSet, v *verb) func(ctx context.Context) error {
		var reason string
		switch a {
		case admin.Reject:
			fs.StringVar(&reason, "reason", "", "why, in a few words the shopper will read (required)")
		case admin.Cancel:
			fs.StringVar(&reason, "reason", "", "why, in a few words the shopper will read")
		}
		return func(ctx context.Context) error {
			reason = strings.TrimSpace(reason)
			if a == admin.Reject && reason == "" {
				return &command.UsageError{Cmd: "tokri orders reject", Msg: "--reason is required (the shopper is told why)"}
			}
			return answer(v, func(b admin.Backend) (orders.Order, error) {
				return b.Act(ctx, normID(v.pos[0]), a, reason)
			}, func(o orders.Order) error {
				fmt.Fprintf(v.stdout, "order %s is now %s\n", o.ID, o.State)
				return nil
			})
		}
	}
	return o
}

// normID lets the operator type an order ID in lower case.
func normID(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }

func showTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// parseWhen reads a date (in loc), an RFC 3339 time, or an age before now
// ("36h", "7d").
func parseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(d); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2026-05-01), an RFC 3339 time or an age (36h, 7d)", s)
}
