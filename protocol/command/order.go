package command

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tokrihq/tokri/protocol/norm"
	"github.com/tokrihq/tokri/protocol/size"
)

// token is one word of an order message, classified.
type token struct {
	kind int
	qty  int
	size size.Size
	word string
}

const (
	tokWord = iota
	tokQty
	tokSize
	tokBreak // "and", "aur": a line may end here
	tokPrice // "10 wala", "rs 25 ka": the pack of that price; qty holds the rupees
)

// orderOrSearch reads a message that names items: "2 atta 5kg, 1 oil,
// sugar 1kg" is an Order of three lines, "chawal" a Search.
func orderOrSearch(text string) Command {
	var (
		lines               []Line
		orderIntent, search bool
		qtyFirst, styleSet  bool
	)
	price := false // "1 kg chini kitne ki hai" asks, whatever amount it names
	for _, seg := range segments(text) {
		toks, o, s, p := classify(segmentWords(seg))
		orderIntent, search, price = orderIntent || o, search || s, price || p
		if !styleSet {
			for _, t := range toks {
				if t.kind != tokBreak {
					qtyFirst, styleSet = t.kind == tokQty || t.kind == tokSize, true
					break
				}
			}
		}
		lines = append(lines, splitLines(toks, qtyFirst)...)
	}
	lines = attachNumbers(lines)
	if len(lines) == 0 {
		return Unknown{Text: strings.TrimSpace(strings.ToValidUTF8(text, ""))}
	}
	measured := false
	for _, l := range lines {
		measured = measured || l.Qty > 0 || !l.Size.IsZero() || l.Price > 0
	}
	if len(lines) == 1 && (!measured && (search || !orderIntent) || price && !orderIntent) {
		return Search{Words: lines[0].Words}
	}
	return Order{Lines: lines}
}

// segments splits a message at commas, semicolons, line breaks, '+' and
// full stops that are not decimal points. Not at '&': that belongs to
// names ("Hide & Seek"); shoppers join items with "aur" or "and".
func segments(text string) []string {
	f := []rune(norm.Fold(text))
	for i, r := range f {
		switch r {
		case ',', ';', '\n', '+', '|':
			f[i] = '\n'
		case '.':
			if i == 0 || i == len(f)-1 || !(isDigit(f[i-1]) && isDigit(f[i+1]) || abbreviated(f, i) || numberAbbrev(string(f[max(0, i-4):i]))) {
				f[i] = '\n'
			}
		}
	}
	return strings.Split(string(f), "\n")
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// abbreviated reports whether the dot at f[i] is inside an abbreviation:
// a word of at most three letters and marks, then a letter ("k.g",
// "कि.ग्रा", "h.no").
func abbreviated(f []rune, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && (unicode.IsLetter(f[j]) || unicode.Is(unicode.M, f[j])); j-- {
		n++
	}
	return n > 0 && n <= 3 && (unicode.IsLetter(f[i+1]) || unicode.Is(unicode.M, f[i+1]))
}

// numberAbbrev reports whether before ends in the word "no", "nr" or
// "num", the number of a house or flat whose dot ends no sentence ("house
// no. 12"). It reads back from the end only, as it runs at every dot.
func numberAbbrev(before string) bool {
	start := len(before)
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(before[:start])
		if !unicode.IsLetter(r) {
			if !unicode.IsSpace(r) && r != '.' {
				return false
			}
			break
		}
		if start -= n; len(before)-start > 3 {
			return false
		}
	}
	switch strings.ToLower(before[start:]) {
	case "no", "nr", "num":
		return true
	}
	return false
}

// word is one word of a segment; joined when it was written hyphenated to
// another ("Parle-G", "पारले-जी"): part of a name, never a filler even
// when it reads like one (जी is also "ji", respect).
type word struct {
	text   string
	joined bool
}

// segmentWords splits seg into words, marking those written hyphenated.
func segmentWords(seg string) []word {
	var out []word
	for _, f := range strings.Fields(seg) {
		ws := norm.Words(f)
		for _, w := range ws {
			out = append(out, word{w, len(ws) > 1 && strings.Contains(f, "-")})
		}
	}
	return out
}

// classify turns words into tokens, and says whether they carry an order
// verb ("chahiye", "add"), a search verb ("price", "dikhao") or a word
// that asks a price ("kitne").
func classify(ws []word) (toks []token, order, search, price bool) {
	words := make([]string, len(ws))
	for i, w := range ws {
		words[i] = w.text
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		k := norm.Key(w)
		price = price || priceWords[k]
		if sz, n := size.Scan(words[i:]); n > 0 {
			if sz.Unit == size.Piece {
				toks = append(toks, token{kind: tokQty, qty: sz.Amount})
			} else {
				toks = append(toks, token{kind: tokSize, size: sz})
			}
			i += n - 1
			continue
		}
		if p, n := priceAt(words[i:]); n > 0 {
			toks = append(toks, token{kind: tokPrice, qty: p})
			i += n - 1
			continue
		}
		if q, ok := quantity(w); ok {
			toks = append(toks, token{kind: tokQty, qty: q})
			continue
		}
		if q, ok := numberWords[k]; ok && i+1 < len(words) && !lineBreaks[norm.Key(words[i+1])] && !youWords[norm.Key(words[i+1])] {
			if _, isNum := quantity(words[i+1]); !isNum {
				toks = append(toks, token{kind: tokQty, qty: q})
				continue
			}
		}
		switch {
		case lineBreaks[k]:
			toks = append(toks, token{kind: tokBreak})
		case orderVerbs[k]:
			order = true
		case searchVerbs[k]:
			search = true
		case (filler[k] || politeness[k]) && !ws[i].joined && !nameJi(toks, words, i), norm.IsNumber(w):
			// Numbers too big to count packs are noise, not item names.
		default:
			toks = append(toks, token{kind: tokWord, word: w})
		}
	}
	return toks, order, search, price
}

