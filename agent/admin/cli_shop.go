package admin

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/protocol/render"
)

// The commands for what the console also does: pause the shop, read a
// shopper's messages, retry a failed send, the day so far. Each is the
// same admin call the console makes.

var shopVerbs = [][2]string{
	{"pause", "take no new orders until resumed"},
	{"resume", "take orders again"},
}

func shopCLI(ctx context.Context, args []string, env Env) error {
	if wantsHelp(args) {
		return subUsage(env, "shop", shopVerbs)
	}
	if args[0] != "pause" && args[0] != "resume" {
		return unknownVerb("shop", args[0], shopVerbs)
	}
	paused := args[0] == "pause"
	v := newVerb(env, "shop "+args[0], "Pause or resume taking orders, as the operator's PAUSE and RESUME by SMS do. Needs the running agent.")
	if _, err := v.parse(args[1:]); err != nil {
		return err
	}
	return answer(env, v, agentOnly, func(b backend) (ShopState, error) { return b.SetPaused(ctx, paused) }, func(st ShopState) error {
		if st.Paused {
			fmt.Fprintln(env.Stdout, "shop paused: new orders are turned away")
		} else {
			fmt.Fprintln(env.Stdout, "shop resumed: taking orders")
		}
		return nil
	})
}

var messageVerbs = [][2]string{
	{"NUMBER", "a shopper's conversation, both ways"},
	{"failed", "sends the modem gave up on"},
	{"retry ID", "queue a failed send again"},
	{"unreadable", "inbound PDUs no decoder could read"},
}

func messagesCLI(ctx context.Context, args []string, env Env) error {
	if wantsHelp(args) {
		return subUsage(env, "messages", messageVerbs)
	}
	switch args[0] {
	case "failed":
		v := newVerb(env, "messages failed", "List the sends the modem gave up on, newest first. Works without a running agent too.")
		if _, err := v.parse(args[1:]); err != nil {
			return err
		}
		return answer(env, v, fileOK, func(b backend) ([]FailedSend, error) { return b.FailedSends(ctx) }, func(list []FailedSend) error {
			if len(list) == 0 {
				fmt.Fprintln(env.Stdout, "no failed sends")
			}
			for _, f := range list {
				fmt.Fprintf(env.Stdout, "%d  %s  %s  %s: %s\n", f.ID, showTime(f.At, env.Loc), f.To, f.Error, f.Text)
			}
			return nil
		})
	case "retry":
		v := newVerb(env, "messages retry", "Queue a failed send again, as a new message. Needs the running agent.", "ID")
		pos, err := v.parse(args[1:])
		if err != nil {
			return err
		}
		id, err := strconv.ParseUint(pos[0], 10, 64)
		if err != nil {
			return fmt.Errorf("ID: %q is not a message number (see tokri messages failed)", pos[0])
		}
		return answer(env, v, agentOnly, func(b backend) (Resent, error) { return b.Retry(ctx, id) }, func(r Resent) error {
			fmt.Fprintf(env.Stdout, "message %d queued again as %d\n", id, r.ID)
			return nil
		})
	case "unreadable":
		v := newVerb(env, "messages unreadable", "List the inbound PDUs no decoder could read, as they came. Works without a running agent too.")
		if _, err := v.parse(args[1:]); err != nil {
			return err
		}
		return answer(env, v, fileOK, func(b backend) ([]Unreadable, error) { return b.Unreadable(ctx) }, func(list []Unreadable) error {
			if len(list) == 0 {
				fmt.Fprintln(env.Stdout, "no unreadable messages")
			}
			for _, u := range list {
				fmt.Fprintf(env.Stdout, "%d  %s  %s  %s\n", u.ID, showTime(u.At, env.Loc), u.Error, u.PDU)
			}
			return nil
		})
	}
	v := newVerb(env, "messages", "Show a shopper's conversation, both ways, oldest first. Works without a running agent too.", "NUMBER")
	pos, err := v.parse(args)
	if err != nil {
		return err
	}
	number := strings.Join(strings.Fields(pos[0]), "")
	return answer(env, v, fileOK, func(b backend) ([]store.Message, error) { return b.Conversation(ctx, number, 0) }, func(list []store.Message) error {
		if len(list) == 0 {
			fmt.Fprintln(env.Stdout, "no messages")
		}
		for _, m := range list {
			dir, tag := ">", ""
			if !m.Inbound {
				dir, tag = "<", fmt.Sprintf(" [%s, %d part(s)]", m.State, m.Segments)
				if m.Error != "" {
					tag = fmt.Sprintf(" [%s, %d part(s): %s]", m.State, m.Segments, m.Error)
				}
			}
			fmt.Fprintf(env.Stdout, "%s %s %s%s\n", showTime(m.At, env.Loc), dir, m.Text, tag)
		}
		return nil
	})
}

func todayCLI(ctx context.Context, args []string, env Env) error {
	v := newVerb(env, "today", "The day so far: orders, revenue, best sellers, SMS per order, and the summary SMS the operator gets. Works without a running agent too.")
	if _, err := v.parse(args); err != nil {
		return err
	}
	return answer(env, v, fileOK, func(b backend) (Today, error) { return b.Today(ctx) }, func(t Today) error {
		fmt.Fprintf(env.Stdout, "%s: %d orders (%d delivered, %d open, %d cancelled), %s, %.1f SMS per order (%d sent)\n",
			t.Day, t.Orders, t.Delivered, t.Open, t.Cancelled, render.Money(t.Revenue), t.SMSPerOrder, t.Segments)
		for _, it := range t.Top {
			fmt.Fprintf(env.Stdout, "  %4d  %s %s\n", it.Qty, it.Name, it.Unit)
		}
		switch {
		case t.At == "":
			fmt.Fprintln(env.Stdout, "no summary SMS (no operator, or shop.summary is off)")
		case t.Sent:
			fmt.Fprintf(env.Stdout, "sent today to %s (%d part(s)): %s\n", t.To, t.SMSSegments, t.SMS)
		default:
			fmt.Fprintf(env.Stdout, "at %s to %s (%d part(s)): %s\n", t.At, t.To, t.SMSSegments, t.SMS)
		}
		return nil
	})
}
