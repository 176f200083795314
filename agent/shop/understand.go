package shop

import (
	"slices"
	"strconv"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/protocol/command"
	"github.com/tokrihq/tokri/protocol/match"
	"github.com/tokrihq/tokri/protocol/norm"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/size"
	"github.com/tokrihq/tokri/protocol/text"
)

// reread reads a message again in the light of what the screen asked:
// before anything asked, a message that opens as an address is one;
// after a prompt for the address, free text is the address unless every
// word of it names items; on the summary, a message that reads as an
// address and not wholly as items changes the address ("मकान 12, गांधी
// नगर" is never 12 butter); on a choice, a message that picks one of the
// packs offered ("5 kilo wala", "tata wali") is that pick.
func (c *conv) reread(cmd command.Command) (command.Command, error) {
	switch c.sess.Screen {
	case screenNone, screenWelcome, screenItems, screenCart:
		// An address sent before anything asked for it ("flat 302 b
		// wing ...") is kept for the order to come, unless every word
		// of it is an item.
		switch cmd.(type) {
		case command.Order, command.Search, command.Unknown:
			if command.OpensWithAddress(c.in.Text) {
				all, _, err := c.allItems(cmd)
				if err != nil || all {
					return cmd, err
				}
				return command.Address{Text: command.AddressOf(c.in.Text)}, nil
			}
		}
	}
	switch c.sess.Screen {
	case screenAddress:
		if a, ok := cmd.(command.Address); ok {
			alt := command.Parse(c.in.Text)
			switch alt.(type) {
			case command.Order, command.Search:
				// What reads as an address is one unless every word of it
				// is an item; anything else is items if most of its lines
				// are.
				all, most, err := c.allItems(alt)
				if err != nil || all || most && !command.LooksLikeAddress(c.in.Text) {
					return alt, err
				}
			case command.Unknown, command.Address:
			default:
				return alt, nil // a command: "nahi 3 chahiye", "oil hatao"
			}
			if command.AsksSomething(c.in.Text) {
				// "kul kitna hua?" is chat: the prompt again, not an address.
				return command.Unknown{Text: c.in.Text}, nil
			}
			return a, nil
		}
	case screenConfirm:
		switch cmd.(type) {
		case command.Order, command.Search:
			if c.sess.Mode == string(command.Pickup) || !command.LooksLikeAddress(c.in.Text) {
				break
			}
			all, _, err := c.allItems(cmd)
			if err != nil {
				return nil, err
			}
			if !all {
				return command.Address{Text: command.AddressOf(c.in.Text)}, nil
			}
		}
	case screenItems:
		// "5 bhej do" after a search: that many of what was searched.
		if n, ok := command.BareQuantity(c.in.Text); ok && c.sess.Title != "" && !c.isCategory(c.sess.Title) {
			return command.Order{Lines: []command.Line{{Qty: n, Words: c.sess.Title}}}, nil
		}
		// "theek hai, 5 kilo wala bhej do": the one pack of that size.
		if _, ok := cmd.(command.Unknown); ok {
			if n, ok, err := c.resolveChoice(); err != nil || ok {
				return command.Pick{N: n}, err
			}
		}
	case screenChoice:
		switch cmd.(type) {
		case command.Order, command.Search, command.Unknown:
			if n, ok, err := c.resolveChoice(); err != nil || ok {
				return command.Pick{N: n}, err
			}
		}
		// An address sent while a choice waits is kept, and the choice
		// asked again.
		if _, ok := cmd.(command.Order); ok && command.LooksLikeAddress(c.in.Text) {
			all, _, err := c.allItems(cmd)
			if err != nil || all {
				return cmd, err
			}
			return command.Order{Address: command.AddressOf(c.in.Text)}, nil
		}
	}
	return cmd, nil
}

// clearScore is the least score of an item that a message is clearly
// about: a typo ("lake" for Lux) is not clear enough to beat an address.
const clearScore = 0.85

// isCategory reports whether name is one of the catalog's categories.
func (c *conv) isCategory(name string) bool {
	if err := c.catalog(); err != nil {
		return false
	}
	return slices.Contains(c.v.cats, name)
}

// allItems reports whether every word of an order or search found an
// item the shop is sure of, and most whether more of its lines did so
// than did not.
func (c *conv) allItems(cmd command.Command) (all, most bool, err error) {
	if err := c.catalog(); err != nil {
		return false, false, err
	}
	var queries []string
	switch cmd := cmd.(type) {
	case command.Order:
		for _, l := range cmd.Lines {
			queries = append(queries, l.Query())
		}
	case command.Search:
		queries = append(queries, cmd.Words)
	}
	found := 0
	for _, q := range queries {
		res := c.idx.Find(q, choiceLimit)
		if res = confident(res); res.Found() && len(res.Unknown) == 0 && res.Hits[0].Score >= clearScore {
			found++
		}
	}
	return len(queries) > 0 && found == len(queries), 2*found > len(queries), nil
}