// priceAt reads a price at the start of words, as shoppers name the pack
// they want by what it costs: "rs 10", "10 rs wala", "10 rupay ka", "10
// wala", "25 ka". It returns the rupees and the words used, 0 if none.
func priceAt(words []string) (rupees, n int) {
	if len(words) < 2 {
		return 0, 0
	}
	key := func(i int) string {
		if i < len(words) {
			return norm.Key(words[i])
		}
		return ""
	}
	if rupeeWords[key(0)] { // "rs 25", "rs 25 ka"
		r, ok := number(words[1])
		switch {
		case !ok || r <= 0:
			return 0, 0
		case priceOf[key(2)]:
			return r, 3
		}
		return r, 2
	}
	r, ok := number(words[0])
	if !ok || r <= 0 {
		return 0, 0
	}
	if len(words) > 2 && rupeeWords[key(1)] {
		if _, ok := number(words[2]); ok {
			return 0, 0 // "2 rs 25 wala": two of the Rs25 pack
		}
	}
	switch {
	case rupeeWords[key(1)] && priceOf[key(2)]:
		return r, 3
	case rupeeWords[key(1)], priceOf[key(1)]:
		return r, 2
	}
	return 0, 0
}

// nameJi reports whether words[i] is a "ji" inside a name, between two
// words of it ("parle ji biscuit", "पारले जी बिस्कुट"), where respect would
// follow a person or a verb instead.
func nameJi(toks []token, words []string, i int) bool {
	if !honorific[norm.Key(words[i])] || len(toks) == 0 || toks[len(toks)-1].kind != tokWord || i+1 >= len(words) {
		return false
	}
	k := norm.Key(words[i+1])
	return !filler[k] && !politeness[k] && !orderVerbs[k] && !lineBreaks[k] && !norm.IsNumber(words[i+1])
}

// youWords after "do" make it the English verb ("do u have kurkure"), not
// the Hindi two.
var youWords = norm.KeySet("u", "you", "we", "they", "i")

// quantity reads "2", "2x", "x2".
func quantity(w string) (int, bool) {
	w = strings.TrimSuffix(strings.TrimPrefix(w, "x"), "x")
	n, ok := number(w)
	return n, ok && n > 0
}

// splitLines groups tokens into order lines. In a message that starts with
// a quantity ("2 atta 1 oil") a quantity after words starts a new line; in
// one that starts with words ("atta 2 oil 1") a word after a quantity or
// size does.
func splitLines(toks []token, qtyFirst bool) []Line {
	var (
		lines []Line
		cur   Line
		words []string
		prev  = tokBreak
	)
	flush := func() {
		cur.Words = strings.Join(words, " ")
		if cur.Words != "" || cur.Qty > 0 || !cur.Size.IsZero() || cur.Price > 0 {
			lines = append(lines, cur)
		}
		cur, words = Line{}, nil
	}
	for _, t := range toks {
		switch t.kind {
		case tokBreak:
			flush()
		case tokQty:
			if len(words) > 0 && (cur.Qty > 0 || qtyFirst) {
				flush()
			}
			if cur.Qty == 0 {
				cur.Qty = t.qty
			}
		case tokSize:
			if len(words) > 0 && !cur.Size.IsZero() {
				flush()
			}
			cur.Size = t.size
		case tokPrice:
			if len(words) > 0 && cur.Price > 0 {
				flush()
			}
			cur.Price = t.qty
		case tokWord:
			if !qtyFirst && len(words) > 0 && prev != tokWord {
				flush()
			}
			words = append(words, t.word)
		}
		prev = t.kind
	}
	flush()
	return lines
}

// attachNumbers gives the quantity and size of a line with no words to the
// line before it ("atta, 2"), or else the one after ("2, atta"), where
// that line has none of its own, and drops the wordless line.
func attachNumbers(lines []Line) []Line {
	out := lines[:0]
	for i, l := range lines {
		if l.Words != "" {
			out = append(out, l)
			continue
		}
		target := -1
		if n := len(out); n > 0 && out[n-1].Qty == 0 && (l.Size.IsZero() || out[n-1].Size.IsZero()) {
			target = n - 1
		}
		if target >= 0 {
			merge(&out[target], l)
		} else if i+1 < len(lines) && lines[i+1].Words != "" && lines[i+1].Qty == 0 {
			merge(&lines[i+1], l)
		}
	}
	return out
}

func merge(dst *Line, from Line) {
	if dst.Qty == 0 {
		dst.Qty = from.Qty
	}
	if dst.Size.IsZero() {
		dst.Size = from.Size
	}
	if dst.Price == 0 {
		dst.Price = from.Price
	}
}
