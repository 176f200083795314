package admin

import (
	"net/url"
	"testing"
)

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"state=placed,accepted&limit=5", "since=2026-05-01&shopper=%2B919876543210", "limit=-1", "state=,,", "since=2026-05-01T10:30:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, err := parseFilter(q)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("parseFilter(%q): error %T, want *Error naming the field", raw, err)
			}
			return
		}
		if flt.Limit < 0 {
			t.Errorf("parseFilter(%q): negative limit %d", raw, flt.Limit)
		}
		for _, s := range flt.States {
			if s == "" {
				t.Errorf("parseFilter(%q): empty state", raw)
			}
		}
	})
}
