package render

import (
	"strings"
	"unicode/utf8"

	"github.com/tokrihq/tokri/modem/pdu"
	"github.com/tokrihq/tokri/protocol"
)

// Reply is a text ready to send and what it costs.
type Reply struct {
	Text      string
	Segments  int    // SMS parts, as pdu.Count says
	Encoding  string // "gsm7" or "ucs2"
	Truncated bool   // words were dropped to fit the budget
}

// Budget is how many segments a reply in lang may cost: one GSM-7 segment
// in English and Hinglish, two UCS-2 segments (134 characters) in Hindi.
func Budget(lang protocol.Lang) int {
	if lang == protocol.Hindi {
		return 2
	}
	return 1
}

// Ellipsis ends a text cut to fit.
const Ellipsis = "..."

func cost(text string) Reply {
	n, enc := pdu.Count(text)
	return Reply{Text: text, Segments: n, Encoding: enc}
}

// Fit folds s for lang and, if it costs more than segments, cuts it after
// the last whole word that leaves room for an Ellipsis. Only a single word
// longer than the whole budget is cut inside.
func Fit(s string, lang protocol.Lang, segments int) Reply {
	return fitFolded(Fold(s, lang), max(segments, 1))
}

func fitFolded(s string, segments int) Reply {
	if r := cost(s); r.Segments <= segments {
		return r
	}
	cut := cutPoints(s)
	fits := func(i int) bool { n, _ := pdu.Count(s[:cut[i]] + Ellipsis); return n <= segments }
	// The cost grows with the prefix, so the longest fitting one is found
	// by bisection.
	lo, hi := -1, len(cut)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo >= 0 {
		r := cost(s[:cut[lo]] + Ellipsis)
		r.Truncated = true
		return r
	}
	// Not even the first word fits: cut it by characters.
	end := 0
	for i := range s {
		if i > 0 {
			if n, _ := pdu.Count(s[:i] + Ellipsis); n > segments {
				break
			}
			end = i
		}
	}
	if end == 0 {
		_, size := utf8.DecodeRuneInString(s)
		end = size
	}
	r := cost(s[:end] + Ellipsis)
	r.Truncated = true
	return r
}

// cutPoints are the byte offsets where s may be cut: the ends of words,
// with trailing punctuation that would dangle before an ellipsis left out.
func cutPoints(s string) []int {
	var cuts []int
	for i, r := range s {
		if r != ' ' && r != '\n' || i == 0 {
			continue
		}
		end := len(strings.TrimRight(s[:i], " \n,;:-(/"))
		if end > 0 && (len(cuts) == 0 || cuts[len(cuts)-1] != end) {
			cuts = append(cuts, end)
		}
	}
	return cuts
}
