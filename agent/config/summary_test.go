package config

import (
	"strings"
	"testing"
)

func TestSummaryTime(t *testing.T) {
	for _, tc := range []struct {
		toml string
		at   int
		ok   bool
	}{
		{"", 21 * 60, true}, // closing time, the default
		{`closes = "22:30"`, 22*60 + 30, true},
		{`summary = "20:15"`, 20*60 + 15, true},
		{`summary = "off"`, 0, false},
	} {
		c := mustParse(t, "[shop]\n"+tc.toml+"\n")
		at, ok := c.Shop.SummaryAt()
		if at != tc.at || ok != tc.ok {
			t.Errorf("%s: SummaryAt = %d, %v; want %d, %v", tc.toml, at, ok, tc.at, tc.ok)
		}
	}
	_, err := Parse("t.toml", []byte("[shop]\nsummary = \"25:00\"\n"))
	if err == nil || !strings.Contains(err.Error(), "shop.summary") {
		t.Fatalf("summary 25:00: %v, want a problem naming shop.summary", err)
	}
}
