package console

import (
	"io"
	"strings"
	"unicode"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"
)

// theme is how the console draws: box drawing or plain ASCII for serial
// consoles, colour or none (NO_COLOR, or a terminal without it).
type theme struct {
	ascii  bool
	rule   string // a horizontal line's character
	sep    string // between status bar fields
	bars   [5]string
	cursor string
	title  lipgloss.Style
	head   lipgloss.Style
	sel    lipgloss.Style
	warn   lipgloss.Style
	dim    lipgloss.Style
}

func newTheme(out io.Writer, ascii, color bool) theme {
	r := lipgloss.NewRenderer(out)
	r.SetHasDarkBackground(true) // never ask the terminal: see Run
	// The caller has decided (NO_COLOR, the terminal): sixteen colours
	// are all the console uses.
	if color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	t := theme{ascii: ascii, cursor: ">"}
	if ascii {
		t.rule, t.sep = "-", " | "
		t.bars = [5]string{"....", "|...", "||..", "|||.", "||||"}
	} else {
		t.rule, t.sep = "─", " │ "
		t.bars = [5]string{"▁▁▁▁", "▂▁▁▁", "▂▄▁▁", "▂▄▆▁", "▂▄▆█"}
	}
	t.title = r.NewStyle().Bold(true)
	t.head = r.NewStyle().Bold(true).Underline(!ascii)
	t.sel = r.NewStyle().Reverse(true)
	t.warn = r.NewStyle().Bold(true).Foreground(lipgloss.Color("1"))
	t.dim = r.NewStyle().Faint(true)
	return t
}

// width is s's width on a terminal. Terminals (xterm, VTE, tmux) give
// every character its wcwidth: Devanagari's vowel signs that take room
// (ा, ि) one column, the virama and the signs above or below (्, ं, ु)
// none. lipgloss measures grapheme clusters instead, which makes a
// conjunct like र्ड one column where the terminal draws two, so Hindi
// rows would end short. We count as the terminal does.
func width(s string) int {
	if strings.IndexByte(s, 0x1b) >= 0 {
		s = ansi.Strip(s)
	}
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	if r < 0x300 {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return 0
		}
		return 1
	}
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return 0
	}
	return max(1, runewidth.RuneWidth(r))
}

// fit pads or cuts s to exactly w columns; a cut ends in "~".
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := width(s)
	if n <= w {
		return s + strings.Repeat(" ", w-n)
	}
	if strings.IndexByte(s, 0x1b) >= 0 {
		cut := ansi.Truncate(s, w-1, "") + "~"
		return cut + strings.Repeat(" ", max(0, w-width(cut)))
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		rw := runeWidth(r)
		if used+rw > w-1 {
			break
		}
		b.WriteRune(r)
		used += rw
	}
	b.WriteByte('~')
	used++
	return b.String() + strings.Repeat(" ", w-used)
}

// right pads s on the left to w columns (numbers, money).
func right(s string, w int) string {
	if n := width(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return fit(s, w)
}

// line is a horizontal rule w wide.
func (t theme) line(w int) string { return strings.Repeat(t.rule, max(0, w)) }

// spread puts l on the left and r on the right of w columns.
func spread(l, r string, w int) string {
	gap := w - width(l) - width(r)
	if gap < 1 {
		return fit(l+" "+r, w)
	}
	return l + strings.Repeat(" ", gap) + r
}
