package render

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tokrihq/tokri/modem/pdu"
	"github.com/tokrihq/tokri/protocol"
)

const (
	en = protocol.English
	hi = protocol.Hindi
)

func TestFold(t *testing.T) {
	tests := []struct {
		in   string
		lang protocol.Lang
		want string
	}{
		{"Total ₹52.50", en, "Total Rs52.50"},
		{"“Atta” – it’s here…", en, "\"Atta\" - it's here..."},
		{"Pick one — 1 or 2", en, "Pick one - 1 or 2"},
		{"Thanks 🙏😀 see you", en, "Thanks see you"},
		{"Café crème brûlée", en, "Café crème brulée"}, // é and è are GSM, û is not
		{"[new] {x} ~y^ a\\b |c| €5", en, "(new) (x) -y a/b /c/ EUR5"},
		{"आटा 5 किलो", en, "aata 5 kilo"},
		{"आटा ₹285", hi, "आटा Rs285"},
		{"line1\r\nline2\rline3", en, "line1\nline2\nline3"},
		{"  lots   of\t\tspace  \n  here ", en, "lots of space\nhere"},
		{"a\n\n\n\nb", en, "a\n\nb"},
		{"Tamil வணக்கம் word", en, "Tamil ? word"},
		{"½ kg × 2", en, "1/2 kg x 2"},
		{"ok\x00\x07bell", en, "okbell"},
		{"bad \xff utf8", en, "bad ? utf8"},
	}
	for _, tc := range tests {
		if got := Fold(tc.in, tc.lang); got != tc.want {
			t.Errorf("Fold(%q, %s) = %q, want %q", tc.in, tc.lang, got, tc.want)
		}
	}
}

// words makes a text of n characters (runes) from short words.
func words(n int, word string) string {
	var rs []rune
	for len(rs) < n {
		if len(rs) > 0 {
			rs = append(rs, ' ')
		}
		rs = append(rs, []rune(word)...)
	}
	return string(rs[:n])
}

func TestFitSegments(t *testing.T) {
	exact160 := words(160, "abcd")
	tests := []struct {
		name      string
		in        string
		lang      protocol.Lang
		segs      int
		wantSegs  int
		wantEnc   string
		truncated bool
	}{
		{"empty", "", en, 1, 1, "gsm7", false},
		{"160 GSM-7 characters fit one segment", exact160, en, 1, 1, "gsm7", false},
		{"161 are cut to one", exact160 + "x", en, 1, 1, "gsm7", true},
		{"rupee sign would force UCS-2 but folds", strings.Repeat("₹1 ", 40), en, 1, 1, "gsm7", false},
		{"curly quotes fold", strings.Repeat("“ok” ", 30), en, 1, 1, "gsm7", false},
		{"Hindi 134 units fit two segments", words(134, "दाल"), hi, 2, 2, "ucs2", false},
		{"Hindi 135 are cut to two", words(135, "दाल"), hi, 2, 2, "ucs2", true},
		{"Hindi 70 units are one segment", words(70, "दाल"), hi, 2, 1, "ucs2", false},
		{"a 300-letter word is cut inside", strings.Repeat("x", 300), en, 1, 1, "gsm7", true},
		{"two segments asked for English", words(400, "word"), en, 2, 2, "gsm7", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Fit(tc.in, tc.lang, tc.segs)
			if r.Segments != tc.wantSegs || r.Encoding != tc.wantEnc || r.Truncated != tc.truncated {
				t.Errorf("Fit = %d %s truncated=%v, want %d %s truncated=%v (%q)",
					r.Segments, r.Encoding, r.Truncated, tc.wantSegs, tc.wantEnc, tc.truncated, r.Text)
			}
			if n, enc := pdu.Count(r.Text); n != r.Segments || enc != r.Encoding {
				t.Errorf("Reply says %d %s, pdu.Count says %d %s", r.Segments, r.Encoding, n, enc)
			}
		})
	}
}

