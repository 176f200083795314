package admin

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
)

var orderVerbs = [][2]string{
	{"list [--state S,S] [--since WHEN]", "orders, newest first"},
	{"show ORDER-ID", "one order, its lines and history"},
	{"accept ORDER-ID", "accept a placed order"},
	{"reject ORDER-ID --reason TEXT", "reject it; stock goes back, the shopper is told why"},
	{"pack ORDER-ID", "mark it packed"},
	{"dispatch ORDER-ID", "mark it out for delivery"},
	{"deliver ORDER-ID", "mark it delivered (or picked up)"},
	{"cancel ORDER-ID [--reason TEXT]", "cancel it before packing; stock goes back"},
}

func ordersCLI(ctx context.Context, args []string, env Env) error {
	if wantsHelp(args) {
		return subUsage(env, "orders", orderVerbs)
	}
	switch args[0] {
	case "list":
		return ordersList(ctx, args[1:], env)
	case "show":
		return ordersShow(ctx, args[1:], env)
	}
	if _, ok := actionStates[Action(args[0])]; ok {
		return ordersAct(ctx, Action(args[0]), args[1:], env)
	}
	return unknownVerb("orders", args[0], orderVerbs)
}

func ordersList(ctx context.Context, args []string, env Env) error {
	v := newVerb(env, "orders list", "List orders, newest first. Works without a running agent too.")
	state := v.fs.String("state", "", "only these states, comma-separated: "+joinStates(states)+", or \"open\"")
	shopper := v.fs.String("shopper", "", "only this shopper's number")
	since := v.fs.String("since", "", "only orders placed since: a date (2026-05-01), a time (RFC 3339) or an age (36h, 7d)")
	limit := v.fs.Int("limit", 50, "at most this many (0 for all)")
	if _, err := v.parse(args); err != nil {
		return err
	}
	var f orders.Filter
	for _, s := range strings.Split(*state, ",") {
		switch s = strings.TrimSpace(s); {
		case s == "":
		case s == "open":
			f.States = append(f.States, openStates...)
		case slices.Contains(states, orders.State(s)):
			f.States = append(f.States, orders.State(s))
		default:
			return fmt.Errorf("--state: unknown state %q (want %s or open)", s, joinStates(states))
		}
	}
	f.Shopper = *shopper
	if *since != "" {
		t, err := parseWhen(*since, env.Now(), env.Loc)
		if err != nil {
			return fmt.Errorf("--since: %w", err)
		}
		f.Since = t
	}
	if *limit < 0 {
		return fmt.Errorf("--limit: %d is negative", *limit)
	}
	f.Limit = *limit
	return answer(env, v, fileOK, func(b backend) ([]orders.Order, error) { return b.Orders(ctx, f) }, func(list []orders.Order) error {
		if len(list) == 0 {
			fmt.Fprintln(env.Stdout, "no orders")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTATE\tPLACED\tSHOPPER\tITEMS\tTOTAL\tPAY\tMODE")
		for _, o := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", o.ID, o.State, showTime(o.CreatedAt, env.Loc), o.Shopper, units(o), catalog.FormatRupees(o.Total), o.Payment, o.Mode)
		}
		return tw.Flush()
	})
}

func units(o orders.Order) int {
	n := 0
	for _, l := range o.Lines {
		n += l.Qty
	}
	return n
}

func ordersShow(ctx context.Context, args []string, env Env) error {
	v := newVerb(env, "orders show", "Show one order with its lines and history. Works without a running agent too.", "ORDER-ID")
	pos, err := v.parse(args)
	if err != nil {
		return err
	}
	return answer(env, v, fileOK, func(b backend) (orders.Order, error) { return b.Order(ctx, normID(pos[0])) }, func(o orders.Order) error { return printOrder(env, o) })
}

func printOrder(env Env, o orders.Order) error {
	w := env.Stdout
	fmt.Fprintf(w, "order %s  %s\n", o.ID, o.State)
	if o.Reason != "" {
		fmt.Fprintf(w, "reason   %s\n", o.Reason)
	}
	fmt.Fprintf(w, "shopper  %s\n", o.Shopper)
	fmt.Fprintf(w, "placed   %s\n", showTime(o.CreatedAt, env.Loc))
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
			line := fmt.Sprintf("  %s  %-10s by %s", showTime(c.At, env.Loc), c.State, c.By)
			if c.Reason != "" {
				line += ": " + c.Reason
			}
			fmt.Fprintln(w, line)
		}
	}
	return nil
}

func ordersAct(ctx context.Context, a Action, args []string, env Env) error {
	what := map[Action]string{
		Accept:   "Accept a placed order. The shopper is told by SMS.",
		Reject:   "Reject an order; its stock goes back and the shopper is told why by SMS.",
		Pack:     "Mark an accepted order packed. The shopper is told by SMS.",
		Dispatch: "Mark a packed order out for delivery. The shopper is told by SMS.",
		Deliver:  "Mark an order delivered (or picked up). The shopper is told by SMS.",
		Cancel:   "Cancel an order before it is packed; its stock goes back. The shopper is told by SMS.",
	}[a]
	v := newVerb(env, "orders "+string(a), what+" Needs the running agent.", "ORDER-ID")
	reason := v.fs.String("reason", "", "why, in a few words the shopper will read")
	pos, err := v.parse(args)
	if err != nil {
		return err
	}
	if a == Reject && strings.TrimSpace(*reason) == "" {
		return fmt.Errorf("tokri orders reject: --reason is required (the shopper is told why)")
	}
	return answer(env, v, agentOnly, func(b backend) (orders.Order, error) {
		return b.Act(ctx, normID(pos[0]), a, strings.TrimSpace(*reason))
	}, func(o orders.Order) error {
		fmt.Fprintf(env.Stdout, "order %s is now %s\n", o.ID, o.State)
		return nil
	})
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
