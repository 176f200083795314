package shop

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/protocol/command"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/text"
)

// checkout moves the order on to its next missing piece: the address
// (asked once, then remembered), then the summary to confirm. Delivery
// to a saved address and the first payment method are the defaults, so a
// returning shopper goes from CHECKOUT straight to the summary.
func (c *conv) checkout() error {
	ls, err := c.lines()
	if err != nil {
		return err
	}
	cfg := c.s.cfg
	switch {
	case len(ls) == 0:
		c.sess = session{}
		c.say(text.Template(c.lang, text.CartEmpty))
		return nil
	case Paused(c.btx):
		c.say(text.Format(c.lang, text.Paused, cfg.Name))
		return nil
	case c.closed() && !*cfg.OrdersWhenClosed:
		c.say(text.Format(c.lang, text.Closed, cfg.Name, c.s.opensText(c.lang)))
		return nil
	case subtotal(ls) < cfg.MinOrder.Paise:
		c.sess.Screen = screenNone
		c.say(text.Format(c.lang, text.MinOrder, render.Money(cfg.MinOrder.Paise), render.Money(subtotal(ls))))
		return nil
	}
	if c.sess.Mode == string(command.Pickup) && !*cfg.Pickup {
		c.sess.Mode = ""
	}
	if c.sess.Mode == "" && (c.prof.Address != "" || !*cfg.Pickup) {
		c.sess.Mode = string(command.Delivery)
	}
	if c.sess.Mode == "" || c.sess.Mode == string(command.Delivery) && c.prof.Address == "" {
		c.sess.Screen = screenAddress
		k := text.AskAddress
		if *cfg.Pickup {
			k = text.AskAddressPickup
		}
		c.say(text.Template(c.lang, k))
		return nil
	}
	if c.sess.Pay == "" || !cfg.HasPayment(c.sess.Pay) {
		c.sess.Pay = cfg.Payments[0]
	}
	c.confirm(ls)
	return nil
}

// confirm shows the summary and waits for YES: every line with its
// quantity and pack, the total, where it goes (the address as it will be
// used) and the payment, so that nothing is placed that was not shown.
// Names are shortened until it fits the shopper's budget.
func (c *conv) confirm(ls []line) {
	sub := subtotal(ls)
	fee := c.fee(sub, c.sess.Mode)
	total := sub + fee
	notes := c.sess.Notes
	c.sess.Screen = screenConfirm
	c.sess.Keys, c.sess.Pending, c.sess.Notes, c.sess.Starts = nil, nil, nil, nil
	budget := render.Budget(c.lang)
	var last string
	for _, try := range confirmTries {
		mode := text.Template(c.lang, text.ModeDelivery)
		if c.sess.Mode == string(command.Pickup) {
			mode = text.Template(c.lang, text.ModePickup)
		} else if c.prof.Address != "" && fee > 0 {
			mode = text.Format(c.lang, text.ModeFeeTo, render.Money(fee), clip(c.prof.Address, try.addr))
		} else if c.prof.Address != "" {
			mode = text.Format(c.lang, text.ModeDeliveryTo, clip(c.prof.Address, try.addr))
		}
		items := make([]string, len(ls))
		for i, l := range ls {
			items[i] = strconv.Itoa(l.qty) + "x " + c.shortLabel(l.it, try.name)
		}
		s := text.Format(c.lang, text.ConfirmLines, strings.Join(items, ", "), render.Money(total), mode, c.payText(c.sess.Pay))
		if try.notes {
			s = joinNotes(notes, s)
		}
		if r := c.fit(s); !r.Truncated {
			c.reply = r.Text
			return
		}
		last = s
	}
	// A cart too long for one message: every line still shows, over one
	// more segment, rather than an order placed unseen. (The shortest try
	// is fitted again, not its cut: the cut lost the end.)
	c.reply = render.Fit(last, c.lang, budget+1).Text
}

// confirmTries shorten the summary step by step: names, then the
// address, then the notes before it.
var confirmTries = []struct {
	name, addr int
	notes      bool
}{{maxItem, maxAddress, true}, {maxItem, 30, true}, {20, 24, true}, {16, 24, false}, {12, 20, false}, {8, 16, false}, {6, 12, false}}

