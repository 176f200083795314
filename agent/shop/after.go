package shop

import (
	"errors"
	"fmt"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/protocol/text"
)

// findOrder is the shopper's order id, or their latest when id is empty.
// Someone else's order is treated as none, so ids cannot be probed.
func (c *conv) findOrder(id string) (orders.Order, bool, error) {
	if id == "" {
		o, ok, err := orders.Last(c.btx, c.in.From)
		if err != nil {
			return orders.Order{}, false, fmt.Errorf("last order: %w", err)
		}
		return o, ok, nil
	}
	o, err := orders.Get(c.btx, id)
	if errors.Is(err, orders.ErrNotFound) {
		return orders.Order{}, false, nil
	}
	if err != nil {
		return orders.Order{}, false, fmt.Errorf("read order: %w", err)
	}
	if !c.s.country.Same(o.Shopper, c.in.From) {
		return orders.Order{}, false, nil
	}
	return o, true, nil
}

// withOrder finds the shopper's order id (their last one if id is empty)
// and hands it to fn; when there is none it says missing instead.
func (c *conv) withOrder(id string, missing text.Key, fn func(o orders.Order) error) error {
	o, ok, err := c.findOrder(id)
	if err != nil {
		return err
	}
	if !ok {
		c.say(text.Template(c.lang, missing))
		return nil
	}
	return fn(o)
}

func (c *conv) status(id string) error {
	return c.withOrder(id, text.NoOrder, func(o orders.Order) error {
		c.say(text.Format(c.lang, text.StatusLine, o.ID, c.stateText(o.State)))
		return nil
	})
}

// cancel cancels the order while the shop has not packed it.
func (c *conv) cancel(id string) error {
	return c.withOrder(id, text.NoOrder, c.askCancel)
}

func (c *conv) cancelOrder(o orders.Order) error {
	// The reply below tells the shopper; a notification would say it twice.
	_, err := orders.TransitionQuiet(c.tx, o.ID, orders.Cancelled, "", orders.ByShopper, c.now)
	switch {
	case errors.Is(err, orders.ErrBadTransition):
		c.say(text.Format(c.lang, text.CannotCancel, o.ID, c.stateText(o.State)))
		return nil
	case err != nil:
		return fmt.Errorf("cancel order: %w", err)
	}
	c.s.log.Info().Str("order", o.ID).Msg("order cancelled by shopper")
	c.sess = session{}
	c.say(text.Format(c.lang, text.Cancelled, o.ID))
	return nil
}

// repeat fills the cart with an earlier order's lines at today's prices
// and stock, and goes to the summary with its delivery and payment.
func (c *conv) repeat(id string) error {
	return c.withOrder(id, text.NothingToRepeat, c.repeatOrder)
}

func (c *conv) repeatOrder(o orders.Order) error {
	c.cart = cart{At: c.now}
	var notes []string
	for _, l := range o.Lines {
		it, ok, err := c.active(l.SKU)
		switch {
		case err != nil:
			return fmt.Errorf("repeat item: %w", err)
		case !ok:
			notes = append(notes, text.Format(c.lang, text.NotFound, clip(l.Name, maxItem)))
			continue
		case it.Stock < l.Qty:
			notes = append(notes, c.stockText(it))
			if it.Stock <= 0 {
				continue
			}
			l.Qty = it.Stock
		}
		c.cart.add(l.SKU, l.Qty)
	}
	if len(c.cart.Lines) == 0 {
		c.sess = session{}
		c.say(joinNotes(notes, text.Template(c.lang, text.CartEmpty)))
		return nil
	}
	if c.prof.Address == "" && o.Address != "" {
		c.prof.Address = o.Address
	}
	c.sess = session{Mode: o.Mode, Pay: o.Payment, Notes: notes}
	return c.checkout()
}

// stateWords are the shopper's words for each state past placed.
var stateWords = map[orders.State]text.Key{
	orders.Accepted: text.StateAccepted, orders.Packed: text.StatePacked, orders.Dispatched: text.StateOnTheWay,
	orders.Delivered: text.StateDelivered, orders.Cancelled: text.StateCancelled, orders.Rejected: text.StateRejected,
}

// stateText is an order state in the shopper's words.
func (c *conv) stateText(s orders.State) string {
	k, ok := stateWords[s]
	if !ok {
		k = text.StateNew
	}
	return text.Template(c.lang, k)
}
