// Package phone holds the one rule for phone numbers: how a number written
// in any common form becomes E.164 (+919800000001) given the country the
// shop is in, when two numbers are the same subscriber, how a number is
// masked for logs and screens, and why a number is not one.
//
// Shoppers, operators, aggregators and modems write one number many ways:
// "9800000001", "09800000001", "+91 98000 00001", "919800000001". Every
// comparison and every key goes through Country.Normalize so they agree.
package phone

import (
	"errors"
	"fmt"
	"strings"
)

// Country is a country calling code, digits only: "91" for India. The zero
// Country is India, where the shop runs unless configured otherwise.
type Country string

// India is the default country.
const India Country = "91"

// nationalLen is the length of a national significant number where every
// number has one length, so a 12-digit "919800000001" is told from a
// 10-digit "9800000001". Countries not listed accept any length E.164 does.
var nationalLen = map[Country]int{
	"1": 10, "44": 10, "91": 10, "92": 10, "880": 10, "977": 10, "234": 10,
	"94": 9, "233": 9, "254": 9, "255": 9, "256": 9,
}

// Why a string is not a phone number; errors from Normalize wrap one. The
// messages are for the person who typed the number and never repeat it.
var (
	ErrEmpty   = errors.New("no number given")
	ErrChars   = errors.New("only digits, spaces, dashes and a leading + belong in a phone number")
	ErrLength  = errors.New("wrong number of digits")
	ErrCountry = errors.New("a country calling code is 1 to 3 digits and does not start with 0, such as \"91\"")
)

// ParseCountry reads a calling code written as "91" or "+91".
func ParseCountry(s string) (Country, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "+")
	if s == "" || len(s) > 3 || s[0] == '0' || !digitsOnly(s) {
		return "", ErrCountry
	}
	return Country(s), nil
}

func (c Country) code() string {
	if c == "" {
		return string(India)
	}
	return string(c)
}

// Normalize returns number in E.164 ("+919800000001"). A number without a
// country code, with or without the trunk 0, belongs to c; "00" starts an
// international number as "+" does. The error says what is wrong in words
// for the person who wrote the number.
func (c Country) Normalize(number string) (string, error) {
	s := strings.TrimSpace(number)
	if s == "" {
		return "", ErrEmpty
	}
	intl := strings.HasPrefix(s, "+")
	var d []byte
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d = append(d, byte(r))
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return "", ErrChars
		}
	}
	digits := string(d)
	cc := c.code()
	want := nationalLen[Country(cc)]
	switch {
	case intl:
	case strings.HasPrefix(digits, "00"):
		digits = digits[2:]
	case strings.HasPrefix(digits, "0"):
		digits = cc + strings.TrimLeft(digits, "0")
	case want > 0 && len(digits) == want:
		digits = cc + digits
	case want > 0 && len(digits) == len(cc)+want && strings.HasPrefix(digits, cc):
	case want == 0 && !strings.HasPrefix(digits, cc):
		digits = cc + digits
	case want == 0:
	default:
		return "", fmt.Errorf("%w: %d digits, where a number has %d, or %d with %s in front", ErrLength, len(digits), want, len(cc)+want, cc)
	}
	if strings.HasPrefix(digits, cc) && want > 0 && len(digits) != len(cc)+want {
		return "", fmt.Errorf("%w: %d digits after +%s, where a number has %d", ErrLength, len(digits)-len(cc), cc, want)
	}
	if digits == "" || digits[0] == '0' {
		return "", fmt.Errorf("%w: no country code starts with 0", ErrLength)
	}
	if len(digits) < 7 || len(digits) > 15 {
		return "", fmt.Errorf("%w: %d digits with the country code, where a phone number has 7 to 15", ErrLength, len(digits))
	}
	return "+" + digits, nil
}

// Same reports whether a and b name one subscriber: equal once normalised,
// or, for senders that are not phone numbers (a bank's "HDFCBK", a short
// code), equal as text regardless of case.
func (c Country) Same(a, b string) bool {
	na, ea := c.Normalize(a)
	nb, eb := c.Normalize(b)
	switch {
	case ea == nil && eb == nil:
		return na == nb
	case ea != nil && eb != nil:
		return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	return false
}

// Answerable reports whether a reply to from reaches a person: from is a
// whole phone number (not a short code or a sender name) and not own, the
// shop's own SIM, however either is written.
func (c Country) Answerable(from, own string) bool {
	if _, err := c.Normalize(from); err != nil {
		return false
	}
	return own == "" || !c.Same(from, own)
}

// Mask hides a number for logs and screens: a leading "+" and the last 4
// characters stay, every other character becomes "*", so
// "+919800005678" is "+********5678". Four characters or fewer are all
// hidden.
func Mask(number string) string {
	r := []rune(strings.TrimSpace(number))
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	for i := range r[:len(r)-4] {
		if i > 0 || r[i] != '+' {
			r[i] = '*'
		}
	}
	return string(r)
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