// shortLabel is the item with its pack, its name cut to n characters.
func (c *conv) shortLabel(it catalog.Item, n int) string {
	return render.Label(clip(c.name(it), n), it.Unit)
}

func (c *conv) payText(method string) string {
	if method == string(command.UPI) {
		return text.Template(c.lang, text.PayUPI)
	}
	return text.Template(c.lang, text.PayCOD)
}

// fulfil sets delivery or pickup and goes on with the checkout.
func (c *conv) fulfil(m command.Mode) error {
	if m == command.Pickup && !*c.s.cfg.Pickup {
		m = command.Delivery
	}
	c.sess.Mode = string(m)
	return c.checkout()
}

// pay sets the payment method and goes on with the checkout.
func (c *conv) pay(m command.Method) error {
	if c.s.cfg.HasPayment(string(m)) {
		c.sess.Pay = string(m)
	}
	return c.checkout()
}

// address remembers the shopper's address; with something in the cart
// it is also the answer to "delivery or pickup".
func (c *conv) address(a string) error {
	c.prof.Address = clip(a, maxAddress)
	if len(c.cart.Lines) == 0 {
		c.sess = session{}
		c.say(text.Template(c.lang, text.AddressSaved))
		return nil
	}
	c.sess.Mode = string(command.Delivery)
	return c.checkout()
}

// maxAddress bounds a stored address (what fits an operator's SMS).
const maxAddress = 120

// place places the order confirmed with YES. Stock is checked again by
// orders.Place; a line short of stock is named and nothing is placed.
func (c *conv) place() error {
	ls, err := c.lines()
	if err != nil {
		return err
	}
	cfg := c.s.cfg
	if len(ls) == 0 || c.sess.Mode == "" || c.sess.Pay == "" {
		return c.checkout()
	}
	if Paused(c.btx) {
		c.say(text.Format(c.lang, text.Paused, cfg.Name))
		return nil
	}
	o := orders.Order{Shopper: c.in.From, Mode: c.sess.Mode, Payment: c.sess.Pay}
	if o.Mode == string(command.Delivery) {
		o.Address = c.prof.Address
	}
	for _, l := range ls {
		o.Lines = append(o.Lines, orders.Line{SKU: l.it.SKU, Name: l.it.Name, NameHi: l.it.NameHi, Unit: l.it.Unit, Qty: l.qty, Price: l.it.Price})
	}
	o.Subtotal = subtotal(ls)
	o.DeliveryFee = c.fee(o.Subtotal, o.Mode)
	o.Total = o.Subtotal + o.DeliveryFee
	placed, err := orders.Place(c.tx, o, c.now)
	var se *catalog.StockError
	if errors.As(err, &se) {
		c.sess.Screen = screenNone
		for _, l := range ls {
			if l.it.SKU == se.SKU {
				l.it.Stock = se.Have
				c.say(c.stockText(l.it))
				return nil
			}
		}
		c.say(text.Format(c.lang, text.OutOfStock, se.SKU))
		return nil
	}
	if err != nil {
		return fmt.Errorf("place order: %w", err)
	}
	c.cart = cart{At: c.now}
	c.prof.LastOrder = placed.ID
	c.sess = session{}
	c.s.log.Info().Str("order", placed.ID).Int("lines", len(placed.Lines)).Int64("total", placed.Total).Msg("order placed")
	if placed.Payment == string(command.UPI) && cfg.UPIVPA != "" {
		c.say(text.Format(c.lang, text.PlacedUPI, placed.ID, render.Money(placed.Total), cfg.UPIVPA, placed.ID))
		return nil
	}
	c.say(text.Format(c.lang, text.Placed, placed.ID, render.Money(placed.Total), placed.ID))
	return nil
}

func joinNotes(notes []string, s string) string {
	for i := len(notes) - 1; i >= 0; i-- {
		s = notes[i] + " " + s
	}
	return s
}
