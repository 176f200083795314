package main

import (
	"testing"
	"time"

	"github.com/tokrihq/tokri/internal/testkit/seed"
)

func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"2026-05-01", "2026-05-01T10:30:00+05:30", "36h", "7d", "0d", "-1d", "soon", "1h30m", "99999999999d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseWhen(s, seed.Now, time.UTC)
		if err == nil && got.IsZero() && s != "0001-01-01" {
			// A zero time would silently mean "no filter".
			if _, perr := time.Parse(time.RFC3339, s); perr != nil {
				t.Errorf("parseWhen(%q) = zero time without error", s)
			}
		}
	})
}
