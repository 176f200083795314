package shop

import (
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/text"
)

// maxInstead bounds the items offered in place of one sold out.
const maxInstead = 3

// instead is the choice to offer when n packs of sku cannot be had: the
// nearest items in stock, the same item in another pack first, then what
// its name finds in its category. ok is false when sku has enough stock,
// or nothing near it has.
func (c *conv) instead(sku string, n int) (pending, bool) {
	it, ok := c.item(sku)
	if !ok || it.Stock >= c.cart.qty(sku)+n {
		return pending{}, false
	}
	var skus []string
	seen := map[string]bool{sku: true}
	offer := func(o catalog.Item) {
		if len(skus) < maxInstead && !seen[o.SKU] && o.Stock >= c.cart.qty(o.SKU)+n {
			seen[o.SKU] = true
			skus = append(skus, o.SKU)
		}
	}
	for _, o := range c.items {
		if o.Name == it.Name {
			offer(o)
		}
	}
	for _, h := range confident(c.idx.Find(it.Name, searchLimit)).Hits {
		if o, ok := c.item(h.SKU); ok && o.Category == it.Category {
			offer(o)
		}
	}
	if len(skus) == 0 {
		return pending{}, false
	}
	return pending{Words: c.label(it), Qty: n, SKUs: skus, Instead: true}, true
}

// choiceList is the choice on screen, its page from first filled: "Which
// oil?", or what is in stock in place of an item sold out.
func (c *conv) choiceList(first int) render.List {
	l := text.Choice(c.lang, c.sess.Words, c.itemLines(c.sess.Keys, first))
	if c.sess.Instead {
		l.Head = text.Format(c.lang, text.OutOfStockHead, c.sess.Words)
	}
	return l
}
