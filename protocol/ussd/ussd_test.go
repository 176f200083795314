package ussd

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/protocol"
)

func TestLength(t *testing.T) {
	for _, c := range []struct {
		text     string
		n, limit int
	}{
		{"1 Shop", 6, MaxChars},
		{"Rs{5}", 7, MaxChars},  // braces are escape + septet
		{"1 सामान", 7, MaxUCS2}, // Devanagari goes as UCS-2
		{strings.Repeat("a", 182), 182, MaxChars},
	} {
		n, limit := Length(c.text)
		if n != c.n || limit != c.limit {
			t.Errorf("Length(%q) = %d, %d; want %d, %d", c.text, n, limit, c.n, c.limit)
		}
	}
	if Fits(strings.Repeat("a", 183)) || !Fits(strings.Repeat("a", 182)) {
		t.Error("Fits does not cut at 182 GSM-7 characters")
	}
	if Fits(strings.Repeat("क", 81)) || !Fits(strings.Repeat("क", 80)) {
		t.Error("Fits does not cut at 80 UCS-2 characters")
	}
}

func TestReplyString(t *testing.T) {
	if got := Con("1 Shop").String(); got != "CON 1 Shop" {
		t.Errorf("Con = %q", got)
	}
	if got := Close("Bye").String(); got != "END Bye" {
		t.Errorf("Close = %q", got)
	}
}

// A screen too long for one screen is cut at its longest lines, never in
// the numbers or the navigation, in every language.
func TestScreenCutsToFit(t *testing.T) {
	long := strings.Repeat("Aashirvaad Select Sharbati Atta ", 4)
	for _, lang := range Langs {
		s := Screen{Lang: lang, Head: []string{long, long}, Choices: []string{long, long, long}, More: true, Back: true}
		r := s.Reply()
		if !Fits(r.Text) {
			t.Errorf("%s: screen of %d characters does not fit", lang, len([]rune(r.Text)))
		}
		w := For(lang)
		for _, want := range []string{"\n1 ", "\n2 ", "\n3 ", KeyMore + " " + w.More, KeyBack + " " + w.Back} {
			if !strings.Contains(r.Text, want) {
				t.Errorf("%s: %q missing from\n%s", lang, want, r.Text)
			}
		}
	}
}

// Pages of a long list hold every item once, numbered from 1 on each
// page, with 98 while items follow, each within the aim.
func TestPagesCoverTheList(t *testing.T) {
	var items []string
	for i := 0; i < 40; i++ {
		items = append(items, "Fortune Chakki Fresh Atta 5kg Rs255")
	}
	for _, lang := range Langs {
		seen, first := 0, 0
		for pages := 0; first < len(items); pages++ {
			r, n := Page(lang, []string{"Staples:"}, items, first, true)
			if n < 1 || n > MaxPerPage {
				t.Fatalf("%s: page at %d shows %d items", lang, first, n)
			}
			if l, limit := Length(r.Text); l > min(limit, AimChars) {
				t.Errorf("%s: page of %d characters over the aim:\n%s", lang, l, r.Text)
			}
			more := first+n < len(items)
			if strings.Contains(r.Text, KeyMore+" ") != more {
				t.Errorf("%s: page at %d: more=%v but text\n%s", lang, first, more, r.Text)
			}
			seen += n
			first += n
		}
		if seen != len(items) {
			t.Errorf("%s: pages showed %d of %d items", lang, seen, len(items))
		}
	}
}

// Every screen text exists in every language.
func TestWordsInEveryLanguage(t *testing.T) {
	for _, lang := range Langs {
		v := reflect.ValueOf(*For(lang))
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).String() == "" {
				t.Errorf("%s: %s is empty", lang, v.Type().Field(i).Name)
			}
		}
	}
	if For(protocol.Lang("fr")) != For(protocol.English) {
		t.Error("an unknown language is not answered in English")
	}
}

func FuzzScreen(f *testing.F) {
	f.Add("Sharma Kirana", "Aashirvaad Atta 5kg Rs285", "hi")
	f.Add("", "", "en")
	f.Fuzz(func(t *testing.T, head, choice, lang string) {
		r := Screen{Lang: protocol.Lang(lang), Head: []string{head}, Choices: []string{choice, choice}, Back: true}.Reply()
		if !Fits(r.Text) {
			t.Fatalf("screen does not fit: %q", r.Text)
		}
	})
}

// The line for a shop that cannot answer names the number to text, and
// reads whole without one.
func TestAway(t *testing.T) {
	if got := Away(protocol.English, "+919800000000"); !strings.Contains(got, "SMS your order to +919800000000.") || strings.Contains(got, "\n") {
		t.Errorf("Away = %q", got)
	}
	if got := Away(protocol.English, ""); strings.Contains(got, "to .") || !strings.Contains(got, "by SMS") {
		t.Errorf("Away without a number = %q", got)
	}
	if got := Away(protocol.Hindi, "+919800000000"); !strings.Contains(got, "+919800000000 पर SMS करें") {
		t.Errorf("Away in Hindi = %q", got)
	}
	if got := Away(protocol.Hinglish, "+919800000000"); !strings.Contains(got, "+919800000000 par SMS karein") {
		t.Errorf("Away in Hinglish = %q", got)
	}
	// The line goes out as END and its text: both within the screen,
	// Hindi within a UCS-2 screen's 80 characters.
	for _, lang := range Langs {
		for _, n := range []string{"", "+919800000000"} {
			got := Close(Away(lang, n))
			if l, limit := Length(got.Text); l > limit || !Fits(got.Text) {
				t.Errorf("%s Away(%q) is %d characters, limit %d: %q", lang, n, l, limit, got.Text)
			}
		}
	}
}
