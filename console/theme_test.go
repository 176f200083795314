package console

import "testing"

// The widths tmux gives these strings (printf, then #{cursor_x}); xterm
// and VTE agree. A Hindi row padded by any other count ends ragged.
func TestWidthIsTheTerminals(t *testing.T) {
	for s, want := range map[string]int{
		"ऑर्डर":        4,
		"ग्राहक":       5,
		"स्वीकार":      6,
		"आशीर्वाद आटा": 11,
		"टाटा नमक":     8,
		"Rs570":        5,
		"":             0,
	} {
		if got := width(s); got != want {
			t.Errorf("width(%q) = %d, want %d", s, got, want)
		}
		for _, w := range []int{1, 3, 7, 12} {
			if got := width(fit(s, w)); got != w {
				t.Errorf("width(fit(%q, %d)) = %d", s, w, got)
			}
		}
	}
}
