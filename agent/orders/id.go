package orders

import (
	"math/rand/v2"
	"strings"

	"github.com/tokrihq/tokri/protocol/command"
)

// IDAlphabet and IDLen are the shape of order ids, which the shopper's
// command parser must recognise too: 26^5, about 11.9 million ids.
const (
	IDAlphabet = command.OrderIDAlphabet
	IDLen      = command.OrderIDLen
)

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
