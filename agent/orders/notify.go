package orders

import (
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/text"
)

// Notices say who hears of an order's changes: which changes send the
// shopper an SMS, what time an accepted order is promised for, and which
// phones hear of every new order. The agent sets them from its config at
// start (SetNotices), so every path that moves an order (the shop, the
// console, the sync server) tells the same.
type Notices struct {
	// Tell lists the changes the shopper is told of: "accepted",
	// "packed", "ready" (a pickup order packed), "dispatched",
	// "delivered", "rejected", "cancelled".
	Tell []string `json:"tell"`
	// ReadyIn is how long after acceptance the accepted SMS promises the
	// order (delivered, or ready to collect).
	ReadyIn time.Duration `json:"ready_in"`
	// Zone is the shop's time zone, for the time promised.
	Zone string `json:"zone,omitempty"`
	// Operators are told of each new order: its id, lines, total, the
	// shopper's number and address. Empty tells no one.
	Operators []string `json:"operators,omitempty"`
}

// DefaultNotices tell the shopper of every change, as before notices
// were configured, and no operator.
var DefaultNotices = Notices{
	Tell:    []string{"accepted", "packed", "ready", "dispatched", "delivered", "rejected", "cancelled"},
	ReadyIn: time.Hour,
}

var settingNotices = []byte("notices")

// SetNotices stores n for every later change of any order.
func SetNotices(tx *bbolt.Tx, n Notices) error {
	return store.Save(tx, bucketSettings, settingNotices, n)
}

// StoredNotices are the stored Notices, or DefaultNotices.
func StoredNotices(tx *bbolt.Tx) Notices {
	var n Notices
	if found, err := store.Load(tx, bucketSettings, settingNotices, &n); found && err == nil {
		return n
	}
	return DefaultNotices
}

func (n Notices) tells(what string) bool {
	for _, t := range n.Tell {
		if t == what {
			return true
		}
	}
	return false
}

// by is the time an order accepted at now is promised for, rounded up to
// a quarter hour, as lang says it.
func (n Notices) by(lang protocol.Lang, now time.Time) string {
	loc, err := time.LoadLocation(n.Zone)
	if err != nil || n.Zone == "" {
		loc = time.UTC
	}
	t := now.Add(n.ReadyIn).In(loc)
	if r := t.Truncate(15 * time.Minute); r.Before(t) {
		t = r.Add(15 * time.Minute)
	}
	return text.Clock(lang, t.Hour(), t.Minute())
}

// Notification is the SMS that tells a shopper, in lang, that o reached
// its current state at now; ok is false for a change n does not tell
// (and for placed, which the shop's reply confirms).
func Notification(lang protocol.Lang, shop string, o Order, n Notices, now time.Time) (r render.Reply, ok bool) {
	pickup := o.Mode == ModePickup
	total := render.Money(o.Total)
	switch {
	case o.State == Accepted && n.tells("accepted"):
		k := text.Accepted
		if pickup {
			k = text.AcceptedPickup
		}
		return text.Reply(lang, k, shop, o.ID, total, n.by(lang, now)), true
	case o.State == Packed && pickup && n.tells("ready"):
		return text.Reply(lang, text.ReadyForPickup, o.ID, shop, total), true
	case o.State == Packed && !pickup && n.tells("packed"):
		return text.Reply(lang, text.StatusLine, o.ID, text.Template(lang, text.StatePacked)), true
	case o.State == Dispatched && !pickup && n.tells("dispatched"):
		return text.Reply(lang, text.OutForDelivery, o.ID, total), true
	case o.State == Delivered && n.tells("delivered"):
		return text.Reply(lang, text.Delivered, o.ID, shop), true
	case o.State == Rejected && n.tells("rejected"):
		reason := o.Reason
		if reason == "" {
			reason = text.Template(lang, text.StateRejected)
		}
		return text.Reply(lang, text.Rejected, shop, o.ID, reason), true
	case o.State == Cancelled && n.tells("cancelled"):
		if o.Reason != "" {
			return text.Reply(lang, text.CancelledWhy, shop, o.ID, o.Reason), true
		}
		return text.Reply(lang, text.Cancelled, o.ID), true
	}
	return render.Reply{}, false
}

// notify queues o's notification for its shopper, unless they opted out
// or the notices do not tell this change.
func notify(tx *store.Tx, o Order, now time.Time) error {
	p, _, err := shoppers.Get(tx.Bolt(), o.Shopper)
	if err != nil {
		return fmt.Errorf("notify order %s: %w", o.ID, err)
	}
	if p.OptedOut {
		return nil
	}
	r, ok := Notification(p.LangOr(protocol.English), ShopName(tx.Bolt()), o, StoredNotices(tx.Bolt()), now)
	if !ok {
		return nil
	}
	if _, err := tx.Enqueue(store.Outbound{To: o.Shopper, Text: r.Text, Priority: store.Notification}); err != nil {
		return fmt.Errorf("queue notification of order %s: %w", o.ID, err)
	}
	return nil
}

// OperatorBudget is what the SMS of a new order to an operator may cost:
// the address and every line, which the operator needs to pack and send
// it, take more than one segment.
const OperatorBudget = 3

// NewOrderText is the SMS that tells an operator of order o: "New order
// K7M3P Rs753 from +919811110001. Deliver to: 12 MG Road. 2x Aashirvaad
// Atta 5kg, 1x Tata Salt 1kg". Lines that do not fit are cut last.
func NewOrderText(o Order) render.Reply {
	where := "Pickup"
	if o.Mode == ModeDelivery {
		where = "Deliver to: " + o.Address
	}
	lines := make([]string, len(o.Lines))
	for i, l := range o.Lines {
		lines[i] = fmt.Sprintf("%dx %s", l.Qty, render.Label(l.Name, l.Unit))
	}
	s := text.Format(protocol.English, text.OpNewOrder, o.ID, render.Money(o.Total), o.Shopper, where, strings.Join(lines, ", "))
	return render.Fit(s, protocol.English, OperatorBudget)
}

// announce tells each operator in the notices of the new order o.
func announce(tx *store.Tx, o Order) error {
	ops := StoredNotices(tx.Bolt()).Operators
	if len(ops) == 0 {
		return nil
	}
	r := NewOrderText(o)
	for _, to := range ops {
		if _, err := tx.Enqueue(store.Outbound{To: to, Text: r.Text, Priority: store.Operator}); err != nil {
			return fmt.Errorf("queue new order %s to operator: %w", o.ID, err)
		}
	}
	return nil
}
