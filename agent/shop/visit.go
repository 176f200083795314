package shop

import (
	"errors"
	"fmt"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/text"
)

// Visit is one step of a channel other than SMS (a USSD screen) on the
// shopper's cart, checkout choices and profile: the same records and the
// same rules as the SMS conversation, so a cart filled on one channel is
// the cart on the other. It lives inside one store transaction; Close
// writes back what changed. Nothing is queued for the shopper except the
// confirmation of an order Place placed, which goes out as an SMS in the
// same transaction as the order.
type Visit struct {
	c      *conv
	placed bool
}

// ErrNotAnswerable means the number is one the shop never answers (its
// own, or not a phone number).
var ErrNotAnswerable = errors.New("shop: number not answerable")

// ChannelUSSD names inbound steps that came from a USSD session.
const ChannelUSSD = "ussd"

// Visit opens the shopper from's records inside tx.
func (s *Shop) Visit(tx *store.Tx, from string) (*Visit, error) {
	if !s.country.Answerable(from, s.own) {
		return nil, ErrNotAnswerable
	}
	from, _ = s.country.Normalize(from)
	c := &conv{s: s, tx: tx, btx: tx.Bolt(), in: store.Inbound{From: from, Channel: ChannelUSSD}, now: s.now().UTC()}
	if err := c.load(); err != nil {
		return nil, fmt.Errorf("shop: %w", err)
	}
	if err := c.catalog(); err != nil {
		return nil, fmt.Errorf("shop: %w", err)
	}
	return &Visit{c: c}, nil
}

// Close writes the shopper's records back. Only an order's confirmation
// is sent as an SMS: anything else the shop core said is on the screen.
func (v *Visit) Close() error {
	if !v.placed {
		v.c.reply = ""
	}
	return v.c.finish()
}

// Number is the shopper's number in E.164, as their records are keyed.
func (v *Visit) Number() string { return v.c.in.From }

// Lang is the language the shopper reads: their own choice, or the shop's.
func (v *Visit) Lang() protocol.Lang {
	if v.c.prof.Lang != "" {
		return v.c.prof.Lang
	}
	return v.c.lang
}

// ShopName is the shop's name as configured.
func (v *Visit) ShopName() string { return v.c.s.cfg.Name }

// Item is a catalog item as a shopper reads it.
type Item struct {
	SKU   string
	Label string // name in the shopper's language with the pack size
	Price int64  // paise
	Stock int
}

func (v *Visit) item(sku string) (Item, bool) {
	it, ok := v.c.item(sku)
	if !ok {
		return Item{}, false
	}
	return Item{SKU: sku, Label: v.c.label(it), Price: it.Price, Stock: it.Stock}, true
}

// Item returns the item sku if it is sold.
func (v *Visit) Item(sku string) (Item, bool) { return v.item(sku) }

// Categories are the categories that have items, in menu order.
func (v *Visit) Categories() []string { return v.c.v.cats }

// CategoryName is category name as the shopper reads it: the catalog's
// Hindi name or the usual one, as the SMS replies say it.
func (v *Visit) CategoryName(name string) string {
	return text.Category(v.Lang(), name, v.c.v.catHi[name])
}

// Category lists the SKUs of a category's items.
func (v *Visit) Category(name string) []string { return v.c.v.byCat[name] }

// Search lists the SKUs words find, best first, as the SMS search does.
func (v *Visit) Search(words string) []string {
	res := confident(v.c.idx.Find(words, searchLimit))
	keys := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		keys[i] = h.SKU
	}
	return keys
}

// Note is something the shop core says instead of doing what was asked
// (out of stock, below the minimum order, closed), in the shopper's
// language and folded for an SMS.
type Note string

// Add puts n packs of sku in the cart; the note says why not.
func (v *Visit) Add(sku string, n int) (Note, error) {
	if n <= 0 {
		return "", nil
	}
	_, note, err := v.c.add(sku, n)
	if err == nil && note == "" {
		v.cartChanged()
	}
	return Note(note), err
}

// CartLine is one line of the cart with today's item.
type CartLine struct {
	Item
	Qty int
}

// Cart is the cart with today's items and prices, and its subtotal.
func (v *Visit) Cart() ([]CartLine, int64, error) {
	ls, err := v.c.lines()
	if err != nil {
		return nil, 0, err
	}
	out := make([]CartLine, 0, len(ls))
	for _, l := range ls {
		it, _ := v.item(l.it.SKU)
		out = append(out, CartLine{Item: it, Qty: l.qty})
	}
	return out, subtotal(ls), nil
}