func TestFitCutsAtWords(t *testing.T) {
	in := "Sorry, we could not find xyzzy or plugh. Try a word like atta, dal or oil, or reply MENU to browse " +
		"the categories and HELP to learn how ordering works here, in English or Hindi."
	r := Fit(in, en, 1)
	if !r.Truncated || !strings.HasSuffix(r.Text, Ellipsis) {
		t.Fatalf("Fit(%d chars) = %q, want a cut", len(in), r.Text)
	}
	kept := strings.TrimSuffix(r.Text, Ellipsis)
	if !strings.HasPrefix(in, kept) || !strings.ContainsRune(" ,;:", rune(in[len(kept)])) {
		t.Errorf("cut inside a word: %q", r.Text)
	}
	if len(r.Text) > 160 || len(r.Text) < 150 {
		t.Errorf("cut to %d characters, want close to 160", len(r.Text))
	}
	// No dangling comma before the ellipsis.
	r = Fit(strings.Repeat("a, ", 60), en, 1)
	if strings.Contains(r.Text, ",...") {
		t.Errorf("dangling punctuation: %q", r.Text)
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		paise int64
		want  string
	}{
		{5250, "Rs52.50"},
		{6000, "Rs60"},
		{5205, "Rs52.05"},
		{5, "Rs0.05"},
		{0, "Rs0"},
		{-500, "-Rs5"},
		{150000, "Rs1500"},
		{-9223372036854775808, "-Rs92233720368547758.08"},
	}
	for _, tc := range tests {
		if got := Money(tc.paise); got != tc.want {
			t.Errorf("Money(%d) = %q, want %q", tc.paise, got, tc.want)
		}
	}
}

func TestItem(t *testing.T) {
	tests := []struct {
		name, unit string
		paise      int64
		want       string
	}{
		{"Toor Dal", "1 kg", 16500, "Toor Dal 1kg Rs165"},
		{"Amul Taaza Milk", "500 ml", 2700, "Amul Taaza Milk 500ml Rs27"},
		{"Eggs", "6 pcs", 4500, "Eggs 6pc Rs45"},
		{"Sugar", "", 4650, "Sugar Rs46.50"},
		{"Foil", "1 roll", 9900, "Foil 1 roll Rs99"},
		{"Fortune Sunflower Oil", "1 l", 15500, "Fortune Sunflower Oil 1 L Rs155"},
		{"Fortune Mustard Oil", "1.5 ltr", 24000, "Fortune Mustard Oil 1.5 L Rs240"},
		{"Aashirvaad Atta 10kg", "10 kg", 54500, "Aashirvaad Atta 10kg Rs545"},
		{"Amul Milk 1 Ltr Pouch", "1 L", 6600, "Amul Milk 1 Ltr Pouch Rs66"},
		{"Atta 10kg", "5 kg", 28500, "Atta 10kg 5kg Rs285"}, // another size is still said
	}
	for _, tc := range tests {
		if got := Item(tc.name, tc.unit, tc.paise); got != tc.want {
			t.Errorf("Item(%q, %q, %d) = %q, want %q", tc.name, tc.unit, tc.paise, got, tc.want)
		}
	}
}

func itemLines(n int) []string {
	var items []string
	for i := 0; i < n; i++ {
		items = append(items, Item(fmt.Sprintf("Fortune Kachi Ghani Mustard Oil %d", i), "1 L", 17500+int64(i)))
	}
	return items
}

func TestPagesEnglish(t *testing.T) {
	l := List{Head: "Oil & Ghee:", Items: itemLines(20), Tail: "Reply no. to add, 0 back", More: "9 more (%d), 0 back", Numbered: true}
	pages := Pages(l, en, Budget(en))
	next := 0
	for i, p := range pages {
		if p.First != next || p.Count < 1 || p.Count > MaxPerPage {
			t.Fatalf("page %d covers %d+%d, want to start at %d", i, p.First, p.Count, next)
		}
		next += p.Count
		if p.Segments != 1 || p.Encoding != "gsm7" {
			t.Errorf("page %d costs %d %s: %q", i, p.Segments, p.Encoding, p.Text)
		}
		if !strings.HasPrefix(p.Text, "Oil & Ghee:\n1.Fortune") {
			t.Errorf("page %d starts %q", i, p.Text)
		}
		last := i == len(pages)-1
		if wantFoot := fmt.Sprintf("9 more (%d), 0 back", 20-next); !last && !strings.HasSuffix(p.Text, wantFoot) {
			t.Errorf("page %d ends %q, want %q", i, p.Text, wantFoot)
		}
		if last && !strings.HasSuffix(p.Text, "Reply no. to add, 0 back") {
			t.Errorf("last page ends %q", p.Text)
		}
		if again := PageAt(l, p.First, en, 1); again.Text != p.Text {
			t.Errorf("PageAt(%d) = %q, want %q", p.First, again.Text, p.Text)
		}
	}
	if next != 20 {
		t.Errorf("pages cover %d items, want 20", next)
	}
	if len(pages) < 5 {
		t.Errorf("20 long item lines fit %d pages of one SMS; suspicious", len(pages))
	}
}

