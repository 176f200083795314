package match

// Item is what the matcher needs to know of one catalog item.
type Item struct {
	SKU      string
	Name     string   // English or brand name, e.g. "Aashirvaad Atta"
	NameHi   string   // Devanagari name, e.g. "आशीर्वाद आटा"
	Synonyms []string // other names and spellings: "aata", "gehu atta"
	Category string
	Unit     string // pack size as written, e.g. "5 kg", "1 L", "6 pcs"
}

// field says where in an item a word was found.
type field uint8

const (
	fieldName field = iota
	fieldNameHi
	fieldSynonym
	fieldCategory
)

// fieldWeight ranks where a word was found: a word of the name says more
// about the item than one of its category.
var fieldWeight = [...]float32{
	fieldName:     1.0,
	fieldNameHi:   1.0,
	fieldSynonym:  0.9,
	fieldCategory: 0.5,
}

// How well a query word matched a vocabulary word.
const (
	weightExact    = 1.0
	weightKey      = 0.95 // same phonetic key: "aata" for "atta"
	weightPrefix   = 0.7  // "bisc" for "biscuit"
	weightTypo1    = 0.8
	weightTypo2    = 0.65
	weightSKU      = 1.2
	bonusSize      = 0.2  // the pack size asked for
	penaltyPerWord = 0.01 // prefer "Tata Salt" to "Tata Salt Lite" for "tata salt"
)
