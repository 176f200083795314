package shop

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/protocol/command"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/text"
)

// line is a cart line with today's item.
type line struct {
	it  catalog.Item
	qty int
}

// lines reads the cart's items as they are now, dropping those gone from
// the catalog or made inactive.
func (c *conv) lines() ([]line, error) {
	var out []line
	kept := c.cart.Lines[:0:0]
	for _, l := range c.cart.Lines {
		it, ok, err := c.active(l.SKU)
		if err != nil {
			return nil, fmt.Errorf("cart item: %w", err)
		}
		if !ok || l.Qty <= 0 {
			continue
		}
		out = append(out, line{it: it, qty: l.Qty})
		kept = append(kept, l)
	}
	if len(kept) != len(c.cart.Lines) {
		c.cart.Lines = kept
	}
	return out, nil
}

func subtotal(ls []line) int64 {
	var t int64
	for _, l := range ls {
		t += l.it.Price * int64(l.qty)
	}
	return t
}

// fee is the delivery fee for a subtotal: none for pickup or from the
// free-delivery threshold.
func (c *conv) fee(sub int64, mode string) int64 {
	cfg := c.s.cfg
	if mode == string(command.Pickup) || cfg.FreeDeliveryFrom.Paise > 0 && sub >= cfg.FreeDeliveryFrom.Paise {
		return 0
	}
	return cfg.DeliveryFee.Paise
}

// cartList is the cart as a paged list with its totals.
func (c *conv) cartList() render.List {
	ls, _ := c.lines() // read before, by showCart
	items := make([]string, len(ls))
	for i, l := range ls {
		items[i] = c.label(l.it) + " x" + strconv.Itoa(l.qty) + " " + render.Money(l.it.Price*int64(l.qty))
	}
	sub := subtotal(ls)
	l := text.Cart(c.lang, items, sub)
	if f := c.fee(sub, c.sess.Mode); f > 0 && len(ls) > 0 {
		l.Tail = text.Format(c.lang, text.CartFeeTail, render.Money(sub), render.Money(f), render.Money(sub+f))
	}
	return l
}

// showCart shows the cart's first page.
func (c *conv) showCart() error {
	if _, err := c.lines(); err != nil {
		return err
	}
	c.sess.Screen, c.sess.Starts = screenCart, nil
	c.show(0)
	return nil
}

// remove drops cart line n (1-based) or the line words name.
func (c *conv) remove(cmd command.Remove) error {
	ls, err := c.lines()
	if err != nil {
		return err
	}
	i := cmd.N - 1
	if cmd.N == 0 {
		i = -1
		if cmd.Words != "" && len(ls) > 0 {
			i = c.findLine(ls, cmd.Words)
		}
		if i < 0 {
			return c.showCart()
		}
	}
	if i < 0 || i >= len(ls) {
		c.say(text.Format(c.lang, text.NoSuchLine, cmd.N))
		return nil
	}
	gone := ls[i]
	c.cart.Lines = append(c.cart.Lines[:i:i], c.cart.Lines[i+1:]...)
	ls = append(ls[:i:i], ls[i+1:]...)
	c.touchCart()
	c.sess.Screen = screenNone
	return c.afterEdit(text.Format(c.lang, text.Removed, clip(c.label(gone.it), maxItem), text.ItemCount(len(ls)), render.Money(subtotal(ls))))
}

// afterEdit says what a cart edit did and goes on where the order stood:
// the summary when the address is known, else the question for it.
func (c *conv) afterEdit(said string) error {
	if len(c.cart.Lines) == 0 {
		c.say(said)
		return nil
	}
	if c.prof.Address != "" || c.sess.Mode == string(command.Pickup) {
		c.sess.Notes = []string{said}
		return c.checkout()
	}
	k := text.AskAddress
	if *c.s.cfg.Pickup {
		k = text.AskAddressPickup
	}
	c.sess.Screen = screenAddress
	c.say(said + " " + text.Template(c.lang, k))
	return nil
}

// findLine is the index of the cart line words name best, or -1.
func (c *conv) findLine(ls []line, words string) int {
	if err := c.catalog(); err != nil {
		return -1
	}
	res := c.idx.Find(words, searchLimit)
	for _, h := range res.Hits {
		for i, l := range ls {
			if l.it.SKU == h.SKU {
				return i
			}
		}
	}
	return -1
}

// setQty changes the count of cart line n; 0 removes it.
func (c *conv) setQty(cmd command.SetQty) error {
	if cmd.N == 0 {
		cmd.N = len(c.cart.Lines) // "nahi 3 chahiye": the line added last
	}
	if cmd.Qty == 0 && cmd.Size.IsZero() {
		return c.remove(command.Remove{N: cmd.N})
	}
	ls, err := c.lines()
	if err != nil {
		return err
	}
	i := cmd.N - 1
	if i < 0 || i >= len(ls) {
		c.say(text.Format(c.lang, text.NoSuchLine, cmd.N))
		return nil
	}
	if !cmd.Size.IsZero() {
		// An amount: packs of the line's item that make it, or, where
		// none do, the line asked again as an order is ("1.5 kg").
		sz := c.sizeOf(ls[i].it.SKU)
		if sz.Unit != cmd.Size.Unit || sz.Amount <= 0 || cmd.Size.Amount%sz.Amount != 0 {
			c.cart.Lines = slices.Delete(c.cart.Lines, i, i+1)
			c.touchCart()
			return c.order(command.Order{Lines: []command.Line{{Words: ls[i].it.Name, Size: cmd.Size}}})
		}
		cmd.Qty = cmd.Size.Amount / sz.Amount
	}
	if ls[i].it.Stock < cmd.Qty {
		c.say(c.stockText(ls[i].it))
		return nil
	}
	c.cart.Lines[i].Qty = cmd.Qty
	ls[i].qty = cmd.Qty
	c.touchCart()
	c.sess.Screen = screenNone
	return c.afterEdit(text.Format(c.lang, text.QtySet, clip(c.label(ls[i].it), maxItem), cmd.Qty, render.Money(subtotal(ls))))
}

// clear empties the cart.
func (c *conv) clear() {
	c.cart = cart{At: c.now}
	c.sess = session{}
	c.say(text.Template(c.lang, text.Cleared))
}

func (c *conv) touchCart() { c.cart.At = c.now }

// stockText says an item has too few left.
func (c *conv) stockText(it catalog.Item) string {
	if it.Stock <= 0 {
		return text.Format(c.lang, text.OutOfStock, clip(c.label(it), maxItem))
	}
	return text.Format(c.lang, text.OutOfStockLeft, clip(c.label(it), maxItem), it.Stock)
}
