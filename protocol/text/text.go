package text

import (
	"fmt"

	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/render"
)

// Template is the raw template of k in lang, English for an unknown
// language or key.
func Template(lang protocol.Lang, k Key) string {
	if k < 0 || k >= numKeys {
		return ""
	}
	switch {
	case lang == protocol.Hindi && hindi[k] != "":
		return hindi[k]
	case lang == protocol.Hinglish && hinglish[k] != "":
		return hinglish[k]
	}
	return english[k]
}

// Format fills k in lang with args (see Args for what each Key takes).
func Format(lang protocol.Lang, k Key, args ...any) string {
	t := Template(lang, k)
	if len(args) == 0 {
		return t
	}
	return fmt.Sprintf(t, args...)
}

// ItemCount is a count of items in a reply. English templates print it with
// %v, which says "1 item" or "3 items"; others print the number with %d
// and say the noun themselves.
type ItemCount int

// String implements fmt.Stringer.
func (n ItemCount) String() string {
	if n == 1 {
		return "1 item"
	}
	return fmt.Sprintf("%d items", int(n))
}

// Clock writes a time of day (hour 0-23, minute) the way shoppers of lang
// say it: "8 am", "10:30 pm"; in Hindi and Hinglish with the part of the
// day, "सुबह 8 बजे", "shaam 6:30 baje".
func Clock(lang protocol.Lang, hour, minute int) string {
	h12 := hour % 12
	if h12 == 0 {
		h12 = 12
	}
	t := fmt.Sprintf("%d", h12)
	if minute != 0 {
		t = fmt.Sprintf("%d:%02d", h12, minute)
	}
	if lang == protocol.English {
		if hour < 12 {
			return t + " am"
		}
		return t + " pm"
	}
	part := 0 // raat
	switch {
	case hour >= 4 && hour < 12:
		part = 1
	case hour >= 12 && hour < 16:
		part = 2
	case hour >= 16 && hour < 19:
		part = 3
	}
	if lang == protocol.Hindi {
		return [...]string{"रात", "सुबह", "दोपहर", "शाम"}[part] + " " + t + " बजे"
	}
	return [...]string{"raat", "subah", "dopahar", "shaam"}[part] + " " + t + " baje"
}

// Reply formats k and fits it to lang's budget.
func Reply(lang protocol.Lang, k Key, args ...any) render.Reply {
	return render.Fit(Format(lang, k, args...), lang, render.Budget(lang))
}

// Welcome is the first screen: the shop's name, its categories numbered,
// and a one-line hint. In English eight short categories fit one segment.
func Welcome(lang protocol.Lang, shop string, categories []string) render.List {
	return numbered(lang, Format(lang, WelcomeHead, shop), categories, WelcomeTail, WelcomeMore)
}

// Items lists a category's items or search results under title; lines
// are render.Item lines.
func Items(lang protocol.Lang, title string, lines []string) render.List {
	return numbered(lang, title+":", lines, ItemsTail, ItemsMore)
}

// Choice asks which item ambiguous words meant.
func Choice(lang protocol.Lang, words string, lines []string) render.List {
	return numbered(lang, Format(lang, ChooseHead, words), lines, ChooseTail, ItemsMore)
}

// numbered is a list to pick from by number: lines under head, then the
// tail saying how to pick and the hint for the next page.
func numbered(lang protocol.Lang, head string, lines []string, tail, more Key) render.List {
	return render.List{Head: head, Items: lines, Tail: Template(lang, tail), More: Template(lang, more), Numbered: true}
}

// Cart shows the cart's lines (numbered, so REMOVE 2 and CHANGE 2 TO 3
// name them) and its total in paise. An empty cart is CartEmpty.
func Cart(lang protocol.Lang, lines []string, totalPaise int64) render.List {
	if len(lines) == 0 {
		return render.List{Head: Template(lang, CartEmpty)}
	}
	return render.List{
		Head:      Template(lang, CartHead),
		Items:     lines,
		Tail:      Format(lang, CartTail, render.Money(totalPaise)),
		More:      Template(lang, CartMore),
		Running:   true,
		TailEvery: true,
	}
}
