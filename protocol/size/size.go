package size

import (
	"strconv"
	"strings"

	"github.com/tokrihq/tokri/protocol/norm"
)

// Unit is the base unit a Size counts in.
type Unit string

// Base units.
const (
	Gram       Unit = "g"
	Millilitre Unit = "ml"
	Piece      Unit = "pc"
)

// Size is an amount in a base unit. The zero Size means "no size".
type Size struct {
	Amount int // grams, millilitres or pieces
	Unit   Unit
}

// IsZero reports whether s is the zero Size.
func (s Size) IsZero() bool { return s.Amount == 0 }

// String writes s compactly, the way it fits an SMS: "5kg", "500g",
// "1.5l", "200ml", "6pc".
func (s Size) String() string {
	switch {
	case s.IsZero():
		return ""
	case s.Unit == Gram && s.Amount >= 1000 && s.Amount%10 == 0:
		return thousandths(s.Amount) + "kg"
	case s.Unit == Millilitre && s.Amount >= 1000 && s.Amount%10 == 0:
		return thousandths(s.Amount) + "l"
	}
	return strconv.Itoa(s.Amount) + string(s.Unit)
}

// Label writes s for a shopper to read: String's compact form, except
// that litres are "1 L" and "1.5 L", since "1l" reads like "11" on a
// phone's screen.
func (s Size) Label() string {
	if s.Unit == Millilitre && s.Amount >= 1000 && s.Amount%10 == 0 {
		return thousandths(s.Amount) + " L"
	}
	return s.String()
}

// thousandths writes n/1000 with as few decimals as it needs.
func thousandths(n int) string {
	whole, frac := n/1000, n%1000
	if frac == 0 {
		return strconv.Itoa(whole)
	}
	f := strings.TrimRight(strconv.Itoa(1000 + frac)[1:], "0")
	return strconv.Itoa(whole) + "." + f
}

// maxAmount bounds sizes to something a shop sells (1 tonne, 1,000 l).
const maxAmount = 1_000_000

// Parse reads a whole string as a size: "5 kg", "1 L", "500gm".
func Parse(s string) (Size, bool) {
	words := norm.Words(s)
	sz, n := Scan(words)
	if n == 0 || n != len(words) {
		return Size{}, false
	}
	return sz, true
}

// Scan reads a size at the start of folded words (as norm.Words gives
// them) and says how many words it used; 0 means there is no size there.
// It accepts "5kg", "5 kg", "1.5 l", "1/2 kg", "half kg", "aadha kilo",
// "dedh kilo", "teen kilo", "6 pcs" and "2 dozen".
func Scan(words []string) (Size, int) {
	if len(words) == 0 {
		return Size{}, 0
	}
	w := words[0]
	// A number with its unit stuck on: "5kg", "1.5ltr", "1/2kg".
	if i := numberPrefix(w); i > 0 && i < len(w) {
		if u, mult, ok := unitOf(w[i:]); ok {
			if sz, ok := build(w[:i], u, mult); ok {
				return sz, 1
			}
		}
		return Size{}, 0
	}
	if len(words) < 2 {
		return Size{}, 0
	}
	num := w
	if f, ok := fractionWords[norm.Key(w)]; ok {
		num = f
	} else if numberPrefix(w) != len(w) {
		return Size{}, 0
	}
	if u, mult, ok := unitOf(words[1]); ok {
		if sz, ok := build(num, u, mult); ok {
			return sz, 2
		}
	}
	// A unit abbreviated with a dot inside, which splits it into two
	// words: "कि.ग्रा.", "k.g.", "मि.ली.".
	if len(words) > 2 {
		if um, ok := dotted[norm.Key(words[1])+" "+norm.Key(words[2])]; ok {
			if sz, ok := build(num, um.unit, um.mult); ok {
				return sz, 3
			}
		}
	}
	return Size{}, 0
}

// dotted are units written with a dot inside, by the keys of their parts
// as norm.Words writes them (कि.ग्रा. is "ki", "gra").
var dotted = func() map[string]unitMult {
	m := map[string]unitMult{}
	for _, d := range []struct {
		a, b string
		um   unitMult
	}{{"ki", "gra", unitMult{Gram, 1000}}, {"k", "g", unitMult{Gram, 1000}}, {"mi", "lee", unitMult{Millilitre, 1}}, {"m", "l", unitMult{Millilitre, 1}}} {
		m[norm.Key(d.a)+" "+norm.Key(d.b)] = d.um
	}
	return m
}()

// numberPrefix is the length of the leading number of w: digits with at
// most one '.' or '/' inside.
func numberPrefix(w string) int {
	i, sep := 0, false
	for i < len(w) {
		c := w[i]
		switch {
		case c >= '0' && c <= '9':
		case (c == '.' || c == '/') && !sep && i > 0 && i+1 < len(w) && w[i+1] >= '0' && w[i+1] <= '9':
			sep = true
		default:
			return i
		}
		i++
	}
	return i
}

