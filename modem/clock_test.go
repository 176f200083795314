package modem

import (
	"testing"
	"time"
)

func TestParseCCLK(t *testing.T) {
	ist := time.FixedZone("", 5*3600+1800)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{`"26/12/07,09:15:30+22"`, time.Date(2026, 12, 7, 9, 15, 30, 0, ist)},
		{`26/12/07,03:45:30+00`, time.Date(2026, 12, 7, 3, 45, 30, 0, time.UTC)},
		{`"26/12/06,22:15:30-20"`, time.Date(2026, 12, 7, 3, 15, 30, 0, time.UTC)},
		{`"26/12/07,03:45:30"`, time.Date(2026, 12, 7, 3, 45, 30, 0, time.UTC)},
	} {
		got, err := ParseCCLK(tc.in)
		if err != nil {
			t.Errorf("ParseCCLK(%s): %v", tc.in, err)
			continue
		}
		if !got.Equal(tc.want) {
			t.Errorf("ParseCCLK(%s) = %v, want %v", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{``, `"26/13/07,09:15:30+22"`, `"26/12/07,09:15:30+x2"`, `"26/12/07,09:15:30+99"`, `"26/12/07 09:15"`} {
		if _, err := ParseCCLK(bad); err == nil {
			t.Errorf("ParseCCLK(%s) accepted a malformed clock", bad)
		}
	}
}
