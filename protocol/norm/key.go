package norm

import "strings"

// Key reduces a folded word to a phonetic key on which common Hinglish
// and English spellings of it agree: "aata", "atta" and "आटा" give "ata";
// "cheeni" and "chini" give "chini"; "phenyl" and "fenyl" give "fenyl".
//
// It merges ph/f, w/v, z/j, q/k, c/k (but not "ch"), ee/i, oo/u, a final y
// with i, and any doubled letter with a single one. Words that are not
// plain ASCII come back unchanged.
func Key(w string) string {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return w
		}
	}
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		c := w[i]
		next := byte(0)
		if i+1 < len(w) {
			next = w[i+1]
		}
		switch {
		case c == 'p' && next == 'h':
			c = 'f'
			i++
		case c == 'c' && next == 'k':
			c = 'k'
			i++
		case c == 'c' && next != 'h':
			c = 'k'
		case c == 'w':
			c = 'v'
		case c == 'z':
			c = 'j'
		case c == 'q':
			c = 'k'
		case c == 'e' && next == 'e':
			c = 'i'
			i++
		case c == 'o' && next == 'o':
			c = 'u'
			i++
		case c == 'y' && i == len(w)-1 && i > 0:
			c = 'i'
		}
		if n := len(b); n > 0 && b[n-1] == c {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// HasVowel reports whether w contains a Latin vowel (or is not ASCII, where
// this test means nothing). Strings of consonants are abbreviations or
// noise, and get no fuzzy matching.
func HasVowel(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 || strings.IndexByte("aeiou", w[i]) >= 0 {
			return true
		}
	}
	return false
}

// KeySet is the set of the keys of every word of words: a lookup that
// matches a message's words by sound, in either script.
func KeySet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		for _, k := range KeyWords(w) {
			m[k] = true
		}
	}
	return m
}

// KeyWords returns the keys of the words of s.
func KeyWords(s string) []string {
	ws := Words(s)
	for i, w := range ws {
		ws[i] = Key(w)
	}
	return ws
}
