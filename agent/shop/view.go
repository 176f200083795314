package shop

import (
	"fmt"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/protocol/match"
	"github.com/tokrihq/tokri/protocol/norm"
	"github.com/tokrihq/tokri/protocol/text"
)

// view is what the shop derives from one catalog index: the categories in
// menu order and each one's items, and where each SKU sits in the items.
// It is rebuilt whenever the catalog cache hands out a new index, and a
// rebuild is a pure function of the catalog, so a transaction that runs
// twice is harmless.
type view struct {
	idx   *match.Index
	cats  []string
	byCat map[string][]string
	catHi map[string]string // category -> its Hindi name from the catalog, if any
	pos   map[string]int    // SKU -> index in the cached items
}

// viewOf returns the view of idx, building it if idx is new.
func (s *Shop) viewOf(tx *bbolt.Tx, idx *match.Index, items []catalog.Item) (*view, error) {
	s.mu.Lock()
	v := s.view
	s.mu.Unlock()
	if v != nil && v.idx == idx {
		return v, nil
	}
	cats, err := catalog.Categories(tx)
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	v = &view{idx: idx, byCat: make(map[string][]string), catHi: make(map[string]string), pos: make(map[string]int, len(items))}
	for i, it := range items {
		v.pos[it.SKU] = i
		v.byCat[it.Category] = append(v.byCat[it.Category], it.SKU)
		if it.CategoryHi != "" && v.catHi[it.Category] == "" {
			v.catHi[it.Category] = it.CategoryHi
		}
	}
	for _, c := range cats {
		if len(v.byCat[c.Name]) > 0 {
			v.cats = append(v.cats, c.Name)
		}
	}
	s.mu.Lock()
	s.view = v
	s.mu.Unlock()
	return v, nil
}

// active returns the item of sku if it is sold, as of this transaction.
// It reads the catalog cache (which follows every catalog write), so a
// message that looks at its cart several times decodes no item record
// for it: only an item no longer sold is read from the store, for its
// name.
func (c *conv) active(sku string) (catalog.Item, bool, error) {
	if err := c.catalog(); err != nil {
		return catalog.Item{}, false, err
	}
	it, ok := c.item(sku)
	return it, ok, nil
}

// item returns the cached item of sku, if it is active.
func (c *conv) item(sku string) (catalog.Item, bool) {
	i, ok := c.v.pos[sku]
	if !ok {
		return catalog.Item{}, false
	}
	return c.items[i], true
}

// catName is category name as the shopper reads it.
func (c *conv) catName(name string) string {
	return text.Category(c.lang, name, c.v.catHi[name])
}

// catNames are categories as the shopper reads them.
func (c *conv) catNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = c.catName(n)
	}
	return out
}

// ownWords are the words of the shopper's message raw that folded (what
// the parser made of them) came from, as the shopper wrote them: a search
// for "आटा" is headed "आटा:", not "aata:". Folded words the message does
// not hold are said as folded.
func ownWords(raw, folded string) string {
	want := map[string]bool{}
	for _, w := range norm.Words(folded) {
		want[w] = true
	}
	var out []string
	for _, tok := range strings.Fields(raw) {
		ws := norm.Words(tok)
		if len(ws) == 0 || norm.IsNumber(ws[0]) && len(ws) == 1 {
			continue
		}
		all := true
		for _, w := range ws {
			all = all && want[w]
		}
		if all {
			out = append(out, strings.Trim(tok, ",.;:!?()'\"।"))
		}
	}
	if len(out) == 0 {
		return folded
	}
	return strings.Join(out, " ")
}
