package command

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tokrihq/tokri/protocol/norm"
)

// Expect tells ParseExpect what the conversation is waiting for.
type Expect int

// What a screen may be waiting for.
const (
	ExpectAny     Expect = iota
	ExpectAddress        // free text that is not a command is the address
)

// MaxRunes bounds the text parsed: ten segments' worth. The rest of a
// longer message is ignored.
const MaxRunes = 1600

// maxNumber bounds a number that picks an item or a cart line, or counts
// packs: anything bigger is not meant as one.
const maxNumber = 999

// Parse reads one inbound message.
func Parse(text string) Command { return ParseExpect(text, ExpectAny) }

// ParseExpect reads one inbound message on a screen waiting for e.
func ParseExpect(text string, e Expect) Command {
	text = clip(text)
	trimmed := strings.TrimSpace(strings.ToValidUTF8(text, ""))
	words := norm.Words(text)
	if len(words) == 0 {
		if strings.Trim(trimmed, "?¿ ") == "" && trimmed != "" {
			return Help{}
		}
		return Unknown{Text: trimmed}
	}
	keys := make([]string, len(words))
	for i, w := range words {
		keys[i] = norm.Key(w)
	}
	if keys[0] == "op" && len(keys) > 1 {
		return parseOperator(text)
	}
	if e == ExpectAddress {
		if c := onEveryScreen(words, keys); c != nil {
			return c
		}
		if c := pickupWords(keys); c != nil {
			return c
		}
		return Address{Text: addressText(trimmed)}
	}
	if c := addressPrefixed(trimmed, keys); c != nil {
		return c
	}
	if c := onEveryScreen(words, keys); c != nil {
		return c
	}
	if c := repeatSentence(words, keys); c != nil {
		return c
	}
	if c := withArgs(trimmed, words, keys); c != nil {
		return c
	}
	if c := pickupWords(keys); c != nil {
		return c
	}
	if c := correction(words, keys); c != nil {
		return c
	}
	items, addr := splitAddress(text)
	c := orderOrSearch(items)
	if o, ok := c.(Order); ok && addr != "" {
		o.Address = addr
		return o
	}
	return c
}

// onEveryScreen reads what a message means whatever the screen waits
// for: a keyword phrase, a lone pick, or a cancel written as a sentence.
func onEveryScreen(words, keys []string) Command {
	if c := phrase(keys); c != nil {
		return c
	}
	if n, ok := lonePick(words, keys); ok {
		return Pick{N: n}
	}
	return cancelSentence(words, keys)
}

func clip(s string) string {
	if utf8.RuneCountInString(s) <= MaxRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxRunes {
			return s[:i]
		}
		n++
	}
	return s
}

// number reads a word as a whole number in range, in digits.
func number(w string) (int, bool) {
	if !norm.IsNumber(w) || len(w) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(w)
	return n, err == nil && n <= maxNumber
}

// lonePick reads "3", "#3", "no. 3", "item 3", "ek", "३".
func lonePick(words, keys []string) (int, bool) {
	switch {
	case len(words) == 1:
		if n, ok := number(words[0]); ok {
			return n, true
		}
		n, ok := numberWords[keys[0]]
		return n, ok
	case len(words) == 2 && pickWords[keys[0]]:
		return number(words[1])
	}
	return 0, false
}

// addressPrefixed reads "ADDR 12 MG Road", "address: ...", "mera pata ...".
func addressPrefixed(trimmed string, keys []string) Command {
	for i := 0; i < len(keys) && i < 3; i++ {
		if addrWords[keys[i]] {
			if i == len(keys)-1 {
				return nil // the word alone: nothing given yet
			}
			if t := addressText(trimmed); t != "" {
				return Address{Text: t}
			}
			return nil
		}
		if !politeness[keys[i]] {
			return nil
		}
	}
	return nil
}

// addressText is the message without an address keyword in front.
func addressText(trimmed string) string {
	return dropSendWords(addressBody(trimmed))
}

// dropSendWords takes the words that ask for delivery off the end of an
// address: "ghar 5 shanti nagar pe bhej do" goes to "ghar 5 shanti nagar".
func dropSendWords(a string) string {
	fields := strings.Fields(a)
	for len(fields) > 1 {
		ks := norm.KeyWords(fields[len(fields)-1])
		if len(ks) != 1 || !sendTail[ks[0]] {
			break
		}
		fields = fields[:len(fields)-1]
	}
	return strings.Join(fields, " ")
}

// sendTail ends a message that asks for delivery to an address.
var sendTail = norm.KeySet("pe", "par", "per", "bhej", "bhejo", "bhejna", "bhejdo", "bhejiye", "do", "dena", "dedo",
	"please", "pls", "plz", "deliver", "karo", "kar", "kardo", "kijiye", "पर", "पे", "भेज", "भेजो", "भेजना", "दो", "देना")

