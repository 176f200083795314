package protocol

import "testing"

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"en": English, "HI": Hindi, " hi ": Hindi, "": English, "fr": English} {
		if got := ParseLang(in); got != want {
			t.Errorf("ParseLang(%q) = %q, want %q", in, got, want)
		}
	}
	if !English.Valid() || !Hindi.Valid() || Lang("xx").Valid() {
		t.Errorf("Valid is wrong")
	}
}
