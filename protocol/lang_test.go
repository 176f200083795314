package protocol

import "testing"

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"en": English, "HI": Hindi, " hi ": Hindi, "": English, "fr": English,
		"hi-Latn": Hinglish, "HI-LATN": Hinglish} {
		if got := ParseLang(in); got != want {
			t.Errorf("ParseLang(%q) = %q, want %q", in, got, want)
		}
	}
	if !English.Valid() || !Hindi.Valid() || !Hinglish.Valid() || Lang("xx").Valid() {
		t.Errorf("Valid is wrong")
	}
	if Hindi.Latin() || !Hinglish.Latin() || !English.Latin() {
		t.Errorf("Latin is wrong")
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Lang
	}{
		{"२ आशीर्वाद आटा ५ किलो", Hindi},
		{"मकान 12, गांधी नगर", Hindi},
		{"bhaiya 2 kilo chini bhej do", Hinglish},
		{"atta kitne ka hai", Hinglish},
		{"theek hai, 5 kilo wala bhej do", Hinglish},
		{"Namaste", Hinglish},
		{"2 atta 5kg, 1 oil", ""},
		{"HI", ""},
		{"do you have ghee", ""},
		{"YES", ""},
		{"cheeni", ""},
		{"2 kilo chawal", ""},
		{"ADDR 12 MG Road near temple", ""},
	} {
		got, ok := Detect(tc.text)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Detect(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
		}
	}
}
