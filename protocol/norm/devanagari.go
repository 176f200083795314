package norm

import "strings"

// Devanagari code points this file treats specially.
const (
	chandrabindu = '\u0901'
	anusvara     = '\u0902'
	visarga      = '\u0903'
	nukta        = '\u093C'
	avagraha     = '\u093D'
	virama       = '\u094D'
	zwnj         = '\u200C'
	zwj          = '\u200D'
)

// consonants maps Devanagari consonants to the Latin letters Hinglish
// writers use for them (retroflex and dental merge, as they do in SMS).
var consonants = map[rune]string{
	'क': "k", 'ख': "kh", 'ग': "g", 'घ': "gh", 'ङ': "n",
	'च': "ch", 'छ': "chh", 'ज': "j", 'झ': "jh", 'ञ': "n",
	'ट': "t", 'ठ': "th", 'ड': "d", 'ढ': "dh", 'ण': "n",
	'त': "t", 'थ': "th", 'द': "d", 'ध': "dh", 'न': "n", 'ऩ': "n",
	'प': "p", 'फ': "ph", 'ब': "b", 'भ': "bh", 'म': "m",
	'य': "y", 'र': "r", 'ऱ': "r", 'ल': "l", 'ळ': "l", 'ऴ': "l", 'व': "v",
	'श': "sh", 'ष': "sh", 'स': "s", 'ह': "h",
	// Precomposed nukta forms.
	'\u0958': "q", '\u0959': "kh", '\u095A': "g", '\u095B': "z",
	'\u095C': "r", '\u095D': "rh", '\u095E': "f", '\u095F': "y",
}

// withNukta is what a consonant followed by a separate nukta sign becomes.
var withNukta = map[rune]string{
	'क': "q", 'ख': "kh", 'ग': "g", 'ज': "z", 'ड': "r", 'ढ': "rh", 'फ': "f", 'य': "y",
}

// vowels maps independent vowels and vowel signs (matras) alike.
var vowels = map[rune]string{
	'ऄ': "a", 'अ': "a", 'आ': "aa", 'इ': "i", 'ई': "ee", 'उ': "u", 'ऊ': "oo",
	'ऋ': "ri", 'ॠ': "ri", 'ऌ': "li", 'ॡ': "li", 'ऍ': "e", 'ऎ': "e", 'ए': "e", 'ऐ': "ai",
	'ऑ': "o", 'ऒ': "o", 'ओ': "o", 'औ': "au", 'ॲ': "e",
	'ा': "aa", 'ि': "i", 'ी': "ee", 'ु': "u", 'ू': "oo", 'ृ': "ri", 'ॄ': "ri",
	'ॅ': "e", 'ॆ': "e", 'े': "e", 'ै': "ai", 'ॉ': "o", 'ॊ': "o", 'ो': "o", 'ौ': "au",
	'ॢ': "li", 'ॣ': "li", '\u094F': "au",
}

// shortFinal is how a long vowel at the end of a word is written in
// Hinglish: आटा is "aata", चीनी is "cheeni", आलू is "aalu".
var shortFinal = map[string]string{"aa": "a", "ee": "i", "oo": "u"}

func isMatra(r rune) bool {
	return r >= '\u093E' && r <= '\u094C' || r == '\u094F' || r == '\u0962' || r == '\u0963'
}

// isDevaLetter reports whether r belongs inside a Devanagari word.
func isDevaLetter(r rune) bool {
	if r >= '\u0900' && r <= '\u0963' || r >= '\u0971' && r <= '\u097F' {
		return true
	}
	return r == zwj || r == zwnj
}

// vowel kinds of one syllable.
const (
	inherent = iota // the consonant's own short "a"
	explicit        // a matra or an independent vowel
	none            // virama: a bare consonant
	dropped         // an inherent "a" that is not pronounced
)

type syllable struct {
	cons  string
	vowel string
	kind  int
	coda  string // anusvara, chandrabindu, visarga
}

// Latin writes the Devanagari in s in Latin letters the way Hinglish
// writers do, with the silent inherent vowels dropped ("नमकीन" ->
// "namkeen", "चावल" -> "chaaval"), and turns Devanagari digits and dandas
// into ASCII. Everything else is left as it is.
func Latin(s string) string {
	if !hasDevanagari(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isDevaLetter(r):
			j := i
			for j < len(rs) && isDevaLetter(rs[j]) {
				j++
			}
			writeWord(&b, rs[i:j])
			i = j
			continue
		case r >= '०' && r <= '९':
			b.WriteByte(byte('0' + r - '०'))
		case r == '।' || r == '॥' || r == '॰':
			b.WriteByte('.')
		case r == 'ॐ':
			b.WriteString("om")
		default:
			b.WriteRune(r)
		}
		i++
	}
	return b.String()
}

func hasDevanagari(s string) bool {
	for _, r := range s {
		if r >= '\u0900' && r <= '\u097F' {
			return true
		}
	}
	return false
}

// writeWord transliterates one run of Devanagari letters and signs.
func writeWord(b *strings.Builder, word []rune) {
	syls := make([]syllable, 0, len(word))
	last := func() *syllable {
		if len(syls) == 0 {
			syls = append(syls, syllable{kind: explicit})
		}
		return &syls[len(syls)-1]
	}
	var prevCons rune
	for _, r := range word {
		switch {
		case r == zwj || r == zwnj || r == avagraha:
		case consonants[r] != "":
			syls = append(syls, syllable{cons: consonants[r], vowel: "a", kind: inherent})
			prevCons = r
			continue
		case r == nukta:
			if n, ok := withNukta[prevCons]; ok && len(syls) > 0 {
				syls[len(syls)-1].cons = n
			}
		case isMatra(r):
			s := last()
			if s.kind == inherent {
				s.vowel, s.kind = vowels[r], explicit
			} else {
				syls = append(syls, syllable{vowel: vowels[r], kind: explicit})
			}
		case vowels[r] != "":
			syls = append(syls, syllable{vowel: vowels[r], kind: explicit})
		case r == virama:
			if s := last(); s.kind == inherent {
				s.vowel, s.kind = "", none
			}
		case r == anusvara || r == chandrabindu:
			last().coda += "n"
		case r == visarga:
			last().coda += "h"
		}
		prevCons = 0
	}
	dropSchwas(syls)
	for i, s := range syls {
		b.WriteString(s.cons)
		v := s.vowel
		if i == len(syls)-1 && s.coda == "" && len(syls) > 1 {
			if short, ok := shortFinal[v]; ok {
				v = short
			}
		}
		if s.kind != dropped {
			b.WriteString(v)
		}
		b.WriteString(s.coda)
	}
}

// dropSchwas removes the inherent vowels Hindi does not pronounce: the
// last one of a word, and a middle one between two pronounced vowels
// (नमकीन is "namkeen", not "namakeen"), working from the end.
func dropSchwas(syls []syllable) {
	n := len(syls)
	if n < 2 {
		return
	}
	if s := &syls[n-1]; s.kind == inherent && s.coda == "" && s.cons != "" {
		s.kind = dropped
	}
	voiced := func(s syllable) bool { return s.kind == inherent || s.kind == explicit }
	for i := n - 2; i >= 1; i-- {
		s := &syls[i]
		if s.kind != inherent || s.coda != "" {
			continue
		}
		next := syls[i+1]
		if voiced(syls[i-1]) && next.cons != "" && voiced(next) {
			s.kind = dropped
		}
	}
}
