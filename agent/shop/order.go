package shop

import (
	"strconv"
	"strings"

	"github.com/tokrihq/tokri/protocol/command"
	"github.com/tokrihq/tokri/protocol/match"
	"github.com/tokrihq/tokri/protocol/norm"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/size"
	"github.com/tokrihq/tokri/protocol/text"
)

// choiceLimit bounds the items an ambiguous line offers: one page.
const choiceLimit = render.MaxPerPage

// order builds the cart from one message: each line sure of its item is
// added, an ambiguous one is asked about (one at a time), and words that
// found nothing are named back.
func (c *conv) order(cmd command.Order) error {
	if err := c.catalog(); err != nil {
		return err
	}
	var (
		added, notes, unknown []string
		asks                  []pending
	)
	for _, l := range cmd.Lines {
		res := confident(c.idx.Find(l.Query(), choiceLimit))
		switch {
		case !res.Found():
			unknown = append(unknown, l.Words)
		case res.Sure() || c.exactName(l.Words, res):
			a, note, err := c.add(res.Hits[0].SKU, l.Count())
			if err != nil {
				return err
			}
			added, notes = appendNonEmpty(added, a), appendNonEmpty(notes, note)
		default:
			p := pending{Words: l.Words, Qty: l.Count()}
			for _, h := range res.Hits {
				p.SKUs = append(p.SKUs, h.SKU)
			}
			asks = append(asks, p)
		}
	}
	if len(unknown) > 0 && len(added) == 0 && len(asks) == 0 && len(notes) == 0 {
		// Nothing understood at all: the welcome, naming the words.
		return c.welcome(text.Format(c.lang, text.NoMatchHead, clip(strings.Join(unknown, ", "), maxWords)))
	}
	if len(unknown) > 0 {
		notes = append([]string{text.Format(c.lang, text.NotFound, clip(strings.Join(unknown, ", "), maxWords))}, notes...)
	}
	c.sess.Notes = append(c.sess.Notes[:0:0], notes...)
	if len(asks) > 0 {
		return c.ask(asks, added)
	}
	return c.added(added)
}

// minScore is the least score of a hit the shop acts on: below it, a
// match is a coincidence of short words ("am busy right" is not Frooti
// Mango Drink).
const minScore = 0.5

// confident keeps the hits scoring at least minScore.
func confident(res match.Result) match.Result {
	n := 0
	for n < len(res.Hits) && res.Hits[n].Score >= minScore {
		n++
	}
	res.Hits = res.Hits[:n]
	return res
}

// exactName reports whether the best hit is named exactly by words
// ("tata salt" is Tata Salt, not Tata Sendha Namak, however close the
// scores) and no other hit of the same pack size has that name.
func (c *conv) exactName(words string, res match.Result) bool {
	key := func(s string) string { return strings.Join(norm.Words(s), " ") }
	w := key(words)
	named := func(h match.Hit) bool {
		it, ok := c.item(h.SKU)
		return ok && (key(it.Name) == w || it.NameHi != "" && key(it.NameHi) == w)
	}
	if w == "" || !named(res.Hits[0]) {
		return false
	}
	for _, h := range res.Hits[1:] {
		if named(h) && (res.Size.IsZero() || c.sizeOf(h.SKU) == res.Size) {
			return false
		}
	}
	return true
}

func (c *conv) sizeOf(sku string) size.Size {
	it, _ := c.item(sku)
	sz, _ := size.Parse(it.Unit)
	return sz
}

