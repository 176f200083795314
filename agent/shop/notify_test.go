package shop

import (
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
)

// placeOrder runs a shopper through a pickup order and returns its id.
func (h *harness) placeOrder(from string) string {
	h.t.Helper()
	for _, m := range []string{"2 aashirvaad atta 5kg", "PICKUP", "YES"} {
		h.send(from, m)
	}
	o, ok := h.last(from)
	if !ok {
		h.t.Fatal("no order placed")
	}
	return o.ID
}

func (h *harness) profile(number string) shoppers.Profile {
	h.t.Helper()
	var p shoppers.Profile
	testkit.View(h.t, h.db, func(tx *bbolt.Tx) (err error) {
		p, _, err = shoppers.Get(tx, number)
		return err
	})
	return p
}

// to keeps the messages of out addressed to number.
func to(out []store.Outbound, number string) []store.Outbound {
	var r []store.Outbound
	for _, o := range out {
		if o.To == number {
			r = append(r, o)
		}
	}
	return r
}

// A shopper's CANCEL (asked once, then confirmed) and an operator's
// DELIVER each reach the shopper as exactly one SMS, and never touch their
// opt-out. An opted-out shopper hears nothing at all, and their messages
// other than START are not acted on.
func TestOneSMSPerOrderChange(t *testing.T) {
	const opPIN = "OP 4321 "
	tests := []struct {
		name     string
		before   []string // operator commands first, "%s" is the order id
		from     string   // who sends the change
		change   string
		optedOut bool
		want     store.Priority // what the shopper gets
		wantText string         // in it; "" for no message at all
		state    orders.State
	}{
		{"cancel placed", nil, shopper, "CANCEL", false, store.Reply, "is cancelled", orders.Cancelled},
		{"cancel accepted", []string{"ACCEPT"}, shopper, "CANCEL", false, store.Reply, "is cancelled", orders.Cancelled},
		{"cancel by id", nil, shopper, "CANCEL %s", false, store.Reply, "is cancelled", orders.Cancelled},
		{"cancel opted out", nil, shopper, "CANCEL", true, 0, "", orders.Placed},
		{"deliver placed", nil, operator, opPIN + "DELIVER %s", false, store.Notification, "is delivered", orders.Delivered},
		{"deliver accepted", []string{"ACCEPT"}, operator, opPIN + "DELIVER %s", false, store.Notification, "is delivered", orders.Delivered},
		{"deliver opted out", nil, operator, opPIN + "DELIVER %s", true, 0, "", orders.Delivered},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Every change is told, delivered included (by default it is
			// folded away).
			h := newHarness(t, testkit.ShopConfig(t, `notify = ["accepted", "packed", "ready", "dispatched", "delivered", "rejected", "cancelled"]`+"\n"), testkit.ExampleCatalog(t))
			id := h.placeOrder(shopper)
			if tc.optedOut {
				h.send(shopper, "STOP")
			}
			for _, b := range tc.before {
				h.send(operator, opPIN+b+" "+id)
			}
			msg := strings.ReplaceAll(tc.change, "%s", id)
			out := h.send(tc.from, msg)
			if tc.from == shopper && !tc.optedOut {
				// The shop names the order and asks once.
				if got := to(out, shopper); len(got) != 1 || !strings.Contains(got[0].Text, "Cancel order "+id+" ") {
					t.Fatalf("CANCEL answered %+v, want the order named and a question", got)
				}
				out = h.send(shopper, "YES")
			}
			got := to(out, shopper)
			if tc.wantText == "" {
				if len(got) != 0 {
					t.Fatalf("shopper got %d messages, want none: %+v", len(got), got)
				}
			} else {
				if len(got) != 1 {
					t.Fatalf("shopper got %d messages, want 1: %+v", len(got), got)
				}
				if got[0].Priority != tc.want || !strings.Contains(got[0].Text, tc.wantText) {
					t.Errorf("shopper got %v %q, want %v with %q", got[0].Priority, got[0].Text, tc.want, tc.wantText)
				}
			}
			if tc.from == operator && len(to(out, operator)) != 1 {
				t.Errorf("operator got %d messages, want 1 reply", len(to(out, operator)))
			}
			if p := h.profile(shopper); p.OptedOut != tc.optedOut {
				t.Errorf("shopper opted out %v after the change, want %v", p.OptedOut, tc.optedOut)
			}
			if o := h.order(id); o.State != tc.state {
				t.Errorf("order %s, want %s", o.State, tc.state)
			}
		})
	}
}
