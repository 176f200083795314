package render

import (
	"strconv"
	"strings"

	"github.com/tokrihq/tokri/protocol/norm"
	"github.com/tokrihq/tokri/protocol/size"
)

// Money writes an amount of paise as rupees the way feature phones show
// them: "Rs52.50", "Rs60" (no paise when there are none), "-Rs5".
func Money(paise int64) string {
	sign, u := "", uint64(paise)
	if paise < 0 {
		sign, u = "-", uint64(-paise) // -MinInt64 wraps to itself, whose uint64 is right
	}
	rupees := strconv.FormatUint(u/100, 10)
	if p := u % 100; p != 0 {
		rupees += "." + strconv.FormatUint(100+p, 10)[1:]
	}
	return sign + "Rs" + rupees
}

// Item writes one item line compactly: "Toor Dal 1kg Rs165". The unit is
// shortened when it reads as a pack size ("1 kg" -> "1kg", "1 l" ->
// "1 L"), and left out when empty or when the name already says it
// ("Atta 10kg", not "Atta 10kg 10kg").
func Item(name, unit string, paise int64) string {
	return Label(name, unit) + " " + Money(paise)
}

// Label is an item's name with its pack size, as Item writes it without
// the price: "Aashirvaad Atta 5kg", "Fortune Oil 1 L".
func Label(name, unit string) string {
	if sz, ok := size.Parse(unit); ok {
		if names(name, sz) {
			return name
		}
		unit = sz.Label()
	}
	if unit = strings.TrimSpace(unit); unit != "" {
		return name + " " + unit
	}
	return name
}

// names reports whether name says the size sz somewhere ("Atta 10kg",
// "Oil 1 Ltr Pouch").
func names(name string, sz size.Size) bool {
	w := norm.Words(name)
	for i := range w {
		if got, n := size.Scan(w[i:]); n > 0 && got == sz {
			return true
		}
	}
	return false
}
