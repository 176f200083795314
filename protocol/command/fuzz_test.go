package command

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// fixtureTexts reads real SMS texts from testdata/texts.txt.
func fixtureTexts(t testing.TB) []string {
	b, err := os.ReadFile("testdata/texts.txt")
	if err != nil {
		t.Fatalf("read fixtures: %v", err)
	}
	unescape := strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\r`, "\r", `\t`, "\t")
	var texts []string
	for _, line := range strings.Split(string(b), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			texts = append(texts, unescape.Replace(line))
		}
	}
	return texts
}

// Real messages from other people's phones are not commands, and must not
// break the parser.
func TestParseRealTexts(t *testing.T) {
	for _, s := range fixtureTexts(t) {
		c := Parse(s)
		checkCommand(t, s, c)
		if _, ok := c.(Operator); ok {
			t.Errorf("Parse(%q) = operator command", s)
		}
	}
	if got := Parse("Hi\n\nAnshu S"); got.Name() != "search" {
		t.Errorf("a greeting with a name is %T, want a search the agent can answer with the welcome", got)
	}
}

func checkCommand(t *testing.T, in string, c Command) {
	t.Helper()
	if c == nil || c.Name() == "" {
		t.Fatalf("Parse(%q) = %#v", in, c)
	}
	valid := func(field, s string) {
		if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxRunes {
			t.Fatalf("Parse(%q): %s %q is not valid or too long", in, field, s)
		}
	}
	switch c := c.(type) {
	case Order:
		if len(c.Lines) == 0 {
			t.Fatalf("Parse(%q): order without lines", in)
		}
		for _, l := range c.Lines {
			valid("line", l.Words)
			if l.Words == "" || l.Qty < 0 || l.Qty > 12*maxNumber || l.Size.Amount < 0 {
				t.Fatalf("Parse(%q): bad line %+v", in, l)
			}
		}
	case Search:
		valid("search", c.Words)
		if c.Words == "" {
			t.Fatalf("Parse(%q): empty search", in)
		}
	case Address:
		valid("address", c.Text)
	case Unknown:
		valid("unknown", c.Text)
	case Pick:
		if c.N < 0 || c.N > maxNumber {
			t.Fatalf("Parse(%q): pick %d", in, c.N)
		}
	case Remove:
		valid("remove", c.Words)
	case Operator:
		for _, a := range c.Args {
			valid("arg", a)
		}
		_ = c.Check()
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range fixtureTexts(f) {
		f.Add(s, false)
	}
	for _, s := range []string{
		"2 atta 5kg, 1 oil, sugar 1kg", "२ आटा ५ किलो", "OP 4321 PRICE ATTA5 52.50", "change 2 to 5",
		"ADDR 12 MG Road", "status k7m3", "😀😀😀", "\x00\x01\x1b\x7f", "ज़ीरा्ं 1/2kg aur", "1/0 kg", "x2x",
		strings.Repeat("atta 2 ", 200), strings.Repeat("३", 1000), strings.Repeat("\u200d", 50) + "menu",
		"\xff\xfe garbage", "op", "op op op", "= = =", ",,,,", "and and and 2",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, address bool) {
		e := ExpectAny
		if address {
			e = ExpectAddress
		}
		c := ParseExpect(s, e)
		checkCommand(t, s, c)
		if again := ParseExpect(s, e); again.Name() != c.Name() {
			t.Fatalf("Parse(%q) not deterministic: %s then %s", s, c.Name(), again.Name())
		}
	})
}

// BenchmarkParse: the grammar is far from the bottleneck, but a 1,000
// character message must not be slow.
func BenchmarkParse(b *testing.B) {
	long := strings.Repeat("2 atta 5kg, ", 80)
	for i := 0; i < b.N; i++ {
		Parse("2 atta 5kg, 1 oil, sugar 1kg")
		Parse(long)
	}
}