// build multiplies the number num (decimal or fraction) by mult base
// units. It counts in int64 so that 32-bit ARM boards cannot overflow.
func build(num string, u Unit, mult int) (Size, bool) {
	var thou int64 // num in thousandths
	if a, b, ok := strings.Cut(num, "/"); ok {
		n, err1 := strconv.ParseInt(a, 10, 64)
		d, err2 := strconv.ParseInt(b, 10, 64)
		if err1 != nil || err2 != nil || d == 0 || n > maxAmount {
			return Size{}, false
		}
		thou = n * 1000 / d
	} else {
		whole, frac, _ := strings.Cut(num, ".")
		n, err := strconv.ParseInt(whole, 10, 64)
		if err != nil || n > maxAmount {
			return Size{}, false
		}
		thou = n * 1000
		if frac != "" {
			f, err := strconv.ParseInt((frac + "000")[:3], 10, 64)
			if err != nil {
				return Size{}, false
			}
			thou += f
		}
	}
	amount := thou * int64(mult) / 1000
	if amount <= 0 || amount > maxAmount {
		return Size{}, false
	}
	return Size{Amount: int(amount), Unit: u}, true
}

// fractionWords are Hindi and English words for amounts that stand where a
// number would: "aadha kilo", "dedh litre", "half kg", "teen kilo". Only
// before a unit: "1 tin ghee" is no three.
var fractionWords = keyed(map[string]string{
	"half": "0.5", "aadha": "0.5", "adha": "0.5", "aada": "0.5", "aadhi": "0.5",
	"paav": "0.25", "pav": "0.25", "paun": "0.75", "pauna": "0.75",
	"sawa": "1.25", "dedh": "1.5", "derh": "1.5", "dhai": "2.5", "dhaai": "2.5",
	"ek": "1", "do": "2", "one": "1", "two": "2", "teen": "3", "tin": "3", "three": "3",
	"char": "4", "chaar": "4", "four": "4", "paanch": "5", "panch": "5", "five": "5",
	"chhe": "6", "chhah": "6", "six": "6", "saat": "7", "seven": "7", "aath": "8", "eight": "8",
	"nau": "9", "nine": "9", "das": "10", "ten": "10", "barah": "12", "twelve": "12",
})

type unitMult struct {
	unit Unit
	mult int
}

var units = keyed(map[string]unitMult{
	"g": {Gram, 1}, "gm": {Gram, 1}, "gms": {Gram, 1}, "gr": {Gram, 1}, "grm": {Gram, 1},
	"grms": {Gram, 1}, "gram": {Gram, 1}, "grams": {Gram, 1}, "gramme": {Gram, 1},
	"kg": {Gram, 1000}, "kgs": {Gram, 1000}, "kilo": {Gram, 1000}, "kilos": {Gram, 1000},
	"kilogram": {Gram, 1000}, "kilograms": {Gram, 1000},
	"ml": {Millilitre, 1}, "mls": {Millilitre, 1}, "mili": {Millilitre, 1}, "millilitre": {Millilitre, 1}, "milliliter": {Millilitre, 1},
	"l": {Millilitre, 1000}, "lt": {Millilitre, 1000}, "ltr": {Millilitre, 1000}, "ltrs": {Millilitre, 1000},
	"litre": {Millilitre, 1000}, "liter": {Millilitre, 1000}, "litres": {Millilitre, 1000},
	"liters": {Millilitre, 1000}, "litar": {Millilitre, 1000}, "leetar": {Millilitre, 1000},
	"pc": {Piece, 1}, "pcs": {Piece, 1}, "piece": {Piece, 1}, "pieces": {Piece, 1}, "nos": {Piece, 1},
	"pkt": {Piece, 1}, "pkts": {Piece, 1}, "packet": {Piece, 1}, "packets": {Piece, 1},
	"pack": {Piece, 1}, "packs": {Piece, 1}, "dozen": {Piece, 12}, "darjan": {Piece, 12},
	"gra": {Gram, 1}, "graam": {Gram, 1}, // ग्रा., ग्राम as norm.Words writes them
	"dabba": {Piece, 1}, "dibba": {Piece, 1}, "dabbe": {Piece, 1}, "box": {Piece, 1}, "bottle": {Piece, 1},
	"bottles": {Piece, 1}, "botal": {Piece, 1}, "jar": {Piece, 1}, "tin": {Piece, 1},
})

// unitOf reads a unit word.
func unitOf(w string) (Unit, int, bool) {
	um, ok := units[norm.Key(w)]
	return um.unit, um.mult, ok
}

// keyed re-keys a table by norm.Key, so that its lookups are spelling-proof.
func keyed[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[norm.Key(k)] = v
	}
	return out
}
