package render

import (
	"strconv"

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
// shortened when it reads as a pack size ("1 kg" -> "1kg") and left out
// when empty.
func Item(name, unit string, paise int64) string {
	if sz, ok := size.Parse(unit); ok {
		unit = sz.String()
	}
	if unit != "" {
		name += " " + unit
	}
	return name + " " + Money(paise)
}
