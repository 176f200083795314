package catalog

import "github.com/tokrihq/tokri/protocol/match"

// Item is one thing the shop sells, in one pack size.
type Item struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	NameHi   string `json:"name_hi,omitempty"`
	Category string `json:"category"`
	// CategoryHi is the category's name in Hindi, from the CSV's optional
	// category_hi column; empty uses the usual name of a common category.
	CategoryHi string   `json:"category_hi,omitempty"`
	Unit       string   `json:"unit,omitempty"` // pack size as written: "5 kg"
	Price      int64    `json:"price"`          // paise
	Stock      int      `json:"stock"`          // units on hand, not reserved
	Active     bool     `json:"active"`
	Synonyms   []string `json:"synonyms,omitempty"`
}

// Category is a heading of the catalog menu.
type Category struct {
	Name  string `json:"name"`
	Order int    `json:"order"` // first appearance in the CSV, or set explicitly
}

// MatchItem is what protocol/match needs of it.
func (it Item) MatchItem() match.Item {
	return match.Item{
		SKU:      it.SKU,
		Name:     it.Name,
		NameHi:   it.NameHi,
		Synonyms: it.Synonyms,
		Category: it.Category,
		Unit:     it.Unit,
	}
}

// sameShape says whether a and b look the same to the matcher and sort the
// same in Items: only price and stock differ.
func sameShape(a, b Item) bool {
	if a.SKU != b.SKU || a.Name != b.Name || a.NameHi != b.NameHi || a.Category != b.Category || a.CategoryHi != b.CategoryHi ||
		a.Unit != b.Unit || a.Active != b.Active || len(a.Synonyms) != len(b.Synonyms) {
		return false
	}
	for i := range a.Synonyms {
		if a.Synonyms[i] != b.Synonyms[i] {
			return false
		}
	}
	return true
}