// SetQty sets the count of cart line i (0-based, as Cart lists them);
// zero removes the line.
func (v *Visit) SetQty(i, n int) (Note, error) {
	ls, err := v.c.lines()
	if err != nil {
		return "", err
	}
	if i < 0 || i >= len(ls) {
		return "", nil
	}
	switch {
	case n <= 0:
		v.c.cart.Lines = append(v.c.cart.Lines[:i:i], v.c.cart.Lines[i+1:]...)
	case ls[i].it.Stock < n:
		return Note(v.c.stockText(ls[i].it)), nil
	default:
		v.c.cart.Lines[i].Qty = n
	}
	v.c.touchCart()
	v.cartChanged()
	return "", nil
}

// cartChanged forgets an SMS summary waiting for YES: it no longer says
// what the cart holds.
func (v *Visit) cartChanged() {
	if v.c.sess.Screen == screenConfirm {
		v.c.sess.Screen = screenNone
	}
}

// Address is the saved delivery address, "" if none.
func (v *Visit) Address() string { return v.c.prof.Address }

// Pickup says whether the shop offers pickup.
func (v *Visit) Pickup() bool { return *v.c.s.cfg.Pickup }

// Payments are the payment methods the shop takes, in its order.
func (v *Visit) Payments() []string { return v.c.s.cfg.Payments }

// Summary is an order ready to confirm.
type Summary struct {
	Items int   // cart lines
	Total int64 // paise, with any delivery fee
	Fee   int64
	Mode  string // orders.ModeDelivery or orders.ModePickup
	Pay   string // orders.PayCOD or orders.PayUPI
}

// Checkout sets delivery to the saved address (or to addr, saved for next
// time, when not empty) or pickup, and the payment method when pay is not
// empty, then checks the cart can be ordered as the SMS checkout does.
// ok is false with the note that says why not (empty cart, paused,
// closed, under the minimum order).
func (v *Visit) Checkout(mode, addr, pay string) (sum Summary, note Note, ok bool, err error) {
	c := v.c
	if addr != "" {
		c.prof.Address = clip(addr, maxAddress)
	}
	c.sess.Mode = mode
	if pay != "" {
		c.sess.Pay = pay
	}
	if err := c.checkout(); err != nil {
		return Summary{}, "", false, err
	}
	if c.sess.Screen != screenConfirm {
		n := Note(c.reply)
		if c.sess.Screen == screenAddress {
			n = ""
		}
		c.sess.Screen = screenNone
		return Summary{}, n, false, nil
	}
	ls, err := c.lines()
	if err != nil {
		return Summary{}, "", false, err
	}
	sub := subtotal(ls)
	fee := c.fee(sub, c.sess.Mode)
	return Summary{Items: len(ls), Total: sub + fee, Fee: fee, Mode: c.sess.Mode, Pay: c.sess.Pay}, "", true, nil
}

// Place places the cart as an order with the checkout choices made, as
// YES does by SMS; the confirmation goes to the shopper by SMS when the
// visit closes. id is empty with a note when nothing was placed.
func (v *Visit) Place() (id string, note Note, err error) {
	c := v.c
	before := c.prof.LastOrder
	c.sess.Screen = screenConfirm
	if err := c.place(); err != nil {
		return "", "", err
	}
	if c.prof.LastOrder == before || c.prof.LastOrder == "" {
		n := Note(c.reply)
		c.reply = ""
		return "", n, nil
	}
	v.placed = true
	return c.prof.LastOrder, "", nil
}

// LastOrder is the shopper's latest order and its state in their words.
func (v *Visit) LastOrder() (o orders.Order, state string, ok bool, err error) {
	o, ok, err = v.c.findOrder("")
	if err != nil || !ok {
		return orders.Order{}, "", false, err
	}
	return o, v.c.stateText(o.State), true, nil
}

// Repeat fills the cart with the latest order's lines at today's prices
// and stock and takes its delivery and payment, as REPEAT does by SMS.
// short names the lines that came back with fewer packs or none; ok is
// false when there was no order or nothing of it is left to buy.
func (v *Visit) Repeat() (short []string, ok bool, err error) {
	c := v.c
	o, found, err := c.findOrder("")
	if err != nil || !found {
		return nil, false, err
	}
	if err := c.repeatOrder(o); err != nil {
		return nil, false, err
	}
	for _, l := range o.Lines {
		if c.cart.qty(l.SKU) < l.Qty {
			short = append(short, l.Name)
		}
	}
	c.reply = ""
	c.sess.Notes = nil
	c.sess.Screen = screenNone
	return short, len(c.cart.Lines) > 0, nil
}

// Mode and Pay are the checkout choices the shopper last made on any
// channel ("" when none).
func (v *Visit) Mode() string { return v.c.sess.Mode }

// Pay is the payment method chosen on any channel, "" when none.
func (v *Visit) Pay() string { return v.c.sess.Pay }
