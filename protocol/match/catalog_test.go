package match

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

// loadKirana reads the example catalog the way an importer would.
func loadKirana(t testing.TB) []Item {
	t.Helper()
	f, err := os.Open("../../examples/kirana.csv")
	if err != nil {
		t.Fatalf("open catalog: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read catalog: %v", err)
	}
	want := "sku,name,name_hi,category,unit,price,stock,synonyms"
	if got := strings.Join(rows[0], ","); got != want {
		t.Fatalf("header = %q, want %q", got, want)
	}
	var items []Item
	for _, r := range rows[1:] {
		items = append(items, Item{
			SKU: r[0], Name: r[1], NameHi: r[2], Category: r[3], Unit: r[4],
			Synonyms: strings.Split(r[7], "|"),
		})
	}
	return items
}
