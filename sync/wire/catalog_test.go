package wire

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []Cursor{
		{}, {Since: 3, Version: 9, SKU: "ATTA-5KG"}, {Since: 0, Version: 1, SKU: "a:b:c"}, {Since: 1 << 63, Version: 1<<64 - 1},
	} {
		got, err := ParseCursor(c.String())
		if err != nil {
			t.Fatalf("ParseCursor(%v): %v", c, err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
}

func TestParseCursorRejects(t *testing.T) {
	for _, s := range []string{"!!", "MToy", Cursor{Since: 5, Version: 4}.String(), "eDp5Ono"} {
		if _, err := ParseCursor(s); !errors.Is(err, ErrBadCursor) {
			t.Errorf("ParseCursor(%q) = %v, want ErrBadCursor", s, err)
		}
	}
}

func TestCatalogURI(t *testing.T) {
	tests := []struct {
		since  uint64
		cursor string
		limit  int
		want   string
	}{
		{0, "", 0, "/v1/catalog?since=0"},
		{12, "abc", 100, "/v1/catalog?cursor=abc&limit=100&since=12"},
	}
	for _, tt := range tests {
		if got := CatalogURI(tt.since, tt.cursor, tt.limit); got != tt.want {
			t.Errorf("CatalogURI = %q, want %q", got, tt.want)
		}
	}
}

func FuzzParseCursor(f *testing.F) {
	f.Add(Cursor{Since: 3, Version: 9, SKU: "ATTA-5KG"}.String())
	f.Add("")
	f.Add("MToyOg")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCursor(s)
		if err != nil {
			return
		}
		again, err := ParseCursor(c.String())
		if err != nil || again != c {
			t.Fatalf("re-parse of %+v: %+v, %v", c, again, err)
		}
	})
}
