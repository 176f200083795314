package size

import (
	"testing"

	"github.com/tokrihq/tokri/protocol/norm"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Size
		ok   bool
	}{
		{"5kg", Size{5000, Gram}, true},
		{"5 kg", Size{5000, Gram}, true},
		{"5 KGS", Size{5000, Gram}, true},
		{"1 L", Size{1000, Millilitre}, true},
		{"1ltr", Size{1000, Millilitre}, true},
		{"1.5 litre", Size{1500, Millilitre}, true},
		{"500g", Size{500, Gram}, true},
		{"500 gm", Size{500, Gram}, true},
		{"200 ml", Size{200, Millilitre}, true},
		{"1/2 kg", Size{500, Gram}, true},
		{"1/2kg", Size{500, Gram}, true},
		{"half kg", Size{500, Gram}, true},
		{"aadha kilo", Size{500, Gram}, true},
		{"dedh kilo", Size{1500, Gram}, true},
		{"पाँच किलो", Size{5000, Gram}, true}, // a number word before a unit is the amount
		{"teen kilo", Size{3000, Gram}, true},
		{"tin", Size{}, false}, // a tin is no three
		{"२ किलो", Size{2000, Gram}, true},
		{"1 कि.ग्रा.", Size{1000, Gram}, true},
		{"500 ग्रा.", Size{500, Gram}, true},
		{"2 k.g.", Size{2000, Gram}, true},
		{"200 मि.ली.", Size{200, Millilitre}, true},
		{"दो लीटर", Size{2000, Millilitre}, true},
		{"6 pcs", Size{6, Piece}, true},
		{"1 dabba", Size{1, Piece}, true},
		{"2 bottle", Size{2, Piece}, true},
		{"2 dozen", Size{24, Piece}, true},
		{"0 kg", Size{}, false},
		{"kg", Size{}, false},
		{"5", Size{}, false},
		{"5 atta", Size{}, false},
		{"5kg atta", Size{}, false}, // a whole string must be a size
		{"99999999 kg", Size{}, false},
		{"1/0 kg", Size{}, false},
		{"", Size{}, false},
	}
	for _, tc := range tests {
		got, ok := Parse(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestScan(t *testing.T) {
	tests := []struct {
		in    string
		want  Size
		words int
	}{
		{"5kg atta", Size{5000, Gram}, 1},
		{"5 kg atta", Size{5000, Gram}, 2},
		{"2 atta", Size{}, 0},
		{"atta 5kg", Size{}, 0},
		{"2x", Size{}, 0},
	}
	for _, tc := range tests {
		got, n := Scan(norm.Words(tc.in))
		if got != tc.want || n != tc.words {
			t.Errorf("Scan(%q) = %v, %d; want %v, %d", tc.in, got, n, tc.want, tc.words)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		in   Size
		want string
	}{
		{Size{5000, Gram}, "5kg"},
		{Size{500, Gram}, "500g"},
		{Size{1500, Millilitre}, "1.5l"},
		{Size{1250, Gram}, "1.25kg"},
		{Size{1001, Gram}, "1001g"},
		{Size{200, Millilitre}, "200ml"},
		{Size{6, Piece}, "6pc"},
		{Size{}, ""},
	}
	for _, tc := range tests {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.in, got, tc.want)
		}
		if !tc.in.IsZero() {
			if back, ok := Parse(tc.want); !ok || back != tc.in {
				t.Errorf("Parse(%q) = %v, %v; want %v", tc.want, back, ok, tc.in)
			}
		}
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{"5kg", "1.5 l", "1/2 kg", "aadha kilo", "2 dozen", "9999999999999999999 kg", "1/0kg", "0.0001 kg", "1 C g", "2 कि.ग्रा."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words := norm.Words(s)
		sz, n := Scan(words)
		if n < 0 || n > 3 || n > len(words) { // at most a number and a dotted unit: "1 कि.ग्रा."
			t.Fatalf("Scan(%q) used %d words of %d", s, n, len(words))
		}
		if (n == 0) != sz.IsZero() || sz.Amount < 0 || sz.Amount > maxAmount {
			t.Fatalf("Scan(%q) = %v, %d", s, sz, n)
		}
	})
}
