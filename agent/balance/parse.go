package balance

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Reading is what one balance answer says.
type Reading struct {
	Amount   int64  `json:"amount"`   // hundredths of the currency: paise, cents
	Currency string `json:"currency"` // as the network writes it: "Rs", "EUR", "$"
	// SMS is the SMS left in the pack, -1 when the answer does not say.
	SMS int `json:"sms"`
}

// keywords lead a balance in the answers of networks seen so far.
var keywords = []string{"balance", "bal", "guthaben", "balans", "kontostand", "egyenleg", "رصيد", "बैलेंस", "शेष"}

var (
	number = regexp.MustCompile(`\d+(?:[.,]\d{1,2})?`)
	// An SMS count: "100 SMS", "50 local SMS", "SMS left: 20", "SMS Pack: 100".
	smsBefore = regexp.MustCompile(`(?i)(\d+)\s*(?:free\s+|local\s+|national\s+|std\s+)*sms`)
	smsAfter  = regexp.MustCompile(`(?i)sms\s*(?:pack|bundle|left|balance|bal)?\s*[:=]?\s*(\d+)`)
	smsNone   = regexp.MustCompile(`(?i)(?:no|0)\s+sms\s*pack|sms\s*(?:pack|bundle)\s*(?:has\s+)?expired`)
)

// Parse reads a balance answer: the first amount after a balance keyword
// (skipping numbers of USSD codes, phone numbers and dates), its currency
// as written, and an SMS pack count when one is named. ok is false when
// no amount is found.
func Parse(text string) (r Reading, ok bool) {
	r.SMS = smsLeft(text)
	lower := asciiLower(text)
	at := -1
	for _, k := range keywords {
		if i := strings.Index(lower, k); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	if at < 0 {
		return r, false
	}
	for _, m := range number.FindAllStringIndex(text[at:], -1) {
		s, e := at+m[0], at+m[1]
		if skip(text, s, e) {
			continue
		}
		r.Amount, ok = minorUnits(text[s:e])
		if !ok {
			continue
		}
		r.Currency = currency(text, s, e)
		return r, true
	}
	return Reading{SMS: r.SMS}, false
}

// skip says whether text[s:e] is not an amount: part of a code (*105#),
// of a longer number (a phone number) or of a date (21/05/2016, 2018-11-09).
func skip(text string, s, e int) bool {
	before := func(i int) byte {
		if i < 0 {
			return ' '
		}
		return text[i]
	}
	after := func(i int) byte {
		if i >= len(text) {
			return ' '
		}
		return text[i]
	}
	switch {
	case strings.ContainsRune("*#/-", rune(before(s-1))), strings.ContainsRune("*#/-", rune(after(e))):
		return true
	case e-s > 9: // a phone number, an account
		return true
	case before(s-1) >= '0' && before(s-1) <= '9', after(e) >= '0' && after(e) <= '9':
		return true
	}
	return false
}

// minorUnits reads "5.78" or "7777" or "5,78" as hundredths.
func minorUnits(s string) (int64, bool) {
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1e12 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		if len(frac) == 1 {
			frac += "0"
		}
		f, _ = strconv.ParseInt(frac, 10, 64)
	}
	return w*100 + f, true
}

// currency is the short word or sign just before the amount ("$100",
// "R 96.45", "Rs.45"), else the word just after it ("5.78 Euro").
func currency(text string, s, e int) string {
	head := strings.TrimRight(text[:s], " ")
	w := head[strings.LastIndexAny(head, " :\n")+1:]
	if w != "" && len([]rune(w)) <= 3 && !isKeyword(w) {
		return w
	}
	tail := strings.TrimLeft(text[e:], " ")
	end := strings.IndexFunc(tail, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '،' || r == '(' })
	if end < 0 {
		end = len(tail)
	}
	return tail[:end]
}

func isKeyword(w string) bool {
	w = strings.ToLower(strings.Trim(w, ":"))
	for _, k := range keywords {
		if w == k {
			return true
		}
	}
	return false
}

// smsLeft is the SMS pack's count, 0 when the answer says there is none
// or it expired, -1 when it does not say.
func smsLeft(text string) int {
	if smsNone.MatchString(text) {
		return 0
	}
	for _, re := range []*regexp.Regexp{smsBefore, smsAfter} {
		if m := re.FindStringSubmatchIndex(text); m != nil {
			if skip(text, m[2], m[3]) {
				continue
			}
			n, err := strconv.Atoi(text[m[2]:m[3]])
			if err == nil {
				return n
			}
		}
	}
	return -1
}

// asciiLower lowers A-Z only, so every byte keeps its offset: the keyword
// found in it is then at the same place in text. strings.ToLower changes
// lengths (İ, invalid bytes), which once sliced text out of range.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
