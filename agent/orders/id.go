package orders

import (
	"math/rand/v2"
	"strings"
)

// IDAlphabet is what order ids are made of: letters and digits that cannot
// be misread for one another aloud or on a small screen.
const IDAlphabet = "ACDEFGHJKLMNPQRTUVWXY34679"

// IDLen is the length of an order id: 26^5, about 11.9 million ids.
const IDLen = 5

// maxIDTries bounds the retries when a new id is taken.
const maxIDTries = 64

// newID makes a random id; tests replace it to force collisions.
var newID = func() string {
	var b [IDLen]byte
	for i := range b {
		b[i] = IDAlphabet[rand.IntN(len(IDAlphabet))]
	}
	return string(b[:])
}

// NormalizeID reads an id as a shopper or operator typed it: case and
// surrounding space do not matter.
func NormalizeID(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}
