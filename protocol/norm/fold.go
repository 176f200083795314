package norm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// accents maps accented Latin letters (after lower-casing) to plain ones.
var accents = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'ç': "c", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ı': "i",
	'ñ': "n", 'ń': "n", 'ň': "n", 'ṅ': "n", 'ṇ': "n", 'ṃ': "m",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o",
	'ř': "r", 'ṛ': "r", 'ś': "s", 'š': "s", 'ṣ': "s", 'ť': "t", 'ṭ': "t", 'ḍ': "d", 'ḥ': "h",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u",
	'ý': "y", 'ÿ': "y", 'ž': "z", 'ź': "z", 'ż': "z",
	'ß': "ss", 'æ': "ae", 'œ': "oe",
	'½': " 1/2 ", '¼': " 1/4 ", '¾': " 3/4 ",
}

// Fold lowers the case of s, strips accents, writes Devanagari in Latin
// letters, turns full-width forms into ASCII and control characters into
// spaces. Punctuation stays, so callers can still split on it.
func Fold(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s = Latin(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if r < ' ' || r == 0x7f {
				b.WriteByte(' ')
			} else {
				b.WriteByte(byte(unicode.ToLower(r)))
			}
			continue
		case r >= '\uFF01' && r <= '\uFF5E': // full-width ASCII
			r = unicode.ToLower(r - 0xFEE0)
		case unicode.IsControl(r) || unicode.Is(unicode.Zs, r) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
			continue
		case unicode.Is(unicode.Cf, r): // zero-width and direction marks
			continue
		default:
			r = unicode.ToLower(r)
		}
		if a, ok := accents[r]; ok {
			b.WriteString(a)
			continue
		}
		if unicode.Is(unicode.Nd, r) { // any other script's digits
			b.WriteByte(byte('0' + digitValue(r)))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// digitValue is the value of a decimal digit of any script: Unicode keeps
// each script's ten digits contiguous, starting at a code point ending in
// zero or six.
func digitValue(r rune) int {
	for start := r; start > r-10; start-- {
		if !unicode.Is(unicode.Nd, start-1) {
			return int(r-start) % 10
		}
	}
	return int(r) % 10
}

// Words folds s and splits it into words: runs of letters and digits,
// where a '.' or '/' between two digits stays inside the word ("1.5l",
// "1/2kg"). Everything else separates words.
func Words(s string) []string {
	f := []rune(Fold(s))
	var words []string
	start := -1
	for i, r := range f {
		inWord := isWordRune(r) ||
			(r == '.' || r == '/') && i > 0 && i+1 < len(f) && isDigit(f[i-1]) && isDigit(f[i+1])
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			words = append(words, string(f[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, string(f[start:]))
	}
	return words
}

func isWordRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' ||
		r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r))
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// IsNumber reports whether w is made of ASCII digits only.
func IsNumber(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}
