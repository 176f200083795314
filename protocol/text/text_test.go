package text

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/modem/pdu"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/render"
)

var langs = protocol.Langs

// operatorBudget is what an SMS to the operator may cost: a new order's
// address and lines take more than one segment, and the operator needs
// all of them.
const operatorBudget = 3

// pageFooters are templates with a "%d" that render.List fills, not Format.
var pageFooters = map[Key]bool{ItemsMore: true, CartMore: true}

// longest returns the longest of the given keys' texts in lang.
func longest(lang protocol.Lang, keys ...Key) string {
	var s string
	for _, k := range keys {
		if t := Template(lang, k); len([]rune(t)) > len([]rune(s)) {
			s = t
		}
	}
	return s
}

// worst fills an argument of kind a with the longest value allowed.
func worst(lang protocol.Lang, a Arg) any {
	switch a {
	case Count:
		return ItemCount(999) // "999 items" where a template says %v
	case Money:
		return render.Money(1234550)
	case State:
		return longest(lang, StateNew, StateAccepted, StatePacked, StateOnTheWay, StateDelivered, StateCancelled, StateRejected)
	case Mode:
		return longest(lang, ModeDelivery, ModePickup)
	case Pay:
		return longest(lang, PayCOD, PayUPI)
	}
	if a == Lines {
		return strings.Repeat("W", 120)
	}
	if a == Address {
		return strings.Repeat("W", 120) // as long as an address is stored
	}
	return strings.Repeat("W", MaxLen[a])
}

func TestEveryKeyInBothLanguages(t *testing.T) {
	for k := Key(0); k < numKeys; k++ {
		for _, lang := range langs {
			tmpl := Template(lang, k)
			if tmpl == "" {
				t.Errorf("key %d has no %s text", k, lang)
				continue
			}
			verbs := strings.Count(tmpl, "%s") + strings.Count(tmpl, "%d") + strings.Count(tmpl, "%v")
			if pageFooters[k] {
				if strings.Count(tmpl, "%d") != 1 || verbs != 1 {
					t.Errorf("%s page footer %d = %q needs exactly one %%d", lang, k, tmpl)
				}
				continue
			}
			if verbs != len(Args[k]) || strings.Count(tmpl, "%") != verbs {
				t.Errorf("%s key %d = %q has %d verbs, Args says %d", lang, k, tmpl, verbs, len(Args[k]))
			}
		}
	}
}

// The budget promise: with the longest arguments, an English or Hinglish
// reply is one GSM-7 segment and a Hindi one at most two UCS-2 segments,
// uncut; a new order's SMS to the operator is at most three GSM-7.
func TestBudgets(t *testing.T) {
	for k := Key(0); k < numKeys; k++ {
		for _, lang := range langs {
			var args []any
			for _, a := range Args[k] {
				args = append(args, worst(lang, a))
			}
			if pageFooters[k] {
				args = []any{999}
			}
			text := fmt.Sprintf(Template(lang, k), args...)
			if k == OpNewOrder {
				r := render.Fit(text, protocol.English, operatorBudget)
				if r.Truncated || r.Encoding != "gsm7" {
					t.Errorf("%s operator's new order costs %d %s, cut %v: %q", lang, r.Segments, r.Encoding, r.Truncated, r.Text)
				}
				continue
			}
			if k == OpOrderLine {
				args[3] = strings.Repeat("W", MaxLen[Address])
				text = fmt.Sprintf(Template(lang, k), args...)
			}
			r := render.Fit(text, lang, render.Budget(lang))
			if r.Truncated {
				t.Errorf("%s key %d is cut to fit: %q", lang, k, r.Text)
			}
			segs, enc := pdu.Count(render.Fold(text, lang))
			switch {
			case lang.Latin() && (segs != 1 || enc != "gsm7"):
				t.Errorf("%s key %d costs %d %s segments: %q", lang, k, segs, enc, text)
			case lang == protocol.Hindi && segs > 2:
				t.Errorf("Hindi key %d costs %d %s segments (%d characters): %q", k, segs, enc, len([]rune(text)), text)
			}
		}
	}
}

func TestReply(t *testing.T) {
	r := Reply(protocol.English, Placed, "K7M3", render.Money(52050), "K7M3")
	want := "Order K7M3 placed! Total Rs520.50. We will SMS you when it moves. Send STATUS K7M3 to track."
	if r.Text != want || r.Segments != 1 || r.Encoding != "gsm7" {
		t.Errorf("Reply = %+v, want %q in one GSM-7 segment", r, want)
	}
	h := Reply(protocol.Hindi, Cancelled, "K7M3")
	if h.Encoding != "ucs2" || !strings.Contains(h.Text, "रद्द") {
		t.Errorf("Hindi Reply = %+v", h)
	}
	if Template("xx", Help) != Template(protocol.English, Help) {
		t.Errorf("an unknown language does not fall back to English")
	}
	if Template(protocol.English, numKeys) != "" || Template(protocol.English, -1) != "" {
		t.Errorf("an unknown key has a text")
	}
}

var kiranaCategories = []string{"Staples", "Dal", "Oil & Ghee", "Spices", "Snacks", "Dairy", "Personal Care", "Household"}

