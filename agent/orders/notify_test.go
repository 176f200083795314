package orders_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/protocol"
)

// The config chooses what the shopper is told: with the default of
// accepted, ready, dispatched, rejected and cancelled, a delivered order
// costs the shopper two notifications, not four; a pickup order is told
// it is ready when packed; a cancel by the shop says why. The time
// promised is rounded up to a quarter hour in the shop's zone.
func TestNoticesAsConfigured(t *testing.T) {
	tell := []string{"accepted", "ready", "dispatched", "rejected", "cancelled"}
	for _, tc := range []struct {
		name string
		mode string
		path []orders.State
		want []string
	}{
		{"delivery", orders.ModeDelivery, []orders.State{orders.Accepted, orders.Packed, orders.Dispatched, orders.Delivered},
			[]string{"Sharma Kirana accepted order ACD34, total Rs728. It reaches you by 4 pm.", "Order ACD34 is out for delivery. Total Rs728."}},
		{"pickup", orders.ModePickup, []orders.State{orders.Accepted, orders.Packed, orders.Dispatched, orders.Delivered},
			[]string{"Sharma Kirana accepted order ACD34, total Rs708. Ready to collect by 4 pm.", "Order ACD34 is ready: collect it from Sharma Kirana. Total Rs708."}},
		{"cancelled by the shop", orders.ModeDelivery, []orders.State{orders.Cancelled},
			[]string{"Sorry, Sharma Kirana cancelled order ACD34: shop closed for Holi"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openSharma(t, protocol.English)
			update(t, db, func(tx *store.Tx) error {
				return orders.SetNotices(tx.Bolt(), orders.Notices{Tell: tell, ReadyIn: 50 * time.Minute, Zone: "Asia/Kolkata"})
			})
			b := basket(asha)
			b.Mode = tc.mode
			if tc.mode == orders.ModePickup {
				b.Address, b.DeliveryFee, b.Total = "", 0, b.Subtotal
			}
			o := place(t, db, b, t0)
			var got []string
			for _, st := range tc.path {
				reason := ""
				if st == orders.Cancelled {
					reason = "shop closed for Holi"
				}
				advance(t, db, o.ID, st, reason, t0)
				for _, m := range drain(t, db) {
					got = append(got, m.Text)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("told:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// Operators in the notices get one SMS per new order, with its id, total,
// the shopper's number, the address and every line; none without them.
func TestNewOrderToOperators(t *testing.T) {
	const op = "+919800000009"
	for _, ops := range [][]string{nil, {op}} {
		db := openDB(t)
		restore := orders.SetNewID(ids("ACD34"))
		update(t, db, func(tx *store.Tx) error {
			return orders.SetNotices(tx.Bolt(), orders.Notices{Tell: []string{"accepted"}, ReadyIn: time.Hour, Operators: ops})
		})
		place(t, db, basket(asha), t0)
		msgs := drain(t, db)
		restore()
		if len(ops) == 0 {
			if len(msgs) != 0 {
				t.Errorf("no operators, yet %d messages", len(msgs))
			}
			continue
		}
		if len(msgs) != 1 || msgs[0].To != op || msgs[0].Priority != store.Operator {
			t.Fatalf("messages %+v, want one to the operator", msgs)
		}
		m := msgs[0]
		for _, want := range []string{"New order ACD34", "Rs728", asha, "Deliver to: ", "x Aashirvaad Atta 5kg"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("operator SMS %q lacks %q", m.Text, want)
			}
		}
		if m.Segments > orders.OperatorBudget || m.Encoding != "gsm7" {
			t.Errorf("operator SMS costs %d %s", m.Segments, m.Encoding)
		}
	}
}
