package orders

import (
	"fmt"

	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/text"
)

// Notification is the SMS that tells a shopper, in lang, that o reached its
// current state; ok is false for a state nobody is told of (placed, which
// the shop's reply confirms).
func Notification(lang protocol.Lang, shop string, o Order) (r render.Reply, ok bool) {
	switch o.State {
	case Accepted:
		return text.Reply(lang, text.Accepted, shop, o.ID, render.Money(o.Total)), true
	case Packed:
		return text.Reply(lang, text.StatusLine, o.ID, text.Template(lang, text.StatePacked)), true
	case Dispatched:
		return text.Reply(lang, text.StatusLine, o.ID, text.Template(lang, text.StateOnTheWay)), true
	case Delivered:
		return text.Reply(lang, text.Delivered, o.ID, shop), true
	case Rejected:
		reason := o.Reason
		if reason == "" {
			reason = text.Template(lang, text.StateRejected)
		}
		return text.Reply(lang, text.Rejected, shop, o.ID, reason), true
	case Cancelled:
		return text.Reply(lang, text.Cancelled, o.ID), true
	}
	return render.Reply{}, false
}

// notify queues o's notification for its shopper, unless they opted out.
func notify(tx *store.Tx, o Order) error {
	p, _, err := shoppers.Get(tx.Bolt(), o.Shopper)
	if err != nil {
		return fmt.Errorf("notify order %s: %w", o.ID, err)
	}
	if p.OptedOut {
		return nil
	}
	r, ok := Notification(p.LangOr(protocol.English), ShopName(tx.Bolt()), o)
	if !ok {
		return nil
	}
	if _, err := tx.Enqueue(store.Outbound{To: o.Shopper, Text: r.Text, Priority: store.Notification}); err != nil {
		return fmt.Errorf("queue notification of order %s: %w", o.ID, err)
	}
	return nil
}
