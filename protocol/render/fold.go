package render

import (
	"strings"
	"unicode"

	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/norm"
)

// Fold rewrites s for sending in lang. Typographic characters become their
// GSM look-alikes (₹ -> Rs, curly quotes -> straight, long dashes -> '-',
// … -> ...), accented letters lose accents the alphabet lacks, emoji and
// other symbols go. Devanagari stays in Hindi (the reply is UCS-2 anyway)
// and is written in Latin letters otherwise; letters of other scripts
// become '?'. Runs of spaces collapse, line ends are trimmed and CR LF
// becomes LF.
func Fold(s string, lang protocol.Lang) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "?"), "\r\n", "\n")
	if lang != protocol.Hindi {
		s = norm.Latin(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	unknown := false // the last thing written was a '?' for an unknown letter
	for _, r := range s {
		switch {
		case r == '\r':
			r = '\n'
		case r == '\n' || gsmSet[r]:
		case lang == protocol.Hindi && (r >= '\u0900' && r <= '\u097F' || r == '\u200C' || r == '\u200D'):
		case lookalikes[r] != "" || r == '^' || r == '°' || r == '®' || r == '™':
			b.WriteString(lookalikes[r])
			unknown = false
			continue
		case letters[r] != "":
			b.WriteString(letters[r])
			unknown = false
			continue
		case unicode.Is(unicode.Zs, r):
			r = ' '
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !unknown {
				b.WriteByte('?')
			}
			unknown = true
			continue
		default: // emoji, symbols, controls, marks of other scripts
			continue
		}
		unknown = false
		b.WriteRune(r)
	}
	return tidy(b.String())
}

// tidy collapses runs of spaces and of more than one empty line, and trims
// spaces around line breaks and at the ends.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	out := strings.Join(lines, "\n")
	for strings.Contains(out, "\n\n\n") {
		out = strings.ReplaceAll(out, "\n\n\n", "\n\n")
	}
	return strings.Trim(out, " \n")
}
