package ussd

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/render"
)

// MaxPerPage bounds the items on one page of a list, so a pick is one
// digit and never the "98" of the convention.
const MaxPerPage = 9

// minLine is as short as fitting cuts a line: shorter says nothing.
const minLine = 10

// Screen is one screen being composed.
type Screen struct {
	Lang    protocol.Lang
	Head    []string // lines above the choices; empty lines are left out
	Choices []string // numbered from 1
	More    bool     // the list goes on: offer "98 More"
	Back    bool     // offer "0 Back"
	End     bool     // the last screen of the session
}

// Reply renders the screen folded for its language and fitted to one
// screen: when too long, the longest lines are cut first, down to
// minLine characters each, then head lines are dropped from the end.
func (s Screen) Reply() Reply {
	lines, fixed, heads := s.lines()
	return Reply{Text: fit(lines, fixed, heads), End: s.End}
}

// lines are the screen's lines before fitting, which of them fitting may
// not cut (the navigation), and how many head lines lead.
func (s Screen) lines() (lines []string, fixed []bool, heads int) {
	w := For(s.Lang)
	for _, h := range s.Head {
		if h = render.Fold(h, s.Lang); h != "" {
			lines = append(lines, h)
			fixed = append(fixed, false)
		}
	}
	heads = len(lines)
	for i, c := range s.Choices {
		lines = append(lines, strconv.Itoa(i+1)+" "+render.Fold(c, s.Lang))
		fixed = append(fixed, false)
	}
	var nav []string
	if s.More {
		nav = append(nav, KeyMore+" "+w.More)
	}
	if s.Back {
		nav = append(nav, KeyBack+" "+w.Back)
	}
	if len(nav) > 0 {
		lines = append(lines, render.Fold(strings.Join(nav, " "), s.Lang))
		fixed = append(fixed, true)
	}
	return lines, fixed, heads
}

// fit cuts lines until they fit one screen.
func fit(lines []string, fixed []bool, heads int) string {
	text := strings.Join(lines, "\n")
	for {
		n, limit := Length(text)
		if n <= limit {
			return text
		}
		over := n - limit
		// The longest line that may still be cut is cut: by what is over,
		// but not below the next longest (so long lines shorten together)
		// nor below minLine.
		longest, most, next := -1, minLine, minLine
		for i, l := range lines {
			c := utf8.RuneCountInString(l)
			switch {
			case fixed[i] || c <= minLine:
			case c > most:
				longest, most, next = i, c, most
			case c > next:
				next = c
			}
		}
		switch {
		case longest >= 0:
			lines[longest] = cut(lines[longest], max(most-over, min(next, most-1), minLine))
		case heads > 0:
			heads--
			lines = append(lines[:heads:heads], lines[heads+1:]...)
			fixed = append(fixed[:heads:heads], fixed[heads+1:]...)
		default:
			// Only choices and navigation left, all cut to minLine: cut
			// the whole text (never happens with MaxPerPage choices).
			r := []rune(text)
			for len(r) > 0 && !Fits(string(r)) {
				r = r[:len(r)-1]
			}
			return string(r)
		}
		text = strings.Join(lines, "\n")
	}
}

// cut shortens s to n characters, the last a '.'.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRight(string(r[:n-1]), " ,") + "."
}

// Page is the page of a list that starts at item first: as many items as
// fit under head within AimChars, numbered from 1, with "98 More" while
// items follow and "0 Back". count is how many it shows; item n (1-based)
// is items[first+n-1]. Every page of a list with items shows at least one
// (cut to fit if it must be).
func Page(lang protocol.Lang, head []string, items []string, first int, back bool) (r Reply, count int) {
	first = max(0, min(first, len(items)))
	n := 1
	for ; first+n < len(items) && n < MaxPerPage; n++ {
		s := Screen{Lang: lang, Head: head, Choices: items[first : first+n+1], More: first+n+1 < len(items), Back: back}
		lines, _, _ := s.lines()
		if l, limit := Length(strings.Join(lines, "\n")); l > min(limit, AimChars) {
			break
		}
	}
	n = min(n, len(items)-first)
	s := Screen{Lang: lang, Head: head, Choices: items[first : first+n], More: first+n < len(items), Back: back}
	return s.Reply(), n
}
