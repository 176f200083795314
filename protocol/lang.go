package protocol

import "strings"

// Lang is the language a shopper reads replies in. Its value is the
// ISO 639-1 code, so it can be stored and logged as is.
type Lang string

// The languages replies are written in.
const (
	English Lang = "en"
	Hindi   Lang = "hi"
)

// Valid reports whether l is a language replies exist for.
func (l Lang) Valid() bool { return l == English || l == Hindi }

// ParseLang reads a stored or configured language code ("en", "HI"),
// falling back to English for anything else.
func ParseLang(s string) Lang {
	if l := Lang(strings.ToLower(strings.TrimSpace(s))); l.Valid() {
		return l
	}
	return English
}
