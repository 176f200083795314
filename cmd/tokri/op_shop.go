package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/protocol/render"
)

// shopSpecs are what the console also does: pause the shop, read a
// shopper's messages, retry a failed send, the day so far. Each is the
// same admin call the console makes.
var shopSpecs = []opSpec{
	shopPause("pause", "take no new orders until resumed"),
	shopPause("resume", "take orders again"),
	{name: "messages", args: "NUMBER", summary: "a shopper's conversation, both ways", reach: admin.FileOK,
		help: "Show a shopper's conversation, both ways, oldest first.", mk: messagesOf},
	{name: "messages failed", summary: "sends the modem gave up on", reach: admin.FileOK,
		help: "List the sends the modem gave up on, newest first.", mk: messagesFailed},
	{name: "messages retry", args: "ID", summary: "queue a failed send again", reach: admin.AgentOnly,
		help: "Queue a failed send again, as a new message.", mk: messagesRetry},
	{name: "messages unreadable", summary: "inbound PDUs no decoder could read", reach: admin.FileOK,
		help: "List the inbound PDUs no decoder could read, as they came.", mk: messagesUnreadable},
	{name: "today", summary: "the day so far", reach: admin.FileOK,
		help: "The day so far: orders, revenue, best sellers, SMS per order, and the summary SMS the operator gets.", mk: todayVerb},
}

func shopPause(word, summary string) opSpec {
	return opSpec{name: "shop " + word, summary: summary, reach: admin.AgentOnly,
		help: "Pause or resume taking orders, as the operator's PAUSE and RESUME by SMS do.",
		mk: func(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
			return func(ctx context.Context) error {
				return answer(v, func(b admin.Backend) (admin.ShopState, error) { return b.SetPaused(ctx, word == "pause") }, func(st admin.ShopState) error {
					if st.Paused {
						fmt.Fprintln(v.stdout, "shop paused: new orders are turned away")
					} else {
						fmt.Fprintln(v.stdout, "shop resumed: taking orders")
					}
					return nil
				})
			}
		}}
}

func messagesFailed(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		return answer(v, func(b admin.Backend) ([]admin.FailedSend, error) { return b.FailedSends(ctx) }, func(list []admin.FailedSend) error {
			printList(v.stdout, "no failed sends", list, func(f admin.FailedSend) string {
				return fmt.Sprintf("%d  %s  %s  %s: %s", f.ID, showTime(f.At, v.env.Loc), f.To, f.Error, f.Text)
			})
			return nil
		})
	}
}

func messagesRetry(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		id, err := strconv.ParseUint(v.pos[0], 10, 64)
		if err != nil {
			return fmt.Errorf("ID: %q is not a message number (see tokri messages failed)", v.pos[0])
		}
		return answer(v, func(b admin.Backend) (admin.Resent, error) { return b.Retry(ctx, id) }, func(r admin.Resent) error {
			fmt.Fprintf(v.stdout, "message %d queued again as %d\n", id, r.ID)
			return nil
		})
	}
}

func messagesUnreadable(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		return answer(v, func(b admin.Backend) ([]admin.Unreadable, error) { return b.Unreadable(ctx) }, func(list []admin.Unreadable) error {
			printList(v.stdout, "no unreadable messages", list, func(u admin.Unreadable) string {
				return fmt.Sprintf("%d  %s  %s  %s", u.ID, showTime(u.At, v.env.Loc), u.Error, u.PDU)
			})
			return nil
		})
	}
}

func messagesOf(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		number := strings.Join(strings.Fields(v.pos[0]), "")
		return answer(v, func(b admin.Backend) ([]store.Message, error) { return b.Conversation(ctx, number, 0) }, func(list []store.Message) error {
			printList(v.stdout, "no messages", list, func(m store.Message) string {
				dir, tag := ">", ""
				if !m.Inbound {
					dir, tag = "<", fmt.Sprintf(" [%s, %d part(s)]", m.State, m.Segments)
					if m.Error != "" {
						tag = fmt.Sprintf(" [%s, %d part(s): %s]", m.State, m.Segments, m.Error)
					}
				}
				return fmt.Sprintf("%s %s %s%s", showTime(m.At, v.env.Loc), dir, m.Text, tag)
			})
			return nil
		})
	}
}

func todayVerb(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		return answer(v, func(b admin.Backend) (admin.Today, error) { return b.Today(ctx) }, func(t admin.Today) error {
			w := v.stdout
			fmt.Fprintf(w, "%s: %d orders (%d delivered, %d open, %d cancelled), %s, %.1f SMS per order (%d sent)\n",
				t.Day, t.Orders, t.Delivered, t.Open, t.Cancelled, render.Money(t.Revenue), t.SMSPerOrder, t.Segments)
			for _, it := range t.Top {
				fmt.Fprintf(w, "  %4d  %s %s\n", it.Qty, it.Name, it.Unit)
			}
			switch {
			case t.At == "":
				fmt.Fprintln(w, "no summary SMS (no operator, or shop.summary is off)")
			case t.Sent:
				fmt.Fprintf(w, "sent today to %s (%d part(s)): %s\n", t.To, t.SMSSegments, t.SMS)
			default:
				fmt.Fprintf(w, "at %s to %s (%d part(s)): %s\n", t.At, t.To, t.SMSSegments, t.SMS)
			}
			return nil
		})
	}
}