// The first screen: the shop, eight numbered categories and a one-line
// hint in ONE GSM-7 segment, even with the longest shop name.
func TestWelcomeOneSegment(t *testing.T) {
	shop := strings.Repeat("S", MaxLen[Shop])
	pages := render.Pages(Welcome(protocol.English, shop, kiranaCategories), protocol.English, 1)
	if len(pages) != 1 || pages[0].Count != len(kiranaCategories) {
		t.Fatalf("welcome takes %d pages: %q", len(pages), pages[0].Text)
	}
	p := pages[0]
	if p.Segments != 1 || p.Encoding != "gsm7" || p.Truncated {
		t.Errorf("welcome costs %d %s (cut %v): %q", p.Segments, p.Encoding, p.Truncated, p.Text)
	}
	if !strings.HasSuffix(p.Text, Template(protocol.English, WelcomeTail)) || !strings.Contains(p.Text, "8.Household") {
		t.Errorf("welcome = %q", p.Text)
	}
	t.Logf("%d characters:\n%s", len(p.Text), p.Text)
}

func TestListsFitBudgets(t *testing.T) {
	lines := []string{
		render.Item("Toor Dal", "1 kg", 16500), render.Item("Tata Sampann Toor Dal", "1 kg", 18500),
		render.Item("Moong Dal", "1 kg", 13500), render.Item("Masoor Dal", "1 kg", 11000),
		render.Item("Chana Dal", "1 kg", 9500), render.Item("Urad Dal", "1 kg", 14000),
		render.Item("Rajma", "500 g", 8500), render.Item("Kabuli Chana", "500 g", 8000),
		render.Item("Kala Chana", "1 kg", 9000), render.Item("Lobia", "500 g", 7000),
		render.Item("Fortune Kachi Ghani Mustard Oil", "5 L", 86000),
	}
	hiLines := []string{"अरहर दाल 1kg Rs165", "मूंग दाल 1kg Rs135", "मसूर दाल 1kg Rs110", "चना दाल 1kg Rs95",
		"उड़द दाल 1kg Rs140", "राजमा 500g Rs85", "काबुली चना 500g Rs80", "काला चना 1kg Rs90", "लोबिया 500g Rs70"}
	shop := strings.Repeat("S", MaxLen[Shop])
	for _, lang := range langs {
		ls := lines
		if lang == protocol.Hindi {
			ls = hiLines
		}
		for name, l := range map[string]render.List{
			"welcome": Welcome(lang, shop, kiranaCategories),
			"items":   Items(lang, "Dal", ls),
			"choice":  Choice(lang, "dal", ls),
			"cart":    Cart(lang, ls, 123450),
			"empty":   Cart(lang, nil, 0),
		} {
			pages := render.Pages(l, lang, render.Budget(lang))
			shown := 0
			for _, p := range pages {
				shown += p.Count
				if p.Segments > render.Budget(lang) || p.Truncated {
					t.Errorf("%s %s page costs %d (cut %v): %q", lang, name, p.Segments, p.Truncated, p.Text)
				}
			}
			if shown != len(l.Items) {
				t.Errorf("%s %s shows %d of %d items", lang, name, shown, len(l.Items))
			}
		}
	}
}

// The note put before a reply when items in a cart stopped being sold.
func TestWithdrawnNote(t *testing.T) {
	for _, tc := range []struct {
		lang protocol.Lang
		k    Key
		arg  any
		want string
		segs int
		enc  string
	}{
		{protocol.English, Withdrawn, "Til Oil 500ml", "Sorry, Til Oil 500ml is no longer sold; removed from your cart.", 1, "gsm7"},
		{protocol.English, WithdrawnSome, 2, "Sorry, 2 items are no longer sold; removed from your cart.", 1, "gsm7"},
		{protocol.English, WithdrawnShort, "Til Oil 500ml", "Til Oil 500ml no longer sold, removed.", 1, "gsm7"},
		{protocol.Hindi, Withdrawn, "तिल का तेल 500ml", "माफ़ कीजिए, तिल का तेल 500ml अब नहीं बिकता; टोकरी से हटा दिया।", 1, "ucs2"},
		{protocol.Hindi, WithdrawnShort, "तिल का तेल 500ml", "तिल का तेल 500ml अब नहीं बिकता, हटाया।", 1, "ucs2"},
		{protocol.Hindi, WithdrawnSome, 2, "2 सामान अब नहीं बिकते, हटाए।", 1, "ucs2"},
	} {
		r := Reply(tc.lang, tc.k, tc.arg)
		if r.Text != tc.want || r.Segments != tc.segs || r.Encoding != tc.enc {
			t.Errorf("%s %d = %q, %d %s; want %q, %d %s", tc.lang, tc.k, r.Text, r.Segments, r.Encoding, tc.want, tc.segs, tc.enc)
		}
	}
}

func TestOneItemReadsSingular(t *testing.T) {
	tests := []struct {
		lang protocol.Lang
		n    int
		want string
	}{
		{protocol.English, 1, "Cart: 1 item,"},
		{protocol.English, 2, "Cart: 2 items,"},
		{protocol.English, 11, "Cart: 11 items,"},
	}
	for _, tt := range tests {
		got := Format(tt.lang, Removed, "Tata Salt 1kg", ItemCount(tt.n), "Rs28")
		if !strings.Contains(got, tt.want) {
			t.Errorf("%d items: %q lacks %q", tt.n, got, tt.want)
		}
	}
	if got := Format(protocol.English, Confirm, ItemCount(1), "Rs28", "pickup", "cash"); !strings.HasPrefix(got, "1 item, ") {
		t.Errorf("Confirm for one item: %q", got)
	}
}