// addressBody is trimmed without the address word and "is" before it:
// "mera pata hai 7 Nehru Gali" is "7 Nehru Gali".
func addressBody(trimmed string) string {
	fields := strings.Fields(trimmed)
	for i := 0; i < len(fields) && i < 3; i++ {
		ks := norm.KeyWords(fields[i])
		if len(ks) == 1 && addrWords[ks[0]] {
			rest := fields[i+1:]
			for len(rest) > 0 {
				k := norm.KeyWords(rest[0])
				if len(k) == 0 || len(k) == 1 && (k[0] == "is" || k[0] == "hai") {
					rest = rest[1:]
					continue
				}
				break
			}
			return strings.Join(rest, " ")
		}
		if len(ks) != 1 || !politeness[ks[0]] {
			break
		}
	}
	return strings.Join(fields, " ")
}

// withArgs reads commands that take arguments: language, status, cancel,
// repeat, remove and quantity changes.
func withArgs(trimmed string, words, keys []string) Command {
	first := keys[0]
	last := len(keys) - 1
	for last > 0 && politeness[keys[last]] {
		last--
	}
	switch {
	case langWords[first] && len(keys) > 1:
		if l, ok := langCodes[keys[1]]; ok {
			return Lang{Lang: l}
		}
	case statusWords[first] || statusWords[keys[last]]:
		return Status{Order: orderID(words, keys)}
	case cancelWords[first] || cancelWords[keys[last]]:
		if id := orderID(words, keys); id != "" {
			return Cancel{Order: id}
		}
		if rest := others(words, keys, cancelWords, idFiller); len(rest) > 0 {
			return removeOf(rest)
		}
		return Cancel{}
	case repeatWords[first] || repeatWords[keys[last]]:
		return Repeat{Order: orderID(words, keys)}
	case removeWords[first] || removeWords[keys[last]]:
		return removeOf(others(words, keys, removeWords, removeFiller))
	}
	// "namak nahi chahiye", "oil mat bhejna": what is not wanted goes.
	if last >= 2 && notWords[keys[last-1]] && wantWords[keys[last]] {
		var rest []string
		for i, k := range keys[:last-1] {
			if !removeFiller[k] && !filler[k] {
				rest = append(rest, words[i])
			}
		}
		if len(rest) > 0 {
			return removeOf(rest)
		}
	}
	if c, ok := setQty(trimmed, words, keys); ok {
		return c
	}
	return nil
}

// others are the words that are neither in set nor in skip.
func others(words, keys []string, set, skip map[string]bool) []string {
	var rest []string
	for i, k := range keys {
		if !set[k] && !skip[k] {
			rest = append(rest, words[i])
		}
	}
	return rest
}

func removeOf(rest []string) Command {
	if len(rest) == 1 {
		if n, ok := number(rest[0]); ok {
			return Remove{N: n}
		}
		switch norm.Key(rest[0]) {
		case "all", "sab", "sabhi", "everything":
			return Clear{}
		}
	}
	return Remove{Words: strings.Join(rest, " ")}
}

// orderID finds an order id among the words: letters and digits, 3 to 12
// long, with a digit in it (so "cancel atta" names no order), or five
// characters of the agent's order-id alphabet, which leaves out S, B, I,
// O and Z, so that most five-letter words ("sugar", "maggi") are not ids.
func orderID(words, keys []string) string {
	for i, w := range words {
		if idFiller[keys[i]] || statusWords[keys[i]] || cancelWords[keys[i]] || repeatWords[keys[i]] {
			continue
		}
		if len(w) >= 3 && len(w) <= 12 && strings.ContainsAny(w, "0123456789") && isAlnum(w) || isOrderCode(w) {
			return strings.ToUpper(w)
		}
	}
	return ""
}

// Order ids are what shoppers read aloud and type back: OrderIDLen
// characters of OrderIDAlphabet, letters and digits that cannot be misread
// for one another aloud or on a small screen. agent/orders makes them.
const (
	OrderIDAlphabet = "ACDEFGHJKLMNPQRTUVWXY34679"
	OrderIDLen      = 5
)

// isOrderCode reports whether w (lower case, as parsed) is an order id.
func isOrderCode(w string) bool {
	if len(w) != OrderIDLen {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if strings.IndexByte(OrderIDAlphabet, c) < 0 {
			return false
		}
	}
	return true
}

func isAlnum(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// setQty reads "change 2 to 5", "qty 2 5", "2 ko 5 karo", "item 2 = 5".
func setQty(trimmed string, words, keys []string) (Command, bool) {
	marked := strings.Contains(trimmed, "=")
	var nums []int
	for i, k := range keys {
		if n, ok := number(words[i]); ok {
			nums = append(nums, n)
			continue
		}
		if !setFiller[k] {
			return nil, false
		}
		if setWords[k] || k == "to" || k == "ko" {
			marked = true
		}
	}
	if !marked || len(nums) != 2 {
		return nil, false
	}
	return SetQty{N: nums[0], Qty: nums[1]}, true
}
