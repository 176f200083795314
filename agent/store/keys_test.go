package store

import "testing"

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+919790197346", "+91******7346"},
		{"9790197346", "******7346"},
		{"1800", "****"},
		{"", ""},
		{"VM-AIRTEL", "*****RTEL"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSameNumber(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"+919790197346", "+919790197346", true},
		{"+919790197346", "919790197346", true},
		{"+919790197346", "09790197346", true},
		{"+919790197346", "9790197346", true},
		{"+919790197346", "+919790197347", false},
		{"+919790197346", "7346", false}, // too short to be sure
		{"1800", "1800", true},
		{"Megafon", "megafon", true},
		{"Megafon", "", false},
	}
	for _, tt := range tests {
		if got := sameNumber(tt.a, tt.b); got != tt.want {
			t.Errorf("sameNumber(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if numberSuffix(tt.a) != numberSuffix(tt.b) && tt.want {
			t.Errorf("%q and %q match but index apart: %q %q", tt.a, tt.b, numberSuffix(tt.a), numberSuffix(tt.b))
		}
	}
}