// resolveChoice finds which of the packs on a choice screen a message
// names: by the pack size it gives ("5 kilo wala"), or by words that find
// one of them and none of the others ("aashirvaad", "tata wali"). n counts
// from 1 on the page shown.
func (c *conv) resolveChoice() (n int, ok bool, err error) {
	if err := c.catalog(); err != nil {
		return 0, false, err
	}
	shown := c.sess.Keys[c.sess.First:min(c.sess.First+c.sess.Count, len(c.sess.Keys))]
	pick := func(i int) (int, bool, error) { return i + 1, true, nil }
	words := norm.Words(c.in.Text)
	if i, ok := c.describedChoice(shown, words); ok {
		return pick(i)
	}
	for j := range words {
		sz, used := size.Scan(words[j:])
		if used == 0 || sz.Unit == size.Piece {
			continue
		}
		var at []int
		for i, sku := range shown {
			if c.sizeOf(sku) == sz {
				at = append(at, i)
			}
		}
		if len(at) == 1 {
			return pick(at[0])
		}
		break
	}
	res := confident(c.idx.Find(c.in.Text, searchLimit))
	var best, second float32
	at := -1
	for _, h := range res.Hits {
		for i, sku := range shown {
			if sku != h.SKU {
				continue
			}
			switch {
			case at < 0:
				at, best = i, h.Score
			case h.Score > second:
				second = h.Score
			}
		}
	}
	if at >= 0 && (second == 0 || second < best-0.1) && len(res.Unknown) == 0 {
		return pick(at)
	}
	return 0, false, nil
}

// describedChoice reads an answer to "which one?" that describes the
// line instead of giving its number: by place ("dusra wala", "2nd"), by
// price ("14 wala"), by pack ("bada wala", "chhota"), by cost ("sasta
// wala") or by the item's exact name ("tata salt"). It returns the index
// in shown.
func (c *conv) describedChoice(shown []string, words []string) (int, bool) {
	hits := make([]match.Hit, len(shown))
	for i, sku := range shown {
		hits[i] = match.Hit{SKU: sku}
	}
	if i := c.exactPick(c.in.Text, hits, false); i >= 0 {
		return i, true
	}
	by := func(less func(a, b catalog.Item) bool) (int, bool) {
		best := -1
		for i, sku := range shown {
			it, ok := c.item(sku)
			if !ok {
				return 0, false
			}
			if b, _ := c.item(shown[max(best, 0)]); best < 0 || less(it, b) {
				best = i
			}
		}
		return best, best >= 0
	}
	size := func(it catalog.Item) int { return c.sizeOf(it.SKU).Amount }
	for j, w := range words {
		k := norm.Key(w)
		switch {
		case ordinals[k] > 0 && ordinals[k] <= len(shown):
			return ordinals[k] - 1, true
		case biggerWords[k]:
			return by(func(a, b catalog.Item) bool { return size(a) > size(b) })
		case smallerWords[k]:
			return by(func(a, b catalog.Item) bool { return size(a) < size(b) })
		case cheaperWords[k]:
			return by(func(a, b catalog.Item) bool { return a.Price < b.Price })
		case j+1 < len(words) && norm.IsNumber(w) && choiceOf[norm.Key(words[j+1])]:
			n, _ := strconv.Atoi(w)
			for i, sku := range shown {
				if it, ok := c.item(sku); ok && it.Price == int64(n)*100 {
					return i, true // "14 wala": the one at Rs14
				}
			}
			if n >= 1 && n <= len(shown) {
				return n - 1, true // "2 wala": the second
			}
		}
	}
	return 0, false
}

// Words that describe one line of a choice.
var (
	ordinals = func() map[string]int {
		m := map[string]int{}
		for n, ws := range [][]string{
			1: {"pehla", "pahla", "pehli", "pahli", "first", "1st", "पहला", "पहली"},
			2: {"dusra", "doosra", "dusri", "doosri", "second", "2nd", "दूसरा", "दूसरी"},
			3: {"teesra", "tisra", "teesri", "tisri", "third", "3rd", "तीसरा", "तीसरी"},
			4: {"chautha", "chauthi", "fourth", "4th", "चौथा", "चौथी"},
		} {
			for _, w := range ws {
				for _, k := range norm.KeyWords(w) {
					m[k] = n
				}
			}
		}
		return m
	}()
	biggerWords  = norm.KeySet("bada", "badi", "bara", "bari", "big", "bigger", "biggest", "large", "larger", "बड़ा", "बड़ी")
	smallerWords = norm.KeySet("chhota", "chota", "chhoti", "choti", "small", "smaller", "smallest", "छोटा", "छोटी")
	cheaperWords = norm.KeySet("sasta", "sasti", "saste", "cheap", "cheaper", "cheapest", "सस्ता", "सस्ती")
	choiceOf     = norm.KeySet("wala", "wali", "vala", "vali", "वाला", "वाली")
)

// stop opts the shopper out, saying what happens to an order still open:
// it goes ahead, and nothing is sent about it until START.
func (c *conv) stop() error {
	c.prof.OptedOut = true
	c.sess = session{}
	o, ok, err := c.findOrder("")
	if err != nil {
		return err
	}
	if ok && !o.State.Final() {
		c.say(text.Format(c.lang, text.StoppedOpen, c.s.cfg.Name, o.ID))
		return nil
	}
	c.say(text.Format(c.lang, text.Stopped, c.s.cfg.Name))
	return nil
}

// askCancel names the order and asks once before cancelling it.
func (c *conv) askCancel(o orders.Order) error {
	if o.State.Final() || !orders.Allowed(o.State, orders.Cancelled, orders.ByShopper) {
		c.say(text.Format(c.lang, text.CannotCancel, o.ID, c.stateText(o.State)))
		return nil
	}
	c.sess = session{Screen: screenCancel, Words: o.ID}
	c.say(text.Format(c.lang, text.CancelAsk, o.ID, text.ItemCount(o.Items()), render.Money(o.Total)))
	return nil
}
