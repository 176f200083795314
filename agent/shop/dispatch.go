package shop

import (
	"github.com/tokrihq/tokri/protocol/command"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/text"
)

// dispatch answers one shopper message by what it says and what the last
// reply offered.
func (c *conv) dispatch() error {
	expect := command.ExpectAny
	if c.sess.Screen == screenAddress {
		expect = command.ExpectAddress
	}
	cmd := command.ParseExpect(c.in.Text, expect)
	cmd, err := c.reread(cmd)
	if err != nil {
		return err
	}
	if op, ok := cmd.(command.Operator); ok {
		if c.fromOperator() {
			return c.operator(op)
		}
		return c.welcome("")
	}
	if err := c.dropGone(); err != nil {
		return err
	}
	if c.sess.Screen == screenCancel {
		// The question was asked once: anything but YES keeps the order.
		id := c.sess.Words
		c.sess = session{}
		if _, yes := cmd.(command.Yes); yes {
			return c.withOrder(id, text.NoOrder, c.cancelOrder)
		}
		if _, no := cmd.(command.No); no {
			c.say(text.Format(c.lang, text.CancelKept, id))
			return nil
		}
	}
	switch cmd.(type) {
	case command.Pick, command.More, command.Back:
	case command.Order, command.Search:
		if c.sess.Screen == screenChoice {
			break // the choice is asked again after the new items
		}
		c.sess.Pending, c.sess.Notes = nil, nil
	default:
		// Anything else leaves a choice unanswered: forget it.
		c.sess.Pending, c.sess.Notes = nil, nil
	}
	// While closed and not taking orders, only what concerns earlier
	// orders and the shopper's settings is answered in full.
	if c.closed() && !*c.s.cfg.OrdersWhenClosed {
		switch cmd.(type) {
		case command.Status, command.Cancel, command.Stop, command.Start, command.Lang, command.Help:
		default:
			c.say(text.Format(c.lang, text.Closed, c.s.cfg.Name, c.s.opensText(c.lang)))
			return nil
		}
	}
	switch cmd := cmd.(type) {
	case command.Unknown:
		if c.sess.Screen == screenAddress || c.sess.Screen == screenConfirm {
			return c.checkout() // chat at checkout: ask again what it waits for
		}
		return c.welcome("")
	case command.Menu:
		return c.welcome("")
	case command.Help:
		c.say(text.Template(c.lang, text.Help))
	case command.Stop:
		return c.stop()
	case command.Start:
		c.prof.OptedOut = false
		c.sess = session{}
		c.say(text.Template(c.lang, text.Started))
	case command.Lang:
		c.lang, c.prof.Lang = cmd.Lang, cmd.Lang
		c.say(text.Template(c.lang, text.LangSet))
	case command.Pick:
		return c.pick(cmd.N)
	case command.More:
		return c.more()
	case command.Back:
		return c.back()
	case command.Search:
		return c.search(cmd.Words)
	case command.Order:
		return c.order(cmd)
	case command.Cart:
		return c.showCart()
	case command.Remove:
		return c.remove(cmd)
	case command.SetQty:
		return c.setQty(cmd)
	case command.Clear:
		c.clear()
	case command.Checkout:
		return c.checkout()
	case command.Yes:
		if c.sess.Screen == screenConfirm {
			return c.place()
		}
		if len(c.cart.Lines) > 0 {
			return c.checkout()
		}
		return c.welcome("")
	case command.No:
		if c.sess.Screen == screenConfirm || len(c.cart.Lines) > 0 {
			return c.showCart()
		}
		return c.welcome("")
	case command.Fulfil:
		return c.fulfil(cmd.Mode)
	case command.Pay:
		return c.pay(cmd.Method)
	case command.Address:
		if cmd.Text == "" {
			return c.checkout()
		}
		return c.address(cmd.Text)
	case command.Status:
		return c.status(cmd.Order)
	case command.Cancel:
		if cmd.Order == "" && len(c.cart.Lines) > 0 {
			// What is on screen is the cart (a REPEAT's too): drop it,
			// not an order already placed.
			c.clear()
			return nil
		}
		return c.cancel(cmd.Order)
	case command.Repeat:
		return c.repeat(cmd.Order)
	default:
		return c.welcome("")
	}
	return nil
}

// pick is a bare number: its meaning depends on the screen.
func (c *conv) pick(n int) error {
	if !c.paged() {
		if c.sess.Screen == screenAddress || c.sess.Screen == screenConfirm {
			return c.checkout() // ask again what the checkout waits for
		}
		return c.welcome("")
	}
	if err := c.catalog(); err != nil {
		return err
	}
	more := c.sess.First+c.sess.Count < c.listLen()
	switch {
	case n == render.MoreKey && more:
		return c.more()
	case n == render.BackKey:
		return c.back()
	}
	switch c.sess.Screen {
	case screenWelcome:
		if n < 1 || n > c.sess.Count {
			c.show(c.sess.First)
			return nil
		}
		c.category(c.sess.Keys[c.sess.First+n-1])
		return nil
	case screenItems:
		return c.pickItem(n)
	case screenChoice:
		return c.choose(n)
	case screenCart:
		return c.showCart()
	}
	return c.welcome("")
}