// ask puts the first ambiguous line on screen as a numbered choice and
// keeps the rest. Notes so far are said before the question; what was
// added so far is kept to be said when the last choice is made.
func (c *conv) ask(asks []pending, added []string) error {
	p := asks[0]
	var said, keep []string
	for _, n := range c.sess.Notes {
		if s, ok := strings.CutPrefix(n, addedPrefix); ok {
			added = append(strings.Split(s, "\x00"), added...)
		} else {
			said = append(said, n)
		}
	}
	if len(added) > 0 {
		keep = []string{addedPrefix + strings.Join(added, "\x00")}
	}
	c.sess = session{
		Screen: screenChoice, Words: clip(p.Words, maxWords), Qty: p.Qty, Keys: p.SKUs,
		Pending: asks[1:], Notes: keep, Mode: c.sess.Mode, Pay: c.sess.Pay,
	}
	l := text.Choice(c.lang, c.sess.Words, c.itemLines(p.SKUs, 0))
	if len(said) > 0 {
		l.Head = strings.Join(said, " ") + " " + l.Head
	}
	pg := c.page(l, 0)
	c.sess.First, c.sess.Count = pg.First, pg.Count
	c.sayPage(pg)
	return nil
}

// addedPrefix marks a note that lists items added, kept while choices
// are asked, so the final reply can say all that was added.
const addedPrefix = "\x00added:"

// choose takes pick n of the choice on screen.
func (c *conv) choose(n int) error {
	if n < 1 || n > c.sess.Count {
		c.show(c.sess.First)
		return nil
	}
	sku := c.sess.Keys[c.sess.First+n-1]
	a, note, err := c.add(sku, max(c.sess.Qty, 1))
	if err != nil {
		return err
	}
	var added, plain []string
	for _, n := range c.sess.Notes {
		if s, ok := strings.CutPrefix(n, addedPrefix); ok {
			added = append(added, strings.Split(s, "\x00")...)
		} else {
			plain = append(plain, n)
		}
	}
	added = appendNonEmpty(added, a)
	c.sess.Notes = appendNonEmpty(plain, note)
	if len(c.sess.Pending) > 0 {
		return c.ask(c.sess.Pending, added)
	}
	return c.added(added)
}

// pickItem adds item n of the list on screen, one pack.
func (c *conv) pickItem(n int) error {
	if n < 1 || n > c.sess.Count {
		c.show(c.sess.First)
		return nil
	}
	a, note, err := c.add(c.sess.Keys[c.sess.First+n-1], 1)
	if err != nil {
		return err
	}
	c.sess.Notes = appendNonEmpty(nil, note)
	if a == "" {
		c.say(note)
		return nil
	}
	return c.added([]string{a})
}

// add puts n packs of sku in the cart if the shop has them. It returns
// what to list as added ("2x Aashirvaad Atta 5kg") or a note saying why
// not.
func (c *conv) add(sku string, n int) (added, note string, err error) {
	it, ok, err := c.active(sku)
	if err != nil {
		return "", "", err
	}
	if !ok {
		return "", text.Format(c.lang, text.NotFound, sku), nil
	}
	if it.Stock < c.cart.qty(sku)+n {
		return "", c.stockText(it), nil
	}
	c.cart.add(sku, n)
	c.touchCart()
	return strconv.Itoa(n) + "x " + c.label(it), "", nil
}

// added answers an order: the notes (words not found, stock), then what
// was added and the cart's total, and how to go on.
func (c *conv) added(added []string) error {
	notes := c.sess.Notes
	c.sess = session{Mode: c.sess.Mode, Pay: c.sess.Pay}
	if len(added) == 0 {
		if len(notes) == 0 {
			return c.welcome("")
		}
		c.say(strings.Join(notes, " "))
		return nil
	}
	ls, err := c.lines()
	if err != nil {
		return err
	}
	k := text.Added
	if c.prof.Address == "" && c.sess.Mode != string(command.Pickup) {
		k = text.AddedAsk
	}
	compose := func(item string) render.Reply {
		s := strings.Join(append(notes[:len(notes):len(notes)], text.Format(c.lang, k, item, text.ItemCount(len(ls)), render.Money(subtotal(ls)))), " ")
		return c.fit(s)
	}
	r := compose(strings.Join(added, ", "))
	if r.Truncated && len(added) > 1 {
		r = compose(text.Format(c.lang, text.ItemsAdded, text.ItemCount(len(added))))
	}
	c.reply = r.Text
	return nil
}

func appendNonEmpty(s []string, v string) []string {
	if v == "" {
		return s
	}
	return append(s, v)
}