func TestPagesShapes(t *testing.T) {
	short := []string{"Staples", "Dal", "Oil & Ghee", "Spices", "Snacks", "Dairy", "Personal Care", "Household", "Fruit", "Toys"}
	tests := []struct {
		name   string
		l      List
		lang   protocol.Lang
		counts []int
	}{
		{"short items stop at MaxPerPage", List{Head: "Tokri", Items: short, More: "9 more", Numbered: true}, en, []int{8, 2}},
		{"no items", List{Head: "Your cart is empty.", Tail: "Reply MENU"}, en, []int{0}},
		{"one item too long is cut", List{Items: []string{strings.Repeat("long words ", 40)}}, en, []int{1}},
		{"Hindi fits two UCS-2 segments", List{Head: "दाल:", Items: []string{"अरहर दाल 1kg Rs165", "मूंग दाल 1kg Rs135", "मसूर दाल 1kg Rs110", "चना दाल 1kg Rs95", "उड़द दाल 1kg Rs140", "राजमा 500g Rs85", "काबुली चना 500g Rs80"}, More: "9 और", Tail: "नंबर भेजें", Numbered: true}, hi, []int{6, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pages := Pages(tc.l, tc.lang, Budget(tc.lang))
			var counts []int
			for _, p := range pages {
				counts = append(counts, p.Count)
				if p.Segments > Budget(tc.lang) {
					t.Errorf("page costs %d segments: %q", p.Segments, p.Text)
				}
			}
			if fmt.Sprint(counts) != fmt.Sprint(tc.counts) {
				t.Errorf("page sizes %v, want %v", counts, tc.counts)
				for _, p := range pages {
					t.Logf("%d %s: %q", p.Segments, p.Encoding, p.Text)
				}
			}
		})
	}
}

func TestPagesRunningNumbers(t *testing.T) {
	l := List{Head: "Cart:", Items: itemLines(12), Tail: "Total Rs2000", More: "9 more (%d)", Running: true}
	pages := Pages(l, en, 1)
	if len(pages) < 2 {
		t.Fatalf("12 long lines fit one page: %q", pages[0].Text)
	}
	p := pages[1]
	want := fmt.Sprintf("Cart:\n%d.%s", p.First+1, Fold(l.Items[p.First], en))
	if !strings.HasPrefix(p.Text, want) {
		t.Errorf("second page starts %q, want %q", p.Text, want)
	}
}

func FuzzFit(f *testing.F) {
	for _, s := range []string{"Total ₹52.50 “ok”", "आटा 5 किलो", strings.Repeat("x", 200), "😀\x00\r\n", words(170, "दाल")} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, hindi bool) {
		lang := en
		if hindi {
			lang = hi
		}
		r := Fit(s, lang, Budget(lang))
		if r.Segments > Budget(lang) || !utf8.ValidString(r.Text) {
			t.Fatalf("Fit(%q) = %d segments %q", s, r.Segments, r.Text)
		}
		if lang == en && r.Encoding != "gsm7" {
			t.Fatalf("English Fit(%q) is %s: %q", s, r.Encoding, r.Text)
		}
		p := Pages(List{Head: s, Items: []string{s, s}, More: s, Tail: s, Numbered: true}, lang, Budget(lang))
		for _, pg := range p {
			if pg.Segments > Budget(lang) {
				t.Fatalf("page of %q costs %d", s, pg.Segments)
			}
		}
	})
}

// The cart's total and next step end every page: a long cart's first
// page never hides them on page two.
func TestPagesTailEvery(t *testing.T) {
	l := List{Head: "Cart:", Items: itemLines(3), Tail: "Total Rs2000. CHECKOUT to order, REMOVE 1 to drop a line", More: "9=%d more", Running: true, TailEvery: true}
	pages := Pages(l, en, 1)
	if len(pages) < 2 {
		t.Fatalf("3 long lines and the tail fit one page: %q", pages[0].Text)
	}
	for i, p := range pages {
		if !strings.HasSuffix(p.Text, l.Tail) || p.Segments != 1 || p.Truncated {
			t.Errorf("page %d (%d segments, cut %v) lacks the tail: %q", i, p.Segments, p.Truncated, p.Text)
		}
	}
	if !strings.Contains(pages[0].Text, "more\nTotal") {
		t.Errorf("first page says no more lines follow: %q", pages[0].Text)
	}
}
