package balance

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestRealAnswers reads every answer in testdata/answers.txt, real
// networks' balance messages from the shared fixtures.
func TestRealAnswers(t *testing.T) {
	b, err := os.ReadFile("testdata/answers.txt")
	if err != nil {
		t.Fatal(err)
	}
	var text string
	n := 0
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(l, "> "):
			text = strings.ReplaceAll(l[2:], `\n`, "\n")
		case strings.HasPrefix(l, "= "):
			n++
			r, ok := Parse(text)
			got := "none"
			if ok {
				got = fmt.Sprintf("%d.%02d %s", r.Amount/100, r.Amount%100, r.Currency)
			}
			want := l[2:]
			if want != "none" && !strings.Contains(want, ".") {
				f := strings.Fields(want)
				want = f[0] + ".00 " + f[1]
			}
			if got != want {
				t.Errorf("Parse(%q) = %s, want %s", text, got, want)
			}
			if r.SMS != -1 {
				t.Errorf("Parse(%q) found %d SMS in an answer that names no pack", text, r.SMS)
			}
		}
	}
	if n < 8 {
		t.Fatalf("only %d answers read", n)
	}
}

// SMS packs as Indian prepaid answers word them. Constructed: no real
// capture of one is in the fixtures.
func TestSMSPack(t *testing.T) {
	for text, want := range map[string]int{
		"Main Bal:Rs.45.20, 100 SMS left, valid till 12-03-2026":   100,
		"Bal Rs 12.00. SMS Pack: 37 local SMS till 31/03":          37,
		"Main Balance Rs 4.50. No SMS pack. Dial *121# for offers": 0,
		"Your SMS pack has expired. Main Bal: Rs 10":               0,
		"Main Balance Rs 250.00 valid for lifetime":                -1,
	} {
		r, ok := Parse(text)
		if !ok || r.SMS != want {
			t.Errorf("Parse(%q) = %+v, %v; want %d SMS", text, r, ok, want)
		}
	}
	r, _ := Parse("Main Bal:Rs.45.20, 100 SMS left")
	if r.Amount != 4520 || r.Currency != "Rs." {
		t.Errorf("amount %d %q, want 4520 Rs.", r.Amount, r.Currency)
	}
}

// Letters whose lower case is longer or shorter in bytes (İ, an invalid
// byte) before the keyword must not move where the amount is read.
func TestCaseChangesNoOffsets(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int64 // 0: no amount
	}{
		{"\xff\xff\xff\xff Bal 7, 99 SMS", 700},
		{"İİİİ Bal: Rs 12.50", 1250},
		{"İİİİİİ bal", 0},
	} {
		r, ok := Parse(tc.text)
		if ok != (tc.want != 0) || r.Amount != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want amount %d", tc.text, r, ok, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("İİİ Bal: Rs 12")
	f.Add("Bal:$100.00 *\nExp 01 Jan 2013")
	f.Add("رصيدك 107.93 د.ل،الصلاحية  2018-11-09")
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := Parse(s)
		if ok && r.Amount < 0 {
			t.Fatalf("negative amount from %q", s)
		}
	})
}
