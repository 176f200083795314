package shop

import (
	"slices"
	"strconv"
	"strings"

	"github.com/tokrihq/tokri/agent/catalog"
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
// found nothing are named back. A choice still on screen is asked again
// after the new lines, unless the message answers it.
func (c *conv) order(cmd command.Order) error {
	if err := c.catalog(); err != nil {
		return err
	}
	if cmd.Address != "" {
		c.prof.Address = clip(cmd.Address, maxAddress)
		c.sess.Mode = string(command.Delivery)
	}
	var (
		added, notes, unknown []string
		asks                  []pending
	)
	if c.sess.Screen == screenChoice {
		asks = append([]pending{{Words: c.sess.Words, Qty: c.sess.Qty, SKUs: c.sess.Keys, Instead: c.sess.Instead}}, c.sess.Pending...)
		for _, n := range c.sess.Notes {
			if s, ok := strings.CutPrefix(n, addedPrefix); ok {
				added = append(added, strings.Split(s, "\x00")...)
			} else {
				notes = append(notes, n)
			}
		}
		c.sess.Notes = nil
	}
	took := map[string]bool{} // SKUs this message added
	lines := c.joinNames(cmd.Lines)
	for _, l := range lines {
		res := confident(c.idx.Find(l.Query(), choiceLimit))
		if !res.Found() {
			unknown = append(unknown, ownWords(c.in.Text, l.Words))
			continue
		}
		hits, exact, qty, unsure := c.packs(l, c.priced(l, res.Hits))
		// With a weight no pack divides, the name may still pick the
		// item but not its pack: "1.5 kg chini" is a question, never
		// the largest pack.
		pick := c.exactPick(l.Words, hits, (!l.Size.IsZero() || qty.pieces) && !unsure)
		if pick < 0 && exact > 0 {
			hits = hits[:exact] // the very size asked for, if any, else packs that divide it
		}
		if pick < 0 && !unsure && sure(hits) {
			pick = 0
		}
		if pick >= 0 && took[hits[pick].SKU] && l.Qty == 0 && l.Size.IsZero() {
			// The rest of a name split at its "and": "1 head and
			// shoulders shampoo", "2 hide and seek".
			continue
		}
		if pick >= 0 {
			took[hits[pick].SKU] = true
			a, note, err := c.add(hits[pick].SKU, qty.of(c, hits[pick].SKU))
			if err != nil {
				return err
			}
			if p, ok := c.instead(hits[pick].SKU, qty.of(c, hits[pick].SKU)); a == "" && ok {
				asks = append(asks, p)
				continue
			}
			if a != "" && !qty.want.IsZero() && c.sizeOf(hits[pick].SKU) != qty.want {
				a += " (" + qty.want.String() + ")" // the weight asked for, made into packs
			}
			added, notes = appendNonEmpty(added, a), appendNonEmpty(notes, note)
			continue
		}
		p := pending{Words: ownWords(c.in.Text, l.Words), Qty: qty.of(c, hits[0].SKU)}
		for _, h := range hits {
			if qty.of(c, h.SKU) == p.Qty {
				p.SKUs = append(p.SKUs, h.SKU)
			}
		}
		asks = append(asks, p)
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

// priced narrows hits to the packs of the price a line names ("10 wala
// parle g"); where none costs that, it keeps them all, for the shopper to
// choose with the prices shown.
func (c *conv) priced(l command.Line, hits []match.Hit) []match.Hit {
	if l.Price <= 0 {
		return hits
	}
	var kept []match.Hit
	for _, h := range hits {
		if it, ok := c.item(h.SKU); ok && it.Price == int64(l.Price)*100 {
			kept = append(kept, h)
		}
	}
	if len(kept) == 0 {
		return hits
	}
	return kept
}

// joinNames puts back together a name the parser split at a joining word
// ("1 clinic plus pouch"): a line with no amount of its own, after one
// unsure of its item, belongs to it when the words of both find surely one
// of the items the first was unsure between, and the second alone finds
// no other ("2 atta aur chawal" stays two lines).
func (c *conv) joinNames(lines []command.Line) []command.Line {
	find := func(l command.Line) []match.Hit { return confident(c.idx.Find(l.Query(), choiceLimit)).Hits }
	out := make([]command.Line, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if i+1 < len(lines) && lines[i+1].Qty == 0 && lines[i+1].Size.IsZero() {
			first, alone := find(l), find(lines[i+1])
			both := l
			both.Words += " " + lines[i+1].Words
			joined := find(both)
			if len(first) > 1 && !sure(first) && len(joined) > 0 && sure(joined) &&
				slices.ContainsFunc(first, func(h match.Hit) bool { return h.SKU == joined[0].SKU }) &&
				(len(alone) == 0 || !sure(alone) || alone[0].SKU == joined[0].SKU) {
				l = both
				i++
			}
		}
		out = append(out, l)
	}
	return out
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

// sure reports whether the best hit clearly beats the others.
func sure(hits []match.Hit) bool {
	return match.Result{Hits: hits}.Sure()
}

// amount is what a line asks for: a number of packs, or a weight, volume
// or count of pieces that each pack divides.
type amount struct {
	packs  int       // packs of whatever is chosen, when want is zero
	want   size.Size // the amount asked for, to divide by the pack size
	times  int       // of want: "2 packet 1kg" is 2 times 1kg
	pieces bool      // want counts pieces or weight: bigger packs are fewer
}

// of is the number of packs of sku the amount makes.
func (a amount) of(c *conv, sku string) int {
	if a.want.IsZero() {
		return a.packs
	}
	sz := c.sizeOf(sku)
	if sz.Unit != a.want.Unit || sz.Amount <= 0 || a.want.Amount%sz.Amount != 0 {
		return a.times
	}
	return a.want.Amount / sz.Amount * a.times
}

// packs narrows hits to the packs a line's amount fits: packs of the
// very size asked for (the first exact of kept), then packs that divide it
// evenly ("2 kg" of a 1 kg pack is 2; "6 ande" is one 6-egg tray). unsure
// is true when a weight was given that no pack divides: that is a
// question, not a guess.
func (c *conv) packs(l command.Line, hits []match.Hit) (kept []match.Hit, exact int, a amount, unsure bool) {
	a = amount{packs: l.Count(), want: l.Size, times: max(l.Qty, 1)}
	if a.want.IsZero() && l.Qty > 1 && c.soldInPieces(hits, l.Qty) {
		a = amount{want: size.Size{Amount: l.Qty, Unit: size.Piece}, times: 1}
	}
	if a.want.IsZero() {
		return hits, 0, a, false
	}
	a.pieces = true
	var same, fit []match.Hit
	for _, h := range hits {
		sz := c.sizeOf(h.SKU)
		switch {
		case sz == a.want:
			same = append(same, h)
		case sz.Unit == a.want.Unit && sz.Amount > 0 && a.want.Amount%sz.Amount == 0 && (a.want.Amount/sz.Amount <= maxPacks || sz.Amount >= bulkPack):
			fit = append(fit, h)
		}
	}
	if len(same)+len(fit) > 0 {
		return append(same, fit...), len(same), a, false
	}
	// Nothing divides it: ask, one pack of each at a time.
	return hits, 0, amount{packs: max(l.Qty, 1)}, true
}

// maxPacks is the most small packs a weight is made into without asking:
// "aloo 2 kg" is not ten 200 g packs of Aloo Bhujia, nor "1 kg haldi" ten
// 100 g packets, unless the shopper picks them. Packs of bulkPack or more
// (1 kg, 1 l) are what loose staples are sold by: "10 kg chawal" is ten.
const (
	maxPacks = 6
	bulkPack = 1000
)

// soldInPieces reports whether n counts pieces of items sold in packs of
// several pieces ("6 ande", "12 eggs"): every hit is such a pack and one
// of them divides n.
func (c *conv) soldInPieces(hits []match.Hit, n int) bool {
	divides := false
	for _, h := range hits {
		sz := c.sizeOf(h.SKU)
		if sz.Unit != size.Piece || sz.Amount < 2 {
			return false
		}
		divides = divides || n%sz.Amount == 0
	}
	return divides
}

// exactPick is the hit that words name exactly, or -1: first by the
// item's name (English or Hindi), then by one of its synonyms, so that
// "chini" is Sugar (चीनी) before Madhur Sugar, and "lal mirch" the chilli
// powder, not whole red chillies. Where several packs of one item are
// named and larger is set (an amount was given), the largest pack is
// taken: 10 kg of sugar is two 5 kg packs.
func (c *conv) exactPick(words string, hits []match.Hit, larger bool) int {
	w := keyed(words)
	if w == "" {
		return -1
	}
	levels := []func(it catalog.Item) bool{
		func(it catalog.Item) bool { return keyed(it.Name) == w || it.NameHi != "" && keyed(it.NameHi) == w },
		func(it catalog.Item) bool {
			return slices.ContainsFunc(it.Synonyms, func(s string) bool { return keyed(s) == w })
		},
	}
	for _, named := range levels {
		var idx []int
		for i, h := range hits {
			if it, ok := c.item(h.SKU); ok && named(it) {
				idx = append(idx, i)
			}
		}
		switch {
		case len(idx) == 0:
			continue
		case len(idx) == 1:
			return idx[0]
		case !larger:
			return -1
		}
		best := idx[0]
		first, _ := c.item(hits[best].SKU)
		for _, i := range idx[1:] {
			it, _ := c.item(hits[i].SKU)
			if it.Name != first.Name {
				return -1 // two items, not two packs of one
			}
			if c.sizeOf(hits[i].SKU).Amount > c.sizeOf(hits[best].SKU).Amount {
				best = i
			}
		}
		return best
	}
	return -1
}

// keyed is s as phonetic keys, so "cheeni" and चीनी agree.
func keyed(s string) string {
	ws := norm.Words(s)
	for i, w := range ws {
		ws[i] = norm.Key(w)
	}
	return strings.Join(ws, " ")
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
	words := clip(p.Words, maxWords)
	if p.Instead {
		words = clip(p.Words, maxItem)
	}
	c.sess = session{
		Screen: screenChoice, Words: words, Qty: p.Qty, Keys: p.SKUs, Instead: p.Instead,
		Pending: asks[1:], Notes: keep, Mode: c.sess.Mode, Pay: c.sess.Pay,
	}
	l := c.choiceList(0)
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
	if p, ok := c.instead(c.sess.Keys[c.sess.First+n-1], 1); a == "" && ok {
		c.sess.Notes = nil
		return c.ask([]pending{p}, nil)
	}
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
	if c.prof.Address != "" || c.sess.Mode == string(command.Pickup) {
		// Where the order would go is known: the summary to confirm,
		// listing every line, is the answer.
		c.sess.Notes = notes
		return c.checkout()
	}
	k := text.Added
	if *c.s.cfg.Pickup || c.sess.Mode != string(command.Pickup) {
		k = text.AddedAsk
		c.sess.Screen = screenAddress
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
