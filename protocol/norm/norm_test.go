package norm

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLatin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"आटा", "aata"},
		{"चावल", "chaaval"},
		{"चीनी", "cheeni"},
		{"तेल", "tel"},
		{"दूध", "doodh"},
		{"नमकीन", "namkeen"}, // medial schwa dropped
		{"नमक", "namak"},
		{"अरहर", "arhar"},
		{"मक्खन", "makkhan"}, // virama joins the consonants
		{"हिंदी", "hindi"},   // anusvara
		{"गेहूं", "gehoon"},
		{"हाँ", "haan"},        // chandrabindu
		{"ज़ीरा", "zeera"},     // nukta as a separate sign
		{"\u095Bीरा", "zeera"}, // precomposed nukta letter
		{"झाड़ू", "jhaaru"},
		{"टोकरी", "tokri"},
		{"घी", "ghee"}, // one syllable keeps its long vowel
		{"न", "na"},
		{"मूंग दाल 1 किलो", "moong daal 1 kilo"},
		{"२ आटा ५ किलो।", "2 aata 5 kilo."},
		{"atta आटा", "atta aata"},
		{"plain ascii", "plain ascii"},
		{"ि", "i"}, // a stray vowel sign
		{"्", ""},
	}
	for _, tc := range tests {
		if got := Latin(tc.in); got != tc.want {
			t.Errorf("Latin(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"2 Atta 5kg, 1 oil; SUGAR 1kg", []string{"2", "atta", "5kg", "1", "oil", "sugar", "1kg"}},
		{"  1.5L  oil... 1/2 kg", []string{"1.5l", "oil", "1/2", "kg"}},
		{"end.", []string{"end"}},
		{"Café CRÈME", []string{"cafe", "creme"}},
		{"ＡＢＣ１２", []string{"abc12"}},
		{"२ चीनी", []string{"2", "cheeni"}},
		{"tab\there\x00nul", []string{"tab", "here", "nul"}},
		{"😀🙏", nil},
		{"", nil},
		{"a\u200bb", []string{"ab"}}, // zero-width space is dropped
		{"৩ 3", []string{"3", "3"}},  // Bengali digit three
	}
	for _, tc := range tests {
		if got := Words(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestKeyAgreesOnSpellings(t *testing.T) {
	groups := [][]string{
		{"atta", "aata", "आटा", "ata"},
		{"cheeni", "chini", "चीनी"},
		{"chawal", "chaval", "चावल"},
		{"doodh", "dudh", "दूध"},
		{"phenyl", "fenyl"},
		{"jeera", "zeera", "जीरा", "ज़ीरा", "jira"},
		{"chai", "chay", "चाय", "chaay"},
		{"makkhan", "makhan", "मक्खन"},
		{"biskut", "बिस्कुट", "biscut"},
		{"haan", "हाँ", "han"},
	}
	for _, g := range groups {
		want := KeyWords(g[0])
		for _, s := range g[1:] {
			if got := KeyWords(s); !slices.Equal(got, want) {
				t.Errorf("key of %q = %q, want %q (as %q)", s, got, want, g[0])
			}
		}
	}
	if Key("दाल") != "दाल" {
		t.Errorf("Key changed a word that is not ASCII")
	}
}

func TestHasVowel(t *testing.T) {
	for w, want := range map[string]bool{"atta": true, "brt": false, "xyz": false, "5kg": false, "दाल": true, "": false} {
		if got := HasVowel(w); got != want {
			t.Errorf("HasVowel(%q) = %v", w, got)
		}
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"2 atta 5kg, 1 oil", "आटा २ किलो", "ज़ीरा्ं", "\xff\xfe", "1.5/2..3", "ि्ँ़", "😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range Words(s) {
			if w == "" || strings.ContainsAny(w, " \t\n") || !utf8.ValidString(w) {
				t.Fatalf("Words(%q) gave bad word %q", s, w)
			}
			if k := Key(w); k == "" || !utf8.ValidString(k) {
				t.Fatalf("Key(%q) = %q", w, k)
			}
		}
		if l := Latin(s); utf8.ValidString(s) && !utf8.ValidString(l) {
			t.Fatalf("Latin(%q) = %q is not valid UTF-8", s, l)
		}
	})
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"atta", "atta", 2, 0},
		{"atta", "ata", 2, 1},
		{"chawal", "cahwal", 2, 1},
		{"sugar", "suger", 2, 1},
		{"basmati", "bsamtai", 2, 2},
		{"abc", "xyz", 1, 2},
		{"abcdef", "a", 2, 3},
		{"", "ab", 2, 2},
		{strings.Repeat("a", 30), strings.Repeat("a", 30), 2, 3},
	}
	for _, tc := range tests {
		if got := Distance(tc.a, tc.b, tc.max); got != tc.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.max, got, tc.want)
		}
	}
}
