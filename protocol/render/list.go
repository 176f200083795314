package render

import (
	"strconv"
	"strings"

	"github.com/tokrihq/tokri/protocol"
)

// Keys a shopper sends on a numbered page to move through a list. Pages
// hold at most MaxPerPage items so that these never name an item.
const (
	MoreKey    = 9
	BackKey    = 0
	MaxPerPage = 8
)

// List is a numbered menu or any list too long for one SMS: categories,
// a category's items, search results, the cart.
type List struct {
	Head  string   // first line, e.g. "Dal:"; may be empty
	Items []string // one line per item, e.g. "Toor Dal 1kg Rs165"
	// Tail ends the last page, e.g. "Reply no. to add, 0 back".
	Tail string
	// More ends a page with items after it, e.g. "9 more (%d)"; %d becomes
	// how many items are left.
	More string
	// Numbered puts "1." before the first item of each page, "2." before
	// the next, and so on: a shopper replies with the number.
	Numbered bool
	// Running numbers items by their place in the whole list instead
	// (page two of a cart starts at "9."), for lists whose numbers are
	// used in commands rather than picked: REMOVE 9.
	Running bool
	// TailEvery ends every page with Tail, after More on pages with items
	// after them: the cart's total and next step are never on a page the
	// shopper has to ask for.
	TailEvery bool
}

// Page is one SMS of a List.
type Page struct {
	Reply
	First int // index in Items of the first item on the page
	Count int // items on the page; item n (1-based) is Items[First+n-1]
}

// Pages splits l into pages that each fit segments (use Budget) in lang.
// Every page holds at least one item (cut at a word if it must be) and at
// most MaxPerPage. A list with no items is one page of Head and Tail.
func Pages(l List, lang protocol.Lang, segments int) []Page {
	segments = max(segments, 1)
	if len(l.Items) == 0 {
		return []Page{{Reply: fitFolded(Fold(join(l.Head, "", l.Tail), lang), segments)}}
	}
	var pages []Page
	for start := 0; start < len(l.Items); {
		p := l.page(start, lang, segments)
		pages = append(pages, p)
		start += p.Count
	}
	return pages
}

// PageAt renders the page of l that starts at item first, as Pages would
// if the list began there.
func PageAt(l List, first int, lang protocol.Lang, segments int) Page {
	first = min(max(first, 0), max(len(l.Items)-1, 0))
	if len(l.Items) == 0 {
		return Pages(l, lang, segments)[0]
	}
	return l.page(first, lang, max(segments, 1))
}

func (l List) page(start int, lang protocol.Lang, segments int) Page {
	f := folded{head: Fold(l.Head, lang), tail: Fold(l.Tail, lang), more: Fold(l.More, lang), total: len(l.Items),
		numbered: l.Numbered || l.Running, first: 1, tailEvery: l.TailEvery}
	if l.Running {
		f.first = start + 1
	}
	items := make([]string, 0, MaxPerPage)
	best := Page{First: start}
	for k := 1; k <= MaxPerPage && start+k <= len(l.Items); k++ {
		items = append(items, Fold(l.Items[start+k-1], lang))
		r := cost(f.compose(items, start+k))
		if r.Segments > segments {
			break // more items only cost more
		}
		best = Page{Reply: r, First: start, Count: k}
	}
	if best.Count > 0 {
		return best
	}
	// One item alone is too long: keep head and footer and as many of its
	// words as fit, found by bisection.
	words := strings.Fields(items[0])
	try := func(n int) Reply {
		return cost(f.compose([]string{strings.Join(words[:n], " ") + Ellipsis}, start+1))
	}
	lo, hi := -1, len(words)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if try(mid).Segments <= segments {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo >= 0 {
		r := try(lo)
		r.Truncated = true
		return Page{Reply: r, First: start, Count: 1}
	}
	// Not even head and footer fit: cut the whole page.
	r := fitFolded(f.compose(items[:1], start+1), segments)
	return Page{Reply: r, First: start, Count: 1}
}

// folded is a List with its fixed parts folded once per page.
type folded struct {
	head, tail, more string
	total            int
	numbered         bool
	tailEvery        bool
	first            int // number of the page's first item
}

// compose writes head, numbered items and the footer due after item end.
func (f folded) compose(items []string, end int) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteByte('\n')
		}
		if f.numbered {
			b.WriteString(strconv.Itoa(f.first + i))
			b.WriteByte('.')
		}
		b.WriteString(it)
	}
	foot := f.tail
	if left := f.total - end; left > 0 {
		foot = strings.ReplaceAll(f.more, "%d", strconv.Itoa(left))
		if f.tailEvery {
			foot = join(foot, f.tail)
		}
	}
	return join(f.head, b.String(), foot)
}

func join(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "\n")
}
