package phone

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		country Country
		in      string
		want    string
		err     error
	}{
		{"", "9800000001", "+919800000001", nil},
		{"", "09800000001", "+919800000001", nil},
		{"", "+91 98000 00001", "+919800000001", nil},
		{"", "919800000001", "+919800000001", nil},
		{"", "+919800000001", "+919800000001", nil},
		{"", "0091-98000-00001", "+919800000001", nil},
		{"", "(0) 98000.00001", "+919800000001", nil},
		{India, "9198000000", "+919198000000", nil}, // ten digits: national, though it starts with 91
		{India, "+44 20 7946 0958", "+442079460958", nil},
		{"254", "0712345678", "+254712345678", nil},
		{"254", "712345678", "+254712345678", nil},
		{"254", "254712345678", "+254712345678", nil},
		{"7", "9001234567", "+79001234567", nil}, // no fixed length known: any E.164 length
		{"", "", "", ErrEmpty},
		{"", "   ", "", ErrEmpty},
		{"", "HDFCBK", "", ErrChars},
		{"", "98000O0001", "", ErrChars},
		{"", "+91+9800000001", "", ErrChars},
		{"", "121", "", ErrLength},
		{"", "980000001", "", ErrLength},
		{"", "+91980000001", "", ErrLength},
		{"", "9198000000011", "", ErrLength},
		{"", "+0123456789", "", ErrLength},
		{"", "+1234567890123456", "", ErrLength},
	}
	for _, tt := range tests {
		got, err := tt.country.Normalize(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Country(%q).Normalize(%q) = %q, %v; want %q, %v", tt.country, tt.in, got, err, tt.want, tt.err)
		}
		if err != nil && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) && strings.TrimSpace(tt.in) != "" {
			t.Errorf("error for %q repeats the number: %v", tt.in, err)
		}
	}
}

func TestLengthReason(t *testing.T) {
	_, err := India.Normalize("98000001")
	if want := "wrong number of digits: 8 digits, where a number has 10, or 12 with 91 in front"; err == nil || err.Error() != want {
		t.Errorf("reason = %v, want %q", err, want)
	}
}

func TestParseCountry(t *testing.T) {
	for in, want := range map[string]Country{"91": "91", "+91": "91", " 1 ": "1", "254": "254"} {
		if got, err := ParseCountry(in); got != want || err != nil {
			t.Errorf("ParseCountry(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "+", "0", "091", "1234", "9a"} {
		if _, err := ParseCountry(in); !errors.Is(err, ErrCountry) {
			t.Errorf("ParseCountry(%q) = %v, want ErrCountry", in, err)
		}
	}
}

func TestSame(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"+919790197346", "+919790197346", true},
		{"+919790197346", "919790197346", true},
		{"+919790197346", "09790197346", true},
		{"+919790197346", "9790197346", true},
		{"+91 97901 97346", "097901-97346", true},
		{"+919790197346", "+919790197347", false},
		{"+919790197346", "7346", false},
		{"+449790197346", "9790197346", false}, // same digits, another country
		{"1800", "1800", true},
		{"Megafon", "megafon", true},
		{"Megafon", "", false},
		{"", "", true},
	}
	for _, tt := range tests {
		if got := India.Same(tt.a, tt.b); got != tt.want {
			t.Errorf("Same(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := India.Same(tt.b, tt.a); got != tt.want {
			t.Errorf("Same(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestAnswerable(t *testing.T) {
	tests := []struct {
		from, own string
		want      bool
	}{
		{"+919800000001", "", true},
		{"9800000001", "+919812345678", true},
		{"+919812345678", "+919812345678", false},
		{"09812345678", "919812345678", false}, // the SIM itself, written another way
		{"HDFCBK", "", false},
		{"AX-HDFCBK", "", false},
		{"VM-AIRTEL", "", false},
		{"121", "", false},
		{"56767", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := India.Answerable(tt.from, tt.own); got != tt.want {
			t.Errorf("Answerable(%q, %q) = %v, want %v", tt.from, tt.own, got, tt.want)
		}
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"+919812345678": "+********5678",
		"9812345678":    "******5678",
		"+9112":         "+9112",
		"12":            "**",
		"1234":          "****",
		"VM-HDFCBK":     "*****FCBK",
		" +91 98 ":      "+*1 98",
		"":              "",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzNumber holds the rule's promises for any input: a normalised number
// normalises to itself, Same is symmetric, and a mask shows no digit but
// the last four.
func FuzzNumber(f *testing.F) {
	for _, s := range []string{"9800000001", "09800000001", "+91 98000 00001", "919800000001", "0044 20 7946 0958", "HDFCBK", "*121#", "+", "00", "٩٨٠٠"} {
		f.Add(s, "+919800000001", "91")
	}
	f.Fuzz(func(t *testing.T, a, b, cc string) {
		c, err := ParseCountry(cc)
		if err != nil {
			c = India
		}
		if n, err := c.Normalize(a); err == nil {
			if n2, err := c.Normalize(n); n2 != n || err != nil {
				t.Fatalf("Normalize(%q) = %q, then %q, %v", a, n, n2, err)
			}
			if !c.Same(a, n) {
				t.Fatalf("%q is not the same as its own normal form %q", a, n)
			}
		}
		if c.Same(a, b) != c.Same(b, a) {
			t.Fatalf("Same(%q, %q) is not symmetric", a, b)
		}
		in, out := []rune(strings.TrimSpace(a)), []rune(Mask(a))
		if len(in) != len(out) {
			t.Fatalf("Mask(%q) = %q changes the length", a, string(out))
		}
		for i, r := range out {
			if r != '*' && (r != in[i] || i < len(in)-4 && !(i == 0 && r == '+')) || len(in) <= 4 && r != '*' {
				t.Fatalf("Mask(%q) = %q shows %q at %d", a, string(out), r, i)
			}
		}
	})
}
