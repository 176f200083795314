package shop

import (
	"strings"
	"unicode/utf8"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/text"
)

// searchLimit bounds the items a search lists (several pages).
const searchLimit = 32

// welcome answers with the numbered categories under head (the shop's
// greeting when head is empty, the opening time while closed).
func (c *conv) welcome(head string) error {
	if err := c.catalog(); err != nil {
		return err
	}
	if c.closed() && !*c.s.cfg.OrdersWhenClosed {
		c.say(text.Format(c.lang, text.Closed, c.s.cfg.Name, c.s.opensText(c.lang)))
		return nil
	}
	c.sess = session{Screen: screenWelcome, Keys: c.v.cats, Title: head, Mode: c.sess.Mode, Pay: c.sess.Pay}
	c.show(0)
	return nil
}

// list rebuilds the list on screen, with lines filled for the page that
// starts at first (PageAt reads no others).
func (c *conv) list(first int) render.List {
	switch c.sess.Screen {
	case screenWelcome:
		l := text.Welcome(c.lang, c.s.cfg.Name, c.catNames(c.sess.Keys))
		switch {
		case c.sess.Title != "":
			l.Head = c.sess.Title
		case Paused(c.btx):
			l.Head = text.Format(c.lang, text.PausedHead, c.s.cfg.Name)
			c.noticed = true
		case c.closed():
			l.Head = text.Format(c.lang, text.ClosedHead, c.s.cfg.Name, c.s.opensText(c.lang))
			c.noticed = true
		}
		return l
	case screenItems:
		return text.Items(c.lang, c.sess.Title, c.itemLines(c.sess.Keys, first))
	case screenChoice:
		return c.choiceList(first)
	case screenCart:
		return c.cartList()
	}
	return render.List{}
}

// show renders the page of the list on screen that starts at first.
func (c *conv) show(first int) {
	p := c.page(c.list(first), first)
	c.sess.First, c.sess.Count = p.First, p.Count
	c.sayPage(p)
}

// paged reports whether the screen is a list a number picks from.
func (c *conv) paged() bool {
	switch c.sess.Screen {
	case screenWelcome, screenItems, screenChoice, screenCart:
		return true
	}
	return false
}

// more shows the next page, or the last one again at the end.
func (c *conv) more() error {
	if !c.paged() {
		return c.welcome("")
	}
	if err := c.catalog(); err != nil {
		return err
	}
	next := c.sess.First + c.sess.Count
	if next >= c.listLen() {
		c.show(c.sess.First)
		return nil
	}
	c.sess.Starts = append(c.sess.Starts, c.sess.First)
	c.show(next)
	return nil
}

// back shows the previous page; from a list's first page, the welcome.
func (c *conv) back() error {
	if n := len(c.sess.Starts); c.paged() && n > 0 {
		if err := c.catalog(); err != nil {
			return err
		}
		first := c.sess.Starts[n-1]
		c.sess.Starts = c.sess.Starts[:n-1]
		c.show(first)
		return nil
	}
	return c.welcome("")
}

func (c *conv) listLen() int {
	if c.sess.Screen == screenCart {
		return len(c.cart.Lines)
	}
	return len(c.sess.Keys)
}

// category lists the items of category name.
func (c *conv) category(name string) {
	c.sess = session{Screen: screenItems, Title: c.catName(name), Keys: c.v.byCat[name], Mode: c.sess.Mode, Pay: c.sess.Pay}
	c.show(0)
}

// search lists what words find, or the welcome naming them when nothing.
func (c *conv) search(words string) error {
	if err := c.catalog(); err != nil {
		return err
	}
	res := confident(c.idx.Find(words, searchLimit))
	said := clip(ownWords(c.in.Text, words), maxWords)
	if !res.Found() {
		return c.welcome(text.Format(c.lang, text.NoMatchHead, said))
	}
	keys := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		keys[i] = h.SKU
	}
	c.sess = session{Screen: screenItems, Title: said, Keys: keys, Mode: c.sess.Mode, Pay: c.sess.Pay}
	c.show(0)
	return nil
}

// itemLines are the display lines of skus, filled only for the page that
// starts at first.
func (c *conv) itemLines(skus []string, first int) []string {
	lines := make([]string, len(skus))
	for i := first; i < len(skus) && i < first+render.MaxPerPage; i++ {
		if it, ok := c.item(skus[i]); ok {
			lines[i] = c.itemLine(it)
		} else {
			lines[i] = skus[i] + " -"
		}
	}
	return lines
}

// itemLine is "Aashirvaad Atta 5kg Rs285", "(out)" added when none left.
func (c *conv) itemLine(it catalog.Item) string {
	l := render.Item(c.name(it), it.Unit, it.Price)
	if it.Stock <= 0 {
		l += " (out)"
	}
	return l
}

// name is the item's name in the shopper's language.
func (c *conv) name(it catalog.Item) string {
	if c.lang == protocol.Hindi && it.NameHi != "" {
		return it.NameHi
	}
	return it.Name
}

// label is an item with its pack size: "Aashirvaad Atta 5kg".
func (c *conv) label(it catalog.Item) string {
	return render.Label(c.name(it), it.Unit)
}

// Lengths the reply templates are tested with (text.MaxLen).
const (
	maxWords  = 24
	maxItem   = 36
	maxReason = 30
)

// clip shortens s to n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "."
}
